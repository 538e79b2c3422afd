"""``compliance scan`` as CI and a platform team use it: grouped text, every location in JSON, datasets and
skipped files in every output, unique SARIF fingerprints, capped GitHub annotations, exit codes (a missing path,
--fail-on skipped), encodings, large files, exclude globs, --changed-since, and the hook cache never answering
stale."""
from __future__ import annotations

import codecs
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from test_scan import EU, NO_CN, write

R1 = "deepseek-ai/DeepSeek-R1"
MISTRAL = "mistralai/Mistral-7B-Instruct-v0.3"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / ".cache" / "compliance"))
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)


def test_a_path_that_does_not_exist_is_exit_2_with_one_line(run_cli):
    code, out, err = run_cli("scan", "src/tpyo")
    assert code == 2 and out == ""
    assert err.strip() == "compliance: src/tpyo: no such file or folder"


def test_text_is_grouped_by_model_and_json_keeps_every_location(run_cli, tmp_path):
    write(tmp_path / "a.py", "".join(f'm{i} = AutoModel.from_pretrained("{R1}")\n' for i in range(7)))
    write(tmp_path / "b.yaml", f"model_name_or_path: {MISTRAL}\n")
    code, out, _ = run_cli("scan", "--date", "2026-11-28", ".")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"DENY {R1} — 7 reference(s)"
    assert lines[1].startswith("    origin: published by DeepSeek, China")
    assert lines[2:7] == [f"    a.py:{n}:33 [from_pretrained]" for n in range(1, 6)]
    assert lines[7] == "    … and 2 more (--format json lists every location)"
    assert MISTRAL not in out.split("\n")[-2]  # allowed models only with -v
    assert lines[-1].startswith("DENY: 8 model reference(s) to 2 model(s) in 2 of 2 file(s) scanned — models: 1 deny, 0 review, 1 allow")
    data = json.loads(run_cli("scan", "--format", "json", "--date", "2026-11-28", ".")[1])
    assert [r["line"] for r in data["references"] if r["model"] == R1] == list(range(1, 8))
    assert data["summary"] == {"files_scanned": 2, "files_with_references": 2, "references": 8, "models": 2,
                               "datasets": 0, "dataset_references": 0, "files_skipped": 0}
    assert {m["model"]: (m["decision"], m["references"]) for m in data["models"]} == {R1: ("deny", 7), MISTRAL: ("allow", 1)}
    verbose = run_cli("scan", "-v", "--date", "2026-11-28", ".")[1]
    assert f"ALLOW {MISTRAL} — 1 reference(s)" in verbose and "and 2 more" not in verbose


def test_datasets_have_their_own_section_in_every_output(run_cli, tmp_path):
    write(tmp_path / "train.py", f'ds = load_dataset("HuggingFaceH4/ultrachat_200k")\nm = AutoModel.from_pretrained("{MISTRAL}")\n')
    code, out, _ = run_cli("scan", ".")
    assert code == 0
    assert "Datasets: 1 dataset(s), 1 reference(s) — license not evaluated" in out
    assert "    HuggingFaceH4/ultrachat_200k — train.py:1" in out
    assert "1 dataset reference(s), license not evaluated" in out.splitlines()[-1]
    data = json.loads(run_cli("scan", "--format", "json", ".")[1])
    assert data["datasets"] == [{"dataset": "HuggingFaceH4/ultrachat_200k", "file": "train.py", "line": 1, "column": 20,
                                 "text": "HuggingFaceH4/ultrachat_200k", "how": "load_dataset", "license": None,
                                 "license_status": "not evaluated"}]
    sarif = json.loads(run_cli("scan", "--format", "sarif", ".")[1])
    assert sarif["runs"][0]["properties"]["datasets"][0]["license"] == "not evaluated"
    github = run_cli("scan", "--format", "github", ".")[1]
    assert "1 dataset reference(s), license not evaluated" in github


def test_sarif_fingerprints_are_unique_per_location_and_github_annotations_are_capped(run_cli, tmp_path):
    write(tmp_path / "many.py", "".join(f'm = AutoModel.from_pretrained("{R1}")\n' for _ in range(14)))
    sarif = json.loads(run_cli("scan", "--format", "sarif", ".")[1])
    prints = [r["partialFingerprints"]["compliance/v1"] for r in sarif["runs"][0]["results"]]
    assert len(prints) == 14 and len(set(prints)) == 14
    # stable when lines move: the same text in the same file keeps its fingerprint by occurrence
    write(tmp_path / "many.py", "import os\n\n" + (tmp_path / "many.py").read_text())
    again = json.loads(run_cli("scan", "--format", "sarif", ".")[1])
    assert [r["partialFingerprints"]["compliance/v1"] for r in again["runs"][0]["results"]] == prints
    code, out, _ = run_cli("scan", "--format", "github", ".")
    assert code == 1
    assert sum(1 for line in out.splitlines() if line.startswith("::error ")) == 10
    assert f"4 more reference(s) to {R1} not annotated" in out


def test_skipped_files_are_counted_named_and_can_fail_the_gate(run_cli, tmp_path):
    write(tmp_path / "ok.py", f'AutoModel.from_pretrained("{MISTRAL}")\n')
    (tmp_path / "weights.json").write_bytes(b"\x00\x01binary\x00" * 100)
    code, out, _ = run_cli("scan", ".")
    assert code == 0
    assert "Skipped: 1 file(s) not (fully) scanned" in out and "    weights.json: skipped (binary)" in out
    assert "1 file(s) skipped" in out.splitlines()[-1]
    assert run_cli("scan", "--fail-on", "skipped", ".")[0] == 1
    assert run_cli("scan", "--fail-on", "review,skipped", ".")[0] == 1
    code, _, err = run_cli("scan", "--fail-on", "sometimes", ".")
    assert code == 2 and "--fail-on" in err


