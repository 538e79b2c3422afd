"""Every decision case folder under tests/cases/ (see its README): policy + references -> expected decision."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from compliance import knowledge
from compliance.evaluate import evaluate
from compliance.policy import LoadedPolicy, Organization, load_policy
from compliance.resolve import Options, Resolver

CASES = sorted(p.parent for p in (Path(__file__).parent / "cases").glob("*/case.yaml"))


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    import os

    os.environ["HF_HUB_CACHE"] = str(tmp_path_factory.mktemp("empty-cache"))
    os.environ["OLLAMA_MODELS"] = str(tmp_path_factory.mktemp("no-ollama"))
    return Resolver(Options(online=False))


def test_there_are_cases_for_every_rule():
    from compliance.policy import RULE_IDS

    mentioned = set()
    for case in CASES:
        expect = yaml.safe_load((case / "case.yaml").read_text())["expect"]
        mentioned |= set(expect.get("rules", []))
    assert set(RULE_IDS) <= mentioned | set(), f"no triggering case for {set(RULE_IDS) - mentioned}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, resolver):
    spec = yaml.safe_load((case / "case.yaml").read_text())
    loaded = load_policy(case / spec["policy"], extends_roots=(case.parent,))  # cases share base policies
    if spec.get("overrides"):
        org = Organization.model_validate({**loaded.policy.organization.model_dump(), **spec["overrides"]})
        loaded = LoadedPolicy(loaded.policy.model_copy(update={"organization": org}), loaded.files, loaded.label)
    today = dt.date.fromisoformat(str(spec.get("date", "2026-11-28")))
    kb = knowledge.default()
    expect = spec["expect"]
    for ref in spec["references"]:
        target = str(case / ref) if (case / ref).exists() else ref
        a = evaluate(resolver.resolve(target), loaded, kb, today=today)
        live = {f.rule for f in a.findings if not f.waived and f.decision != "allow"}
        summary = f"{a.decision}; findings: {[(f.rule, f.decision, bool(f.waived)) for f in a.findings]}"
        if "decision" in expect:
            wanted = expect["decision"] if isinstance(expect["decision"], list) else [expect["decision"]]
            assert a.decision in wanted, summary
        assert set(expect.get("rules", [])) <= live, summary
        assert not set(expect.get("absent", [])) & live, summary
        assert set(expect.get("waived", [])) <= {f.rule for f in a.findings if f.waived}, summary
        assert set(expect.get("expired", [])) <= {f.rule for f in a.findings if f.expired_waiver}, summary
        texts = " | ".join(o.text for o in a.obligations)
        for needle in expect.get("obligations", []):
            assert needle in texts, texts
        if "licenses" in expect:
            assert set(a.subject.effective_licenses()) == set(expect["licenses"])
