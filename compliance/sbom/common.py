"""The neutral shape of an SBOM (:class:`Sbom`: models as :class:`Node`, lineage as :class:`Edge`, the licenses
they name) and its identifiers. ``mapping`` fills it from resolved models; the writers (``spdx2``, ``spdx3``,
``cyclonedx``) only spell it in their format.

Identifiers are derived from content: a node's ``ref`` from its model id and revision, the document's
``fingerprint`` (SPDX namespace, CycloneDX serial number) from everything stated, the date and the tool version.
Same input and ``--date``, same bytes.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from .. import __version__

HUB_URL = "https://huggingface.co"
TOOL = "compliance"
SOURCE_NAMES = {"catalog": "the embedded catalog", "cache": "the Hugging Face cache", "hub": "the Hugging Face Hub",
                "local": "a local folder", "ollama": "an Ollama manifest", "lineage": "the lineage of another model"}
DEFAULT_NAMESPACE = "https://spdx.org/spdxdocs"  # as the SPDX spec suggests for documents without a home of their own


@dataclass(frozen=True)
class LicenseInfo:
    """A knowledge-base license as SBOMs name it. ``text`` is the license text read from a model's own files
    (``text_from`` says which); when None, writers point to the official text at ``url`` instead: the project
    stores no license texts."""

    id: str
    spdx: str
    name: str
    url: str
    verified: bool
    text: str | None = None
    text_from: str | None = None

    @property
    def custom(self) -> bool:
        return self.spdx.startswith("LicenseRef-")

    def pointer(self) -> str:
        return (f"The text of the {self.name} is not reproduced in this document. The official text is at "
                f"{self.url}")

    def comment(self) -> str:
        status = ("its terms verified against the official text" if self.verified
                  else "its terms from an official copy or secondary sources, not verified against the text")
        where = (f"Text read from {self.text_from}." if self.text
                 else "No copy of the text was read from the model's files; see the official text.")
        return f"Knowledge-base record {self.id} ({status}). {where}"


@dataclass(frozen=True)
class Licensing:
    """A declared or concluded license: knowledge-base ids joined with AND; no ids is NOASSERTION.
    ``known`` is what was identified even when no conclusion can be drawn. ``choice``: when the license offers
    a choice (a declared ``Apache-2.0 OR MIT``), the expression's structure: a conjunction of parts, each part the
    options (each a conjunction of knowledge-base ids) one may choose from; ``ids`` then lists every id it names."""

    ids: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    comment: str | None = None
    choice: tuple[tuple[tuple[str, ...], ...], ...] = ()
    exceptions: tuple[tuple[str, str], ...] = ()  # (knowledge-base id, SPDX exception id): ``id WITH exception``

    @property
    def structured(self) -> bool:
        """Whether only an expression says it (a choice, an exception), not a list of licenses."""
        return bool(self.choice or self.exceptions)

    @property
    def noassertion(self) -> bool:
        return not self.ids


@dataclass(frozen=True)
class FileDigest:
    name: str
    sha256: str
    identified: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A policy decision on one model, as of a date."""

    decision: str
    main_reason: str
    policy: str
    policy_sha256: str
    date: _dt.date
    findings: tuple[str, ...] = ()

    def text(self) -> str:
        head = (f"compliance policy decision: {self.decision.upper()} under policy {self.policy!r} "
                f"(sha256 {self.policy_sha256[:16]}) as of {self.date.isoformat()}. {self.main_reason}")
        return "\n".join([head, *(f"- {line}" for line in self.findings)])


@dataclass(frozen=True)
class Node:
    """One model: a requested one (``root``) or an ancestor in some root's lineage."""

    ref: str
    model: str
    revision: str | None
    root: bool
    resolved: bool
    source: str | None
    on_hub: bool
    supplier: str | None
    country: str | None
    modality: str
    params_b: float | None
    release_date: _dt.date | None
    pipeline_tag: str | None
    datasets: tuple[str, ...]
    declared: Licensing
    concluded: Licensing
    card_license: str | None
    declared_by: str | None
    files: tuple[FileDigest, ...]
    notes: tuple[str, ...]
    attribution: tuple[str, ...]
    limitations: tuple[str, ...]
    verdict: Verdict | None = None

    @property
    def download_location(self) -> str | None:
        return f"{HUB_URL}/{self.model}" if self.on_hub else None

    @property
    def purl(self) -> str | None:
        if not self.on_hub:
            return None
        org, name = self.model.split("/", 1)
        purl = f"pkg:huggingface/{quote(org, safe='')}/{quote(name, safe='')}"
        return purl + (f"@{quote(self.revision, safe='')}" if self.revision else "")

    @property
    def group(self) -> str | None:
        return self.model.split("/", 1)[0] if "/" in self.model else None

    @property
    def short_name(self) -> str:
        return self.model.split("/", 1)[-1]

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES.get(self.source or "", self.source or "nowhere")

    def description(self) -> str:
        facts = [f"AI model ({self.modality})" if self.modality != "unknown" else "AI model"]
        if self.params_b:
            facts.append(f"{self.params_b:g}B parameters")
        if self.country:
            facts.append(f"publisher country {self.country}")
        if self.source:
            facts.append(f"facts from {self.source_name}")
        elif not self.resolved:
            facts.append("not resolved")
        return "; ".join(facts)


