"""``compliance inspect``: a resolved model as readable text and as JSON."""
from __future__ import annotations

from typing import Any

from ..countries import display
from ..model import Ancestor, Fact, Resolved

SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "·"}


def _fact(facts: tuple[Fact, ...] | None) -> str:
    if not facts:
        return ""
    f = facts[0]
    where = f.source + (f" @{f.revision[:12]}" if f.revision else "")
    return f"  [{where}{': ' + f.detail if f.detail else ''}]"


def inspect_text(resolved: Resolved) -> str:
    r = resolved.record
    lines = [f"{r.model}" + (f"  (reference {r.reference})" if r.reference != r.model else "")]
    checked = " as checked" if r.source == "catalog" else ""
    on = f" on {r.revision_date.isoformat()}" if r.revision_date else ""
    lines.append(f"  source: {r.source}" + (f"{checked} at revision {r.revision}{on}" if r.revision else ""))
    if r.publisher_name or r.country:
        lines.append(f"  publisher: {r.publisher_name or r.publisher or 'unknown'} "
                     f"({display(r.country) if r.country else 'country unknown'}){_fact(r.facts.get('publisher'))}")
    else:
        lines.append("  publisher: unknown (not in the publisher registry; country unknown)")
    declared = ", ".join(r.declared_license) or "none"
    if r.license_name:
        declared += f" (license_name: {r.license_name})"
    lines.append(f"  declared license: {declared}")
    lines.append(f"  identified licenses: {', '.join(r.licenses) or 'none'}")
    for fact in r.facts.get("license", ()):
        lines.append(f"    from {fact.source}" + (f" @{fact.revision[:12]}" if fact.revision else "") + f": {fact.detail}")
    for lf in r.license_files:
        lines.append(f"  license file {lf.name}: {lf.identified or 'unknown'}"
                     + (f" ({lf.matched_by}, {lf.confidence:.2f})" if lf.identified else "")
                     + f" sha256 {lf.sha256[:16]}…")
    lines.append(f"  modality: {r.modality}{_fact(r.facts.get('modality'))}")
    if r.ollama:
        lines.append(f"  ollama: {', '.join(r.ollama)}")
    if resolved.lineage:
        lines.append("  lineage:")
        for anc in resolved.lineage:
            lines.append(_ancestor_line(anc))
    else:
        lines.append("  lineage: none declared")
    lines.append(f"  effective licenses: {', '.join(resolved.effective_licenses()) or 'none identified'}")
    findings = list(r.findings) + list(resolved.findings)
    if findings:
        lines.append("  findings:")
        for f in findings:
            lines.append(f"    {SEVERITY_MARK[f.severity]} {f.kind}: {f.message}")
    return "\n".join(lines)


def _ancestor_line(anc: Ancestor) -> str:
    indent = "    " + "   " * (anc.depth - 1)
    if not anc.resolved:
        return f"{indent}└─ {anc.model} ({anc.relation}) unresolved"
    licenses = ", ".join(anc.licenses) or "no license identified"
    where = f" [{anc.source}]" if anc.source else ""
    country = f" {anc.country}" if anc.country else ""
    superseded = f" — relicensed by {anc.superseded_by}" if anc.superseded_by else ""
    return f"{indent}└─ {anc.model} ({anc.relation}) {licenses}{country}{where}{superseded}"


def inspect_json(resolved: Resolved) -> dict[str, Any]:
    r = resolved.record
    return {
        "reference": r.reference,
        "model": r.model,
        "revision": r.revision,
        "revision_date": r.revision_date.isoformat() if r.revision_date else None,
        "source": r.source,
        "publisher": r.publisher_name or r.publisher,
        "publisher_id": r.publisher,
        "country": r.country,
        "licenses": list(r.licenses),
        "declared_license": list(r.declared_license),
        "license_name": r.license_name,
        "license_link": r.license_link,
        "effective_licenses": list(resolved.effective_licenses()),
        "modality": r.modality,
        "license_files": [lf.model_dump(mode="json") for lf in r.license_files],
        "base_models": [b.model_dump(mode="json") for b in r.base_models],
        "lineage": [
            {"model": a.model, "relation": a.relation, "depth": a.depth, "parent": a.parent,
             "licenses": list(a.licenses), "publisher": a.publisher, "country": a.country, "resolved": a.resolved,
             "source": a.source, "inferred": a.inferred, "superseded_by": a.superseded_by,
             "findings": [f.model_dump(mode="json") for f in a.findings]}
            for a in resolved.lineage
        ],
        "ollama": list(r.ollama),
        "facts": {k: [f.model_dump(mode="json") for f in v] for k, v in r.facts.items()},
        "findings": [f.model_dump(mode="json") for f in (*r.findings, *resolved.findings)],
    }
