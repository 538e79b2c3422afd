"""The ``base_model`` graph: ancestors through any source, effective terms, and inconsistent declarations.

Fine-tunes, adapters, merges, distillations and quantizations inherit their bases' terms: an ancestor's
obligations and restrictions apply to the descendant as well. A descendant that declares a license weaker than
an ancestor requires (a Llama 3.1 fine-tune declaring apache-2.0; a quantization relabelling an Apache-2.0 base
as MIT; nothing at all on a non-commercial base) is a finding naming both licenses and the chain.
"""
from __future__ import annotations

import re
from collections import deque
from typing import TYPE_CHECKING, Callable

from .errors import ComplianceError
from .model import Ancestor, ModelRecord, ResolveFinding
from .references import HUB_ID

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase


Lookup = Callable[[str], "ModelRecord | None"]  #: a Hub id -> its record, None when no source has it
LEGACY_NAME = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}$")  # a Hub id from before organizations (gpt2)


def build_lineage(record: ModelRecord, lookup: Lookup, kb: KnowledgeBase, *, max_depth: int = 10,
                  network: bool = False) -> tuple[list[Ancestor], list[ResolveFinding]]:
    """Walk ``base_model`` links breadth-first to ``max_depth``, finding each base with ``lookup`` (the
    Resolver's, or a dict's ``.get`` in tests); merges have several parents. ``network`` only words the
    "not found" finding (whether the Hub was asked)."""
    ancestors: list[Ancestor] = []
    findings: list[ResolveFinding] = []
    root = record.model.lower()
    parent_of: dict[str, str] = {}
    seen = {root}
    queue = deque((base, 1, record.model) for base in record.base_models)
    while queue:
        base, depth, parent = queue.popleft()
        key = base.model.lower()
        if key in seen:
            if key == root or _in_chain(parent.lower(), key, parent_of):
                findings.append(ResolveFinding(kind="lineage-cycle", severity="error", message=(
                    f"base_model cycle: {parent} names {base.model}, which is already among its descendants")))
            continue  # a shared ancestor of two merge parents: listed once
        seen.add(key)
        parent_of[key] = parent.lower()
        if depth > max_depth:
            findings.append(ResolveFinding(kind="lineage-too-deep", message=(
                f"lineage deeper than {max_depth} levels; stopped at {base.model}")))
            continue
        bare = None if HUB_ID.match(base.model) else _bare(lookup, base.model)  # gpt2: a pre-organization Hub id
        if not HUB_ID.match(base.model) and bare is None:
            problem = f"base model {base.model!r} (of {parent}) has no organization prefix and cannot be resolved"
            ancestors.append(Ancestor(model=base.model, relation=base.relation, depth=depth, parent=parent,
                                      resolved=False, findings=(ResolveFinding(kind="base-unresolvable", message=problem),)))
            findings.append(ResolveFinding(kind="base-unresolvable", message=problem))
            continue
        try:
            found = bare or lookup(base.model)
            error = None
        except ComplianceError as exc:
            found, error = None, exc.message
        if found is None:
            where = "cache, Hub or catalog" if network else "cache or catalog (offline)"
            problem = f"base model {base.model} (of {parent}) not found in {where}" + (f": {error}" if error else "")
            ancestors.append(Ancestor(model=base.model, relation=base.relation, depth=depth, parent=parent,
                                      resolved=False, findings=(ResolveFinding(kind="base-unresolvable", message=problem),)))
            findings.append(ResolveFinding(kind="base-unresolvable", message=problem))
            continue
        licenses = tuple(dict.fromkeys((*found.licenses, *found.additional_licenses)))
        ancestors.append(Ancestor(
            model=found.model, relation=base.relation, depth=depth, parent=parent, licenses=licenses,
            declared_license=found.declared_license, publisher=found.publisher, country=found.country,
            modality=found.modality, source=found.source, findings=found.findings))
        for grand in found.base_models:
            queue.append((grand, depth + 1, found.model))
    ancestors = _mark_relicensed(record, ancestors)
    hint = name_hint(record, ancestors, kb)
    if hint is not None:
        ancestors.append(hint)
        findings.extend(hint.findings)
    findings.extend(inconsistencies(record, ancestors, kb))
    return ancestors, findings


def _bare(lookup: Lookup, name: str) -> ModelRecord | None:
    """A base named without organization that the lookup still knows (a legacy Hub id the catalog records)."""
    if not LEGACY_NAME.match(name):
        return None
    try:
        return lookup(name)
    except ComplianceError:
        return None


def _mark_relicensed(record: ModelRecord, ancestors: list[Ancestor]) -> list[Ancestor]:
    """An ancestor is superseded when a descendant on its path to the model has the same publisher and other
    licenses of its own: the rights holder relicensed it (DeepSeek-R1, MIT, is built on DeepSeek-V3-Base, DeepSeek
    License). The same license down the line is no relicensing: nothing is marked."""
    by_model = {a.model.lower(): a for a in ancestors}
    root = record.model.lower()
    out = []
    for anc in ancestors:
        superseded = None
        if anc.publisher and anc.resolved:
            node = anc.parent.lower()
            while True:
                if node == root:
                    if record.publisher == anc.publisher and record.licenses and set(anc.licenses) - set(record.licenses):
                        superseded = record.model
                    break
                holder = by_model.get(node)
                if holder is None:
                    break
                if holder.publisher == anc.publisher and holder.licenses and not holder.superseded_by:
                    if set(anc.licenses) - set(holder.licenses):
                        superseded = holder.model
                    break
                node = holder.parent.lower()
        out.append(anc.model_copy(update={"superseded_by": superseded}) if superseded else anc)
    return out


