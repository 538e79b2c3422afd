"""Resolved models → the facts every SBOM format states (:class:`~compliance.sbom.common.Sbom`). Every judgement
about what a model's license *is* is made here, once, for all formats:

* **declared**: what the card says, mapped through the knowledge base (``license: llama3.1`` → ``llama-3.1``).
  Anything the knowledge base does not identify (``license: other`` with an unknown ``license_name``, no license
  key at all) makes the declaration NOASSERTION, with what the card says in the comment. Never a made-up id.
* **concluded**: the model's effective licenses (its own, its card's further terms, and every ancestor's not
  relicensed by its own publisher) joined with AND, as ``evaluate`` sees them. Fail closed: when any part is
  unknown (the model's own license, an unidentified license file, an unresolved base) the conclusion is
  NOASSERTION, and the comment says why and what was identified so far.
* **lineage**: every ancestor becomes a node too (unresolved ones with NOASSERTION and the reason), so each
  relationship has both ends; an ancestor's own conclusion covers its own sub-lineage.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
from collections.abc import Callable, Mapping, Sequence

from .. import present
from ..expression import is_expression
from ..knowledge import KnowledgeBase
from ..model import Ancestor, ModelRecord, Resolved
from ..references import HUB_ID
from .common import Edge, FileDigest, LicenseInfo, Licensing, Node, Sbom, Verdict, fingerprint, node_ref

HUB_SOURCES = frozenset({"hub", "cache", "catalog"})  # sources whose model id is a Hugging Face repository
UNKNOWN_KINDS = frozenset({"license-unknown", "unknown-provenance"})
NOTE_KINDS = frozenset({"license-mismatch", "undeclared-inheritance", "license-conflict", "license-link-unresolved",
                        "lineage-cycle", "lineage-too-deep", "base-unresolvable", "card-unreadable",
                        "no-license-declared", "license-unknown", "unknown-provenance", "superseded"})
DECLARED_BY = {"catalog": "the embedded catalog", "ollama": "the Ollama manifest", "lineage": "the lineage"}
ATTRIBUTION_KINDS = ("built-with", "powered-by", "notice-file")


# --- licenses -------------------------------------------------------------------------------------------------


def declared_licensing(record: ModelRecord, kb: KnowledgeBase) -> tuple[Licensing, str | None]:
    """What the card says, through the knowledge base; (NOASSERTION + why) when any part is not identified.
    Also returns the card's own words (``other (license_name: Foo)``) for the comment."""
    values = record.declared_license
    words = ", ".join(values)
    if record.license_name:
        words += f" (license_name: {record.license_name})"
    if record.license_link:
        words += f" (license_link: {record.license_link})"
    words = words.strip() or None
    ids: list[str] = []
    problems: list[str] = []
    parts: list[tuple[tuple[str, ...], ...]] = []
    exceptions: dict[str, str] = {}
    for value in values:
        if value == "other":
            continue
        if is_expression(value):
            options, unknown = expression_options(value, kb, exceptions)
            if unknown:
                problems.append(f"the card declares license {value!r}, whose {', '.join(unknown)} the knowledge base "
                                "does not identify")
            elif len(options) == 1:
                ids += options[0]
            else:
                parts.append(options)
            continue
        lic = kb.get(value) if record.source == "catalog" else None
        lic = lic or kb.by_hf_id(value) or kb.by_alias(value)
        if lic:
            ids.append(lic.id)
        else:
            problems.append(f"the card declares license {value!r}, which the knowledge base does not identify")
    if "other" in values or (not values and (record.license_name or record.license_link)):
        name, link = record.license_name, record.license_link
        lic = (kb.by_alias(name) or kb.by_hf_id(name) or kb.by_phrase(name)) if name else None
        if lic is None and link and "://" in link:
            lic = kb.by_link(link)
        if lic:
            ids.append(lic.id)
        elif name:
            problems.append(f"the card declares license: other with license_name {name!r}, which the knowledge base "
                            "does not identify")
        else:
            problems.append("the card declares license: other without a license_name the knowledge base identifies"
                            + (f" (license_link {link})" if link else ""))
    if not values and not record.license_name and not record.license_link:
        source = "the catalog entry" if record.source == "catalog" else "the model card"
        problems.append(f"{source} declares no license" if record.source != "ollama"
                        else "an Ollama manifest declares no license; its license layers are identified instead")
    ids = list(dict.fromkeys(ids))
    if problems:
        named = list(dict.fromkeys([*ids, *(i for part in parts for o in part for i in o)]))
        return Licensing((), tuple(named), "Declared: NOASSERTION: " + "; ".join(problems) + "."), words
    return _granting(with_choices(ids, parts, None), exceptions), words