def test_utf16_and_bom_files_are_decoded_not_skipped(run_cli, tmp_path):
    text = f'm = AutoModel.from_pretrained("{R1}")\n'
    (tmp_path / "utf16.py").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "bom.py").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (tmp_path / "utf16be.yaml").write_bytes(f"base_model: {R1}\n".encode("utf-16-be"))
    data = json.loads(run_cli("scan", "--format", "json", ".")[1])
    assert sorted(r["file"] for r in data["references"]) == ["bom.py", "utf16.py", "utf16be.yaml"]
    assert data["skipped"] == []


def test_a_file_over_the_size_limit_is_scanned_in_parts_not_a_way_past_the_gate(tmp_path, monkeypatch):
    import importlib

    scan = importlib.import_module("compliance.scan")  # the module (compliance.scan is also the API function)
    monkeypatch.setattr(scan, "MAX_FILE_BYTES", 10_000)
    body = "x = 1\n" * 5_000 + f'm = AutoModel.from_pretrained("{R1}")\n' + "y = 2\n" * 5_000
    write(tmp_path / "big.py", body)
    result = scan.scan_file(tmp_path / "big.py", "big.py")
    assert [(r.line, r.model) for r in result.references] == [(5_001, R1)]
    assert result.note.startswith("scanned in ")


def test_exclude_globs_in_the_policy_leave_paths_out(run_cli, tmp_path):
    write(tmp_path / ".compliance.yaml", NO_CN + "exclude:\n  - tests/**\n  - vendor/\n  - '*_fixture.py'\n")
    write(tmp_path / "tests" / "test_x.py", f'AutoModel.from_pretrained("{R1}")\n')
    write(tmp_path / "vendor" / "lib" / "x.py", f'AutoModel.from_pretrained("{R1}")\n')
    write(tmp_path / "src" / "data_fixture.py", f'AutoModel.from_pretrained("{R1}")\n')
    write(tmp_path / "src" / "app.py", f'AutoModel.from_pretrained("{MISTRAL}")\n')
    code, out, _ = run_cli("scan", ".")
    assert code == 0 and "1 model reference(s)" in out, out
    assert run_cli("policy", "validate", ".compliance.yaml")[0] == 0  # exclude: is part of the policy schema


def test_allowed_then_denied_in_one_file_is_judged_by_each_binding(run_cli, tmp_path):
    write(tmp_path / "app.py", f'MODEL = "{MISTRAL}"\nfirst = AutoModel.from_pretrained(MODEL)\n'
                               f'MODEL = "{R1}"\nsecond = AutoModel.from_pretrained(MODEL)\n')
    code, out, _ = run_cli("scan", "--format", "json", ".")
    assert code == 1
    judged = {(r["line"], r["model"], r["decision"]) for r in json.loads(out)["references"]}
    assert (2, MISTRAL, "allow") in judged and (4, R1, "deny") in judged


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_reports_only_changed_lines(run_cli, tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@e", "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path)})

    write(tmp_path / "old.py", f'a = AutoModel.from_pretrained("{R1}")\n')
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    write(tmp_path / "old.py", f'a = AutoModel.from_pretrained("{R1}")\nb = AutoModel.from_pretrained("{MISTRAL}")\n')
    write(tmp_path / "new.py", f'c = AutoModel.from_pretrained("{R1}")\n')
    data = json.loads(run_cli("scan", "--changed-since", "HEAD", "--format", "json", ".")[1])
    assert sorted((r["file"], r["line"]) for r in data["references"]) == [("new.py", 1), ("old.py", 2)]
    code, _, err = run_cli("scan", "--changed-since", "no-such-ref", ".")
    assert code == 2 and "--changed-since" in err


def test_the_hook_cache_never_answers_for_another_policy(run_cli, tmp_path):
    write(tmp_path / "app.py", f'm = AutoModel.from_pretrained("{R1}")\n')
    first = run_cli("scan", ".")
    assert first[0] == 1
    assert run_cli("scan", ".") == first  # answered from the cache: the same
    assert list((tmp_path / ".cache" / "compliance").glob("verdicts-*"))
    write(tmp_path / ".compliance.yaml", NO_CN.replace("deny: [CN]", "deny: [RU]"))
    code, out, _ = run_cli("scan", ".")
    assert code == 0 and "0 deny" in out
    write(tmp_path / ".compliance.yaml", NO_CN)
    assert run_cli("scan", ".")[0] == 1


def test_policy_outside_a_scanned_tree_and_eu_policy_both_work(run_cli, tmp_path):
    write(tmp_path / "serve.sh", "vllm serve meta-llama/Llama-4-Scout-17B-16E-Instruct --tp 8\n")
    code, out, _ = run_cli("scan", "--policy", str(EU), "serve.sh")
    assert code == 1 and "DENY meta-llama/Llama-4-Scout-17B-16E-Instruct — 1 reference(s)" in out
    assert Path(EU).is_file()


def test_a_repeat_hook_run_imports_no_pydantic_or_heavy_library(tmp_path):
    """The second run of the same commit answers from the verdict cache: no validated models, no renderer."""
    import os
    import sys

    from conftest import ROOT

    write(tmp_path / "app.py", f'AutoModel.from_pretrained("{MISTRAL}")\n')
    code = ("import sys\nfrom compliance.cli import main\n"
            "rc = main(['scan', 'app.py'])\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'weasyprint', 'huggingface_hub', "
            "'spdx_tools', 'jinja2'})\nprint('HEAVY', heavy, rc)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "HEAVY" in first.stdout and " 0" in first.stdout, first.stdout + first.stderr
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "HEAVY [] 0" in second.stdout, second.stdout + second.stderr
