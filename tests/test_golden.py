"""Golden files for the machine-read outputs (check text and JSON, scan SARIF): a change in what users and CI
parse shows up as a diff to review. `pytest --update-golden` rewrites them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
EU = str(ROOT / "policies" / "eu-saas.yaml")
MODELS = ["meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta-llama/Llama-3.3-70B-Instruct", "deepseek-ai/DeepSeek-R1",
          "mistralai/Mistral-Small-3.2-24B-Instruct-2506", "Qwen/Qwen2.5-72B-Instruct"]


@pytest.fixture(autouse=True)
def _offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))


def stable(text: str) -> str:
    """The knowledge-base version carries a digest of every record: any record edit would churn every golden."""
    return re.sub(r"(knowledge[ _]base\"?:? \"?)[0-9.]+\+[0-9a-f]{12}", r"\1<kb-version>", text)


def compare(request, name: str, text: str) -> None:
    path = GOLDEN / name
    text = stable(text)
    if request.config.getoption("--update-golden") or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed: review the diff, then run pytest --update-golden"


def test_check_text_golden(request, run_cli):
    code, out, _ = run_cli("check", "--policy", EU, "--date", "2026-11-28", *MODELS)
    assert code == 1
    compare(request, "check.txt", out)


def test_check_json_golden(request, run_cli):
    code, out, _ = run_cli("check", "--policy", EU, "--date", "2026-11-28", "--format", "json", *MODELS)
    assert code == 1
    compare(request, "check.json", out)


def test_scan_sarif_golden(request, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "serve.sh").write_text("vllm serve meta-llama/Llama-4-Scout-17B-16E-Instruct --tp 8\n")
    (tmp_path / "app.py").write_text('m = AutoModel.from_pretrained("Qwen/Qwen2.5-72B-Instruct")\n'
                                     'n = AutoModel.from_pretrained("mistralai/Mistral-Small-3.2-24B-Instruct-2506")\n')
    code, out, _ = run_cli("scan", "--policy", EU, "--date", "2026-11-28", "--format", "sarif", ".")
    assert code == 1
    compare(request, "scan.sarif", out)