def _granting(licensing: Licensing, exceptions: Mapping[str, str]) -> Licensing:
    """``licensing`` with the ``WITH`` exceptions of the licenses it names."""
    kept = tuple(sorted((i, e) for i, e in exceptions.items() if i in licensing.ids))
    return dataclasses.replace(licensing, exceptions=kept) if kept else licensing


def card_exceptions(record: ModelRecord, kb: KnowledgeBase) -> dict[str, str]:
    """The ``WITH`` exceptions a card's declared expressions grant (``apache-2.0 WITH llvm-exception``)."""
    found: dict[str, str] = {}
    for value in record.declared_license:
        if " with " in f" {value.lower()} ":
            expression_options(value, kb, found)
    return found


def with_choices(ids: Sequence[str], parts: Sequence[tuple[tuple[str, ...], ...]], comment: str | None) -> Licensing:
    """``ids`` (all apply) and ``parts`` (each a choice among options) as one Licensing."""
    if not parts:
        return Licensing(tuple(ids), tuple(ids), comment)
    ids, factored = list(ids), []
    for options in parts:  # (A AND B) OR (A AND C) is written A AND (B OR C): the licenses every option has apply
        common = [i for i in options[0] if all(i in o for o in options[1:])]
        ids += [i for i in common if i not in ids]
        rest = tuple(dict.fromkeys(tuple(i for i in o if i not in common) for o in options))
        if len(rest) > 1 and all(rest):
            factored.append(rest)
    ids = list(dict.fromkeys(ids))
    if not factored:
        return Licensing(tuple(ids), tuple(ids), comment)
    parts = factored
    fixed = [((i,),) for i in ids]
    named = tuple(dict.fromkeys([*ids, *(i for part in parts for o in part for i in o)]))
    return Licensing(named, named, comment, choice=(*fixed, *parts))


def expression_options(value: str, kb: KnowledgeBase, exceptions: dict[str, str] | None = None,
                       ) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """An SPDX expression's options as knowledge-base ids (each option the ids that apply together), and the
    license keys the knowledge base does not identify. A ``WITH`` exception only grants more: the license's terms
    are kept, and the exception (when the SPDX exception list has it) is noted in ``exceptions``. An unparsable
    expression is one unknown part."""
    from ..errors import InputError
    from ..expression import options

    try:
        opts = options(value)
    except InputError:
        return (), [repr(value)]
    found: list[tuple[str, ...]] = []
    unknown: list[str] = []
    for opt in opts:
        ids = []
        for term in opt:
            lic = license_for(term.key, kb)
            if lic is None:
                unknown.append(term.key)
            else:
                ids.append(lic.id)
                if term.exception and exceptions is not None and _listed_exception(term.exception):
                    exceptions[lic.id] = _listed_exception(term.exception)
        found.append(tuple(dict.fromkeys(ids)))
    return tuple(dict.fromkeys(found)), list(dict.fromkeys(unknown))


def _listed_exception(key: str) -> str | None:
    """The SPDX exception id as the list spells it (``llvm-exception`` → ``LLVM-exception``), or None."""
    from ..expression import licensing as spdx_licensing

    licensing = spdx_licensing()
    try:
        info = licensing.validate(f"MIT WITH {key}")
        if info.errors or info.invalid_symbols:
            return None
        parsed = licensing.parse(f"MIT WITH {key}")
        return str(parsed.exception_symbol.key)
    except Exception:  # noqa: BLE001 - license_expression raises odd types on odd input (see spdx2._is_listed)
        return None


def license_for(key: str, kb: KnowledgeBase):
    """The record an SPDX key names: a listed id (any case, deprecated forms), a Hub id, or ``LicenseRef-<id>``
    (how SBOMs, ours included, name a license outside the SPDX list)."""
    lic = kb.by_spdx(key)
    if lic is None and key.lower().startswith("licenseref-"):
        rest = key[len("LicenseRef-"):]
        lic = kb.get(rest) or kb.get(rest.lower()) or kb.by_hf_id(rest)
        if lic is None:
            lic = next((r for r in kb.licenses.values() if r.spdx.lower() == key.lower()), None)
    return lic