@dataclass(frozen=True)
class Edge:
    """``child`` derives from ``parent`` (node refs) by ``relation`` (finetune, adapter, quantized …)."""

    child: str
    parent: str
    relation: str
    comment: str


@dataclass(frozen=True)
class Sbom:
    name: str
    date: _dt.date
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    licenses: tuple[LicenseInfo, ...]
    knowledge_base: str
    policy: tuple[str, str] | None = None
    organization: str | None = None
    tool_version: str = __version__
    fingerprint: str = field(default="", compare=False)

    @property
    def created(self) -> _dt.datetime:
        return _dt.datetime.combine(self.date, _dt.time(0, 0), tzinfo=_dt.timezone.utc)

    @property
    def uuid(self) -> str:
        return str(uuid.UUID(bytes=bytes.fromhex(self.fingerprint[:32]), version=5))

    @property
    def roots(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.root)

    @functools.cached_property
    def _by_ref(self) -> dict[str, Node]:
        return {n.ref: n for n in self.nodes}

    @functools.cached_property
    def _by_license(self) -> dict[str, LicenseInfo]:
        return {lic.id: lic for lic in self.licenses}

    def node(self, ref: str) -> Node:
        return self._by_ref[ref]

    def license(self, license_id: str) -> LicenseInfo:
        return self._by_license[license_id]

    def expression(self, licensing: Licensing, symbol: Callable[[str], str] | None = None) -> str | None:
        """The SPDX expression (``MIT AND LicenseRef-llama-3.1``, ``Apache-2.0 OR MIT``), or None for
        NOASSERTION. ``symbol`` spells a knowledge-base id (default: its SPDX id)."""
        if licensing.noassertion:
            return None
        base = symbol or (lambda i: self.license(i).spdx)
        granted = dict(licensing.exceptions)

        def spell(i: str) -> str:
            return base(i) + (f" WITH {granted[i]}" if i in granted else "")

        if not licensing.choice:
            return " AND ".join(spell(i) for i in licensing.ids)
        return choice_expression(licensing.choice, spell, wrap=True)

    def ancestors(self, ref: str) -> list[tuple[Node, Edge]]:
        """Every ancestor of a node, nearest first, each with the edge that reaches it."""
        found: list[tuple[Node, Edge]] = []
        frontier, seen = [ref], {ref}
        while frontier:
            nxt = []
            for child in frontier:
                for edge in self.edges:
                    if edge.child == child and edge.parent not in seen:
                        seen.add(edge.parent)
                        found.append((self.node(edge.parent), edge))
                        nxt.append(edge.parent)
            frontier = nxt
        return found


def choice_expression(parts, spell: Callable[[str], str], *, wrap: bool) -> str:
    """``parts`` (a conjunction of choices, each a tuple of options, each a conjunction of ids) as an SPDX
    expression: ``Apache-2.0 OR MIT``, ``LicenseRef-llama-3.1 AND (Apache-2.0 OR MIT)``."""
    def option(ids: tuple[str, ...], nested: bool) -> str:
        text = " AND ".join(spell(i) for i in ids)
        return f"({text})" if nested and len(ids) > 1 else text

    spelled = []
    for options in parts:
        text = " OR ".join(option(o, len(options) > 1) for o in options)
        spelled.append(f"({text})" if wrap and len(parts) > 1 and len(options) > 1 else text)
    return " AND ".join(spelled)


def slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.")[:limit] or "model"


def namespace(sbom: Sbom, base: str | None = None) -> str:
    """The document's URI: ``<base>/<name>-<uuid>``, the uuid from the content fingerprint (SPDX 2 namespace,
    SPDX 3 id prefix)."""
    return f"{(base or DEFAULT_NAMESPACE).rstrip('/')}/{slug(sbom.name)}-{sbom.uuid}"


def node_ref(model: str, revision: str | None) -> str:
    digest = hashlib.sha256(f"{model.lower()}@{revision or ''}".encode()).hexdigest()[:8]
    return f"{slug(model)}-{digest}"


def fingerprint(sbom: Sbom) -> str:
    """SHA-256 of everything the SBOM states, the date and the tool version: the seed of its identifiers."""
    data = dataclasses.asdict(sbom)
    data.pop("fingerprint", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
