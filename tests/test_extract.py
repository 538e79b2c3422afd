"""Rule-based extraction on short synthetic licenses written for these tests (not real license text)."""
from __future__ import annotations

import pytest

from compliance.extract import extract, parse_number


@pytest.mark.parametrize("phrase,value", [
    ("700 million", 700e6), ("seven hundred million", 700e6), ("one hundred million", 100e6),
    ("1,000,000", 1e6), ("fifty million", 50e6), ("2.5 billion", 2.5e9), ("ten thousand", 1e4),
    ("three hundred and fifty thousand", 350e3), ("20m", 20e6),
])
def test_numbers_in_digits_and_words(phrase, value):
    assert parse_number(phrase) == value


MADE_UP = """ACME OPEN WEIGHTS LICENSE 1.0

1. Grant. ACME grants you a worldwide, royalty-free license to use and modify the Model, except that no rights
are granted in France or Japan.

2. Scale. If your services have more than 50 million monthly active users, you must obtain a separate license
from ACME.

3. Attribution. You must prominently display "Built with Acme" in your product, and any model trained on the
outputs must include "Acme" at the beginning of its model name.

4. This Agreement is governed by the laws of the State of Delaware.
"""


def test_made_up_license_with_mau_cap_and_two_excluded_countries():
    terms = extract(MADE_UP)
    assert [(t.metric, t.limit, t.currency, t.comparison) for t in terms.thresholds] == [
        ("monthly_active_users", 50e6, None, "greater-than")]
    assert terms.territory is not None and terms.territory.excluded == ["FR", "JP"]
    assert terms.territory.scope == "license"
    assert {(o.kind, o.text) for o in terms.attribution} >= {("built-with", "Built with Acme"), ("name-prefix", "Acme")}
    assert terms.commercial_use == "allowed"
    law = terms.governing_law
    assert (law["jurisdiction"], law["text"], law["venue"]) == ("US-DE", "State of Delaware", None)
    assert "governed by the laws of the State of Delaware" in law["sentence"]


def test_cap_written_in_words():
    terms = extract("Licensees whose products exceed seven hundred million monthly active users must request a "
                    "license. The license is not available to companies domiciled in the Russian Federation.")
    assert [(t.metric, t.limit) for t in terms.thresholds] == [("monthly_active_users", 700e6)]
    assert terms.territory.excluded == ["RU"] and terms.territory.basis == "licensee-domicile"


def test_revenue_cap_in_euros():
    terms = extract("Commercial use is permitted for organisations with annual revenue below EUR 10 million. "
                    "Above that, the license terminates.")
    assert [(t.metric, t.limit, t.currency, t.comparison) for t in terms.thresholds] == [
        ("annual_revenue", 10e6, "EUR", "at-least")]


def test_monthly_revenue_and_daily_users():
    terms = extract("If your monthly revenue exceeds US$20,000,000 you must display the name. Commercial use is "
                    "allowed only while daily active users (DAU) are less than 1 million.")
    got = {(t.metric, t.limit, t.currency, t.comparison) for t in terms.thresholds}
    assert got == {("monthly_revenue", 20e6, "USD", "greater-than"), ("daily_active_users", 1e6, None, "at-least")}


def test_research_only_grant():
    terms = extract("The Licensor grants you a license to use the Model for research or evaluation purposes only. "
                    "You may not use the Model for any commercial purpose.")
    assert terms.commercial_use == "research-only"
    assert terms.thresholds == [] and terms.territory is None


def test_non_commercial_grant_and_output_restriction():
    terms = extract("You may use the weights for non-commercial purposes only. You will not use the outputs to "
                    "improve any other large language model.")
    assert terms.commercial_use == "non-commercial"
    assert terms.output_use == "prohibited-other-llms"


def test_encouraged_attribution_is_not_required():
    terms = extract('You are encouraged to mark your product as "Powered by Example AI". You must give every '
                    "recipient a copy of this Agreement.")
    by_kind = {o.kind: o for o in terms.attribution}
    assert by_kind["powered-by"].text == "Powered by Example AI" and not by_kind["powered-by"].required
    assert by_kind["license-copy"].required


def test_governing_law_names_of_places_are_not_territory_exclusions():
    terms = extract("This Agreement shall be governed by the laws of England and Wales, excluding its conflict of "
                    "law rules.")
    assert terms.territory is None
    assert terms.governing_law["jurisdiction"] == "GB"


def test_real_licenses_yield_their_terms(corpus):
    lic = corpus / "licenses"
    hunyuan = extract((lic / "hunyuan-3d-2" / "LICENSE").read_text())
    assert [(t.metric, t.limit) for t in hunyuan.thresholds] == [("monthly_active_users", 1e6)]
    assert set(hunyuan.territory.excluded) == {"EU", "GB", "KR"}
    aup = extract((lic / "llama-4" / "USE_POLICY.md").read_text())
    assert (aup.territory.excluded, aup.territory.scope, aup.territory.basis, aup.territory.end_users_exempt) == (
        ["EU"], "multimodal-models", "licensee-domicile", True)
    stability = extract((lic / "stability-community" / "LICENSE").read_text())
    assert [(t.metric, t.limit, t.currency) for t in stability.thresholds] == [("annual_revenue", 1e6, "USD")]
    assert extract((lic / "qwen-tongyi-research" / "LICENSE").read_text()).commercial_use == "research-only"