def _unknown_parts(record: ModelRecord, own: Sequence[str], subtree: Sequence[Ancestor],
                   excluded: set[str]) -> list[str]:
    """Why a model's terms cannot be concluded (empty when they can)."""
    problems: list[str] = []
    if not own:
        problems.append("the model's own license could not be identified")
    problems += [f.message for f in record.findings if f.kind in UNKNOWN_KINDS]
    for anc in subtree:
        if anc.inferred or anc.model.lower() in excluded:
            continue
        if not anc.resolved:
            why = anc.findings[0].message if anc.findings else "not resolved"
            problems.append(f"the license of {anc.model} ({anc.relation}) is unknown: {why}")
        elif not anc.licenses:
            problems.append(f"the license of {anc.model} ({anc.relation}) could not be identified")
    return list(dict.fromkeys(problems))


def _conclude(ids: Sequence[str], problems: Sequence[str], carriers: Sequence[str], kb: KnowledgeBase,
              choices: Sequence[tuple[tuple[str, ...], ...]] = ()) -> Licensing:
    ids = tuple(i for i in dict.fromkeys(ids) if i in kb.licenses)
    if problems:
        named = tuple(dict.fromkeys([*ids, *(i for part in choices for o in part for i in o)]))
        so_far = f" Identified so far: {', '.join(named)}." if named else ""
        return Licensing((), named, "Concluded: NOASSERTION (unknown is never concluded permissive): "
                                    + "; ".join(problems) + "." + so_far)
    return with_choices(ids, choices, ("Concluded from " + "; ".join(carriers) + ".") if carriers else None)


def _subtree(model: str, lineage: Sequence[Ancestor]) -> list[Ancestor]:
    """The ancestors reached through ``model`` (depth order)."""
    inside = {model.lower()}
    found = []
    for anc in sorted(lineage, key=lambda a: a.depth):
        if anc.parent.lower() in inside and anc.model.lower() not in inside:
            inside.add(anc.model.lower())
            found.append(anc)
    return found


def _carriers(own: Sequence[str], subtree: Sequence[Ancestor], excluded: set[str]) -> list[str]:
    """Where each concluded license comes from, for the comment."""
    parts = [f"{', '.join(own)} (its own)"] if own else []
    for anc in subtree:
        if anc.model.lower() in excluded or not anc.licenses:
            continue
        what = "inferred from the name" if anc.inferred else f"{anc.model} ({anc.relation})"
        parts.append(f"{', '.join(anc.licenses)} inherited from {what}")
    kept = {i for anc in subtree if anc.model.lower() not in excluded for i in anc.licenses} | set(own)
    for anc in subtree:
        if anc.superseded_by and anc.model.lower() in excluded and not set(anc.licenses) <= kept:
            parts.append(f"not {', '.join(anc.licenses)} of {anc.model}: {relicensed(anc)}")
    return parts


def relicensed(anc: Ancestor) -> str:
    return (f"the same publisher licensed {anc.superseded_by} on its own terms, so {anc.model}'s license is not "
            "inherited")


