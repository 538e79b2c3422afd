"""The vocabulary refuses what a record must not say."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from compliance.terms import Evidence, LicenseTerms, Obligation, Territory, Threshold

EV = {"file": "x/LICENSE", "section": "2", "quote": "short quote"}


def test_quote_longer_than_25_words_is_rejected():
    with pytest.raises(ValidationError, match="26 words"):
        Evidence(file="x", section="1", quote=" ".join(["word"] * 26))
    assert Evidence(file="x", section="1", quote=" ".join(["word"] * 25)).quote


def test_revenue_threshold_needs_currency_and_user_threshold_refuses_one():
    with pytest.raises(ValidationError, match="needs a currency"):
        Threshold(metric="annual_revenue", limit=1e6, consequence="license-terminates", evidence=[EV])
    with pytest.raises(ValidationError, match="takes no currency"):
        Threshold(metric="monthly_active_users", limit=1e6, currency="USD", consequence="request-license", evidence=[EV])


def test_threshold_comparison_decides_when_it_is_exceeded():
    greater = Threshold(metric="monthly_active_users", limit=700e6, consequence="request-license", evidence=[EV])
    at_least = Threshold(metric="daily_active_users", limit=1e6, comparison="at-least",
                         consequence="request-license", evidence=[EV])
    assert not greater.exceeded_by(700e6) and greater.exceeded_by(700e6 + 1)
    assert at_least.exceeded_by(1e6) and not at_least.exceeded_by(999_999)


def test_territory_codes_must_be_iso_or_known_groups():
    assert Territory(excluded=["EU", "GB", "KR"], evidence=[EV]).excluded == ("EU", "GB", "KR")
    with pytest.raises(ValidationError, match="not an ISO 3166-1"):
        Territory(excluded=["Europe"], evidence=[EV])


def test_unknown_keys_are_errors_and_records_are_frozen():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Obligation(kind="built-with", text="Built with X", applies_to=["redistribution"], evidence=[EV], colour="red")
    ob = Obligation(kind="built-with", text="Built with X", applies_to=["redistribution"], evidence=[EV])
    with pytest.raises(ValidationError):
        ob.text = "other"


def test_every_term_needs_evidence():
    with pytest.raises(ValidationError):
        Threshold(metric="monthly_active_users", limit=1e6, consequence="request-license", evidence=[])


def test_verified_record_needs_texts_and_markers():
    base = dict(id="x", name="X", publisher="p", family="x", kind="open-model", spdx="LicenseRef-x",
                source_url="https://example.invalid", summary="s",
                commercial_use={"status": "allowed", "evidence": [EV]})
    assert LicenseTerms(**base, verified=False).id == "x"
    with pytest.raises(ValidationError, match="lists the corpus texts"):
        LicenseTerms(**base, verified=True)
