"""A knowledge-base record as readable text: every term with the clause it comes from."""
from __future__ import annotations

from .. import present
from ..countries import display
from ..knowledge import KnowledgeBase
from ..terms import LicenseTerms


def license_text(lic: LicenseTerms, kb: KnowledgeBase) -> str:
    pub = kb.publisher(lic.publisher)
    lines = [f"{lic.name} ({lic.id})"]
    facts = [f"version {lic.version}" if lic.version else None, str(lic.date) if lic.date else None,
             f"publisher {pub.name} ({display(pub.country) if pub and pub.country else 'country unknown'})" if pub else None,
             f"SPDX {lic.spdx}", "text verified against the corpus" if lic.verified else "UNVERIFIED: text not checked"]
    lines.append("  " + " · ".join(f for f in facts if f))
    if lic.hf_ids or lic.hf_license_names:
        lines.append(f"  Hugging Face: license: {', '.join(lic.hf_ids) or 'other'}"
                     + (f"; license_name: {', '.join(lic.hf_license_names)}" if lic.hf_license_names else ""))
    lines.append(f"  source: {lic.source_url}")
    for text in lic.texts:
        lines.append(f"  text {text.path} ({text.role}, {text.words} words) sha256 {text.sha256[:16]}…"
                     f" normalized {text.normalized_sha256[:16]}…")
    lines += ["", lic.summary.strip(), ""]

    def section(title: str, body: str, evidences) -> None:
        lines.append(f"{title}: {body}")
        for ev in evidences:
            lines.append(f"    {present.evidence(ev)}")

    cu = lic.commercial_use
    section("Commercial use", present.COMMERCIAL[cu.status] + (f". {cu.note}" if cu.note else ""), cu.evidence)
    for t in lic.thresholds:
        section("Threshold", present.threshold_duty(t), t.evidence)
    if lic.territory:
        section("Territory", present.territory(lic.territory), lic.territory.evidence)
    for o in lic.attribution:
        section("Obligation", present.obligation(o), o.evidence)
    if lic.acceptable_use:
        aup = lic.acceptable_use
        section("Acceptable use", f"{aup.name or 'use policy'} {aup.url or ''}".strip()
                + (" (incorporated by reference)" if aup.incorporated_by_reference else ""), aup.evidence)
    for r in lic.field_of_use:
        section(f"Use restriction ({r.category})", r.summary, r.evidence)
    if lic.pass_through:
        section("Pass-through", "use restrictions must be passed on to downstream users"
                if lic.pass_through.required else "no duty to pass restrictions on", lic.pass_through.evidence)
    section("Outputs", present.OUTPUT_RULES[lic.output_use.rule]
            + (f" (prefix “{lic.output_use.naming}”)" if lic.output_use.naming else "")
            + ("; distillation makes a derivative bound by the license" if lic.output_use.distillation_is_derivative else ""),
            lic.output_use.evidence)
    if lic.copyleft:
        c = lic.copyleft
        section(f"Copyleft ({c.strength})", f"{c.summary} (applies to {', '.join(c.applies_to)})", c.evidence)
    if lic.no_derivatives:
        section("No derivatives", lic.no_derivatives.summary, lic.no_derivatives.evidence)
    if lic.public_domain:
        section("Public domain", lic.public_domain.summary, lic.public_domain.evidence)
    for t in lic.termination:
        section("Termination", f"{t.trigger}{' (automatic)' if t.automatic else ''}"
                + (f": {t.summary}" if t.summary else ""), t.evidence)
    if lic.remote_restriction:
        section("Remote restriction", lic.remote_restriction.summary, lic.remote_restriction.evidence)
    if lic.governing_law:
        g = lic.governing_law
        section("Governing law", f"{g.law} ({g.jurisdiction})" + (f"; venue: {g.venue}" if g.venue else ""), g.evidence)
    if lic.export_control:
        section("Export control", lic.export_control.summary, lic.export_control.evidence)
    for note in lic.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)