def _terms(ids: Sequence[str], kb: KnowledgeBase) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(attribution texts, limitations) the licenses state."""
    attribution: list[str] = []
    limits: list[str] = []
    for lic_id in ids:
        lic = kb.get(lic_id)
        if lic is None:
            continue
        for ob in lic.attribution:
            if ob.kind in ATTRIBUTION_KINDS and ob.text and ob.required and ob.text not in attribution:
                attribution.append(ob.text)
        if lic.commercial_use.status != "allowed":
            limits.append(f"{lic.name}: {present.commercial(lic)}")
        limits += [f"{lic.name}: {present.threshold(t)}" for t in lic.thresholds]
        if lic.territory:
            limits.append(f"{lic.name}: {present.territory(lic.territory)}")
        limits += [f"{lic.name}: {u.summary}" for u in lic.field_of_use]
        if lic.output_use.rule.startswith("prohibited") or lic.output_use.rule == "allowed-with-naming":
            limits.append(f"{lic.name}: {present.OUTPUT_RULES[lic.output_use.rule]}")
        if lic.acceptable_use and lic.acceptable_use.incorporated_by_reference:
            aup = lic.acceptable_use
            limits.append(f"{lic.name}: use is bound by {aup.name or 'an acceptable use policy'}"
                          + (f" ({aup.url})" if aup.url else ""))
    return tuple(attribution), tuple(dict.fromkeys(limits))


# --- nodes ------------------------------------------------------------------------------------------------------


def _record_node(record: ModelRecord, kb: KnowledgeBase, *, root: bool, concluded: Licensing,
                 notes: Sequence[str]) -> Node:
    declared, words = declared_licensing(record, kb)
    attribution, limits = _terms(concluded.known, kb)
    files = tuple(sorted({FileDigest(f.name, f.sha256, f.identified) for f in record.license_files if f.sha256},
                         key=lambda f: (f.name, f.sha256)))
    return Node(
        ref=node_ref(record.model, record.revision), model=record.model, revision=record.revision, root=root,
        resolved=True, source=record.source, on_hub=record.source in HUB_SOURCES and bool(HUB_ID.match(record.model)),
        supplier=record.publisher_name or record.publisher, country=record.country, modality=record.modality,
        params_b=record.params_b, release_date=record.release_date, pipeline_tag=record.pipeline_tag,
        datasets=tuple(record.datasets), declared=declared, concluded=concluded, card_license=words,
        declared_by=DECLARED_BY.get(record.source, "the card"), files=files, notes=tuple(dict.fromkeys(notes)),
        attribution=attribution, limitations=limits)


def _unresolved_node(anc: Ancestor) -> Node:
    why = "; ".join(f.message for f in anc.findings) or f"{anc.model} could not be resolved"
    comment = f"NOASSERTION: {why}."
    return Node(
        ref=node_ref(anc.model, None), model=anc.model, revision=None, root=False, resolved=False, source=None,
        on_hub=False, supplier=None, country=anc.country, modality=anc.modality, params_b=None, release_date=None,
        pipeline_tag=None, datasets=(), declared=Licensing(comment="Declared: " + comment),
        concluded=Licensing(comment="Concluded: " + comment), card_license=None, declared_by=None, files=(),
        notes=(why,), attribution=(), limitations=())


def _notes(*groups) -> list[str]:
    return [f"{f.kind}: {f.message}" for group in groups for f in group if f.kind in NOTE_KINDS]


def _verdict(assessment) -> Verdict:
    lines = []
    for f in assessment.findings:
        if f.decision == "allow" and not f.waived:
            continue
        state = f.decision + (f", waived by {f.waived.approved_by} until {f.waived.expires}" if f.waived else "")
        lines.append(f"{f.rule} [{state}]: {f.message}")
    return Verdict(assessment.decision, assessment.main_reason, assessment.policy_name, assessment.policy_sha256,
                   assessment.date, tuple(lines))


def _root(subject: Resolved, kb: KnowledgeBase) -> Node:
    """A requested model: concluded from its effective licenses, exactly as ``evaluate`` reads them."""
    record, lineage = subject.record, list(subject.lineage)
    excluded = {a.model.lower() for a in lineage if a.superseded_by}
    choices = [c.options for c in record.license_choices]
    chosen = [i for part in choices for o in part for i in o]
    problems = _unknown_parts(record, (*record.licenses, *chosen), lineage, excluded)
    problems += [f.message for f in subject.findings if f.kind == "lineage-too-deep"]
    own = list(dict.fromkeys((*record.licenses, *record.additional_licenses)))
    carriers = _carriers(own, lineage, excluded)
    carriers += [f"{c.expression} (its own, a choice)" for c in record.license_choices]
    concluded = _granting(_conclude(subject.effective_licenses(), problems, carriers, kb, choices),
                          card_exceptions(record, kb))
    return _record_node(record, kb, root=True, concluded=concluded, notes=_notes(record.findings, subject.findings))


def _ancestor(anc: Ancestor, found: ModelRecord, lineage: Sequence[Ancestor], kb: KnowledgeBase) -> Node:
    """An ancestor as a model of its own: concluded from its licenses and its own part of the lineage (an
    ancestor of it relicensed by a descendant *below* it is excluded; one relicensed further down is not)."""
    subtree = _subtree(anc.model, lineage)
    inner = {a.model.lower() for a in subtree} | {anc.model.lower()}
    excluded = {a.model.lower() for a in subtree if a.superseded_by and a.superseded_by.lower() in inner}
    own = list(dict.fromkeys((*anc.licenses, *found.additional_licenses)))
    ids = [*own, *(i for a in subtree if a.model.lower() not in excluded for i in a.licenses)]
    concluded = _conclude(ids, _unknown_parts(found, anc.licenses, subtree, excluded),
                          _carriers(own, subtree, excluded), kb)
    return _record_node(found, kb, root=False, concluded=concluded, notes=_notes(found.findings, anc.findings))


class _Collector:
    """Nodes (one per model and revision, a requested model winning over the same model as an ancestor), edges,
    and the license texts read from the models' own files."""

    def __init__(self, texts: Callable[[ModelRecord], Mapping[str, str]] | None):
        self.read = texts
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self.texts: dict[str, list[tuple[int, str, str, str]]] = {}

    def add(self, node: Node, record: ModelRecord | None = None) -> Node:
        old = self.nodes.get(node.ref)
        if old is None or (node.root and (not old.root or (node.verdict and not old.verdict))):
            self.nodes[node.ref] = node
        if old is None and record is not None and self.read is not None and record.license_files:
            read = self.read(record)
            for lf in record.license_files:
                text = read.get(lf.name)
                # only a license text proper (not a use policy or NOTICE), and one tag-value can carry
                if text and lf.identified and lf.role in (None, "license") and "</text>" not in text:
                    rank = 0 if lf.matched_by == "hash" else 1
                    self.texts.setdefault(lf.identified, []).append((rank, record.model, lf.name, text))
        return node

    def license(self, lic) -> LicenseInfo:
        text = text_from = None
        if self.texts.get(lic.id):
            _, model, file, text = min(self.texts[lic.id])  # an exact copy first, then by model and file name
            text_from = f"{model}: {file} (sha256 {hashlib.sha256(text.encode()).hexdigest()})"
        return LicenseInfo(lic.id, lic.spdx, lic.name, lic.source_url, lic.verified, text, text_from)


