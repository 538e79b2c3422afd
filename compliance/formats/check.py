"""``compliance check`` / ``explain --policy`` output: readable text and the public JSON shape."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..decisions import worst
from ..evaluate import Assessment, Finding
from ..knowledge import KnowledgeBase

MARK = {"deny": "✗", "review": "!", "allow": "·"}
SCHEMA_VERSION = 1


def _evidence(f: Finding) -> list[dict[str, Any]]:
    return [{"license": e.license, "section": e.section, "quote": e.quote, "file": e.file} for e in f.evidence]


def _waiver(w) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"approved_by": w.approved_by, "expires": w.expires.isoformat(), "ticket": w.ticket, "reason": w.reason,
            "model": w.model}


def result_json(a: Assessment, kb: KnowledgeBase) -> dict[str, Any]:
    r = a.subject.record
    return {
        "reference": r.reference,
        "model": r.model,
        "revision": r.revision,
        "source": r.source,
        "decision": a.decision,
        "main_reason": a.main_reason,
        "publisher": r.publisher_name or r.publisher,
        "country": r.country,
        "modality": r.modality,
        "declared_license": list(r.declared_license),
        "licenses": [{"id": lic, "name": kb.licenses[lic].name if lic in kb.licenses else lic}
                     for lic in a.subject.effective_licenses()],
        "findings": [{"rule": f.rule, "decision": f.decision, "message": f.message, "license": f.license,
                      "evidence": _evidence(f), "remedy": f.remedy, "waived": _waiver(f.waived),
                      "expired_waiver": _waiver(f.expired_waiver)} for f in a.findings],
        "obligations": [{"kind": o.kind, "text": o.text, "license": o.license, "section": o.section,
                         "quote": o.quote, "required": o.required, "verbatim": o.verbatim,
                         "verbatim_continues": o.verbatim_continues} for o in a.obligations],
        "lineage": [{"model": x.model, "relation": x.relation, "depth": x.depth, "licenses": list(x.licenses),
                     "country": x.country, "resolved": x.resolved, "superseded_by": x.superseded_by}
                    for x in a.subject.lineage],
        "trace": [{"rule": t.rule, "outcome": t.outcome, "detail": t.detail} for t in a.trace],
    }


def check_json(assessments: list[Assessment], kb: KnowledgeBase, policy_name: str, policy_sha: str, date) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "policy": {"name": policy_name, "sha256": policy_sha},
        "knowledge_base": kb.version,
        "date": date.isoformat(),
        "decision": _overall(assessments),
        "results": [result_json(a, kb) for a in assessments],
    }


def _overall(assessments: list[Assessment]) -> str:
    return worst(a.decision for a in assessments)


def finding_lines(f: Finding, indent: str = "  ") -> list[str]:
    if f.waived:
        w = f.waived
        head = (f"{indent}~ {f.rule} [{f.decision}, WAIVED by {w.approved_by} until {w.expires}"
                + (f", {w.ticket}" if w.ticket else "") + f"]: {f.message}")
    else:
        head = f"{indent}{MARK[f.decision]} {f.rule} [{f.decision}]: {f.message}"
    lines = [head]
    for e in f.evidence[:2]:
        quote = f" “{e.quote}”" if e.quote else ""
        lines.append(f"{indent}    [{e.license + ' ' if e.license else ''}{e.section}]{quote}")
    if f.expired_waiver:
        w = f.expired_waiver
        lines.append(f"{indent}    exception by {w.approved_by} EXPIRED on {w.expires}" + (f" ({w.ticket})" if w.ticket else ""))
    if f.remedy and not f.waived:
        lines.append(f"{indent}    would change it: {f.remedy}")
    return lines


def assessment_text(a: Assessment, kb: KnowledgeBase) -> str:
    r = a.subject.record
    ref = f"  ({r.reference})" if r.reference != r.model else ""
    lines = [f"{a.decision.upper():7s} {r.model}{ref}"]
    lics = ", ".join(f"{lic} ({kb.licenses[lic].name})" if lic in kb.licenses else lic
                     for lic in a.subject.effective_licenses()) or "none identified"
    origin = f"{r.publisher_name or r.publisher or 'unknown publisher'}, {r.country or 'country unknown'}"
    lines.append(f"  licenses: {lics} · {origin} · {r.modality}")
    order = {"deny": 0, "review": 1, "allow": 2}
    for f in sorted(a.findings, key=lambda f: (bool(f.waived), order[f.decision])):
        lines += finding_lines(f)
    if a.obligations:
        lines.append("  obligations if used:")
        for o in a.obligations:
            where = f" [{o.license} {o.section}]" if o.section else f" [{o.license}]"
            lines.append(f"    - {o.text}{where}")
    return "\n".join(lines)


def check_text(assessments: list[Assessment], kb: KnowledgeBase, policy_name: str, policy_sha: str, date) -> str:
    head = f"policy {policy_name} (sha256 {policy_sha[:12]}…) · evaluated {date.isoformat()} · knowledge base {kb.version}"
    blocks = [head, ""] + [assessment_text(a, kb) + "\n" for a in assessments]
    counts = Counter(a.decision for a in assessments)
    blocks.append(f"{_overall(assessments).upper()}: " + ", ".join(
        f"{counts[d]} {d}" for d in ("deny", "review", "allow") if counts[d]))
    return "\n".join(blocks)


def explain_text(a: Assessment, kb: KnowledgeBase) -> str:
    lines = [assessment_text(a, kb).splitlines()[0], "", "rule by rule:"]
    for t in a.trace:
        lines.append(f"  {t.rule:18s} {t.outcome:9s} {t.detail}")
        for f in a.findings:
            if f.rule == t.rule:
                lines += finding_lines(f, indent="      ")
    lines += ["", f"decision: {a.decision} — {a.main_reason}"]
    return "\n".join(lines)
