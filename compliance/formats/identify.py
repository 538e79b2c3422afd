"""``compliance identify`` results as readable text."""
from __future__ import annotations

from ..identify import Identification
from ..present import METRIC_NAMES, number


def identify_report(results: list[Identification]) -> str:
    blocks = []
    for r in results:
        if r.error:
            blocks.append(f"{r.file}: not identified: {r.error}")
            continue
        if r.id:
            head = f"{r.file}: {r.id} ({r.role}) · {r.name} · confidence {r.confidence:.2f} by {r.matched_by}"
        elif r.modified_from:
            head = f"{r.file}: modified: {r.modified_from} (not {r.modified_from}: the text adds clauses)"
        elif r.spdx:
            head = f"{r.file}: SPDX {r.spdx}, no terms in the knowledge base (unknown license)"
        else:
            head = f"{r.file}: unknown license"
        lines = [head]
        if r.evidence:
            lines.append(f"  evidence: “{r.evidence}”")
        for clause in r.added_clauses:
            text = clause["text"] if len(clause["text"]) <= 240 else clause["text"][:240].rsplit(" ", 1)[0] + " …"
            lines.append(f"  added clause: “{text}”")
            terms = clause["terms"]
            for th in terms["thresholds"]:
                amount = f"{th['currency']} {number(th['limit'])}" if th["currency"] else number(th["limit"])
                lines.append(f"    threshold: > {amount} {METRIC_NAMES[th['metric']]}"
                             + (f" → {th['consequence']}" if th.get("consequence") else ""))
            for o in terms["attribution"]:
                lines.append(f"    {o['kind']}: {o['text'] or '(no fixed text)'}")
        lines += [f"  why: {reason}" for reason in r.reasons]
        if r.alternatives:
            lines.append("  also resembles: " + ", ".join(f"{a['id']} ({a['share']:.0%})" for a in r.alternatives[:3]))
        t = r.terms
        if t is not None:
            lines.append(f"  stated terms: commercial use {t.commercial_use or 'not stated'}")
            for th in t.thresholds:
                amount = f"{th.currency} {number(th.limit)}" if th.currency else number(th.limit)
                op = ">" if th.comparison == "greater-than" else "≥"
                lines.append(f"    threshold: {op} {amount} {METRIC_NAMES[th.metric]}"
                             + (f" → {th.consequence}" if th.consequence else ""))
            if t.territory:
                lines.append(f"    territory: excludes {', '.join(t.territory.excluded)} ({t.territory.scope}, "
                             f"{t.territory.basis}{', end users exempt' if t.territory.end_users_exempt else ''})")
            for o in t.attribution:
                lines.append(f"    {o.kind}: {o.text or '(no fixed text)'}{'' if o.required else ' (encouraged)'}")
            if t.output_use:
                lines.append(f"    outputs: {t.output_use}")
            if t.governing_law:
                law = t.governing_law
                lines.append(f"    governing law: {law['text']} ({law['jurisdiction'] or '?'})"
                             + (f"; {law['venue']}" if law.get("venue") else ""))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
