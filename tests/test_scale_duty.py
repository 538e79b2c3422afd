"""Scale-conditioned duties (Kimi K2's display duty) and threshold timing, in the vocabulary and in words."""
import pytest
from pydantic import ValidationError

from compliance import present
from compliance.terms import Obligation, ScaleTrigger, Threshold

EV = [{"file": "x/LICENSE", "section": "1", "quote": "a quote"}]


def kimi_like() -> Obligation:
    return Obligation.model_validate({
        "kind": "display-name", "text": "Kimi K2", "applies_to": ["hosted-service", "redistribution"],
        "triggered_by": [{"metric": "monthly_active_users", "limit": 100_000_000},
                         {"metric": "monthly_revenue", "limit": 20_000_000, "currency": "USD"}],
        "evidence": EV})


def test_scale_trigger_reads_as_a_condition_not_a_cap():
    text = present.obligation(kimi_like())
    assert "display “Kimi K2”" in text
    assert "more than 100 million monthly active users or more than USD 20 million monthly revenue" in text


def test_scale_trigger_units_are_checked():
    with pytest.raises(ValidationError):
        ScaleTrigger(metric="monthly_revenue", limit=5)
    with pytest.raises(ValidationError):
        ScaleTrigger(metric="monthly_active_users", limit=5, currency="USD")
    assert ScaleTrigger(metric="monthly_active_users", limit=10).exceeded_by(11)
    assert not ScaleTrigger(metric="monthly_active_users", limit=10).exceeded_by(10)


@pytest.mark.parametrize(("measured", "words"), [
    ("version-release-date", "tested once, on the version's release date"),
    ("while-commercially-using", "for as long as it is used"),
    (None, "does not say when"),
])
def test_threshold_duty_says_when_the_figure_is_tested(measured, words):
    t = Threshold.model_validate({"metric": "monthly_active_users", "limit": 7e8, "consequence": "request-license",
                                  "measured_at": measured, "evidence": EV})
    duty = present.threshold_duty(t)
    assert words in duty and "stay below" not in duty
