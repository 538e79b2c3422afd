"""Human phrases for terms: one place that says how a threshold, a territory or an obligation reads, so the
CLI, the reports and the check output all say it the same way."""
from __future__ import annotations

from .countries import display
from .terms import Evidence, LicenseTerms, Obligation, ScaleTrigger, Territory, Threshold

METRIC_NAMES = {
    "monthly_active_users": "monthly active users",
    "daily_active_users": "daily active users",
    "annual_revenue": "annual revenue",
    "monthly_revenue": "monthly revenue",
}
CONSEQUENCES = {
    "request-license": "must request a license from the licensor",
    "license-terminates": "the license terminates",
    "display-name": "must display a name",
}
COMMERCIAL = {
    "allowed": "commercial use allowed",
    "non-commercial": "non-commercial use only",
    "research-only": "research or evaluation only",
    "registration-required": "commercial use requires registration or an application",
}
OUTPUT_RULES = {
    "allowed": "outputs may be used to improve other models",
    "allowed-with-naming": "outputs may train other models, whose names must begin with the required prefix",
    "prohibited-other-llms": "outputs may not be used to improve any other large language model",
    "prohibited-any-ai-model": "outputs may not be used to improve any other AI model",
    "prohibited-foundation-models": "outputs may not be used to create or improve foundational generative AI models",
    "prohibited-competing-models": "outputs may not be used to train, fine-tune or distill a competing model",
    "not-addressed": "the license says nothing about using outputs",
}
OBLIGATION_NAMES = {
    "license-copy": "give recipients a copy of the license",
    "notice-file": "keep the attribution notices of the work's NOTICE file",
    "modification-notice": "mark modified files",
    "built-with": "display the required attribution",
    "powered-by": "display the required attribution",
    "name-prefix": "begin derived model names with the required prefix",
    "display-name": "display the model's name in the product's user interface",
    "source-disclosure": "offer the source of the covered work (and of modifications) to recipients",
    "same-license": "license modified versions and derivatives under the same license",
}


def number(value: float) -> str:
    """700000000 → '700 million'; 1000000 → '1 million'; 1500000 → '1.5 million'."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            scaled = value / size
            return f"{scaled:g} {word}"
    return f"{value:,.0f}"


def threshold(t: Threshold, *, timing: bool = True) -> str:
    amount = f"{t.currency} {number(t.limit)}" if t.currency else number(t.limit)
    comparison = "more than" if t.comparison == "greater-than" else "at least"
    text = f"{comparison} {amount} {METRIC_NAMES[t.metric]}"
    qualifiers = []
    if t.counts_affiliates:
        qualifiers.append("affiliates counted")
    if not timing:
        pass
    elif t.measured_at == "version-release-date":
        qualifiers.append("measured on the version release date")
    elif t.measured_at == "while-commercially-using":
        qualifiers.append("while using it commercially")
    if t.period == "preceding-calendar-month":
        qualifiers.append("in the preceding calendar month")
    if qualifiers:
        text += f" ({'; '.join(qualifiers)})"
    consequence = CONSEQUENCES[t.consequence]
    if t.consequence == "display-name" and t.display_text:
        consequence = f"must display “{t.display_text}”"
    return f"{text}: {consequence}"


def scale_trigger(t: ScaleTrigger) -> str:
    amount = f"{t.currency} {number(t.limit)}" if t.currency else number(t.limit)
    return f"{'more than' if t.comparison == 'greater-than' else 'at least'} {amount} {METRIC_NAMES[t.metric]}"


MEASURED = {
    "version-release-date": "tested once, on the version's release date: a licensee above the figure then needs a "
                            "license from the licensor; growth after that date does not trigger it",
    "while-commercially-using": "applies for as long as it is used: on passing the figure, a license is needed",
    "any-time": "applies at any time: on passing the figure, a license is needed",
    None: "the text does not say when the figure is measured: treated as applying at any time",
}


def threshold_duty(t: Threshold) -> str:
    """What the organization must do about a cap, in words that say when the figure is tested."""
    return f"{threshold(t, timing=False)} — {MEASURED[t.measured_at]}"


def territory(t: Territory) -> str:
    places = ", ".join(display(code) for code in t.excluded)
    who = ("licensees domiciled (or with their principal place of business) in " if t.basis == "licensee-domicile"
           else "use or distribution in ")
    scope = "rights in its multimodal models are not granted to " if t.scope == "multimodal-models" else "no rights for "
    text = scope + who + places
    if t.end_users_exempt:
        text += "; end users of a product or service are exempt"
    return text


def obligation(o: Obligation) -> str:
    if o.kind in ("built-with", "powered-by") and o.text:
        base = f"display “{o.text}”"
    elif o.kind == "name-prefix" and o.text:
        base = f"begin the names of models trained on it or its outputs with “{o.text}”"
    elif o.kind == "display-name" and o.text:
        base = f"display “{o.text}” prominently in the user interface"
    elif o.kind == "notice-file" and o.text:
        base = f"ship a NOTICE file stating: “{o.text}”"
    else:
        base = OBLIGATION_NAMES[o.kind]
    scope = ", ".join(o.applies_to)
    condition = f"; {o.condition}" if o.condition else ""
    if o.triggered_by:
        condition += "; only once the organization has " + " or ".join(scale_trigger(t) for t in o.triggered_by)
    return f"{base} ({'required' if o.required else 'encouraged'}{condition}; applies to {scope})"


def evidence(ev: Evidence) -> str:
    quote = f" “{ev.quote}”" if ev.quote else ""
    return f"[{ev.section}]{quote} ({ev.file})"


def commercial(lic: LicenseTerms) -> str:
    return COMMERCIAL[lic.commercial_use.status]


def thresholds_short(lic: LicenseTerms) -> str:
    parts = []
    for t in lic.thresholds:
        amount = f"{t.currency} {number(t.limit)}" if t.currency else number(t.limit)
        metric = {"monthly_active_users": "MAU", "daily_active_users": "DAU",
                  "annual_revenue": "revenue/yr", "monthly_revenue": "revenue/mo"}[t.metric]
        parts.append(f"{'>' if t.comparison == 'greater-than' else '≥'}{amount} {metric}")
    return "; ".join(parts)


def territory_short(lic: LicenseTerms) -> str:
    if lic.territory is None:
        return ""
    codes = ",".join(lic.territory.excluded)
    return f"not {codes}" + (" (multimodal)" if lic.territory.scope == "multimodal-models" else "")
