"""SBOM input: the models an SPDX 2.3 (JSON or tag-value), SPDX 3.0 (JSON-LD) or CycloneDX (JSON) document lists,
with the licenses it declares and concludes, as records ``check``, ``report`` and ``inspect`` judge.

What is read, per format:

* **CycloneDX**: top-level ``components`` of type ``machine-learning-model`` (every component when there is no
  model), and ``metadata.component`` when it is a model. ``licenses[]`` holds either license objects
  (``license.id`` an SPDX id, ``license.name`` a name the knowledge base knows; several objects all apply) or one
  ``expression``; ``acknowledgement`` says ``declared`` or ``concluded`` (none: declared).
* **SPDX 2.3**: the packages the document ``DESCRIBES`` (else every package that is no other's ancestor), their
  ``licenseDeclared`` and ``licenseConcluded`` expressions; ``LicenseRef-*`` through the document's extracted
  licensing infos (their names) or the knowledge base's own ``LicenseRef-<id>``.
* **SPDX 3.0**: ``ai_AIPackage`` (else ``software_Package``) elements, the document's ``rootElement`` first,
  their ``hasDeclaredLicense`` / ``hasConcludedLicense`` relationships to license expressions.

Judgement, fail closed: a concluded license, when stated, is what applies (with the known parts of the declared
one: both apply); ``NOASSERTION`` / ``NONE`` / a license the knowledge base does not identify is an unknown
license, never allowed. ``AND``: all apply; ``OR``: a choice the evaluation makes under the policy and reports.
The SBOM's lineage is not followed again: a concluded license is taken to state the effective terms (ours do).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

SUFFIXES = (".cdx.json", ".bom.json", ".spdx.json", ".spdx", ".spdx3.json", ".spdx3.jsonld", ".jsonld")
MAX_BYTES = 50_000_000
NO_LICENSE = {"NOASSERTION", "NONE"}
WHAT = "SBOM file"
PURL_HF = re.compile(r"^pkg:huggingface/(?P<org>[^/@?#]+)/(?P<name>[^@?#]+)(?:@(?P<rev>[^?#]+))?")


@dataclass
class Statement:
    """One declared or concluded license as the SBOM states it: SPDX expressions, names (CycloneDX
    ``license.name``) and knowledge-base ids (our own ``compliance:license-id``), all of which apply."""

    expressions: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    none: str | None = None  # NOASSERTION or NONE

    @property
    def stated(self) -> bool:
        return bool(self.expressions or self.names or self.ids) and self.none is None

    def text(self) -> str:
        if self.none:
            return self.none
        return " AND ".join([*self.expressions, *(repr(n) for n in self.names), *self.ids]) or "(none)"


@dataclass
class Package:
    """A model (or other package) the SBOM lists."""

    name: str
    where: str  # components[2], SPDXRef-Model-x, the element's spdxId
    version: str | None = None
    purl: str | None = None
    supplier: str | None = None
    declared: Statement | None = None
    concluded: Statement | None = None
    extracted: dict[str, str] = field(default_factory=dict)  # LicenseRef-x -> its name
    modality: str | None = None  # as our own SBOMs state it
    notes: list[str] = field(default_factory=list)  # our own SBOMs' "kind: message" notes (lineage findings)

    def __post_init__(self) -> None:  # a hostile document's numbers, lists and nulls where text belongs
        self.name, self.where = str(self.name), str(self.where)
        for attr in ("version", "purl", "supplier", "modality"):
            value = getattr(self, attr)
            setattr(self, attr, str(value) if isinstance(value, (str, int, float)) and str(value).strip() else None)

    @property
    def model(self) -> str:
        m = PURL_HF.match(self.purl or "")
        return f"{m.group('org')}/{m.group('name')}" if m else self.name

    @property
    def revision(self) -> str | None:
        m = PURL_HF.match(self.purl or "")
        return self.version or (m.group("rev") if m else None)


def is_sbom_file(reference: str) -> bool:
    """Whether a reference names an SBOM file: an existing file with an SBOM suffix, or a ``.json`` file that
    says it is one (``bomFormat``, ``spdxVersion``, an SPDX 3 context)."""
    path = Path(reference).expanduser()
    name = path.name.lower()
    if not name.endswith((*SUFFIXES, ".json")):
        return False
    try:
        if not path.is_file():
            return False
        if name.endswith(SUFFIXES):
            return True
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return bool(re.search(rb'"(?:bomFormat|spdxVersion)"\s*:|spdx-context\.jsonld|"@graph"', head))


def check_sbom_file(reference: str) -> bool:
    """Whether a reference names an SBOM file (:func:`is_sbom_file`); InputError when its name says SBOM
    (``x.cdx.json``) but no such file is there, rather than reading it as a model name."""
    if is_sbom_file(reference):
        return True
    path = Path(reference).expanduser()
    if path.name.lower().endswith(SUFFIXES) and not path.exists():
        raise InputError("SBOM file not found", file=reference)
    return False


def read(path: str | Path) -> tuple[str, list[Package]]:
    """(format name, packages to judge) of an SBOM file; InputError (one line naming the file) when it is not a
    readable SBOM."""
    from ..inputs import read_text

    text = read_text(path, what=WHAT, max_bytes=MAX_BYTES)
    if not text.lstrip().startswith(("{", "[")):
        if re.search(r"^SPDXVersion:", text, re.MULTILINE):
            return "SPDX 2.3 tag-value", _spdx2_tagvalue(text, path)
        raise InputError("is neither JSON nor SPDX tag-value: not an SBOM this tool reads", file=path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{WHAT} is not valid JSON (line {exc.lineno}: {exc.msg})", file=path) from None
    except RecursionError:
        raise InputError(f"{WHAT} nests too deeply to read", file=path) from None
    try:
        if isinstance(data, dict) and data.get("bomFormat") == "CycloneDX":
            return f"CycloneDX {data.get('specVersion', '?')}", _cyclonedx(data, path)
        if isinstance(data, dict) and str(data.get("spdxVersion", "")).startswith("SPDX-2"):
            return str(data["spdxVersion"]), _spdx2_json(data, path)
        if isinstance(data, dict) and "@graph" in data:
            return "SPDX 3", _spdx3(data, path)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:  # a shape no SBOM has: one line, exit 2
        raise InputError(f"{WHAT} is malformed: a value has the wrong type ({type(exc).__name__}: "
                         f"{str(exc)[:80]})", file=path) from None
    raise InputError("is JSON but not an SBOM this tool reads (CycloneDX, SPDX 2.3 or SPDX 3 JSON-LD)", file=path)


# --- CycloneDX -------------------------------------------------------------------------------------------------


def _cyclonedx(data: dict, path) -> list[Package]:
    top = [c for c in data.get("components") or [] if isinstance(c, dict)]
    meta = (data.get("metadata") or {}).get("component")
    candidates = [(f"components[{n}]", c) for n, c in enumerate(top)]
    if isinstance(meta, dict):
        candidates.insert(0, ("metadata.component", meta))
    models = [(w, c) for w, c in candidates if c.get("type") == "machine-learning-model"]
    chosen = models or [(w, c) for w, c in candidates if w != "metadata.component"]
    return [_cdx_package(c, where, path) for where, c in chosen]


def _cdx_props(comp: dict) -> dict[str, str]:
    return {str(p.get("name")): str(p.get("value")) for p in comp.get("properties") or [] if isinstance(p, dict)}


def _cdx_package(comp: dict, where: str, path) -> Package:
    props = _cdx_props(comp)
    name = props.get("compliance:model") or "/".join(str(comp[k]) for k in ("group", "name") if comp.get(k))
    if not name:
        raise InputError(f"{where} has no name", file=path)
    supplier = comp.get("supplier", {}).get("name") if isinstance(comp.get("supplier"), dict) else None
    card = comp.get("modelCard") if isinstance(comp.get("modelCard"), dict) else {}
    pkg = Package(name=name, where=where, version=comp.get("version"), purl=comp.get("purl"),
                  supplier=supplier or comp.get("publisher"), modality=_cdx_props(card).get("compliance:modality"),
                  notes=[str(p.get("value")) for p in comp.get("properties") or []
                         if isinstance(p, dict) and p.get("name") == "compliance:note"])
    entries = comp.get("licenses") or []
    if not isinstance(entries, list):
        raise InputError(f"{where}: licenses is not a list", file=path)
    for entry in entries:
        if not isinstance(entry, dict):
            raise InputError(f"{where}: a licenses entry is not an object", file=path)
        if "expression" in entry:
            kind, value = entry.get("acknowledgement") or "declared", entry["expression"]
            target = _statement(pkg, kind)
            _add_expression(target, str(value))
            continue
        lic = entry.get("license")
        if not isinstance(lic, dict):
            raise InputError(f"{where}: a licenses entry has neither license nor expression", file=path)
        target = _statement(pkg, lic.get("acknowledgement") or "declared")
        own = {str(p.get("name")): str(p.get("value")) for p in lic.get("properties") or [] if isinstance(p, dict)}
        if own.get("compliance:license-id"):
            target.ids.append(own["compliance:license-id"])
        elif lic.get("id"):
            _add_expression(target, str(lic["id"]))
        elif lic.get("name"):
            target.names.append(str(lic["name"]))
    return pkg


def _statement(pkg: Package, kind: str) -> Statement:
    attr = "concluded" if kind == "concluded" else "declared"
    if getattr(pkg, attr) is None:
        setattr(pkg, attr, Statement())
    return getattr(pkg, attr)


def _add_expression(target: Statement, value: str) -> None:
    value = value.strip()
    if value.upper() in NO_LICENSE:
        target.none = value.upper()
    elif value:
        target.expressions.append(value)


def _statement_of(value) -> Statement | None:
    if value is None:
        return None
    out = Statement()
    _add_expression(out, str(value))
    return out


# --- SPDX 2.3 --------------------------------------------------------------------------------------------------

ANCESTRY = ("DESCENDANT_OF", "VARIANT_OF")


def _spdx2_json(data: dict, path) -> list[Package]:
    extracted = {str(e.get("licenseId")): str(e.get("name") or "") for e in data.get("hasExtractedLicensingInfos") or []
                 if isinstance(e, dict)}
    packages = {}
    for n, p in enumerate(data.get("packages") or []):
        if not isinstance(p, dict) or not p.get("name"):
            raise InputError(f"packages[{n}] has no name", file=path)
        purl = next((r.get("referenceLocator") for r in p.get("externalRefs") or []
                     if isinstance(r, dict) and r.get("referenceType") == "purl"), None)
        supplier = str(p.get("supplier") or "")
        packages[p.get("SPDXID") or f"packages[{n}]"] = Package(
            name=str(p["name"]), where=str(p.get("SPDXID") or f"packages[{n}]"), version=p.get("versionInfo"),
            purl=purl, supplier=supplier.split(":", 1)[-1].strip() if supplier and supplier != "NOASSERTION" else None,
            declared=_statement_of(p.get("licenseDeclared")), concluded=_statement_of(p.get("licenseConcluded")),
            extracted=extracted, modality=_described_modality(p.get("description")),
            notes=str(p.get("comment") or "").splitlines())
    rels = [(r.get("spdxElementId"), r.get("relationshipType"), r.get("relatedSpdxElement"))
            for r in data.get("relationships") or [] if isinstance(r, dict)]
    described = [*(data.get("documentDescribes") or []), *(b for a, kind, b in rels if kind == "DESCRIBES")]
    return _spdx2_roots(packages, described, {b for _, kind, b in rels if kind in ANCESTRY})


def _spdx2_roots(packages: dict, described, ancestors: set) -> list[Package]:
    roots = [packages[i] for i in dict.fromkeys(described) if i in packages]
    return roots or [p for i, p in packages.items() if i not in ancestors]


TAG = re.compile(r"^(?P<tag>[A-Za-z][A-Za-z0-9]*):\s?(?P<value>.*)$")


def _tag_values(text: str):
    """(tag, value) pairs of SPDX tag-value, ``<text>…</text>`` values joined across lines."""
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        m = TAG.match(lines[n])
        n += 1
        if not m:
            continue
        value = m.group("value").strip()
        if value.startswith("<text>"):
            parts = [value[len("<text>"):]]
            while "</text>" not in parts[-1] and n < len(lines):
                parts.append(lines[n])
                n += 1
            value = "\n".join(parts).split("</text>", 1)[0]
        yield m.group("tag"), value


def _spdx2_tagvalue(text: str, path) -> list[Package]:
    """SPDX 2.3 tag-value, read for what judging needs (spdx-tools' parser rebuilds the SPDX licensing for every
    license field: ~0.5 s each)."""
    packages: dict[str, Package] = {}
    fields: list[dict[str, str]] = []
    extracted: dict[str, str] = {}
    rels: list[tuple[str, str, str]] = []
    license_id = None
    for tag, value in _tag_values(text):
        if tag == "PackageName":
            fields.append({"PackageName": value})
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) == 3:
                rels.append((parts[0], parts[1], parts[2]))
        elif tag == "LicenseID":
            license_id = value
        elif tag == "LicenseName" and license_id:
            extracted[license_id] = value
        elif tag in ("FileName", "SnippetSPDXID"):
            fields.append({})  # what follows describes a file or snippet, not the package
        elif fields and fields[-1]:
            if tag == "ExternalRef" and len(value.split()) == 3 and value.split()[1] == "purl":
                fields[-1]["purl"] = value.split()[2]
            else:
                fields[-1].setdefault(tag, value)
    for n, f in enumerate(x for x in fields if x):
        spdx_id = f.get("SPDXID") or f"package {n + 1}"
        supplier = f.get("PackageSupplier", "")
        packages[spdx_id] = Package(
            name=f["PackageName"], where=spdx_id, version=f.get("PackageVersion"), purl=f.get("purl"),
            supplier=supplier.split(":", 1)[-1].strip() if supplier and supplier != "NOASSERTION" else None,
            declared=_statement_of(f.get("PackageLicenseDeclared")),
            concluded=_statement_of(f.get("PackageLicenseConcluded")), extracted=extracted,
            modality=_described_modality(f.get("PackageDescription")),
            notes=f.get("PackageComment", "").splitlines())
    if not packages:
        raise InputError("SPDX tag-value lists no package", file=path)
    described = [b for a, kind, b in rels if kind == "DESCRIBES"]
    return _spdx2_roots(packages, described, {b for _, kind, b in rels if kind in ANCESTRY})


# --- SPDX 3 ----------------------------------------------------------------------------------------------------


def _described_modality(description) -> str | None:
    """``AI model (text); 8B parameters …``: the modality our own SPDX 2.3 description states."""
    m = re.match(r"AI model \(([\w-]+)\)", str(description or ""))
    return m.group(1) if m else None


def _model_types() -> dict[str, str]:
    from .spdx3 import TYPE_OF_MODEL

    return {v: k for k, v in TYPE_OF_MODEL.items()}


MODEL_TYPES = _model_types()


def _short(kind) -> str:
    """``ai_AIPackage`` whether written compact or as a full IRI."""
    text = str(kind or "")
    return text.rsplit("/", 1)[-1] if "://" in text else text


def _spdx3(data: dict, path) -> list[Package]:
    graph = [e for e in data.get("@graph") or [] if isinstance(e, dict)]
    by_id = {e.get("spdxId") or e.get("@id"): e for e in graph}
    kinds = {k: _short(e.get("type") or e.get("@type")) for k, e in by_id.items()}
    models = [k for k, t in kinds.items() if t in ("ai_AIPackage", "AIPackage")]
    models = models or [k for k, t in kinds.items() if t in ("software_Package", "Package")]
    rels = [e for e in graph if _short(e.get("type") or e.get("@type")) == "Relationship"]
    ancestors = {t for r in rels if r.get("relationshipType") == "descendantOf" for t in r.get("to") or []}
    roots = [r for e in graph if _short(e.get("type")) == "SpdxDocument" for r in e.get("rootElement") or []]
    chosen = [k for k in dict.fromkeys(roots) if k in models] or [k for k in models if k not in ancestors]
    out = []
    for key in chosen:
        e = by_id[key]
        supplier = by_id.get(e.get("suppliedBy"), {}).get("name") if e.get("suppliedBy") else None
        kinds_of_model = [MODEL_TYPES.get(str(t)) for t in e.get("ai_typeOfModel") or []]
        pkg = Package(name=str(e.get("name") or key), where=str(key), version=e.get("software_packageVersion"),
                      purl=e.get("software_packageUrl"), supplier=supplier,
                      modality=next((m for m in kinds_of_model if m), None),
                      notes=str(e.get("comment") or "").splitlines())
        for r in rels:
            if r.get("from") != key:
                continue
            kind = {"hasDeclaredLicense": "declared", "hasConcludedLicense": "concluded"}.get(r.get("relationshipType"))
            if kind is None:
                continue
            target = _statement(pkg, kind)
            for to in r.get("to") or []:
                short = _short(to).split("_", 1)[-1] if "_" in _short(to) else _short(to)
                if short in ("NoAssertionLicense", "NoneLicense"):
                    target.none = "NOASSERTION" if short == "NoAssertionLicense" else "NONE"
                    continue
                element = by_id.get(to)
                expr = (element or {}).get("simplelicensing_licenseExpression")
                if expr is None:
                    raise InputError(f"{key}: {r.get('relationshipType')} points to {to!r}, not a license "
                                     "expression in the document", file=path)
                _add_expression(target, str(expr))
        out.append(pkg)
    return out
