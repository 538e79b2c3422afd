"""An SBOM's packages (:mod:`compliance.sbom.read`) as resolved records the evaluation judges like any model.

Licenses go through the same path as a card's ``license:``: SPDX keys through the knowledge base (any case,
deprecated forms, ``LicenseRef-<id>``, a document's extracted license names), ``AND`` adding every license,
``OR`` becoming a :class:`~compliance.model.LicenseChoice` the evaluation decides under the policy. Anything not
identified, and every ``NOASSERTION`` / ``NONE`` that decides, is a ``license-unknown`` finding: never allowed.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from ..expression import known_options, options
from ..errors import InputError
from ..knowledge import KnowledgeBase
from ..model import Fact, LicenseChoice, Modality, ModelRecord, Resolved, ResolveFinding
from .mapping import NOTE_KINDS, license_for
from .read import Package, Statement, read


class _Licenses:
    def __init__(self, kb: KnowledgeBase, extracted: dict[str, str]):
        self.kb = kb
        self.extracted = extracted
        self.ids: list[str] = []
        self.choices: list[LicenseChoice] = []
        self.unknown: list[str] = []

    def lookup(self, key: str):
        lic = license_for(key, self.kb)
        name = self.extracted.get(key)
        if lic is None and name:
            lic = self.by_name(name)
        return lic

    def by_name(self, name: str):
        kb = self.kb
        return kb.by_alias(name) or kb.by_phrase(name) or kb.by_hf_id(name) or kb.by_spdx(name)

    def add_id(self, lic_id: str) -> None:
        if lic_id not in self.ids:
            self.ids.append(lic_id)

    def add(self, statement: Statement) -> None:
        for lic_id in statement.ids:
            if self.kb.get(lic_id) is not None:
                self.add_id(lic_id)
            else:
                self.unknown.append(f"license id {lic_id!r} is not in the knowledge base")
        for name in statement.names:
            lic = self.by_name(name)
            if lic is not None:
                self.add_id(lic.id)
            else:
                self.unknown.append(f"license name {name!r} is not in the knowledge base")
        for expr in statement.expressions:
            self.expression(expr)

    def expression(self, expr: str) -> None:
        try:
            opts = options(expr)
        except InputError as exc:
            self.unknown.append(exc.message)
            return
        resolved, unresolved = known_options(opts, self.lookup)
        unresolved = list(dict.fromkeys(unresolved))
        if len(opts) == 1:
            if resolved:
                for lic_id in resolved[0]:
                    self.add_id(lic_id)
            else:
                self.unknown.append(f"license expression {expr!r}: {', '.join(unresolved)} not in the knowledge base")
        elif not resolved:
            self.unknown.append(f"license expression {expr!r}: no option is fully in the knowledge base")
        else:  # as for a card: an option the knowledge base does not know is never chosen (the evaluation says so)
            self.choices.append(LicenseChoice(expression=expr, options=tuple(dict.fromkeys(resolved)),
                                              unresolved=tuple(unresolved)))


MODALITIES = frozenset(get_args(Modality))
NOTED = re.compile(r"^(?P<kind>[a-z-]+): (?P<message>.+)$")
SEVERITY = {"superseded": "info", "card-unreadable": "error"}


def _noted(notes: list[str]) -> list[ResolveFinding]:
    """Our own SBOMs' notes (``license-mismatch: …``) as the resolution findings they were, so a policy's
    ``lineage`` rule decides on them again. Any other comment line is left alone."""
    found = []
    for line in notes:
        m = NOTED.match(line.strip())
        if m and m.group("kind") in NOTE_KINDS:
            found.append(ResolveFinding(kind=m.group("kind"), message=m.group("message"),
                                        severity=SEVERITY.get(m.group("kind"), "warning")))
    return found


def record_for(pkg: Package, kb: KnowledgeBase, file: str) -> Resolved:
    """One package as a resolved record: the concluded license when the SBOM states one (and the declared one's
    known parts), else the declared license; NOASSERTION / NONE / unidentified parts are unknown."""
    findings: list[ResolveFinding] = []
    facts: list[Fact] = []
    lic = _Licenses(kb, pkg.extracted)
    decl, conc = pkg.declared, pkg.concluded
    where = f"SBOM {file}, {pkg.where} ({pkg.name})"
    for kind, st in (("declared", decl), ("concluded", conc)):
        if st is not None:
            facts.append(Fact(source="local", revision=pkg.revision, detail=f"{where}: {kind} license {st.text()}"))
    if conc is not None and conc.stated:
        lic.add(conc)
        if decl is not None and decl.stated:
            before = list(lic.unknown)
            lic.add(decl)
            lic.unknown = before  # the declared license's unknown parts do not decide when a conclusion is stated
    elif conc is not None and conc.none:
        findings.append(ResolveFinding(kind="license-unknown", message=(
            f"{where}: the concluded license is {conc.none} (unknown is never allowed)")))
        if decl is not None and decl.stated:
            lic.add(decl)
    elif decl is not None and decl.stated:
        lic.add(decl)
    else:
        state = decl.none if decl is not None and decl.none else "not stated"
        findings.append(ResolveFinding(kind="license-unknown", message=f"{where}: the license is {state}"))
    findings += [ResolveFinding(kind="license-unknown", message=f"{where}: {u}") for u in dict.fromkeys(lic.unknown)]
    findings += _noted(pkg.notes)
    namespace = pkg.model.split("/")[0] if "/" in pkg.model else None
    pub = kb.publisher_for_namespace(namespace) if namespace else None
    declared = tuple(decl.expressions + decl.names + decl.ids) if decl is not None and decl.stated else ()
    record = ModelRecord(
        reference=f"{file}#{pkg.where}", model=pkg.model, revision=pkg.revision, source="local",
        publisher=pub.id if pub else None, publisher_name=pub.name if pub else pkg.supplier,
        country=pub.country if pub else None, declared_license=declared, licenses=tuple(lic.ids),
        license_choices=tuple(lic.choices), facts={"license": tuple(facts)} if facts else {},
        modality=pkg.modality if pkg.modality in MODALITIES else "unknown", findings=tuple(findings))
    return Resolved(record=record)


def with_catalog(subject: Resolved, entry, file: str) -> Resolved:
    """A model the embedded catalog knows: the catalog's facts fill what the SBOM leaves out (modality, size,
    release date), and when the SBOM's license does not cover the catalog's, both apply and a
    ``license-conflict`` says so (an SBOM that calls a Llama model MIT is not taken at its word)."""
    record = subject.record
    named = {*record.licenses, *(i for c in record.license_choices for o in c.options for i in o)}
    update: dict = {"name": entry.name, "params_b": entry.params_b, "release_date": entry.release_date}
    if record.modality == "unknown":
        update["modality"] = entry.modality
    missing = [i for i in entry.licenses if i not in named]
    if missing:
        update["licenses"] = (*record.licenses, *missing)
        stated = ", ".join(sorted(named)) or "no identified license"
        update["findings"] = (*record.findings, ResolveFinding(kind="license-conflict", message=(
            f"SBOM {file} states {stated} for {record.model}; the embedded catalog has it under "
            f"{', '.join(entry.licenses)}: both apply until the SBOM is corrected")))
        facts = dict(record.facts)
        facts["license"] = (*facts.get("license", ()), Fact(source="catalog", detail=f"{entry.id}: "
                                                                                     f"{', '.join(entry.licenses)}"))
        update["facts"] = facts
    return subject.model_copy(update={"record": record.model_copy(update=update)})


def resolve_sbom(path: str | Path, kb: KnowledgeBase, catalog=None) -> list[Resolved]:
    """Every package the SBOM file lists for judging, as resolved records (checked against ``catalog`` where it
    knows the model); InputError when the file is not a readable SBOM or lists nothing to judge."""
    _, packages = read(path)
    if not packages:
        raise InputError("the SBOM lists no model or package to judge", file=path)
    out = []
    for pkg in packages:
        subject = record_for(pkg, kb, str(path))
        entry = catalog.get(pkg.model) if catalog is not None else None
        out.append(with_catalog(subject, entry, str(path)) if entry is not None else subject)
    return out
