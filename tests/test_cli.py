"""The command line: exit codes, JSON shapes, one-line errors, and a light start-up."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from compliance.cli import main\n"
        "rc = main(['--help'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'huggingface_hub', 'spdx_tools'})\n"
        "print('HEAVY', heavy, rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "HEAVY [] 0" in out
    assert "identify" in out and "licenses" in out


def test_help_lists_every_command_with_its_short_help_and_imports_none_of_them():
    """The group is lazy: ``--help`` reads the command table, and prints what the commands themselves would."""
    code = (
        "import sys\n"
        "from compliance.cli import main\n"
        "rc = main(['--help'])\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('compliance.commands.')), rc)\n"
        "from compliance.cli_group import cli\n"
        "cli.load_all()\n"
        "main(['--help'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    lazy, rest = out.split("LOADED ")
    loaded, eager = rest.split("\n", 1)
    assert loaded == "[] 0"
    assert lazy == eager  # the same help, every command listed with the same short help
    from compliance.cli_group import COMMANDS, cli

    cli.load_all()
    listed = [line.split()[0] for line in lazy.split("Commands:\n")[1].splitlines() if line.startswith("  ")]
    assert listed == sorted(cli.commands) == sorted(COMMANDS)


def test_the_command_table_matches_every_command_module():
    from compliance.cli_group import COMMANDS, cli

    cli.load_all()
    assert set(cli.commands) == set(COMMANDS)  # a command missing from the table would be left out of --help
    import click

    for name, command in cli.commands.items():
        module, summary = COMMANDS[name]
        assert command.callback.__module__ == f"compliance.commands.{module}", name
        stand_in = click.Command(name, help=summary)
        for limit in (30, 45, 80, 100, 1000):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (name, limit)


def test_a_command_is_imported_only_when_invoked():
    code = ("import sys\nfrom compliance.cli import main\nrc = main(['policy', '--help'])\n"
            "print('LOADED', sorted(m for m in sys.modules if m.startswith('compliance.commands.')), rc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "LOADED ['compliance.commands.common', 'compliance.commands.policy'] 0" in out or \
        "LOADED ['compliance.commands.policy'] 0" in out, out
    assert "Usage: compliance policy" in out


def test_python_dash_m_runs_the_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "compliance", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and "compliance" in proc.stdout


def test_licenses_json_lists_every_record_with_its_terms(run_cli):
    code, out, _ = run_cli("licenses", "--format", "json")
    assert code == 0
    data = json.loads(out)
    by_id = {row["id"]: row for row in data["licenses"]}
    assert len(by_id) >= 39
    assert by_id["llama-4"]["country"] == "US" and by_id["deepseek-license"]["country"] == "CN"
    assert by_id["hunyuan-3d-2"]["thresholds"][0]["limit"] == 1_000_000
    assert by_id["hunyuan-a13b"]["territory"]["excluded"] == ["EU", "GB", "KR"]
    assert by_id["mistral-mrl"]["commercial_use"] == "research-only" and not by_id["mistral-mrl"]["verified"]


def test_licenses_table(run_cli):
    code, out, _ = run_cli("licenses")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("llama-4 "))
    assert "Meta" in row and ">700 million MAU" in row and "not EU (multimodal)" in row


def test_explain_prints_every_term_with_its_clause(run_cli):
    code, out, _ = run_cli("explain", "llama-4")
    assert code == 0
    assert "more than 700 million monthly active users" in out
    assert "display “Built with Llama”" in out
    assert "[2] “is greater than 700 million monthly active users" in out
    assert "licensees domiciled (or with their principal place of business) in European Union" in out
    code, out, _ = run_cli("explain", "llama3.1", "--format", "json")  # a Hub id works too
    assert code == 0 and json.loads(out)["id"] == "llama-3.1"


def test_explain_unknown_license_is_one_line_and_exit_2(run_cli):
    code, out, err = run_cli("explain", "no-such-license")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "unknown license 'no-such-license'" in err


def test_identify_json_shape(run_cli, corpus, tmp_path):
    made_up = tmp_path / "LICENSE"
    made_up.write_text("The Example Model License. You may use the model commercially unless your products exceed "
                       "one hundred million monthly active users. Use in Brazil or Chile is not permitted.\n")
    code, out, _ = run_cli("identify", "--format", "json", str(corpus / "licenses/hunyuan-a13b/LICENSE"), str(made_up))
    assert code == 0
    known, unknown = json.loads(out)
    for item in (known, unknown):
        assert {"file", "id", "confidence", "matched_by", "terms"} <= item.keys()
        assert {"commercial_use", "thresholds", "territory", "attribution", "output_use", "governing_law"} <= item["terms"].keys()
    assert (known["id"], known["matched_by"], known["confidence"]) == ("hunyuan-a13b", "hash", 1.0)
    assert known["terms"]["territory"]["excluded"] == ["EU", "GB", "KR"]
    assert {"kind": "powered-by", "text": "Powered by Tencent Hunyuan", "required": False}.items() <= \
        next(a for a in known["terms"]["attribution"] if a["kind"] == "powered-by").items()
    assert (unknown["id"], unknown["matched_by"], unknown["confidence"]) == (None, None, 0.0)
    assert unknown["terms"]["thresholds"][0] | {"sentence": None} == {
        "metric": "monthly_active_users", "limit": 100_000_000, "currency": None, "comparison": "greater-than", "sentence": None,
        "consequence": None}
    assert {"spdx", "modified_from", "added_clauses", "evidence"} <= unknown.keys()
    assert unknown["terms"]["territory"]["excluded"] == ["BR", "CL"]


def test_identify_bad_file_exit_2_but_answers_the_rest(run_cli, tmp_path, corpus):
    binary = tmp_path / "weights.bin"
    binary.write_bytes(b"\x00\x01binary")
    code, out, err = run_cli("identify", "--format", "json", str(binary), str(corpus / "licenses/mit/LICENSE"))
    assert code == 2
    bad, good = json.loads(out)
    assert bad["error"] and bad["id"] is None and good["id"] == "mit"
    assert err.strip() == f"compliance: {binary}: license file is binary, not text"


def test_usage_error_is_exit_2(run_cli):
    code, _, err = run_cli("licenses", "--format", "yaml")
    assert code == 2 and "Invalid value" in err


def test_internal_error_is_exit_3_and_one_line(run_cli, monkeypatch):
    from compliance import knowledge

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(knowledge, "default", broken)
    code, _, err = run_cli("licenses")
    assert code == 3
    assert err.strip() == "compliance: internal error: RuntimeError: boom (set COMPLIANCE_DEBUG=1 for details)"
