"""The documented Python API (``import compliance``), used the way an embedding service would: only names from
``compliance.__all__``, nothing from the submodules."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import compliance
from conftest import ROOT

EU = ROOT / "policies" / "eu-saas.yaml"
SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
DATE = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))


def test_all_names_resolve_and_nothing_else_is_promised():
    assert set(compliance.__all__) >= {"resolve", "identify", "load_policy", "evaluate", "check", "scan",
                                       "ComplianceError", "ExitCode", "Assessment", "Resolved", "ScanReport",
                                       "CheckResult", "LoadedPolicy", "Identification", "__version__"}
    for name in compliance.__all__:
        assert getattr(compliance, name) is not None, name
    with pytest.raises(AttributeError):
        compliance.no_such_name  # noqa: B018


def test_import_compliance_is_light():
    code = ("import sys, compliance\n"
            "print(sorted(m for m in sys.modules if m.startswith('compliance')))\n"
            "print(sorted({'pydantic', 'yaml', 'click', 'jinja2'} & {m.split('.')[0] for m in sys.modules}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.splitlines() == ["['compliance']", "[]"]


def test_resolve_evaluate_and_check_give_typed_results():
    policy = compliance.load_policy(EU)
    assert isinstance(policy, compliance.LoadedPolicy) and policy.name == "acme-eu-saas"
    resolved = compliance.resolve(SCOUT)
    assert isinstance(resolved, compliance.Resolved) and resolved.record.licenses == ("llama-4",)
    assessment = compliance.evaluate(resolved, policy, date=DATE)
    assert isinstance(assessment, compliance.Assessment)
    assert assessment.decision == "deny" and any(f.rule == "territory" for f in assessment.findings)

    result = compliance.check([SCOUT, "no-such-org/no-such-model", "meta-llama/Llama-3.3-70B-Instruct"], policy,
                              date=DATE)
    assert isinstance(result, compliance.CheckResult)
    assert [a.model for a in result.assessments] == [SCOUT, "meta-llama/Llama-3.3-70B-Instruct"]
    assert len(result.errors) == 1 and isinstance(result.errors[0], compliance.ComplianceError)
    assert "no-such-org/no-such-model" in str(result.errors[0])
    assert result.decision == "deny" and result.exit_code == compliance.ExitCode.INPUT
    clean = compliance.check(["meta-llama/Llama-3.3-70B-Instruct"], policy, date=DATE)
    assert clean.decision == "review" and clean.exit_code == compliance.ExitCode.OK
    assert compliance.check(["meta-llama/Llama-3.3-70B-Instruct"], policy, date=DATE,
                            fail_on="review").exit_code == compliance.ExitCode.VIOLATION


def test_overrides_are_validated_like_the_file():
    policy = compliance.load_policy(EU, overrides={"domicile": "US", "regions": ("US",)})
    assert policy.policy.organization.domicile == "US"
    with pytest.raises(compliance.PolicyError, match="override monthly_active_users"):
        compliance.load_policy(EU, overrides={"monthly_active_users": True})
    with pytest.raises(compliance.ComplianceError):
        compliance.resolve("no-such-org/no-such-model")


def test_scan_and_identify(tmp_path, corpus):
    (tmp_path / "app.py").write_text(f'model = AutoModel.from_pretrained("{SCOUT}")\n')
    report = compliance.scan([tmp_path], EU, date=DATE, root=tmp_path)
    assert isinstance(report, compliance.ScanReport)
    assert [(i.ref.file, i.ref.line, i.assessment.decision) for i in report.items] == [("app.py", 1, "deny")]
    assert report.decision == "deny"

    license_file = corpus / "licenses" / "llama-4" / "LICENSE"
    if not license_file.exists():
        pytest.skip("no llama-4 text in the corpus")
    found = compliance.identify(license_file)
    assert isinstance(found, compliance.Identification) and found.id == "llama-4" and found.error is None
    assert compliance.identify(tmp_path / "nope").error
