"""Policy files: the documented example loads as written; every mistake is one error naming file, line and key."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.errors import ComplianceError, PolicyError
from compliance.policy import load_policy, policy_schema
from conftest import ROOT

POLICIES = ROOT / "policies"


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_eu_saas_loads_exactly_as_documented():
    p = load_policy(POLICIES / "eu-saas.yaml").policy
    assert p.name == "acme-eu-saas"
    org = p.organization
    assert (org.domicile, org.regions, org.monthly_active_users, org.use, org.sector) == ("DE", ("EU", "US"), 2_500_000, "commercial", "private")
    assert org.activities == ("hosted-service", "fine-tune")
    assert p.licenses.allow == ("apache-2.0", "mit", "llama-3.1", "llama-3.3", "llama-4", "gemma")
    assert (p.licenses.deny, p.licenses.unknown) == (("cc-by-nc-4.0",), "deny")
    assert (p.rules.origin.deny, p.rules.origin.decision) == (("CN", "RU"), "deny")
    assert (p.rules.user_threshold.headroom, p.rules.user_threshold.decision) == (0.5, "deny")
    assert p.rules.territory.decision == "deny" and p.rules.registration.decision == "review"
    assert p.rules.attribution.accept == ("license-copy", "notice-file", "modification-notice")
    (exc,) = p.exceptions
    assert (exc.model, exc.rule, exc.approved_by, exc.ticket, str(exc.expires)) == (
        "deepseek-ai/DeepSeek-R1", "origin", "legal@acme.example", "LEGAL-1234", "2027-03-31")


@pytest.mark.parametrize("name", sorted(p.name for p in POLICIES.glob("*.yaml")))
def test_every_example_policy_validates(name):
    assert load_policy(POLICIES / name).name


def test_defaults_fail_closed(tmp_path):
    p = load_policy(write(tmp_path, "name: minimal\n")).policy
    assert p.licenses.unknown == "deny" and p.rules.license.decision == "deny"
    assert p.rules.territory.decision == "deny" and p.rules.non_commercial.decision == "deny"
    assert p.rules.lineage.decision == "review"


@pytest.mark.parametrize("text,line,words", [
    ("name: x\nrules:\n  terratory: deny\n", 3, "unknown key 'rules.terratory'"),
    ("name: x\norganization:\n  monthly_active_users: lots\n", 3, "organization.monthly_active_users"),
    ("name: x\norganization:\n  domicile: XX\n", 3, "unknown country code 'XX'"),
    ("name: x\norganization:\n  regions: [EU, Narnia]\n", 3, "unknown country or group 'Narnia'"),
    ("name: x\nrules:\n  territory: maybe\n", 3, "rules.territory.decision"),
    ("name: x\nexceptions:\n  - model: a/b\n    rule: origin\n    reason: because\n    expires: 2027-01-01\n", 3,
     "missing required key 'exceptions.0.approved_by'"),
    ("name: x\nexceptions:\n  - model: a/b\n    rule: origin\n    reason: because\n    approved_by: me@x\n", 3,
     "missing required key 'exceptions.0.expires'"),
    ("name: x\nexceptions:\n  - model: a/b\n    rule: origins\n    reason: because\n    approved_by: me@x\n"
     "    expires: 2027-01-01\n", 4, "exceptions.0.rule"),
    ("name: x\nlicenses:\n  allow: [apache-2.0, llama-5]\n", 3, "unknown license id 'llama-5'"),
    ("name: x\nrules: [1, 2\n", 3, "invalid YAML"),
])
def test_mistakes_name_file_line_and_key(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ComplianceError) as err:
        load_policy(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message


def test_yaml_off_is_the_decision_off(tmp_path):
    p = load_policy(write(tmp_path, "name: x\nrules:\n  territory: off\n  lineage: {decision: off}\n")).policy
    assert p.rules.territory.decision == "off" and p.rules.lineage.decision == "off"


def test_extends_inherits_overrides_and_accumulates_exceptions(tmp_path):
    write(tmp_path, "name: base\norganization: {domicile: DE, regions: [EU]}\nrules: {territory: deny}\n"
                    "exceptions:\n  - {model: a/b, rule: origin, reason: base waiver, approved_by: x@y, expires: 2027-01-01}\n",
          "base.yaml")
    child = write(tmp_path, "name: child\nextends: base.yaml\norganization: {domicile: US}\n"
                            "exceptions:\n  - {model: c/d, rule: lineage, reason: child waiver, approved_by: x@y, expires: 2027-01-01}\n")
    loaded = load_policy(child)
    p = loaded.policy
    assert (p.name, p.organization.domicile, p.organization.regions) == ("child", "US", ("EU",))
    assert [e.model for e in p.exceptions] == ["a/b", "c/d"]
    assert [f.name for f in loaded.files] == ["base.yaml", "policy.yaml"]


def test_extends_cycles_and_missing_files(tmp_path):
    write(tmp_path, "name: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "name: b\nextends: a.yaml\n", "b.yaml")
    with pytest.raises(PolicyError, match="extends cycle: a.yaml -> b.yaml -> a.yaml"):
        load_policy(tmp_path / "a.yaml")
    missing = write(tmp_path, "name: c\nextends: nowhere.yaml\n", "c.yaml")
    with pytest.raises(PolicyError, match=r"c.yaml:2: extends: 'nowhere.yaml' not found"):
        load_policy(missing)


def test_an_error_in_the_base_names_the_base_file(tmp_path):
    base = write(tmp_path, "name: base\nrules:\n  lineage: sometimes\n", "base.yaml")
    child = write(tmp_path, "name: child\nextends: base.yaml\n")
    with pytest.raises(PolicyError) as err:
        load_policy(child)
    assert str(err.value).startswith(f"{base.resolve()}:3: ")


def test_policy_hash_changes_with_content(tmp_path):
    a = load_policy(write(tmp_path, "name: x\norganization: {monthly_active_users: 1}\n", "a.yaml"))
    b = load_policy(write(tmp_path, "name: x\norganization: {monthly_active_users: 2}\n", "b.yaml"))
    c = load_policy(write(tmp_path, "# a comment\nname: x\norganization: {monthly_active_users: 1}\n", "c.yaml"))
    assert a.sha256 != b.sha256 and a.sha256 == c.sha256


def test_schema_file_is_current():
    stored = json.loads((POLICIES / "schema.json").read_text())
    assert stored == json.loads(policy_schema()), "run: compliance policy schema > policies/schema.json"


def test_policy_validate_cli(run_cli, tmp_path):
    code, out, _ = run_cli("policy", "validate", *map(str, sorted(POLICIES.glob("*.yaml"))))
    assert code == 0 and out.count("ok: ") == len(list(POLICIES.glob("*.yaml")))
    bad = write(tmp_path, "name: x\nrules:\n  terratory: deny\n")
    code, out, err = run_cli("policy", "validate", str(POLICIES / "eu-saas.yaml"), str(bad))
    assert code == 2 and "ok: " in out
    assert err.strip() == f"compliance: {bad}:3: unknown key 'rules.terratory'"
