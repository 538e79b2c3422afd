"""``compliance query`` output."""
from __future__ import annotations

from collections import Counter

from .table import render_table


def query_rows(rows) -> list[dict]:
    out = []
    for row in rows:
        a = row.assessment
        r = a.subject.record
        out.append({"model": a.model, "decision": a.decision, "licenses": list(row.licenses),
                    "publisher": r.publisher_name or r.publisher, "country": r.country, "modality": r.modality,
                    "params_b": row.params_b, "main_reason": a.main_reason,
                    "rules": sorted({f.rule for f in a.findings if not f.waived and f.decision != "allow"})})
    return out


def query_text(rows, policy, today) -> str:
    table = render_table(
        ["DECISION", "MODEL", "LICENSES", "PUBLISHER", "COUNTRY", "PARAMS", "MAIN REASON"],
        [[r.assessment.decision, r.assessment.model, ",".join(r.licenses),
          r.assessment.subject.record.publisher_name or "?", r.assessment.subject.record.country or "?",
          f"{r.params_b:g}B" if r.params_b else "", r.assessment.main_reason] for r in rows],
        max_width=60,
    )
    counts = Counter(r.assessment.decision for r in rows)
    summary = ", ".join(f"{counts[d]} {d}" for d in ("allow", "review", "deny") if counts[d]) or "no models match"
    return (f"policy {policy.name} (sha256 {policy.sha256[:12]}…) · {today.isoformat()}\n\n{table}\n\n"
            f"{len(rows)} models: {summary}")
