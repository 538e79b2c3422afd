"""The pre-commit hook's fast path (``compliance.hook``): a warm run answers exactly what the full command line
answers, in every format, from verdicts precomputed for every catalog name, without click, yaml or pydantic; it
steps aside for anything it does not take; its cache is invalidated when the policy, what it extends, the
knowledge base, the lock file or the tool version changes; and a damaged cache file is ignored and rebuilt."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import hook, hookcache
from compliance.cli_group import invoke
from conftest import ROOT
from test_scan import NO_CN, write

R1 = "deepseek-ai/DeepSeek-R1"
MISTRAL = "mistralai/Mistral-7B-Instruct-v0.3"
DATE = "2026-11-28"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".compliance.yaml", NO_CN)
    write(tmp_path / "app.py", f'a = AutoModel.from_pretrained("{R1}")\nb = AutoModel.from_pretrained("{MISTRAL}")\n')
    write(tmp_path / "train.py", 'ds = load_dataset("HuggingFaceH4/ultrachat_200k")\n')


def full(capsys, *args: str) -> tuple[int, str, str]:
    """The full command line (click, the gate), which also fills the cache."""
    code = invoke(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fast(capsys, *args: str) -> tuple[int | None, str, str]:
    """The fast path alone: (None, "", "") when it steps aside."""
    code = hook.fast_scan(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def verdict_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("verdicts-*"))


@pytest.mark.parametrize("extra", [(), ("--format", "json"), ("--format=sarif",), ("--format", "github"), ("-v",),
                                   ("--fail-on", "review"), ("--fail-on", "deny,skipped")])
def test_a_warm_run_answers_exactly_what_the_full_command_answers(capsys, extra):
    args = ("scan", "--date", DATE, *extra, "app.py", "train.py")
    assert fast(capsys, *args)[0] is None  # nothing cached yet: the fast path steps aside, having written nothing
    expected = full(capsys, *args)
    assert expected[0] == 1
    assert fast(capsys, *args) == expected


def test_paths_are_read_as_the_command_reads_them(capsys, tmp_path):
    (tmp_path / "src").mkdir()
    write(tmp_path / "src" / "serve.sh", f"vllm serve {R1} --tp 8\n")
    for args in (("scan", "./app.py", "src/"), ("scan", "--", "src//serve.sh"), ("scan",)):
        expected = full(capsys, *args)
        assert fast(capsys, *args) == expected, args


def test_every_catalog_name_is_precomputed_on_the_first_full_run(capsys, tmp_path):
    full(capsys, "scan", "--date", DATE, "app.py")
    write(tmp_path / "new.py", 'm = AutoModel.from_pretrained("Qwen/Qwen3-8B")\n'
                               'x = "ollama run llama3.1:8b"\nv = "vllm serve google/gemma-3-12b-it"\n')
    answered = fast(capsys, "scan", "--date", DATE, "--format", "json", "new.py")
    assert answered[0] is not None  # never judged before, answered by a look-up
    os.environ["COMPLIANCE_NO_CACHE"] = "1"
    try:
        assert full(capsys, "scan", "--date", DATE, "--format", "json", "new.py") == answered
    finally:
        del os.environ["COMPLIANCE_NO_CACHE"]
    models = {m["model"]: m["decision"] for m in json.loads(answered[1])["models"]}
    assert models == {"Qwen/Qwen3-8B": "deny", "llama3.1:8b": "allow", "google/gemma-3-12b-it": "allow"}


def test_a_legacy_hub_id_is_precomputed_too(capsys, tmp_path):
    # bare pre-organization ids (gpt2 -> openai-community/gpt2): the hook answers them by look-up, as the full path
    full(capsys, "scan", "--date", DATE, "app.py")
    write(tmp_path / "legacy.py", 'tok = AutoTokenizer.from_pretrained("gpt2")\n'
                                  'enc = AutoModel.from_pretrained("bert-base-uncased")\n')
    answered = fast(capsys, "scan", "--date", DATE, "--format", "json", "legacy.py")
    assert answered[0] is not None  # answered by a look-up, never judged before
    os.environ["COMPLIANCE_NO_CACHE"] = "1"
    try:
        assert full(capsys, "scan", "--date", DATE, "--format", "json", "legacy.py") == answered
    finally:
        del os.environ["COMPLIANCE_NO_CACHE"]
    models = {m["model"]: (m["decision"], m["licenses"]) for m in json.loads(answered[1])["models"]}
    assert models == {"openai-community/gpt2": ("allow", ["mit"]),
                      "google-bert/bert-base-uncased": ("allow", ["apache-2.0"])}


def test_a_model_outside_the_catalog_is_judged_once_then_looked_up(capsys, tmp_path):
    full(capsys, "scan", "--date", DATE, "app.py")
    write(tmp_path / "own.py", 'm = AutoModel.from_pretrained("acme-ai/private-finetune-v2")\n')
    assert fast(capsys, "scan", "--date", DATE, "own.py")[0] is None
    expected = full(capsys, "scan", "--date", DATE, "own.py")
    assert expected[0] == 1 and "unknown-license" in expected[1]
    assert fast(capsys, "scan", "--date", DATE, "own.py") == expected


def test_a_fresh_hook_process_imports_neither_click_nor_yaml_nor_the_validated_models(tmp_path):
    code = ("import sys\nfrom compliance.cli import main\nrc = main(['scan', '--date', '2026-11-28', 'app.py'])\n"
            "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & {'click', 'yaml', 'pydantic', "
            "'weasyprint', 'huggingface_hub', 'spdx_tools', 'jinja2'}), rc)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "LOADED" in first.stdout and "'pydantic'" in first.stdout and first.stdout.endswith(" 1\n"), first.stderr
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert f"DENY {R1} — 1 reference(s)" in second.stdout
    assert second.stdout.endswith("LOADED [] 1\n"), second.stdout + second.stderr


@pytest.mark.parametrize("args", [
    ["scan", "--changed-since", "HEAD", "."], ["scan", "-o", "out.txt", "."], ["scan", "--online", "."],
    ["scan", "--help"], ["scan", "--no-such-option"], ["scan", "--format", "yaml", "."], ["scan", "--date", "28/11"],
    ["scan", "--fail-on", "never", "."], ["scan", "--policy"], ["check", "--policy", ".compliance.yaml", R1],
    ["scan", "no-such-path"], ["scan", "--policy", "missing.yaml", "."], ["scan", "--lock", "missing.lock", "."], [],
])
def test_the_fast_path_steps_aside_for_what_it_does_not_take(capsys, args):
    full(capsys, "scan", ".")  # warm for today
    assert fast(capsys, *args) == (None, "", "")


def test_arguments_are_read_as_click_reads_them():
    parsed = hook.parse(["scan", "a.py", "--policy=p.yaml", "--date", "2026-01-02", "-v", "--fail-on", "review",
                         "--fail-on=skipped", "--", "--odd-name.py"])
    assert (parsed.paths, parsed.policy, parsed.date, parsed.verbose, parsed.fail_on) == (
        ["a.py", "--odd-name.py"], "p.yaml", "2026-01-02", True, ["review", "skipped"])
    assert hook.parse(["scan", "--policy", "a", "--policy", "b"]).policy == "b"  # the last one, as click
    assert hook.FORMATS == tuple(__import__("compliance.formats.registry", fromlist=["SCAN"]).SCAN)


def test_an_inline_waiver_always_takes_the_full_path(capsys, tmp_path):
    write(tmp_path / "w.py", f'm = AutoModel.from_pretrained("{R1}")  # compliance: allow {R1} LEGAL-1\n')
    full(capsys, "scan", "w.py")
    assert fast(capsys, "scan", "w.py")[0] is None


# --- invalidation -----------------------------------------------------------------------------------------------


def test_a_changed_policy_or_a_file_it_extends_is_never_answered_from_the_old_verdicts(capsys, tmp_path):
    write(tmp_path / "base.yaml", NO_CN)
    write(tmp_path / ".compliance.yaml", "extends: base.yaml\nname: child\n")
    assert full(capsys, "scan", "app.py")[0] == 1
    assert fast(capsys, "scan", "app.py")[0] == 1
    write(tmp_path / "base.yaml", NO_CN.replace("deny: [CN]", "deny: [RU]"))  # only the extended file changes
    assert fast(capsys, "scan", "app.py")[0] is None
    assert full(capsys, "scan", "app.py")[0] == 0
    write(tmp_path / ".compliance.yaml", "extends: base.yaml\nname: child\nexclude: ['app.py']\n")
    assert fast(capsys, "scan", ".")[0] is None
    expected = full(capsys, "scan", ".")
    assert fast(capsys, "scan", ".") == expected and "app.py" not in expected[1]  # exclude: read from the cache


def test_a_changed_knowledge_base_or_tool_version_makes_a_new_key(capsys, tmp_path, monkeypatch):
    full(capsys, "scan", "app.py")
    assert fast(capsys, "scan", "app.py")[0] == 1
    # the knowledge base: any file's size or modification time under licenses/ changes the digest
    kb = tmp_path / "kb"
    (kb / "catalog").mkdir(parents=True)
    write(kb / "mit.yaml", "id: mit\n")
    write(kb / "catalog" / "acme.yaml", "models: []\n")
    with monkeypatch.context() as patch:
        patch.setattr(hookcache, "licenses_dir", lambda: kb)
        hookcache.kb_digest.cache_clear()
        before = hookcache.kb_digest()
        assert fast(capsys, "scan", "app.py")[0] is None  # another knowledge base: the old verdicts are not used
        os.utime(kb / "catalog" / "acme.yaml", ns=(1, 1))
        hookcache.kb_digest.cache_clear()
        assert hookcache.kb_digest() != before
    hookcache.kb_digest.cache_clear()
    assert fast(capsys, "scan", "app.py")[0] == 1
    with monkeypatch.context() as patch:  # the tool version
        patch.setattr(hookcache, "__version__", "99.0")
        hookcache.kb_digest.cache_clear()
        assert fast(capsys, "scan", "app.py")[0] is None
    hookcache.kb_digest.cache_clear()
    assert fast(capsys, "scan", "app.py")[0] == 1


def test_a_lock_file_is_answered_from_the_cache_and_a_changed_lock_is_not(capsys, tmp_path):
    write(tmp_path / "app.py", f'b = AutoModel.from_pretrained("{MISTRAL}")\n')
    assert full(capsys, "lock", ".")[0] == 0
    write(tmp_path / "new.py", 'm = AutoModel.from_pretrained("microsoft/phi-4")\n')
    args = ("scan", "--format", "json", ".")
    expected = full(capsys, *args)
    assert fast(capsys, *args) == expected  # the lock's drift and answers, without resolving
    data = json.loads(expected[1])
    assert [d["kind"] for d in data["drift"]] == ["not-locked"]
    assert fast(capsys, "scan", "--fail-on-drift", ".")[0] == 1
    assert full(capsys, "lock", ".")[0] == 0  # the lock now holds phi-4 too
    assert fast(capsys, *args)[0] is None
    relocked = full(capsys, *args)
    assert json.loads(relocked[1])["drift"] == [] and fast(capsys, *args) == relocked
    assert fast(capsys, "scan", "--no-lock", "--format", "json", ".")[0] is None  # another key without the lock


# --- damage -----------------------------------------------------------------------------------------------------


def _damage_cases(data: bytes) -> list[bytes]:
    import hashlib
    import marshal

    digest, _, body = data.partition(b"\n")
    value = marshal.loads(body)
    def allow(entry: bytes) -> bytes:
        verdict, from_lock, drift = marshal.loads(entry)
        return marshal.dumps(({**verdict, "decision": "allow"}, from_lock, drift))

    tampered = dict(value, entries={k: allow(v) for k, v in value["entries"].items()})
    shaped = marshal.dumps(dict(value, entries=["not", "a", "dict"]))
    wrong_entry = marshal.dumps(dict(value, entries={k: marshal.dumps(("x",)) for k in value["entries"]}))
    return [
        b"", data[: len(data) // 2], b"{not marshal}\n", digest + b"\n" + body[:-7] + b"garbage",
        digest + b"\n" + marshal.dumps(tampered),  # a decision changed without its digest: not trusted
        hashlib.sha256(shaped).hexdigest().encode() + b"\n" + shaped,  # a valid digest, a wrong shape
        hashlib.sha256(wrong_entry).hexdigest().encode() + b"\n" + wrong_entry,
    ]


def test_a_damaged_cache_file_is_ignored_and_rebuilt_never_trusted(capsys, tmp_path):
    expected = full(capsys, "scan", "app.py")
    (path,) = verdict_files(tmp_path)
    good = path.read_bytes()
    for damaged in _damage_cases(good):
        path.write_bytes(damaged)
        assert fast(capsys, "scan", "app.py")[0] is None
        assert full(capsys, "scan", "app.py") == expected  # judged again, not read from the damaged file
        assert hookcache.load(Path(".compliance.yaml"), _utc_today()) is not None
        assert fast(capsys, "scan", "app.py") == expected  # rebuilt


def _utc_today():
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).date()


def test_a_damaged_catalog_index_is_rebuilt(tmp_path):
    hookcache.catalog_index.cache_clear()
    index = hookcache.catalog_index()
    (path,) = (tmp_path / "cache").glob("index-*")
    path.write_bytes(b"0" * 64 + b"\n" + b"junk")
    hookcache.catalog_index.cache_clear()
    assert hookcache.catalog_index().ids == index.ids
    assert hookcache.read_cache(path) is not None  # rewritten whole
    hookcache.catalog_index.cache_clear()
