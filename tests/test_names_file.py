"""The real names in tests/data/model_names.yaml (each with its source, the upstream it names and that model's
licenses) resolved offline with the embedded catalog and provider tables.

What must hold for every name: a name never resolves to a license other than its upstream's (a wrong known
answer is worse than unknown); a name that must stay unknown (a hosted API model) does; a truly ambiguous name
is never answered with one model. What must hold for the file as a whole: the share resolved to the right
upstream and license stays above a floor (the catalog's coverage; misses are printed, by form)."""
from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml

from compliance.errors import ComplianceError
from compliance.match import AmbiguousName
from compliance.resolve import Options, Resolver

NAMES = Path(__file__).parent / "data" / "model_names.yaml"
FLOOR = 0.85
# Upstreams whose license the catalog and the names file state differently, each with both sources: a data
# question for the catalog's maintainers, listed here so that any other disagreement fails the test.
DISAGREEMENTS = {
    "openai/whisper-large-v3": "catalog: mit (openai/whisper GitHub README); names file: apache-2.0 (Hub card)",
    "openai/whisper-large-v3-turbo": "catalog: mit (openai/whisper GitHub README); names file: apache-2.0 (Hub card)",
}


def _names() -> list[dict]:
    if not NAMES.exists():
        return []
    return yaml.safe_load(NAMES.read_text(encoding="utf-8"))["names"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    names = _names()
    if not names:
        pytest.skip("tests/data/model_names.yaml not present")
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_CACHE", str(tmp_path_factory.mktemp("empty-hf")))
    mp.setenv("OLLAMA_MODELS", str(tmp_path_factory.mktemp("no-ollama")))
    r = Resolver(Options())
    out = []
    try:
        for item in names:
            try:
                res = r.resolve(item["name"])
                out.append((item, res, None))
            except AmbiguousName as exc:
                out.append((item, None, ("ambiguous", exc)))
            except ComplianceError as exc:
                out.append((item, None, ("unknown", exc)))
    finally:
        mp.undo()
    return out


def _right(item, res, r) -> bool:
    if res is None or "upstream" not in item:
        return False
    rec = res.record
    entry = r.catalog.get(item["upstream"])
    same = rec.model.lower() == item["upstream"].lower() or (entry is not None and entry.id == rec.model)
    own = r.catalog.get(rec.model)  # the publisher's own quantization listed as its own entry
    based = own is not None and any(b.model.lower() == item["upstream"].lower() for b in own.base_models)
    return (same or based) and set(rec.licenses) == set(item["licenses"])


def test_the_names_file_has_300_names_with_sources():
    names = _names()
    if not names:
        pytest.skip("tests/data/model_names.yaml not present")
    assert len(names) >= 300
    assert all(item.get("source") for item in names)


def test_no_name_resolves_to_a_wrong_license(outcomes):
    wrong = [(item["name"], res.record.model, res.record.licenses, item["licenses"]) for item, res, _ in outcomes
             if res is not None and "licenses" in item and set(res.record.licenses) != set(item["licenses"])
             and item.get("upstream") not in DISAGREEMENTS]
    assert wrong == []


def test_unknown_names_stay_unknown_and_ambiguous_ones_are_not_answered(outcomes):
    answered = [(item["name"], res.record.model) for item, res, _ in outcomes
                if item.get("expected") in ("unknown", "ambiguous") and res is not None]
    assert answered == []


def test_hit_rate_on_the_names_file(outcomes, capsys):
    r = Resolver(Options())
    by_form: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    misses: dict[str, list[str]] = collections.defaultdict(list)
    for item, res, error in outcomes:
        if "upstream" not in item:
            continue
        form = item.get("form", "?")
        by_form[form][1] += 1
        if _right(item, res, r):
            by_form[form][0] += 1
        else:
            misses[form].append(f"{item['name']} -> {res.record.model if res else error[0]}")
    hits, total = sum(v[0] for v in by_form.values()), sum(v[1] for v in by_form.values())
    with capsys.disabled():
        print(f"\nnames file: {hits}/{total} = {hits / total:.1%} resolved to the expected upstream and license")
        for form, (a, b) in sorted(by_form.items()):
            print(f"  {form:15s} {a:4d}/{b:<4d} misses: {'; '.join(misses[form][:6])}")
    assert hits / total >= FLOOR
