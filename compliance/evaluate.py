"""The judgement: one pure function from a resolved model, a policy and the knowledge base to an assessment.

``evaluate(subject, policy, kb, today=...)`` does no I/O, reads no clock and touches no network: everything it
needs is passed in, so a decision is reproducible. Rules apply to the *effective* terms: the model's own
licenses, the further terms its card states, and every ancestor's. Each finding names its rule (a stable id),
its decision, the clause it rests on, and what would change it. The overall decision is computed from the
findings (deny > review > allow); waived findings still show, with who approved them and until when.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from . import present
from .countries import display, overlaps
from .decisions import SEVERITY, worst  # SEVERITY re-exported: other modules import it from here
from .knowledge import KnowledgeBase
from .model import Resolved
from .policy import LoadedPolicy, Organization, PolicyException
from .terms import Evidence, LicenseTerms

LINEAGE_KINDS = {"license-mismatch", "undeclared-inheritance", "lineage-cycle", "base-unresolvable",
                 "lineage-too-deep", "license-conflict", "name-only"}
ACTIVITY_SCOPES = {
    "redistribution": {"redistribute-weights", "on-device"},
    "hosted-service": {"hosted-service"},
    "derivatives": {"fine-tune", "distill", "redistribute-weights", "on-device"},
    "derivative-models": {"fine-tune", "train-on-outputs", "distill"},
}
USE_RESTRICTED = {"military", "weapons"}
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    license: str | None
    section: str
    quote: str | None
    file: str


@dataclass(frozen=True, slots=True)
class Waiver:
    model: str
    approved_by: str
    expires: _dt.date
    ticket: str | None
    reason: str

    @classmethod
    def of(cls, exc: PolicyException) -> Waiver:
        return cls(exc.model, exc.approved_by, exc.expires, exc.ticket, exc.reason)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    decision: str
    message: str
    evidence: tuple[EvidenceRef, ...] = ()
    license: str | None = None
    remedy: str | None = None
    waived: Waiver | None = None
    expired_waiver: Waiver | None = None

    @property
    def effective(self) -> str:
        return "allow" if self.waived else self.decision


@dataclass(frozen=True, slots=True)
class Obligation:
    """A duty the organization takes on with the model. ``text`` says it in words; ``verbatim`` is the exact
    string the license requires (the NOTICE sentence, "Built with Llama"), ``verbatim_continues`` when the
    license's notice runs on beyond what the knowledge base quotes."""

    kind: str
    text: str
    license: str
    section: str | None = None
    quote: str | None = None
    required: bool = True
    verbatim: str | None = None
    verbatim_continues: bool = False


@dataclass(frozen=True, slots=True)
class RuleTrace:
    rule: str
    outcome: str  # triggered | clear | off | waived
    detail: str


@dataclass
class Assessment:
    subject: Resolved
    policy_name: str
    policy_sha256: str
    date: _dt.date
    findings: list[Finding] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    trace: list[RuleTrace] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.subject.record.reference

    @property
    def model(self) -> str:
        return self.subject.record.model

    @property
    def decision(self) -> str:
        """The most severe finding that is not waived; allow when there is none."""
        return worst(f.effective for f in self.findings)

    @property
    def main_reason(self) -> str:
        live = [f for f in self.findings if not f.waived and f.decision != "allow"]
        if not live:
            waived = sum(1 for f in self.findings if f.waived)
            return "no rule requires review or denial" + (f" ({waived} finding(s) waived)" if waived else "")
        top = max(live, key=lambda f: SEVERITY[f.decision])
        return f"{top.rule}: {top.message}"


def _refs(license_id: str | None, evidence: tuple[Evidence, ...]) -> tuple[EvidenceRef, ...]:
    return tuple(EvidenceRef(license_id, ev.section, ev.quote, ev.file) for ev in evidence)