def _in_chain(start: str, target: str, parent_of: dict[str, str]) -> bool:
    node = start
    while node in parent_of:
        if node == target:
            return True
        node = parent_of[node]
    return node == target


def chain(ancestor: Ancestor, ancestors: list[Ancestor], model: str) -> str:
    """``model ← parent ← … ← ancestor`` as text."""
    by_model = {a.model.lower(): a for a in ancestors}
    links = [f"{ancestor.model} ({ancestor.relation})"]
    node = ancestor
    while node.parent.lower() != model.lower() and node.parent.lower() in by_model:
        node = by_model[node.parent.lower()]
        links.append(f"{node.model} ({node.relation})")
    return " ← ".join([model, *reversed(links)])


# Names that say which family a model descends from when its lineage cannot be followed, most specific first.
_HINTS = (
    (re.compile(r"llama[-_ ]?4(?![\d.])", re.I), "llama-4"),
    (re.compile(r"llama[-_ ]?3[._]3|(?<![a-z0-9])l3[._]3(?!\d)", re.I), "llama-3.3"),
    (re.compile(r"llama[-_ ]?3[._]2|(?<![a-z0-9])l3[._]2(?!\d)", re.I), "llama-3.2"),
    (re.compile(r"llama[-_ ]?3[._]1|(?<![a-z0-9])l3[._]1(?!\d)", re.I), "llama-3.1"),
    (re.compile(r"llama[-_ ]?3(?![._\d])|(?<![a-z0-9])l3(?![._\d])", re.I), "llama-3"),
    (re.compile(r"llama[-_ ]?2(?!\d)", re.I), "llama-2"),
    (re.compile(r"gemma(?![-_ ]?4(?!\d))", re.I), "gemma"),  # Gemma 4 left the Gemma Terms (Apache-2.0)
)


def name_hint(record: ModelRecord, ancestors: list[Ancestor], kb: KnowledgeBase) -> Ancestor | None:
    """When no ancestor with a license could be resolved, the family the names and tags point to (a Llama 3.2
    derivative whose base is someone's private repo): an inferred ancestor, so that unknown is never read as
    permissive. None when the names say nothing, or the model already declares a license of that family."""
    if any(a.licenses for a in ancestors):
        return None
    names = [record.model.split("/")[-1], *(b.model.split("/")[-1] for b in record.base_models),
             *(t for t in record.tags if not t.startswith("base_model:"))]
    own_families = {kb.licenses[i].family for i in record.licenses if i in kb.licenses}
    for pattern, license_id in _HINTS:
        hit = next((n for n in names if pattern.search(n)), None)
        if hit is None:
            continue
        lic = kb.get(license_id)
        if lic is None or lic.family in own_families:
            return None
        return Ancestor(model=f"{license_id} lineage inferred from the name {hit!r}", relation="unknown", depth=1,
                        parent=record.model, licenses=(license_id,), resolved=False, inferred=True,
                        source="name-hint", findings=(ResolveFinding(kind="base-unresolvable", severity="warning",
                        message=f"lineage not resolvable; {hit!r} indicates a {lic.name} derivative"),))
    return None


def _travels(lic) -> bool:
    return lic.kind != "permissive" or lic.commercial_use.status != "allowed"


def inconsistencies(record: ModelRecord, ancestors: list[Ancestor], kb: KnowledgeBase) -> list[ResolveFinding]:
    """Declarations weaker than the lineage requires. Only the card metadata counts as a declaration: a license
    found in the gate text or a LICENSE file is a license, but the card still declares none."""
    own = set(record.licenses)
    declared = bool(record.declared_license or record.license_name)
    own_all_permissive = bool(own) and all(i in kb.licenses and not _travels(kb.licenses[i]) for i in own)
    findings: list[ResolveFinding] = []
    reported: set[str] = set()
    for anc in sorted((a for a in ancestors if a.licenses and not a.superseded_by), key=lambda a: a.depth):
        for lic_id in anc.licenses:
            lic = kb.get(lic_id)
            if lic is None or lic_id in reported:
                continue
            path = chain(anc, ancestors, record.model)
            how = ""
            if not declared:
                reported.add(lic_id)
                severity = "error" if lic.commercial_use.status != "allowed" else "warning"
                findings.append(ResolveFinding(kind="undeclared-inheritance", severity=severity, message=(
                    f"the card declares no license; it inherits {lic_id} from {anc.model}{how}: {path}")))
            elif lic_id not in own and _travels(lic) and own_all_permissive:
                reported.add(lic_id)
                findings.append(ResolveFinding(kind="license-mismatch", severity="error", message=(
                    f"declares {', '.join(sorted(own))}, but {anc.model}{how} is under {lic_id}, whose terms bind "
                    f"derivatives: {path}")))
    parents = [a for a in ancestors if a.depth == 1 and a.resolved]
    upstream = {lic for a in ancestors if a.resolved and not a.superseded_by for lic in a.licenses}
    for parent in parents:
        if parent.relation == "quantized" and declared and own and not own & upstream:
            findings.append(ResolveFinding(kind="license-mismatch", severity="error", message=(
                f"a quantization cannot relicense: declares {', '.join(sorted(own))}, but its base {parent.model} is "
                f"under {', '.join(parent.licenses) or 'an unknown license'}")))
    return findings
