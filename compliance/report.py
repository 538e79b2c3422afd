"""The audit report as data: what a legal reviewer signs, gathered once and rendered by every report format.

``build_report(assessments, policy, kb, date=...)`` turns assessments into a :class:`Report`: the cover facts, a
summary row per model, a section per model (identity and where each fact came from, lineage, findings with
their clauses, waivers), one obligations checklist deduplicated across models, and the appendix (the policy as
evaluated, the knowledge-base records and publishers cited). No I/O beyond reading the policy files' bytes for
their hashes, no clock: the same inputs give the same report, byte for byte, in every format.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .countries import display
from .evaluate import SEVERITY, Assessment, Finding
from .knowledge import KnowledgeBase
from .policy import LoadedPolicy
from .terms import LicenseTerms

DECISION_WORDS = {"deny": "DENY", "review": "REVIEW", "allow": "ALLOW"}
DECISION_MARKS = {"deny": "✗", "review": "!", "allow": "✓"}  # with the word and the colour: never colour alone
# Obligations one act meets for every license that states it identically ("Built with Llama" once covers every
# Llama model); the others are per license (each license's own copy, NOTICE and use policy).
PER_LICENSE = {"license-copy", "notice-file", "acceptable-use", "registration", "pass-through", "output-use"}
OBLIGATION_TITLES = {
    "threshold": "User or revenue cap", "territory": "Territory", "license-copy": "Copy of the license",
    "notice-file": "NOTICE file", "modification-notice": "Modification notices", "built-with": "Attribution display",
    "powered-by": "Attribution display", "name-prefix": "Name of derived models", "registration": "Registration",
    "acceptable-use": "Acceptable use policy", "output-use": "Use of outputs",
    "pass-through": "Pass-through of restrictions",
}


@dataclass(frozen=True)
class ModelRef:
    anchor: str
    label: str
    decision: str


@dataclass
class ObligationItem:
    kind: str
    title: str
    text: str
    required: bool
    clauses: list[tuple[str, str | None, str | None]]  # (license id, section, quote)
    notice: str | None = None  # the NOTICE sentence, verbatim
    notice_continues: bool = False
    models: list[ModelRef] = field(default_factory=list)


@dataclass
class ObligationGroup:
    models: list[ModelRef]
    items: list[ObligationItem]


@dataclass
class ModelSection:
    index: int
    anchor: str
    assessment: Assessment
    label: str
    licenses: list[tuple[str, str]]  # (id, name)
    publisher: str
    country: str
    facts: list[tuple[str, str, str | None, str | None]]  # (fact, source, revision, detail)
    license_files: list
    lineage: list[dict]
    live: list[Finding]
    waived: list[Finding]
    expired: list[Finding]
    allowed: list[Finding]  # findings the policy decides "allow": shown for information
    notes: list
    rules: str  # the rule trace in one line
    rule_notes: list[tuple[str, str, str]]  # (rule, outcome, detail) where the detail says more than the outcome

    @property
    def fact_sources(self) -> list[tuple[str, str | None, list[str], list[str]]]:
        """The facts grouped by where they came from: (source, revision, fact names, short details). The PDF
        prints these (a page per model is the layout budget); the JSON and Markdown reports keep every detail."""
        groups: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}
        for fact, source, revision, detail in self.facts:
            names, details = groups.setdefault((source, revision), ([], []))
            if fact not in names:
                names.append(fact)
            if detail and len(detail) <= 60 and detail not in details:
                details.append(detail)
        return [(source, revision, names, details) for (source, revision), (names, details) in groups.items()]

    @property
    def shown(self) -> list[Finding]:
        """Every finding that is not waived: the live ones (deny, review) first, then those the policy allows."""
        return self.live + self.allowed

    @property
    def record(self):
        return self.assessment.subject.record

    @property
    def decision(self) -> str:
        return self.assessment.decision

    @property
    def main_reason(self) -> str:
        return self.assessment.main_reason


@dataclass
class CitedRecord:
    terms: LicenseTerms
    publisher: str
    country: str
    models: list[ModelRef]


@dataclass
class PolicyFile:
    name: str
    sha256: str


@dataclass
class Report:
    title: str
    subject: str
    organization: dict[str, str]
    policy_name: str
    policy_sha256: str
    policy_description: str | None
    policy_files: list[PolicyFile]
    policy_yaml: str
    policy_data: dict
    date: _dt.date
    tool_version: str
    kb_version: str
    decision: str
    counts: dict[str, int]
    models: list[ModelSection]
    obligations: list[ObligationGroup]
    records: list[CitedRecord]
    publishers: list[dict[str, str]]
    paper: str = "A4"

    @property
    def count_text(self) -> str:
        return ", ".join(f"{self.counts[d]} {d}" for d in ("deny", "review", "allow") if self.counts.get(d))


def overall(assessments: list[Assessment]) -> str:
    decisions = {a.decision for a in assessments}
    return "deny" if "deny" in decisions else "review" if "review" in decisions else "allow"


def _label(a: Assessment) -> str:
    r = a.subject.record
    return r.model


def _facts(record) -> list[tuple[str, str, str | None, str | None]]:
    rows = []
    prefix = f"licenses/models.yaml: {record.model}: "  # the catalog's own entry: named once, in the source row
    for key in sorted(record.facts):
        for fact in record.facts[key]:
            detail = fact.detail
            if detail and fact.source == "catalog" and detail.startswith(prefix):
                detail = detail[len(prefix):]
            rows.append((key.replace("_", " "), fact.source, fact.revision, detail))
    return rows


SOURCES = {"catalog": "embedded catalog (licenses/models.yaml)", "local": "local folder or file",
           "cache": "Hugging Face cache", "hub": "Hugging Face Hub", "ollama": "Ollama manifest"}


def _lineage(a: Assessment, kb: KnowledgeBase) -> list[dict]:
    rows = []
    for anc in a.subject.lineage:
        pub = kb.publisher(anc.publisher)
        rows.append({
            "model": anc.model, "relation": anc.relation, "depth": anc.depth, "parent": anc.parent,
            "licenses": [(lic, kb.licenses[lic].name if lic in kb.licenses else lic) for lic in anc.licenses],
            "publisher": pub.name if pub else (anc.publisher or "unknown"),
            "country": display(anc.country) if anc.country else "unknown",
            "source": anc.source or "—", "resolved": anc.resolved, "inferred": anc.inferred,
            "superseded_by": anc.superseded_by,
        })
    return rows


def _section(index: int, a: Assessment, kb: KnowledgeBase) -> ModelSection:
    r = a.subject.record
    order = lambda f: (-SEVERITY[f.decision], f.rule)
    return ModelSection(
        index=index, anchor=f"model-{index}", assessment=a, label=_label(a),
        licenses=[(lic, kb.licenses[lic].name if lic in kb.licenses else lic)
                  for lic in a.subject.effective_licenses()],
        publisher=r.publisher_name or r.publisher or "unknown publisher",
        country=display(r.country) if r.country else "country unknown",
        facts=_facts(r), license_files=list(r.license_files), lineage=_lineage(a, kb),
        live=sorted((f for f in a.findings if not f.waived and f.decision != "allow"), key=order),
        waived=[f for f in a.findings if f.waived],
        expired=[f for f in a.findings if f.expired_waiver],
        allowed=[f for f in a.findings if not f.waived and f.decision == "allow"],
        notes=[*r.findings, *a.subject.findings],
        rules=_rules(a), rule_notes=[(t.rule, t.outcome, t.detail) for t in a.trace if not _GENERIC.match(t.detail)],
    )


_GENERIC = re.compile(r"^(nothing in the effective terms triggers it|turned off by the policy"
                      r"|\d+ finding\(s\)(, all waived)?)$")


def _rules(a: Assessment) -> str:
    """The rule trace in one line: what triggered (with counts), was waived or is off; the rest is clear."""
    out: dict[str, list[str]] = {}
    counts = Counter(f.rule for f in a.findings)
    for t in a.trace:
        label = t.rule + (f" ({counts[t.rule]})" if counts[t.rule] > 1 else "")
        out.setdefault(t.outcome, []).append(label)
    parts = [f"{k}: {', '.join(out[k])}" for k in ("triggered", "waived", "off") if k in out]
    clear = len(out.get("clear", ()))
    if clear:
        parts.append(f"the other {clear} clear" if parts else f"all {clear} clear ({', '.join(out['clear'])})")
    return f"{len(a.trace)} rules checked; " + "; ".join(parts) + "."


def _obligations(sections: list[ModelSection], kb: KnowledgeBase) -> list[ObligationGroup]:
    items: dict[tuple, ObligationItem] = {}
    for s in sections:
        ref = ModelRef(s.anchor, s.label, s.decision)
        for o in s.assessment.obligations:
            notice = o.verbatim if o.kind == "notice-file" else None
            if o.kind in PER_LICENSE:
                key = (o.kind, o.license, o.text)
            elif o.verbatim:
                key = (o.kind, o.verbatim, o.required)
            else:
                key = (o.kind, o.text, o.required)
            item = items.get(key)
            if item is None:
                item = items[key] = ObligationItem(
                    kind=o.kind, title=OBLIGATION_TITLES.get(o.kind, o.kind), text=o.text, required=o.required,
                    clauses=[], notice=notice, notice_continues=bool(notice and o.verbatim_continues))
            clause = (o.license, o.section, o.quote)
            if clause not in item.clauses:
                item.clauses.append(clause)
            if ref not in item.models:
                item.models.append(ref)
    groups: dict[tuple[str, ...], ObligationGroup] = {}
    for item in items.values():
        key = tuple(m.anchor for m in item.models)
        groups.setdefault(key, ObligationGroup(models=item.models, items=[])).items.append(item)
    # most widely shared first, then in the order the models appear
    position = {s.anchor: s.index for s in sections}
    return sorted(groups.values(), key=lambda g: (-len(g.models), [position[m.anchor] for m in g.models]))


def _cited(sections: list[ModelSection], kb: KnowledgeBase) -> tuple[list[CitedRecord], list[dict[str, str]]]:
    by_license: dict[str, list[ModelRef]] = {}
    publishers: dict[str, set[str]] = {}
    for s in sections:
        ref = ModelRef(s.anchor, s.label, s.decision)
        ids = [lic for lic, _ in s.licenses]
        ids += [f.license for f in s.assessment.findings if f.license]
        ids += [o.license for o in s.assessment.obligations]
        ids += [lf.identified for lf in s.license_files if lf.identified]
        for lic in ids:
            if lic in kb.licenses and ref not in by_license.setdefault(lic, []):
                by_license[lic].append(ref)
        r = s.record
        for pub_id in (r.publisher, *(a.publisher for a in s.assessment.subject.lineage)):
            if pub_id and kb.publisher(pub_id):
                publishers.setdefault(pub_id, set())
    records = []
    for lic_id in sorted(by_license):
        lic = kb.licenses[lic_id]
        pub = kb.publisher(lic.publisher)
        publishers.setdefault(lic.publisher, set())
        records.append(CitedRecord(lic, pub.name if pub else lic.publisher,
                                   display(pub.country) if pub and pub.country else "no country on record",
                                   by_license[lic_id]))
    pubs = []
    for pub_id in sorted(publishers):
        pub = kb.publisher(pub_id)
        if pub is not None:
            pubs.append({"id": pub.id, "name": pub.name, "legal_entity": pub.legal_entity or "",
                         "country": f"{display(pub.country)} ({pub.country})" if pub.country else "unknown",
                         "source": pub.source or ""})
    return records, pubs


def policy_yaml(policy: LoadedPolicy) -> str:
    """The policy as evaluated: after ``extends`` and overrides, every default filled in."""
    import yaml

    data = policy.policy.model_dump(mode="json", by_alias=True, exclude={"extends"})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def _policy_files(policy: LoadedPolicy) -> list[PolicyFile]:
    out = []
    for path in policy.files:
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            digest = "unreadable"
        out.append(PolicyFile(Path(path).name, digest))
    return out


def _organization(policy: LoadedPolicy) -> dict[str, str]:
    from . import present

    org = policy.policy.organization
    rows = {"name": org.name or "(not stated in the policy)"}
    if org.domicile:
        rows["domicile"] = f"{display(org.domicile)} ({org.domicile})"
    if org.regions:
        rows["regions"] = ", ".join(display(r) for r in org.regions)
    if org.monthly_active_users is not None:
        rows["monthly active users"] = present.number(org.monthly_active_users)
    if org.daily_active_users is not None:
        rows["daily active users"] = present.number(org.daily_active_users)
    if org.annual_revenue_usd is not None:
        rows["annual revenue"] = f"USD {present.number(org.annual_revenue_usd)}"
    if org.monthly_revenue_usd is not None:
        rows["monthly revenue"] = f"USD {present.number(org.monthly_revenue_usd)}"
    rows["use"] = org.use
    rows["sector"] = org.sector
    rows["activities"] = ", ".join(org.activities) or "all (none stated)"
    return rows


def build_report(assessments: list[Assessment], policy: LoadedPolicy, kb: KnowledgeBase, *, date: _dt.date,
                 paper: str = "A4", title: str | None = None) -> Report:
    sections = [_section(i, a, kb) for i, a in enumerate(assessments, start=1)]
    records, publishers = _cited(sections, kb)
    title = title or "Open-weight model compliance report"
    counts = Counter(a.decision for a in assessments)
    return Report(
        title=title,
        subject=f"License and procurement review of {len(assessments)} model(s) under policy {policy.name}, "
                f"evaluated {date.isoformat()}",
        organization=_organization(policy), policy_name=policy.name, policy_sha256=policy.sha256,
        policy_description=policy.policy.description, policy_files=_policy_files(policy),
        policy_yaml=policy_yaml(policy),
        policy_data=policy.policy.model_dump(mode="json", by_alias=True, exclude={"extends"}),
        date=date, tool_version=__version__, kb_version=kb.version,
        decision=overall(assessments), counts=dict(counts), models=sections,
        obligations=_obligations(sections, kb), records=records, publishers=publishers, paper=paper)


def report_json(report: Report, assessments: list[Assessment], kb: KnowledgeBase) -> dict:
    """``check``'s JSON (same keys, same per-model results) plus the report's own parts."""
    from .formats.check import check_json

    data = check_json(assessments, kb, report.policy_name, report.policy_sha256, report.date)
    data["report"] = {
        "title": report.title,
        "tool_version": report.tool_version,
        "organization": report.organization,
        "counts": {d: report.counts.get(d, 0) for d in ("deny", "review", "allow")},
        "obligations": [{
            "models": [m.label for m in g.models],
            "items": [{"kind": i.kind, "text": i.text, "required": i.required, "notice": i.notice,
                       "notice_continues": i.notice_continues,
                       "clauses": [{"license": c[0], "section": c[1], "quote": c[2]} for c in i.clauses]}
                      for i in g.items]} for g in report.obligations],
        "policy": {"name": report.policy_name, "sha256": report.policy_sha256,
                   "files": [{"name": f.name, "sha256": f.sha256} for f in report.policy_files],
                   "effective": report.policy_data},
        "knowledge_base_records": [{
            "id": c.terms.id, "name": c.terms.name, "publisher": c.publisher, "source_url": c.terms.source_url,
            "verified": c.terms.verified,
            "texts": [{"path": t.path, "role": t.role, "sha256": t.sha256, "normalized_sha256": t.normalized_sha256}
                      for t in c.terms.texts],
            "models": [m.label for m in c.models]} for c in report.records],
        "publishers": report.publishers,
    }
    return data
