"""Hostile input and faults (issue 12): every case exits with its code and one clear line, within a time bound.

Reading: FIFOs, devices, huge files, encodings, YAML bombs, duplicate keys, bad dates, booleans as numbers,
``extends:`` outside the policy's folder. Writing: devices and FIFOs written through and never replaced, full
disks, closed pipes, folders, signals during a write. Batches: one bad reference does not hide the others.

Device nodes are made with ``os.mknod`` in a temporary folder (root only, else skipped): the real /dev/null and
/dev/full are never named with ``-o``; /dev/full is only written *through* (as a process's standard output).
"""
from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

EU = str(ROOT / "policies" / "eu-saas.yaml")
SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
LIMIT = 30  # seconds: any case still running after this has hung
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")


@pytest.fixture(autouse=True)
def _bounded(tmp_path, monkeypatch):
    """Offline, and no case may run longer than LIMIT seconds (SIGALRM interrupts a blocking open or read)."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))

    def hung(signum, frame):
        raise TimeoutError(f"the case ran longer than {LIMIT} s (a blocking read or write?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(LIMIT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def cli(*args: str, cwd: Path | None = None, stdout=subprocess.PIPE, env: dict | None = None,
        timeout: float = LIMIT) -> subprocess.CompletedProcess:
    """The command as a separate process (for stdout faults, signals and anything that could hang)."""
    return subprocess.run([sys.executable, "-m", "compliance", *args], cwd=cwd or ROOT, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def device(folder: Path, name: str, major: int, minor: int) -> Path:
    path = folder / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    return path


def policy(folder: Path, text: str, name: str = "policy.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- reading: not a regular file --------------------------------------------------------------------------------


def test_fifo_as_policy_is_one_line_exit_2(run_cli, tmp_path):
    fifo = tmp_path / "policy.yaml"
    os.mkfifo(fifo)
    code, out, err = run_cli("check", SCOUT, "--policy", str(fifo))
    assert code == 2 and out == ""
    assert one_line(err) == f"compliance: {fifo}: is a FIFO (named pipe), not a regular file; expected a policy file"


def test_fifo_as_license_text_lock_and_reference_list(run_cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli("identify", str(fifo))
    assert code == 2 and "is a FIFO (named pipe), not a regular file; expected a license file" in err
    code, out, err = run_cli("check", SCOUT, "--policy", EU, "--locked", "--lock", str(fifo))
    assert code == 2 and out == "" and one_line(err).endswith("is a FIFO (named pipe), not a regular file; expected a lock file")
    code, out, err = run_cli("report", "--from", str(fifo), "--policy", EU, "--format", "json", "-o", "-")
    assert code == 2 and out == "" and one_line(err).endswith("expected a reference list")


def test_fifo_as_model_card_in_a_folder_is_not_read(run_cli, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    os.mkfifo(folder / "README.md")
    code, out, err = run_cli("inspect", str(folder), "--format", "json")
    assert code == 0 and err == ""
    assert any(f["message"] == "no model card found" for f in json.loads(out)[0]["findings"])


def test_devices_as_policy_or_license_are_refused_without_reading(run_cli):
    code, out, err = run_cli("policy", "validate", "/dev/zero")
    assert code == 2 and one_line(err) == ("compliance: /dev/zero: is a character device, not a regular file; "
                                           "expected a policy file")
    code, _, err = run_cli("identify", "/dev/zero")
    assert code == 2 and "is a character device" in err


def test_fifo_in_a_scanned_tree_is_skipped_and_named_not_a_hang(tmp_path):
    (tmp_path / ".compliance.yaml").write_text(Path(EU).read_text())
    (tmp_path / "app.py").write_text('m = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1")\n')
    os.mkfifo(tmp_path / "hang.py")
    proc = cli("scan", "-v", str(tmp_path), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert re.search(r"hang\.py: skipped \((?:is a FIFO \(named pipe\), )?not a regular file", proc.stdout)


def test_a_huge_policy_is_refused_by_size(run_cli, tmp_path):
    big = policy(tmp_path, "name: big\n" + "# padding\n" * 200_000)
    code, _, err = run_cli("policy", "validate", str(big))
    assert code == 2 and "policy file is 2.0 MB; at most 1.0 MB is read" in one_line(err)


# --- reading: encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])  # utf-16 writes a BOM (LE here)
def test_policies_in_utf8_bom_and_utf16_with_bom_are_read(run_cli, tmp_path, encoding):
    path = tmp_path / "p.yaml"
    path.write_bytes(f"name: bom-{encoding}\norganization: {{domicile: DE}}\n".encode(encoding))
    code, out, err = run_cli("policy", "validate", str(path))
    assert code == 0, err
    assert f"policy bom-{encoding}" in out


def test_utf16_big_endian_license_text_is_identified_like_utf8(run_cli, corpus, tmp_path):
    text = (corpus / "licenses" / "apache-2.0" / "LICENSE").read_text(encoding="utf-8") \
        if (corpus / "licenses" / "apache-2.0" / "LICENSE").exists() else None
    if text is None:
        pytest.skip("no apache-2.0 text in the corpus")
    path = tmp_path / "LICENSE"
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    code, out, _ = run_cli("identify", str(path), "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "apache-2.0"


def test_utf16_without_bom_and_binary_and_bad_utf8_are_named(run_cli, tmp_path):
    cases = {
        "nobom.yaml": ("name: x\n".encode("utf-16-le"), "looks like UTF-16 without a byte-order mark"),
        "binary.yaml": (b"\x7fELF\x00\x00\x01", "is binary, not text"),
        "latin1.yaml": ("name: caf\u00e9\n".encode("latin-1"), "is not valid UTF-8 (byte 9)"),
        "utf32.yaml": ("name: x\n".encode("utf-32"), "is UTF-32"),
    }
    for name, (data, problem) in cases.items():
        (tmp_path / name).write_bytes(data)
        code, _, err = run_cli("policy", "validate", str(tmp_path / name))
        assert code == 2 and problem in one_line(err), (name, err)


# --- reading: YAML bounds ---------------------------------------------------------------------------------------

BOMB = "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 10 if p else ['x'] * 10)}]\n"
               for k, p in zip("abcdefghi", ["", *"abcdefgh"]))


def test_an_alias_bomb_policy_is_an_error_with_its_line_not_gigabytes(run_cli, tmp_path):
    path = policy(tmp_path, "name: bomb\n" + BOMB)
    code, _, err = run_cli("policy", "validate", str(path))
    assert code == 2
    line = one_line(err)
    assert "aliases expand to more than 100,000 nodes" in line and f"{path}:6:" in line  # e: 10^5 nodes


def test_an_alias_bomb_or_bad_date_in_a_card_is_a_finding_not_a_crash(run_cli, tmp_path):
    for name, front, problem in (("bomb", BOMB, "aliases expand"),
                                 ("date", "license: apache-2.0\nrelease: 2024-02-30\n", "day is out of range"),
                                 ("hour", "license: apache-2.0\nat: 2024-01-01T25:00:00\n", "hour must be in 0..23"),
                                 ("tag", "license: apache-2.0\nwhen: !!timestamp junk\n", "as timestamp")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "README.md").write_text(f"---\n{front}---\n# {name}\n")
        code, out, err = run_cli("inspect", str(folder), "--format", "json")
        assert code == 0 and "internal error" not in err, err
        findings = json.loads(out)[0]["findings"]
        assert any(f["kind"] == "card-unreadable" and problem in f["message"] for f in findings), findings


def test_deep_nesting_and_recursive_aliases_are_errors(run_cli, tmp_path):
    for text, problem in (("name: x\nrules: " + "[" * 150 + "]" * 150 + "\n", "nesting deeper than 100 levels"),
                          ("name: x\nrules: &r [*r]\n", "recursive alias")):
        path = policy(tmp_path, text)
        code, _, err = run_cli("policy", "validate", str(path))
        assert code == 2 and problem in one_line(err) and f"{path}:2:" in err


def test_duplicate_keys_name_both_lines(run_cli, tmp_path):
    path = policy(tmp_path, "name: first\norganization:\n  domicile: DE\nname: second\n")
    code, _, err = run_cli("policy", "validate", str(path))
    assert code == 2
    assert one_line(err) == f"compliance: {path}:4: invalid YAML: duplicate key 'name' (first at line 1)"


@pytest.mark.parametrize("value, problem", [
    ("2024-02-30", "day is out of range for month"),
    ("2024-01-01T25:00:00", "hour must be in 0..23"),
    ("!!timestamp junk", "cannot read 'junk' as timestamp"),
    ("20270101", "expected a date (YYYY-MM-DD), not 20270101"),
])
def test_impossible_expiry_dates_are_input_errors_with_their_line(run_cli, tmp_path, value, problem):
    path = policy(tmp_path, "name: x\nexceptions:\n  - model: a/b\n    rule: origin\n    reason: tested\n"
                            f"    approved_by: legal\n    expires: {value}\n")
    code, _, err = run_cli("check", SCOUT, "--policy", str(path))
    assert code == 2
    line = one_line(err)
    assert problem in line and line.startswith(f"compliance: {path}:")


@pytest.mark.parametrize("key, value, problem", [
    ("monthly_active_users", "true", "expected a number, not true"),
    ("annual_revenue_usd", "yes", "expected a number, not true"),
    ("annual_revenue_usd", ".nan", "finite number"),
    ("daily_active_users", "-5", "greater than or equal to 0"),
])
def test_booleans_and_nan_are_not_figures(run_cli, tmp_path, key, value, problem):
    path = policy(tmp_path, f"name: x\norganization:\n  {key}: {value}\n")
    code, _, err = run_cli("policy", "validate", str(path))
    assert code == 2 and problem in one_line(err) and f"{path}:3:" in err


# --- reading: extends -----------------------------------------------------------------------------------------


def test_extends_outside_the_policy_folder_is_refused_without_reading_it(run_cli, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("api_token: hunter2-do-not-print\n")
    folder = tmp_path / "team"
    folder.mkdir()
    for target in ("/etc/passwd", "../secret.yaml", str(secret)):
        path = policy(folder, f"name: x\nextends: {target}\n")
        code, _, err = run_cli("policy", "validate", str(path))
        assert code == 2
        line = one_line(err)
        assert f"{path}:2: extends: {target!r} is outside the policy's folder" in line
        assert "hunter2" not in err and "root:" not in err


def test_extends_may_be_widened_and_a_bad_base_is_named_without_its_content(run_cli, tmp_path, monkeypatch):
    base = policy(tmp_path, "name: base\napi_token: hunter2-do-not-print\n", "base.yaml")
    folder = tmp_path / "team"
    folder.mkdir()
    path = policy(folder, "name: x\nextends: ../base.yaml\n")
    monkeypatch.setenv("COMPLIANCE_POLICY_ROOTS", str(tmp_path))
    code, _, err = run_cli("policy", "validate", str(path))
    assert code == 2
    line = one_line(err)
    assert line.startswith(f"compliance: {base}:2: does not validate as a policy") and "hunter2" not in line
    assert "api_token" not in line


def test_extends_a_fifo_says_so_and_does_not_hang(run_cli, tmp_path):
    os.mkfifo(tmp_path / "base.yaml")
    path = policy(tmp_path, "name: x\nextends: base.yaml\n")
    code, _, err = run_cli("policy", "validate", str(path))
    assert code == 2 and "extends: 'base.yaml': is a FIFO (named pipe), not a regular file" in one_line(err)


# --- arguments --------------------------------------------------------------------------------------------------


def test_min_params_nan_and_a_home_of_no_user_are_input_errors(run_cli):
    code, _, err = run_cli("query", "--policy", EU, "--min-params", "nan")
    assert code == 2 and "nan is not a finite number" in err
    code, _, err = run_cli("inspect", "~nosuchuser-compliance/x")
    assert code == 2 and "cannot expand '~nosuchuser-compliance': no such user" in one_line(err)


def test_explain_a_model_without_policy_explains_its_licenses(run_cli):
    code, out, err = run_cli("explain", SCOUT)
    assert code == 0, err
    assert out.startswith(f"{SCOUT}: llama-4") and "Llama 4 Community License Agreement (llama-4)" in out
    code, out, _ = run_cli("explain", SCOUT, "--format", "json")
    assert code == 0 and json.loads(out)["licenses"] == ["llama-4"]


# --- batches ----------------------------------------------------------------------------------------------------


def test_one_bad_reference_does_not_hide_the_others(run_cli):
    code, out, err = run_cli("check", SCOUT, "no-such-org/no-such-model", "--policy", EU, "--format", "json")
    assert code == 2  # Scout is denied, but an unusable reference makes the run bad input
    data = json.loads(out)
    assert [r["model"] for r in data["results"]] == [SCOUT]
    assert "no-such-org/no-such-model" in data["unresolved"][0]["message"] and "no-such-org/no-such-model" in one_line(err)
    code, out, err = run_cli("inspect", "no-such-org/no-such-model", SCOUT)
    assert code == 2 and SCOUT in out and "no-such-org/no-such-model" in one_line(err)


# --- writing ----------------------------------------------------------------------------------------------------


@ROOT_ONLY
@pytest.mark.parametrize("command", ["sbom", "report", "lock", "scan"])
def test_a_device_named_with_o_is_written_through_never_replaced(tmp_path, command):
    null = device(tmp_path, "null", 1, 3)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".compliance.yaml").write_text(Path(EU).read_text())
    (repo / "app.py").write_text('m = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1")\n')
    args = {"sbom": ("sbom", SCOUT, "--format", "spdx-json", "-o", str(null)),
            "report": ("report", SCOUT, "--policy", EU, "--format", "markdown", "-o", str(null)),
            "lock": ("lock", "-o", str(null)),
            "scan": ("scan", "-o", str(null))}[command]
    proc = cli(*args, cwd=repo)
    assert proc.returncode in (0, 1), proc.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "repo"]  # no null.md, no .tmp


@ROOT_ONLY
def test_a_full_device_named_with_o_is_exit_2_and_stays_a_device(run_cli, tmp_path):
    full = device(tmp_path, "full", 1, 7)
    code, _, err = run_cli("sbom", SCOUT, "--format", "spdx-json", "-o", str(full))
    assert code == 2 and one_line(err) == f"compliance: {full}: cannot write: No space left on device"
    assert stat.S_ISCHR(os.stat(full).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_a_fifo_named_with_o_is_written_through_or_refused_without_a_reader(run_cli, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code, _, err = run_cli("sbom", SCOUT, "--format", "spdx-json", "-o", str(fifo))
    assert code == 2 and one_line(err) == f"compliance: {fifo}: cannot write: nobody is reading this FIFO"
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    proc = cli("sbom", SCOUT, "--format", "spdx-json", "-o", str(fifo))
    reader.join(LIMIT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(received[0])["spdxVersion"] == "SPDX-2.3" and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_or_missing_folder_as_output_is_exit_2(run_cli, tmp_path):
    code, _, err = run_cli("sbom", SCOUT, "--format", "spdx-json", "-o", str(tmp_path))
    assert code == 2 and "is a directory" in one_line(err)
    code, _, err = run_cli("lock", "-o", str(tmp_path / "no" / "such" / "x.lock"), "--policy", EU, str(tmp_path))
    assert code == 2 and "the folder does not exist" in one_line(err)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [
    ("check", SCOUT, "--policy", EU),
    ("report", SCOUT, "--policy", EU, "--format", "markdown", "-o", "-"),
    ("sbom", SCOUT, "--format", "spdx-json", "-o", "-"),
    ("licenses",),
    ("scan", "--policy", EU, str(ROOT / "tests" / "data")),
], ids=["check", "report", "sbom", "licenses", "scan"])
def test_standard_output_on_a_full_disk_is_exit_2(args):
    with open("/dev/full", "w") as full:  # written through, as a process's standard output
        proc = cli(*args, stdout=full)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == "compliance: cannot write to standard output: No space left on device"


def test_a_closed_pipe_is_quiet():
    proc = subprocess.Popen([sys.executable, "-m", "compliance", "licenses"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=LIMIT) in (0, 141) and err == ""


@pytest.mark.parametrize("sig, expected", [(signal.SIGTERM, 143), (signal.SIGINT, None)])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path, sig, expected):
    target = tmp_path / "out.json"
    target.write_text("old\n")
    script = (
        "import os, signal, sys\n"
        "from compliance import fileio\n"
        f"os.fsync = lambda fd: os.kill(os.getpid(), {int(sig)})\n"
        f"fileio.atomic_write_many({{__import__('pathlib').Path({str(target)!r}): b'new'}})\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=LIMIT)
    assert proc.returncode != 0
    if expected is not None:
        assert proc.returncode == expected
    else:
        assert "KeyboardInterrupt" in proc.stderr
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_file_names_that_are_not_utf8_do_not_break_json_sarif_or_lock(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".compliance.yaml").write_text(Path(EU).read_text())
    (repo / os.fsdecode(b"caf\xe9.py")).write_text(f'm = AutoModel.from_pretrained("{SCOUT}")\n')  # denied: in SARIF
    for fmt in ("json", "sarif"):
        proc = cli("scan", "--format", fmt, "-o", f"out.{fmt}", cwd=repo)
        assert proc.returncode in (0, 1), proc.stderr
        text = (repo / f"out.{fmt}").read_bytes().decode("utf-8")  # valid UTF-8
        assert "caf\ufffd.py" in text and json.loads(text)
    proc = cli("lock", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "caf\ufffd.py" in (repo / "compliance.lock").read_bytes().decode("utf-8")
    proc = cli("scan", "--format", "json", cwd=repo)
    assert proc.returncode in (0, 1) and "internal error" not in proc.stderr


def test_json_nested_too_deep_is_bad_input_not_a_crash(run_cli, tmp_path):
    deep = tmp_path / "deep.lock"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run_cli("check", SCOUT, "--policy", EU, "--locked", "--lock", str(deep))
    assert code == 2 and "not a valid lock file" in one_line(err)
    manifest = tmp_path / "manifest.json"
    manifest.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run_cli("inspect", str(manifest))
    assert code in (0, 2) and "internal error" not in err