@dataclass
class _Context:
    subject: Resolved
    policy: LoadedPolicy
    kb: KnowledgeBase
    org: Organization
    licenses: list[tuple[LicenseTerms, str]]  # (record, which model in the lineage carries it)
    findings: list[Finding] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    trace: list[RuleTrace] = field(default_factory=list)

    def relevant(self, scopes: tuple[str, ...]) -> bool:
        if not self.org.activities:
            return True
        return any(set(self.org.activities) & ACTIVITY_SCOPES.get(s, set()) for s in scopes)

    def via(self, carrier: str) -> str:
        return "" if carrier == self.subject.record.model else f" (via {carrier})"

    def oblige(self, kind: str, text: str, lic: LicenseTerms, evidence: tuple[Evidence, ...] = (),
               required: bool = True, verbatim: str | None = None, continues: bool = False) -> None:
        ev = evidence[0] if evidence else None
        item = Obligation(kind, text, lic.id, ev.section if ev else None, ev.quote if ev else None, required,
                          verbatim, continues)
        if not any((o.kind, o.text, o.license) == (item.kind, item.text, item.license) for o in self.obligations):
            self.obligations.append(item)


def _effective_licenses(subject: Resolved, kb: KnowledgeBase) -> list[tuple[LicenseTerms, str]]:
    found: list[tuple[LicenseTerms, str]] = []
    seen: set[str] = set()
    carriers = [(lic, subject.record.model) for lic in (*subject.record.licenses, *subject.record.additional_licenses)]
    carriers += [(lic, a.model) for a in subject.lineage if not a.superseded_by for lic in a.licenses]
    for lic_id, carrier in carriers:
        if lic_id in seen or lic_id not in kb.licenses:
            continue
        seen.add(lic_id)
        found.append((kb.licenses[lic_id], carrier))
    return found


# --- rules ------------------------------------------------------------------------------------------------------


