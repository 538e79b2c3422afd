"""`compliance check`, `query` and `explain --policy` from the command line: JSON shape, exit codes, overrides."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT

EU = str(ROOT / "policies" / "eu-saas.yaml")


@pytest.fixture(autouse=True)
def _offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))


def test_check_json_shape_and_exit_1_on_deny(run_cli):
    code, out, _ = run_cli("check", "--policy", EU, "--format", "json", "--date", "2026-11-28",
                           "meta-llama/Llama-4-Scout-17B-16E-Instruct", "deepseek-ai/DeepSeek-R1")
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1 and data["date"] == "2026-11-28"
    assert data["policy"]["name"] == "acme-eu-saas" and len(data["policy"]["sha256"]) == 64
    scout, r1 = data["results"]
    assert {"reference", "model", "decision", "licenses", "findings", "obligations", "lineage"} <= scout.keys()
    assert scout["decision"] == "deny"
    assert scout["licenses"] == [{"id": "llama-4", "name": "Llama 4 Community License Agreement"}]
    territory = next(f for f in scout["findings"] if f["rule"] == "territory")
    assert territory["decision"] == "deny" and territory["waived"] is None
    assert {"license", "section", "quote"} <= territory["evidence"][0].keys()
    assert any(o["kind"] == "built-with" and "Built with Llama" in o["text"] for o in scout["obligations"])
    assert {"kind", "text", "license"} <= scout["obligations"][0].keys()
    origin = next(f for f in r1["findings"] if f["rule"] == "origin")
    assert origin["waived"] == {"approved_by": "legal@acme.example", "expires": "2027-03-31", "ticket": "LEGAL-1234",
                                "reason": "Evaluated offline in the air-gapped research cluster only",
                                "model": "deepseek-ai/DeepSeek-R1"}
    assert r1["decision"] == "allow"


def test_exit_codes_fail_on_review_and_overrides(run_cli):
    code, _, _ = run_cli("check", "--policy", EU, "meta-llama/Llama-3.3-70B-Instruct")
    assert code == 0  # review only
    code, _, _ = run_cli("check", "--policy", EU, "--fail-on", "review", "meta-llama/Llama-3.3-70B-Instruct")
    assert code == 1
    code, out, _ = run_cli("check", "--policy", EU, "--domicile", "US", "--region", "US", "--format", "json",
                           "meta-llama/Llama-4-Scout-17B-16E-Instruct")
    assert code == 0 and json.loads(out)["results"][0]["decision"] == "review"
    code, out, _ = run_cli("check", "--policy", EU, "--mau", "500000000", "--format", "json",
                           "meta-llama/Llama-3.3-70B-Instruct")
    assert code == 1 and any(f["rule"] == "user-threshold" for f in json.loads(out)["results"][0]["findings"])


def test_expired_exception_is_reported(run_cli):
    code, out, _ = run_cli("check", "--policy", EU, "--date", "2027-04-01", "deepseek-ai/DeepSeek-R1")
    assert code == 1
    assert "EXPIRED on 2027-03-31" in out


def test_bad_input_is_exit_2(run_cli, tmp_path):
    code, out, err = run_cli("check", "--policy", str(tmp_path / "missing.yaml"), "llama4")
    assert code == 2 and out == "" and "policy file not found" in err
    code, _, err = run_cli("check", "--policy", EU, "--domicile", "Atlantis", "llama4")
    assert code == 2 and "domicile" in err
    code, _, err = run_cli("check", "--policy", EU, "--date", "tomorrow", "llama4")
    assert code == 2 and "--date" in err
    code, _, err = run_cli("check", "--policy", EU, "nobody/nothing")
    assert code == 2 and "not found in cache or catalog" in err


def test_query_example_from_the_readme(run_cli):
    code, out, _ = run_cli("query", "--policy", EU, "--mau", "800000000", "--decision", "allow", "--format", "json")
    assert code == 0
    models = json.loads(out)["models"]
    names = {m["model"] for m in models}
    assert "mistralai/Mistral-Small-3.2-24B-Instruct-2506" in names
    assert not any(n.startswith("meta-llama/") for n in names)  # 800M MAU is over Llama's 700M cap
    assert all(m["decision"] == "allow" for m in models)
    code, out, _ = run_cli("query", "--policy", EU, "--origin", "CN", "--format", "json")
    assert {m["country"] for m in json.loads(out)["models"]} == {"CN"}
    code, out, _ = run_cli("query", "--policy", EU, "--license", "llama-4", "--sort", "model")
    assert code == 0 and "Llama-4-Maverick" in out and "territory" in out


def test_explain_walks_the_decision_rule_by_rule(run_cli):
    code, out, _ = run_cli("explain", "meta-llama/Llama-3.3-70B-Instruct", "--policy", EU)
    assert code == 0
    assert "territory          clear" in out
    assert "attribution        triggered" in out
    assert "decision: review" in out
