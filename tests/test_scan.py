"""Finding model references (recall on 20 real files, precision on look-alikes), judging them, the lock file
with drift, SARIF / GitHub / JSON output, inline waivers, and the pre-commit hook for real."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.scan import scan_paths, scan_text
from conftest import ROOT
from support.fakehub import FakeHub
from support.hfcache import card

EU = ROOT / "policies" / "eu-saas.yaml"
NO_CN = "name: no-chinese-origin\norganization: {domicile: US, regions: [US], monthly_active_users: 1000}\n" \
        "rules:\n  origin: {deny: [CN], decision: deny}\n  acceptable-use: allow\n  field-of-use: allow\n" \
        "  attribution: {accept: [license-copy, notice-file, modification-notice, built-with, name-prefix]}\n"

# What a careful reader finds in each real file (file -> [(line, model, how)]).
EXPECTED = {
    "01-akash-vllm-serve-llama4-scout.deploy.yaml": [(16, "meta-llama/Llama-4-Scout-17B-16E-Instruct", "vllm serve")],
    "02-akash-sglang-deepseek-r1.deploy.yaml": [(16, "deepseek-ai/DeepSeek-R1", "--model")],
    "03-akash-ollama-env-MODEL-gemma3.deploy.yaml": [(12, "gemma3:4b", "env MODEL")],
    "04-akash-sglang-model-path-mistral.deploy.yaml": [(16, "mistralai/Mistral-7B-Instruct-v0.3", "--model-path")],
    "05-qwen-from_pretrained-coder-32b.py": [(6, "Qwen/Qwen2.5-Coder-32B-Instruct", "from_pretrained"),
                                             (7, "Qwen/Qwen2.5-Coder-32B-Instruct", "from_pretrained")],
    "06-glm4-env-MODEL_PATH-local-dir.py": [(41, "ZhipuAI/glm-4-9b-chat", "from_pretrained via MODEL_PATH"),
                                            (47, "ZhipuAI/glm-4-9b-chat", "from_pretrained via MODEL_PATH")],
    "07-bentovllm-model_id-r1-distill-llama70b.yaml": [(9, "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "key model_id")],
    "08-litellm-ollama_chat-qwen3.config.yaml": [(4, "ollama_chat/qwen3-Q4_K_M:4b", "key model"),
                                                 (8, "ollama_chat/qwen3-coder:30b", "key model"),
                                                 (12, "ollama_chat/qwen3:4b", "key model")],
    "09-litellm-openai-compatible-llama3.yaml": [(11, "openai/llama3", "key model"), (17, "openai/llama3", "key model")],
    "10-Modelfile-exaone-LICENSE-directive.Modelfile": [(1, "./EXAONE-3.5-7.8B-Instruct-Q8_0.gguf", "modelfile FROM")],
    "11-Modelfile-lowercase-from-llama3.2.Modelfile": [(1, "llama3.2:1b", "modelfile FROM")],
    "12-Modelfile-local-merged-gguf.Modelfile": [(1, "/content/phi3-patient-admission-merged.gguf", "modelfile FROM")],
    "13-shell-heredoc-Modelfile-qwen2.5.sh": [(2, "/root/.ollama/models/qwen2.5-3b-instruct-q4_k_m.gguf", "modelfile FROM")],
    "14-docker-run-vllm-qwen-coder.sh": [(7, "Qwen/Qwen2.5-Coder-0.5B-Instruct", "--model")],
    "15-shell-var-MODEL-vllm-qwen2.5-vl.sh": [(3, "Qwen/Qwen2.5-VL-3B-Instruct", "env MODEL")],
    "16-shell-var-MODEL-ollama-run-llama3.sh": [(1, "llama3", "env MODEL")],
    "17-litellm-python-completion-ollama.py": [(6, "ollama/llama3.1", "completion")],
    "18-autogen-config_list-ollama-bare-names.py": [(4, "gemma3", "key model"), (14, "llama3-groq-tool-use", "key model"),
                                                    (24, "llama3.1", "key model")],
    "19-ollama-registry-manifest-llama4-latest.json": [(10, "llama4:scout", "ollama manifest")],
    "20-gaianet-node-config-gemma3-gguf-url.json": [(3, "gaianet/gemma-3-1b-it-GGUF", "hub-url"),
                                                    (9, "gaianet/Nomic-embed-text-v1.5-Embedding-GGUF", "hub-url")],
}


@pytest.fixture(autouse=True)
def _offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def test_every_reference_in_the_real_files_and_nothing_else(corpus):
    folder = corpus / "model-references"
    results = {r.path: r for r in scan_paths([folder], root=folder)}
    found = {path: [(ref.line, ref.model, ref.how) for ref in r.references] for path, r in results.items()}
    assert {k: v for k, v in found.items() if v} == EXPECTED


def test_modelfile_license_directive_and_manifest_layers_are_kept_as_evidence(corpus):
    folder = corpus / "model-references"
    refs = {r.path: r.references for r in scan_paths([folder], root=folder)}
    (exaone,) = refs["10-Modelfile-exaone-LICENSE-directive.Modelfile"]
    assert exaone.license_text == "EXAONE AI Model License Agreement 1.1 - NC"
    (manifest,) = refs["19-ollama-registry-manifest-llama4-latest.json"]
    assert "2 distinct license layer(s)" in manifest.notes[0]


LOOKALIKES = '''\
import os
from src.utils import helper          # src/utils is a path, not a model
API = "api/v1/models"
route = "/api/v1"
config = {"path": "data/train", "name": "team/project"}
# model = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")   <- commented out
client = OpenAI()
client.chat.completions.create(model="gpt-4o", messages=[])
resp = completion(model="anthropic/claude-3-5-sonnet")
print("see https://huggingface.co/docs/transformers and https://huggingface.co/datasets/squad")
'''


def test_lookalikes_are_not_findings():
    assert scan_text(LOOKALIKES, "app.py") == []
    assert scan_text("FROM python:3.11-slim\nRUN pip install vllm\n", "Dockerfile") == []
    assert scan_text("ollama create my-model -f Modelfile\necho 'ollama pull to be done'\n", "run.sh") == []
    shell = "vllm serve Qwen/Qwen3-8B --served-model-name my-alias\n"
    assert [(r.model, r.how) for r in scan_text(shell, "serve.sh")] == [("Qwen/Qwen3-8B", "vllm serve")]


def test_variables_are_resolved_within_the_file():
    python = 'MODEL_ID = os.getenv("MODEL_ID", "mistralai/Mistral-7B-Instruct-v0.3")\nm = LLM(model=MODEL_ID)\n'
    (ref,) = scan_text(python, "serve.py")
    assert (ref.line, ref.model, ref.how) == (2, "mistralai/Mistral-7B-Instruct-v0.3", "LLM via MODEL_ID")
    env = "LLM_MODEL=meta-llama/Llama-3.3-70B-Instruct\nPORT=8000\n"
    (ref,) = scan_text(env, ".env")
    assert (ref.model, ref.how) == ("meta-llama/Llama-3.3-70B-Instruct", "env LLM_MODEL")
    kwargs = 'p = pipeline("text-generation", model="google/gemma-3-1b-it")\nhf_hub_download(repo_id="Qwen/Qwen3-8B", filename="x")\n'
    assert [(r.model, r.how) for r in scan_text(kwargs, "x.py")] == [
        ("google/gemma-3-1b-it", "pipeline"), ("Qwen/Qwen3-8B", "hf_hub_download")]


# --- the command --------------------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_scan_exit_codes_and_text(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)
    write(tmp_path / "ok.py", 'AutoModel.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3")\n')
    code, out, _ = run_cli("scan", "ok.py")
    assert code == 0 and "1 model reference(s)" in out and "0 deny" in out
    write(tmp_path / "bad.py", 'm = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1")\n')
    code, out, _ = run_cli("scan", ".")
    assert code == 1
    assert "DENY deepseek-ai/DeepSeek-R1 — 1 reference(s)\n" in out  # grouped by model, then its locations
    assert "\n    bad.py:1:32 [from_pretrained]\n" in out
    assert "origin: published by DeepSeek, China" in out
    write(tmp_path / "meh.py", 'AutoModel.from_pretrained("meta-llama/Llama-3.3-70B-Instruct")\n')
    code, _, _ = run_cli("scan", "meh.py", "--policy", str(EU))
    assert code == 0
    code, _, _ = run_cli("scan", "meh.py", "--policy", str(EU), "--fail-on", "review")
    assert code == 1


def test_unknown_and_local_weights_are_judged_by_the_unknown_rule(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "Modelfile", "FROM ./merged-model.gguf\n")
    code, out, _ = run_cli("scan", "--policy", str(EU), "--format", "json", ".")
    (ref,) = json.loads(out)["references"]
    assert (ref["decision"], ref["rules"]) == ("deny", ["unknown-license"])
    assert code == 1


def test_bad_input(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("scan", ".")
    assert code == 2 and "no policy: pass --policy FILE" in err
    write(tmp_path / "p.yaml", "name: x\nrules:\n  terratory: deny\n")
    code, _, err = run_cli("scan", "--policy", "p.yaml", ".")
    assert code == 2 and "p.yaml:3: unknown key 'rules.terratory'" in err
    write(tmp_path / "weights.bin", "")
    (tmp_path / "weights.bin").write_bytes(b"\x00" * 100)
    write(tmp_path / ".compliance.yaml", NO_CN)
    code, out, _ = run_cli("scan", "-v", "weights.bin")
    assert code == 0 and "skipped (binary)" in out


def test_inline_waivers_honoured_only_with_a_policy_exception(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN + "exceptions:\n  - {model: deepseek-ai/DeepSeek-R1, rule: origin, "
          "reason: research cluster only, approved_by: legal@example.com, ticket: LEGAL-1234, expires: 2027-03-31}\n")
    write(tmp_path / "a.py", 'm = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1")  # compliance: allow deepseek-ai/DeepSeek-R1 LEGAL-1234\n')
    write(tmp_path / "b.py", '# compliance: allow deepseek-ai/DeepSeek-V3 LEGAL-9999\nm = AutoModel.from_pretrained("deepseek-ai/DeepSeek-V3")\n')
    code, out, _ = run_cli("scan", "--format", "json", "--date", "2026-11-28", ".")
    refs = {r["file"]: r for r in json.loads(out)["references"]}
    assert refs["a.py"]["decision"] == "allow"
    assert refs["a.py"]["waiver"].startswith("inline waiver honoured: exception for rule origin, approved by legal@example.com")
    assert refs["b.py"]["decision"] == "deny"
    assert "not honoured: the policy has no matching exception" in refs["b.py"]["waiver"]
    assert code == 1


def test_sarif_for_github_code_scanning(run_cli, tmp_path, monkeypatch, corpus):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(corpus / "model-references", tmp_path / "refs")
    code, out, _ = run_cli("scan", "--policy", str(EU), "--format", "sarif", "--date", "2026-11-28", "refs")
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert "territory" in ids and "origin" in ids and len(ids) == len(set(ids))
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    results = run["results"]
    assert results and all(r["level"] in ("error", "warning", "note") for r in results)
    for r in results:
        assert r["ruleId"] in ids and ids[r["ruleIndex"]] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("refs/")
        assert len(r["partialFingerprints"]["compliance/v1"]) == 32
    scout = next(r for r in results if "Llama-4-Scout" in r["message"]["text"])
    assert (scout["ruleId"], scout["level"]) == ("territory", "error")
    allowed = {"refs/04-akash-sglang-model-path-mistral.deploy.yaml"}  # Mistral 7B is allowed: no result
    assert not any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] in allowed for r in results)
    again = json.loads(run_cli("scan", "--policy", str(EU), "--format", "sarif", "--date", "2026-11-28", "refs")[1])
    assert again == sarif  # stable across runs: fingerprints track results across commits


def test_github_annotations_and_json(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "deploy.sh", "vllm serve meta-llama/Llama-4-Scout-17B-16E-Instruct --tp 8\n")
    code, out, _ = run_cli("scan", "--policy", str(EU), "--format", "github", "deploy.sh")
    assert code == 1
    assert out.startswith("::error file=deploy.sh,line=1,col=12,title=compliance territory%3A "
                          "meta-llama/Llama-4-Scout-17B-16E-Instruct::")
    code, out, _ = run_cli("scan", "--policy", str(EU), "--format", "json", "deploy.sh")
    data = json.loads(out)
    assert data["schema_version"] == 1 and data["decision"] == "deny"
    assert {"file", "line", "column", "text", "model", "how", "decision", "main_reason"} <= data["references"][0].keys()


# --- lock ---------------------------------------------------------------------------------------------------------


def test_lock_is_deterministic_and_scan_reports_drift(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)
    write(tmp_path / "app.py", 'AutoModel.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3")\n')
    code, out, _ = run_cli("lock", ".")
    assert code == 0 and "1 model(s)" in out
    first = (tmp_path / "compliance.lock").read_bytes()
    assert run_cli("lock", ".")[0] == 0 and (tmp_path / "compliance.lock").read_bytes() == first
    data = json.loads(first)
    (entry,) = data["models"]
    assert (entry["reference"], entry["decision"], entry["licenses"]) == (
        "mistralai/Mistral-7B-Instruct-v0.3", "allow", ["apache-2.0"])
    assert data["policy"]["sha256"] and "resolved" in entry
    code, out, _ = run_cli("scan", ".")
    assert code == 0 and "DRIFT" not in out
    write(tmp_path / "new.py", 'AutoModel.from_pretrained("microsoft/phi-4")\n')
    code, out, _ = run_cli("scan", ".")
    assert "new.py:1:28: DRIFT not-locked: microsoft/phi-4 is not in the lock" in out and code == 0
    assert run_cli("scan", "--fail-on-drift", ".")[0] == 1
    write(tmp_path / ".compliance.yaml", NO_CN.replace("1000", "2000"))
    code, out, _ = run_cli("scan", ".")
    assert "DRIFT policy: the policy changed since the lock was written" in out


def test_lock_answers_offline_and_sees_a_changed_license_text(run_cli, tmp_path, monkeypatch, corpus):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)
    write(tmp_path / "app.py", 'AutoModel.from_pretrained("acme/hub-only")\n')
    llama = (corpus / "licenses/llama-3.1/LICENSE").read_text()
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.add("acme/hub-only", {"README.md": card(license="llama3.1"), "LICENSE": llama}, sha="c" * 40)
        assert run_cli("lock", "--online", ".")[0] == 0
    entry = json.loads((tmp_path / "compliance.lock").read_text())["models"][0]
    assert (entry["revision"], entry["licenses"]) == ("c" * 40, ["llama-3.1"])
    assert len(entry["license_files"]["LICENSE"]) == 64
    # offline, with an empty cache: the lock answers
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "another-empty-cache"))
    code, out, _ = run_cli("scan", "-v", ".")
    assert code == 0 and "answered from the lock file" in out
    code, out, _ = run_cli("check", "--policy", ".compliance.yaml", "--locked", "acme/hub-only")
    assert code == 0 and "answered from the lock" in out
    # the same model in the cache now, with an edited license text: drift
    from support.hfcache import add_to_cache

    add_to_cache(tmp_path / "another-empty-cache", "acme/hub-only",
                 {"README.md": card(license="llama3.1"), "LICENSE": llama + "\nAmended.\n"}, commit="c" * 40)
    code, out, _ = run_cli("scan", ".")
    assert "DRIFT license-text: acme/hub-only: license text LICENSE changed since locked" in out


def test_lock_write_is_atomic(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)
    write(tmp_path / "app.py", 'AutoModel.from_pretrained("microsoft/phi-4")\n')
    assert run_cli("lock", ".")[0] == 0
    before = (tmp_path / "compliance.lock").read_bytes()
    write(tmp_path / "app.py", 'AutoModel.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3")\n')

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, err = run_cli("lock", ".")
    assert code == 2 and "interrupted" in err
    assert (tmp_path / "compliance.lock").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".compliance.lock")] == []


# --- pre-commit, for real --------------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@pytest.mark.slow
def test_pre_commit_hook_blocks_a_denied_model_and_lets_a_permitted_one_pass(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    # the hook repository: a snapshot of this checkout, committed (pre-commit installs hooks from a git repo)
    hook_repo = tmp_path / "hook-repo"
    shutil.copytree(ROOT, hook_repo, ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info",
                                                                   ".pytest_cache", "build", "dist", "out"))
    assert _git(hook_repo, "init", "-q").returncode == 0
    _git(hook_repo, "add", "-A")
    assert subprocess.run(["git", "commit", "-q", "-m", "snapshot"], cwd=hook_repo, env=env).returncode == 0
    rev = _git(hook_repo, "rev-parse", "HEAD").stdout.strip()

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    _git(consumer, "init", "-q")
    write(consumer / ".compliance.yaml", NO_CN)
    write(consumer / ".pre-commit-config.yaml",
          f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: compliance-scan\n")
    _git(consumer, "add", "-A")
    subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=consumer, env=env, check=True)
    # try-repo against the working checkout: the staged change is judged
    write(consumer / "app.py", 'from transformers import AutoModel\nm = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1")\n')
    _git(consumer, "add", "app.py")
    tried = subprocess.run([*pre_commit, "try-repo", str(ROOT), "compliance-scan", "--files", "app.py"],
                           cwd=consumer, env=env, capture_output=True, text=True)
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "DENY deepseek-ai/DeepSeek-R1 — 1 reference(s)" in tried.stdout and "app.py:2:32 [from_pretrained]" in tried.stdout
    # installed as a git hook: the commit is blocked
    assert subprocess.run([*pre_commit, "install"], cwd=consumer, env=env, capture_output=True).returncode == 0
    blocked = subprocess.run(["git", "commit", "-m", "add R1"], cwd=consumer, env=env, capture_output=True, text=True)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "origin: published by DeepSeek, China" in blocked.stdout + blocked.stderr
    assert _git(consumer, "log", "--oneline").stdout.count("\n") == 1
    # a permitted model passes
    write(consumer / "app.py", 'from transformers import AutoModel\nm = AutoModel.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3")\n')
    _git(consumer, "add", "app.py")
    passed = subprocess.run(["git", "commit", "-m", "add Mistral"], cwd=consumer, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _git(consumer, "log", "--oneline").stdout.count("\n") == 2


def test_the_hook_path_imports_no_heavy_library(tmp_path):
    """The pre-commit path stays fast: scanning and judging import neither weasyprint, huggingface_hub,
    spdx_tools nor jinja2."""
    (tmp_path / "app.py").write_text('AutoModel.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3")\n')
    (tmp_path / "policy.yaml").write_text(NO_CN)
    code = (
        "import sys\n"
        "from compliance.cli import main\n"
        "rc = main(['scan', '--policy', 'policy.yaml', 'app.py'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'huggingface_hub', 'spdx_tools', 'jinja2'})\n"
        "print('HEAVY', heavy, rc)\n"
    )
    env = {**os.environ, "HF_HUB_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env).stdout
    assert "HEAVY [] 0" in out, out


def test_policy_files_lock_files_and_placeholders_are_not_references(tmp_path):
    from compliance.scan import scan_paths

    (tmp_path / ".compliance.yaml").write_text(NO_CN + "exceptions:\n  - {model: deepseek-ai/DeepSeek-R1, rule: origin, "
                                               "reason: x, approved_by: a@b, expires: 2027-01-01}\n")
    (tmp_path / "compliance.lock").write_text('{"models": [{"model": "deepseek-ai/DeepSeek-R1"}]}\n')
    (tmp_path / "doc.py").write_text('"""Load with from_pretrained("org/name") or https://huggingface.co/your-org/your-model."""\n')
    results = {r.path: r for r in scan_paths([tmp_path], root=tmp_path)}
    assert all(not r.references for r in results.values())
    assert "policy file" in results[".compliance.yaml"].skipped