def build(resolved: Sequence[Resolved], kb: KnowledgeBase, *, date: _dt.date,
          lookup: Callable[[str], ModelRecord | None] | None = None,
          texts: Callable[[ModelRecord], Mapping[str, str]] | None = None,
          assessments: Sequence | None = None, policy: tuple[str, str] | None = None,
          organization: str | None = None, name: str | None = None) -> Sbom:
    """The SBOM facts for ``resolved`` models (``assessments``: their policy decisions, same order).
    ``lookup`` finds an ancestor's own record (its revision, publisher, license files); ``texts`` re-reads a
    record's license files (name → text) so custom licenses carry the model's own copy."""
    out = _Collector(texts)
    for index, subject in enumerate(resolved):
        root = _root(subject, kb)
        if assessments is not None:
            root = dataclasses.replace(root, verdict=_verdict(assessments[index]))
        out.add(root, subject.record)
        ref_of = {subject.record.model.lower(): root.ref}
        effective = set(subject.effective_licenses())
        for anc in sorted(subject.lineage, key=lambda a: a.depth):
            if anc.inferred:  # a license family read from a name, not a model: it shows in the conclusion's comment
                continue
            found = lookup(anc.model) if (anc.resolved and lookup is not None) else None
            if found is None and anc.resolved:
                found = ModelRecord(reference=anc.model, model=anc.model, source=anc.source or "lineage",
                                    publisher=anc.publisher, country=anc.country, modality=anc.modality,
                                    declared_license=anc.declared_license, licenses=anc.licenses)
            node = out.add(_ancestor(anc, found, subject.lineage, kb) if found else _unresolved_node(anc), found)
            ref_of[anc.model.lower()] = node.ref
            child = ref_of.get(anc.parent.lower())
            if child is None:
                continue
            comment = f"base_model_relation {anc.relation}: {anc.parent} is a {anc.relation} of {anc.model}"
            if anc.superseded_by and not set(anc.licenses) <= effective:
                comment += f"; {relicensed(anc)}"
            out.edges.setdefault((child, node.ref), Edge(child, node.ref, anc.relation, comment))

    used = sorted({i for n in out.nodes.values() for lic in (n.declared, n.concluded) for i in lic.ids})
    nodes = tuple(sorted(out.nodes.values(), key=lambda n: (not n.root, n.model.lower(), n.revision or "", n.ref)))
    roots = [n for n in nodes if n.root]
    title = name or (f"sbom-{roots[0].model}" if len(roots) == 1 else f"sbom-{len(roots)}-models")
    sbom = Sbom(name=title, date=date, nodes=nodes, edges=tuple(sorted(out.edges.values(),
                                                                      key=lambda e: (e.child, e.parent))),
                licenses=tuple(out.license(kb.licenses[i]) for i in used), knowledge_base=kb.version, policy=policy,
                organization=organization)
    return dataclasses.replace(sbom, fingerprint=fingerprint(sbom))