def _license(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.license
    lists = ctx.policy.policy.licenses
    for lic, carrier in ctx.licenses:
        if lic.id in lists.deny:
            ctx.findings.append(Finding("license", "deny", f"{lic.name}{ctx.via(carrier)} is denied by the policy",
                                        license=lic.id, remedy="another model, or remove the license from licenses.deny"))
        elif lists.allow and lic.id not in lists.allow and rule.decision != "off":
            ctx.findings.append(Finding("license", rule.decision, f"{lic.name}{ctx.via(carrier)} is not in the "
                                        "policy's allow-list", license=lic.id,
                                        remedy=f"add {lic.id} to licenses.allow after legal review"))


def _unknown_license(ctx: _Context) -> None:
    record = ctx.subject.record
    decision = ctx.policy.policy.licenses.unknown
    problems = [f.message for f in record.findings if f.kind in ("license-unknown", "unknown-provenance")]
    if not record.licenses:
        why = "; ".join(problems) or "no license is declared or identified"
        ctx.findings.append(Finding("unknown-license", decision, f"the model's own license is unknown: {why}",
                                    remedy="a license text the knowledge base identifies, or an exception"))
    elif problems:
        ctx.findings.append(Finding("unknown-license", decision, "; ".join(problems),
                                    remedy="identify the unknown license text, or an exception"))
    for lic, carrier in ctx.licenses:
        if lic.commercial_use.status == "unknown":  # a family id (cc): its members' terms differ
            ctx.findings.append(Finding("unknown-license", decision, f"{lic.name}{ctx.via(carrier)} names a family of "
                                        "licenses whose terms differ; which one applies is unknown",
                                        _refs(lic.id, lic.commercial_use.evidence), lic.id,
                                        remedy="the actual license (its LICENSE file or license_name), or an exception"))


def _origin(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.origin
    if rule.decision == "off" and rule.unknown == "off":
        return
    record = ctx.subject.record
    carriers = [(record.country, record.publisher_name or record.publisher, record.model)]
    carriers += [(a.country, a.publisher, a.model) for a in ctx.subject.lineage if a.resolved]
    known = [(c, p, m) for c, p, m in carriers if c]
    for country, publisher, model in known:
        hits = [code for code in rule.deny if overlaps(country, code)]
        if hits and rule.decision != "off":
            name = publisher if model == record.model else f"{publisher} ({model})"
            ctx.findings.append(Finding(
                "origin", rule.decision, f"published by {name}, {display(country)}: the policy excludes origin "
                f"{', '.join(hits)}", evidence=(EvidenceRef(None, "publisher registry", f"{name}: {country}",
                                                            "licenses/publishers.yaml"),),
                remedy="a model of another origin, or an approved exception"))
            return
    if not known and rule.unknown != "off":
        ctx.findings.append(Finding("origin", rule.unknown, "the country of origin is unknown: no publisher in the "
                                    "lineage is in the publisher registry", remedy="establish who published the model"))


_FIGURES = {"monthly_active_users": "monthly_active_users", "daily_active_users": "daily_active_users",
            "annual_revenue": "annual_revenue_usd", "monthly_revenue": "monthly_revenue_usd"}


def _user_threshold(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.user_threshold
    for lic, carrier in ctx.licenses:
        for t in lic.thresholds:
            text = present.threshold(t)
            if t.measured_at == "while-commercially-using" and ctx.org.use == "research":
                continue
            if t.consequence == "display-name":
                ctx.oblige("threshold", f"{text} (above the figure)", lic, t.evidence)
                continue
            ctx.oblige("threshold", present.threshold_duty(t), lic, t.evidence)
            key = _FIGURES[t.metric]
            figure = getattr(ctx.org, key)
            if t.currency not in (None, "USD") and figure is not None:
                figure = None  # no exchange rates here: ask for the figure in the license's currency
            if figure is None:
                if rule.missing != "off":
                    ctx.findings.append(Finding(
                        "user-threshold", rule.missing, f"{lic.name}{ctx.via(carrier)} caps {text}; the policy does "
                        f"not state organization.{key}" + (f" in {t.currency}" if t.currency not in (None, "USD") else ""),
                        _refs(lic.id, t.evidence), lic.id, remedy=f"state organization.{key} (or --mau/--revenue)"))
                continue
            bound = t.limit * rule.headroom
            hit = figure >= bound if t.comparison == "at-least" else figure > bound
            if hit and rule.decision != "off":
                margin = "" if rule.headroom == 1 else f" (the policy's headroom {rule.headroom:g} puts the bar at {present.number(bound)})"
                ctx.findings.append(Finding(
                    "user-threshold", rule.decision, f"{present.number(figure)} {present.METRIC_NAMES[t.metric]} "
                    f"against {lic.name}{ctx.via(carrier)}: {text}{margin}", _refs(lic.id, t.evidence), lic.id,
                    remedy="a separate license from the licensor, or a model without this cap"))


def _territory(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.territory
    if rule.decision == "off":
        return
    modality = ctx.subject.record.modality
    for lic, carrier in ctx.licenses:
        t = lic.territory
        if t is None:
            continue
        ctx.oblige("territory", present.territory(t), lic, t.evidence)
        if t.scope == "multimodal-models" and modality not in ("multimodal", "unknown"):
            ctx.trace.append(RuleTrace("territory", "clear", f"{lic.id}: the clause binds only multimodal models; "
                                                             f"{ctx.subject.record.model} is {modality}"))
            continue
        places = [ctx.org.domicile] if t.basis == "licensee-domicile" else [ctx.org.domicile, *ctx.org.regions]
        places = [p for p in places if p]
        if not places:
            ctx.findings.append(Finding("territory", "review", f"{lic.name} excludes {', '.join(t.excluded)}; the "
                                        "policy states no domicile or regions", _refs(lic.id, t.evidence), lic.id,
                                        remedy="state organization.domicile and regions"))
            continue
        hits = sorted({p for p in places for code in t.excluded if overlaps(p, code)})
        if not hits:
            continue
        unsure = t.scope == "multimodal-models" and modality == "unknown"
        who = "domiciled in" if t.basis == "licensee-domicile" else "using or offering it in"
        ctx.findings.append(Finding(
            "territory", "review" if unsure and rule.decision == "deny" else rule.decision,
            f"{lic.name}{ctx.via(carrier)}: {present.territory(t)}; the organization is {who} "
            f"{', '.join(display(h) for h in hits)}" + (" (the model's modality is unknown)" if unsure else ""),
            _refs(lic.id, t.evidence), lic.id,
            remedy="a licensee outside the excluded territory" + (", or a text-only model" if t.scope == "multimodal-models" else "")))


def _non_commercial(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.non_commercial
    for lic, carrier in ctx.licenses:
        status = lic.commercial_use.status
        if ctx.org.use != "research" and status in ("non-commercial", "research-only") and rule.decision != "off":
            ctx.findings.append(Finding("non-commercial", rule.decision, f"{lic.name}{ctx.via(carrier)}: "
                                        f"{present.COMMERCIAL[status]}; the organization's use is {ctx.org.use}",
                                        _refs(lic.id, lic.commercial_use.evidence), lic.id,
                                        remedy="a commercial license from the licensor, or research use only"))


def _registration(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.registration
    for lic, carrier in ctx.licenses:
        if lic.commercial_use.status != "registration-required" or ctx.org.use == "research":
            continue
        ctx.oblige("registration", f"register with or apply to the licensor before commercial use ({lic.name})",
                   lic, lic.commercial_use.evidence)
        if rule.decision != "off":
            ctx.findings.append(Finding("registration", rule.decision, f"{lic.name}{ctx.via(carrier)}: commercial "
                                        "use requires registration with, or an application to, the licensor",
                                        _refs(lic.id, lic.commercial_use.evidence), lic.id,
                                        remedy="record the registration, then an exception"))


def _attribution(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.attribution
    for lic, carrier in ctx.licenses:
        for o in lic.attribution:
            if not ctx.relevant(o.applies_to):
                continue
            text = present.obligation(o)
            if o.triggered_by:
                binds = _scale_binds(ctx, o)
                text += {True: " — binds: the organization's figures pass the trigger",
                         False: " — does not bind at the organization's stated figures",
                         None: " — binds if the organization passes the figure (the policy does not state it)"}[binds]
            ctx.oblige(o.kind, text, lic, o.evidence, o.required, o.text, o.text_continues)
            if o.triggered_by:
                continue  # a scale-conditioned duty is an obligation, never a bar on the license itself
            # a conditional duty ("Cosmos models only") is listed; whether it binds is for the reviewer
            if o.required and not o.condition and o.kind not in rule.accept and rule.otherwise != "off":
                ctx.findings.append(Finding("attribution", rule.otherwise, f"{lic.name}{ctx.via(carrier)} requires: "
                                            f"{present.obligation(o)}", _refs(lic.id, o.evidence), lic.id,
                                            remedy=f"accept {o.kind} in rules.attribution.accept"))


def _scale_binds(ctx: _Context, o) -> bool | None:
    """Whether a scale-conditioned duty binds the organization: True, False, or None when a figure is missing."""
    missing = False
    for t in o.triggered_by:
        figure = getattr(ctx.org, _FIGURES[t.metric])
        if figure is None or t.currency not in (None, "USD"):
            missing = True
        elif t.exceeded_by(figure):
            return True
    return None if missing else False


def _acceptable_use(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.acceptable_use
    for lic, carrier in ctx.licenses:
        aup = lic.acceptable_use
        if aup is None:
            continue
        ctx.oblige("acceptable-use", f"comply with {aup.name or 'the acceptable use policy'}"
                   + (f" ({aup.url})" if aup.url else ""), lic, aup.evidence)
        if rule.decision != "off":
            ctx.findings.append(Finding("acceptable-use", rule.decision, f"{lic.name}{ctx.via(carrier)} incorporates "
                                        f"{aup.name or 'a use policy'} by reference" + (f" ({aup.url})" if aup.url else "")
                                        + "; the licensor may change it", _refs(lic.id, aup.evidence), lic.id,
                                        remedy="confirm the use complies, then an exception"))


def _output_use(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.output_use
    trains = bool(set(ctx.org.activities) & {"train-on-outputs", "distill"})
    for lic, carrier in ctx.licenses:
        ou = lic.output_use
        if ou.rule.startswith("prohibited"):
            ctx.oblige("output-use", present.OUTPUT_RULES[ou.rule], lic, ou.evidence)
            if trains and rule.decision != "off":
                ctx.findings.append(Finding("output-use", rule.decision, f"{lic.name}{ctx.via(carrier)}: "
                                            f"{present.OUTPUT_RULES[ou.rule]}; the organization trains on outputs or "
                                            "distills", _refs(lic.id, ou.evidence), lic.id,
                                            remedy="no training on this model's outputs, or a license permitting it"))
        elif ou.rule == "allowed-with-naming" and (trains or not ctx.org.activities):
            ctx.oblige("name-prefix", f"models trained on its outputs must be named “{ou.naming} …”", lic, ou.evidence)
        if ou.distillation_is_derivative and ("distill" in ctx.org.activities or not ctx.org.activities):
            ctx.oblige("output-use", f"a model distilled from it is a derivative bound by {lic.name}", lic, ou.evidence)


def _field_of_use(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.field_of_use
    for lic, carrier in ctx.licenses:
        if lic.pass_through and lic.pass_through.required:
            ctx.oblige("pass-through", "pass the license's use restrictions on to downstream users", lic,
                       lic.pass_through.evidence)
        if not lic.field_of_use:
            continue
        banned = [r for r in lic.field_of_use if r.category in USE_RESTRICTED]
        if ctx.org.sector == "defense" and banned and rule.defense != "off":
            ctx.findings.append(Finding("field-of-use", rule.defense, f"{lic.name}{ctx.via(carrier)} bans "
                                        f"{banned[0].summary.rstrip('.').lower()}; the organization's sector is defense",
                                        _refs(lic.id, banned[0].evidence), lic.id, remedy="a license without the ban"))
            continue
        if rule.decision != "off":
            cats = sorted({r.category for r in lic.field_of_use})
            ctx.findings.append(Finding("field-of-use", rule.decision, f"{lic.name}{ctx.via(carrier)} restricts "
                                        f"fields of use: {', '.join(cats)}", _refs(lic.id, lic.field_of_use[0].evidence),
                                        lic.id, remedy="confirm the use is outside the restricted fields"))


def _lineage(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.lineage
    if rule.decision == "off":
        return
    record = ctx.subject.record
    seen: set[str] = set()
    for f in (*record.findings, *ctx.subject.findings):
        if f.kind in LINEAGE_KINDS and f.severity != "info" and f.message not in seen:
            seen.add(f.message)
            ctx.findings.append(Finding("lineage", rule.decision, f"{f.kind}: {f.message}",
                                        remedy="correct the declaration, or follow the inherited terms"))


def _remote_restriction(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.remote_restriction
    if rule.decision == "off":
        return
    for lic, carrier in ctx.licenses:
        if lic.remote_restriction:
            ctx.findings.append(Finding("remote-restriction", rule.decision, f"{lic.name}{ctx.via(carrier)}: "
                                        f"{lic.remote_restriction.summary}", _refs(lic.id, lic.remote_restriction.evidence),
                                        lic.id, remedy="a license without remote restriction rights"))
        for t in lic.termination:
            if t.automatic and t.trigger == "guardrail-bypass":
                ctx.findings.append(Finding("remote-restriction", rule.decision, f"{lic.name}{ctx.via(carrier)}: the "
                                            "license ends automatically if a safety guardrail is bypassed",
                                            _refs(lic.id, t.evidence), lic.id, remedy="a license without the kill switch"))


_SHARE_OR_MODIFY = frozenset({"redistribute-weights", "on-device", "fine-tune", "distill"})
_COPYLEFT_ACTS = {"weak": _SHARE_OR_MODIFY, "strong": _SHARE_OR_MODIFY, "network": _SHARE_OR_MODIFY | {"hosted-service"}}
_COPYLEFT_WORDS = {"weak": "weak copyleft / share-alike", "strong": "strong copyleft",
                   "network": "network copyleft (hosted services included)"}


def _copyleft(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.copyleft
    acts = set(ctx.org.activities)
    for lic, carrier in ctx.licenses:
        c = lic.copyleft
        if c is None:
            continue
        duty = ("license modified versions and works based on it under the same license" if c.strength != "weak"
                else "keep the licensed material (and changes to it) under the same license when shared")
        if c.strength == "network":
            duty += "; offer the source to users of a modified version over a network"
        ctx.oblige("same-license", f"{duty} ({_COPYLEFT_WORDS[c.strength]}, {lic.name})", lic, c.evidence)
        decision = getattr(rule, c.strength)
        if decision == "off" or (acts and not acts & _COPYLEFT_ACTS[c.strength]):
            continue
        ctx.findings.append(Finding("copyleft", decision, f"{lic.name}{ctx.via(carrier)} is "
                                    f"{_COPYLEFT_WORDS[c.strength]}: {c.summary}", _refs(lic.id, c.evidence), lic.id,
                                    remedy="meet the copyleft duties for what you share, or keep the use internal"))


def _no_derivatives(ctx: _Context) -> None:
    rule = ctx.policy.policy.rules.no_derivatives
    acts = set(ctx.org.activities)
    for lic, carrier in ctx.licenses:
        nd = lic.no_derivatives
        if nd is None:
            continue
        ctx.oblige("no-derivatives", f"adapted versions (fine-tunes, merges) may not be shared ({lic.name})", lic,
                   nd.evidence)
        adapts = not acts or acts & {"fine-tune", "distill"}
        shares = not acts or acts & {"redistribute-weights", "on-device"}
        if rule.decision != "off" and adapts and shares:
            ctx.findings.append(Finding("no-derivatives", rule.decision, f"{lic.name}{ctx.via(carrier)}: "
                                        f"{nd.summary}" + ("" if acts else " (the policy states no activities)"),
                                        _refs(lic.id, nd.evidence), lic.id,
                                        remedy="do not share fine-tuned weights, or a license that allows it"))


RULES = (
    ("license", _license), ("unknown-license", _unknown_license), ("origin", _origin),
    ("user-threshold", _user_threshold), ("territory", _territory), ("non-commercial", _non_commercial),
    ("registration", _registration),
    ("attribution", _attribution), ("acceptable-use", _acceptable_use), ("output-use", _output_use),
    ("field-of-use", _field_of_use), ("lineage", _lineage), ("remote-restriction", _remote_restriction),
    ("copyleft", _copyleft), ("no-derivatives", _no_derivatives),
)


def _apply_exceptions(findings: list[Finding], subject: Resolved, exceptions: tuple[PolicyException, ...],
                      today: _dt.date) -> list[Finding]:
    names = (subject.record.model, subject.record.reference)
    out = []
    for f in findings:
        matching = [e for e in exceptions if e.rule == f.rule and e.matches(*names)]
        valid = next((e for e in matching if e.expires >= today), None)
        expired = next((e for e in matching if e.expires < today), None)
        if valid is not None:
            f = Finding(f.rule, f.decision, f.message, f.evidence, f.license, f.remedy, waived=Waiver.of(valid))
        elif expired is not None:
            f = Finding(f.rule, f.decision, f.message, f.evidence, f.license, f.remedy, expired_waiver=Waiver.of(expired))
        out.append(f)
    return out


def _off_rules(policy: LoadedPolicy) -> frozenset[str]:
    """Rules the policy turned off (every decision they can make is "off"); computed once per policy."""
    cached = getattr(policy, "_off_rules", None)
    if cached is None:
        off = set()
        for rule_id, _ in RULES:
            if rule_id == "unknown-license":
                continue
            rule = policy.policy.rules.get(rule_id)
            fields = type(rule).model_fields
            decisions = [getattr(rule, name) for name in ("decision", "otherwise", "missing", "unknown", "defense",
                                                          "weak", "strong", "network") if name in fields]
            if all(d == "off" for d in decisions):
                off.add(rule_id)
        cached = frozenset(off)
        policy._off_rules = cached  # type: ignore[attr-defined]
    return cached


MAX_CHOICES = 16


def evaluate(subject: Resolved, policy: LoadedPolicy, kb: KnowledgeBase, *, today: _dt.date) -> Assessment:
    """Judge one resolved model under a policy, as of ``today``. A declared ``A OR B`` is a choice: every option
    is judged and the most favourable one the policy allows is taken; a ``license`` finding says which."""
    choices = subject.record.license_choices
    if not choices:
        return _evaluate(subject, policy, kb, today=today)
    import itertools

    judged = []
    for combo in itertools.islice(itertools.product(*(c.options for c in choices)), MAX_CHOICES):
        ids = tuple(dict.fromkeys(i for option in combo for i in option))
        record = subject.record.model_copy(update={"licenses": tuple(dict.fromkeys((*subject.record.licenses, *ids))),
                                                   "license_choices": ()})
        assessment = _evaluate(subject.model_copy(update={"record": record}), policy, kb, today=today)
        live = sum(1 for f in assessment.findings if f.effective != "allow")
        judged.append((SEVERITY[assessment.decision], live, len(judged), ids, assessment))
    judged.sort(key=lambda j: j[:3])
    _, _, _, ids, chosen = judged[0]
    others = "; ".join(f"{' AND '.join(o)}: {a.decision}" for _, _, _, o, a in judged[1:])
    expressions = " AND ".join(f"({c.expression})" if len(choices) > 1 else c.expression for c in choices)
    unresolved = sorted({u for c in choices for u in c.unresolved})
    chosen.findings.insert(0, Finding(
        "license", "allow", f"license expression {expressions}: chose {' AND '.join(ids)}, the most favourable "
        f"option under the policy ({chosen.decision})" + (f"; other options: {others}" if others else "")
        + (f"; not in the knowledge base, so never chosen: {', '.join(unresolved)}" if unresolved else ""),
        remedy="meet the chosen option's terms, or declare the license you actually use"))
    return chosen


def _evaluate(subject: Resolved, policy: LoadedPolicy, kb: KnowledgeBase, *, today: _dt.date) -> Assessment:
    ctx = _Context(subject, policy, kb, policy.policy.organization, _effective_licenses(subject, kb))
    off = _off_rules(policy)
    for rule_id, check in RULES:
        before, traced = len(ctx.findings), len(ctx.trace)
        check(ctx)  # obligations are gathered even when a rule is off: they bind whatever the policy says
        new = len(ctx.findings) - before
        if rule_id in off:
            ctx.trace.append(RuleTrace(rule_id, "off", "turned off by the policy"))
        elif new:
            ctx.trace.append(RuleTrace(rule_id, "triggered", f"{new} finding(s)"))
        elif len(ctx.trace) == traced:
            ctx.trace.append(RuleTrace(rule_id, "clear", "nothing in the effective terms triggers it"))
    findings = _apply_exceptions(ctx.findings, subject, policy.policy.exceptions, today)
    for trace in list(ctx.trace):
        if trace.outcome == "triggered" and all(f.waived for f in findings if f.rule == trace.rule):
            ctx.trace[ctx.trace.index(trace)] = RuleTrace(trace.rule, "waived", trace.detail + ", all waived")
    return Assessment(subject, policy.name, policy.sha256, today, findings, ctx.obligations, ctx.trace)
