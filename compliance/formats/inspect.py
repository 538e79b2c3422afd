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
    for fact in r.facts.get("model", ()):  # how a name became this model (grammar, provider or Ollama table)
        lines.append(f"  identified by {fact.source}: {fact.detail}")
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
        "matched_by": r.facts["model"][0].source if r.facts.get("model") else None,
        "facts": {k: [f.model_dump(mode="json") for f in v] for k, v in r.facts.items()},
        "findings": [f.model_dump(mode="json") for f in (*r.findings, *resolved.findings)],
    }


def explain_name_text(explained: dict[str, Any]) -> str:
    """``inspect --explain-name``: how a name was read, what each table and the grammar said, and the result."""
    lines = [f"{explained['name']}"]
    ref = explained.get("reference")
    if ref:
        extra = ", ".join(f"{k} {v}" for k, v in ref.items() if v and k not in ("kind", "target"))
        lines.append(f"  reference: {ref['kind']} {ref['target']}" + (f" ({extra})" if extra else ""))
    parsed = explained.get("parsed")
    if parsed:
        parts = []
        for key in ("organization", "republisher", "stem", "version", "variant", "date"):
            if parsed.get(key):
                parts.append(f"{key} {parsed[key]}")
        if parsed.get("size_b") is not None:
            parts.append(f"size {parsed['size_b']:g}B" + (f" ({parsed['active_b']:g}B active)" if parsed.get("active_b") else ""))
        for key in ("words", "packaging", "serving"):
            if parsed.get(key):
                parts.append(f"{key} {', '.join(parsed[key])}")
        lines.append("  parsed: " + "; ".join(parts))
        lines.append(f"  tokens compared: {' '.join(parsed['tokens']) or '(none)'}")
    steps = [("provider table", explained.get("provider_table")),
             ("serving names without prefix", "; ".join(explained.get("bare_serving_name") or ()) or None),
             ("Ollama table", explained.get("ollama_table")), ("catalog id", explained.get("catalog_id"))]
    for label, value in steps:
        if "reference" in explained and explained["reference"]["kind"] != "path":
            lines.append(f"  {label}: {value or 'no'}")
    grammar = explained.get("grammar")
    if grammar:
        if grammar["model"]:
            how = grammar["rule"] or grammar["how"]
            lines.append(f"  grammar: {grammar['model']} ({how})")
        elif grammar["candidates"]:
            lines.append(f"  grammar: ambiguous: {', '.join(grammar['candidates'])}")
        else:
            lines.append("  grammar: no catalog model" + (f"; nearest: {', '.join(grammar['nearest'])}"
                                                          if grammar["nearest"] else ""))
    resolved = explained.get("resolved")
    if resolved:
        lines.append(f"  resolved: {resolved['model']} [{resolved['source']}] {', '.join(resolved['licenses']) or 'no license'}")
        for how in resolved["matched_by"]:
            lines.append(f"    matched by {how}")
        for f in resolved["findings"]:
            lines.append(f"    {SEVERITY_MARK[f['severity']]} {f['kind']}: {f['message']}")
    if explained.get("error"):
        lines.append(f"  not resolved: {explained['error']}")
    return "\n".join(lines)
