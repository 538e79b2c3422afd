"""SPDX 2.3 through spdx-tools (JSON and tag-value): one package per model, lineage as relationships, the policy
decision as a REVIEW annotation. The only module that imports spdx_tools (it costs ~0.3 s; ``compliance --help``
never pays it).

Mapping (``common.Sbom`` → SPDX 2.3):
* package: name = model id, version = revision, supplier = publisher, download location = Hub URL or NOASSERTION,
  purl ``pkg:huggingface/org/name@revision``, checksums = SHA-256 of the license files read (not of the
  weights: the license comment says so), release date, attribution texts the licenses require.
* declared / concluded license: expressions of SPDX ids and ``LicenseRef-<id>``; NOASSERTION with the reason in
  the license comment. Every LicenseRef used gets an ExtractedLicensingInfo (spdx-tools accepts some
  ``LicenseRef-scancode-*`` without one; SPDX does not), with the model's own copy of the text or a pointer.
* ``X DESCENDANT_OF base`` (fine-tunes, adapters, merges, distillations), ``X VARIANT_OF base`` (quantizations).
"""
from __future__ import annotations

import datetime as _dt
import io

from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Annotation,
    AnnotationType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExternalPackageRef,
    ExternalPackageRefCategory,
    ExtractedLicensingInfo,
    Package,
    PackagePurpose,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from .common import TOOL, Licensing, Node, Sbom, namespace

DOCUMENT_ID = "SPDXRef-DOCUMENT"
RELATION = {"quantized": RelationshipType.VARIANT_OF}  # everything else: DESCENDANT_OF
CHECKSUM_NOTE = ("PackageChecksum values are the SHA-256 of the license files read from the model "
                 "({files}), not of its weights.")


class SpdxBuildError(RuntimeError):
    """The document we built does not validate: a bug here, never the user's input."""


def package_id(node: Node) -> str:
    return f"SPDXRef-Model-{node.ref}"


def _naive(value: _dt.datetime) -> _dt.datetime:
    """spdx-tools parses timestamps as naive UTC; building them the same way makes read-back compare equal."""
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def _actor_name(name: str) -> str:
    # "Organization: name (email)": parentheses in a name would be read back as an e-mail address
    return name.replace("(", "[").replace(")", "]").strip()


def _is_listed(symbol: str) -> bool:
    """Whether ``symbol`` is an SPDX License List id. license_expression's validate() raises on some inputs
    (AttributeError on a dangling operator), so any exception means no."""
    try:
        info = spdx_licensing.validate(symbol)
    except Exception:  # noqa: BLE001 - see docstring
        return False
    return not info.errors and not info.invalid_symbols


def _symbol(sbom: Sbom, license_id: str) -> str:
    lic = sbom.license(license_id)
    return lic.spdx if lic.custom or _is_listed(lic.spdx) else f"LicenseRef-{lic.id}"


def _expression(sbom: Sbom, licensing: Licensing):
    if licensing.noassertion:
        return SpdxNoAssertion()
    return spdx_licensing.parse(sbom.expression(licensing, lambda i: _symbol(sbom, i)))


def _license_comment(node: Node) -> str | None:
    parts = []
    if node.card_license:
        parts.append(f"{(node.declared_by or 'the card').capitalize()} says license: {node.card_license}.")
    parts += [c for c in (node.declared.comment, node.concluded.comment) if c]
    if node.files:
        parts.append(CHECKSUM_NOTE.format(files=", ".join(
            f.name + (f" identified as {f.identified}" if f.identified else " not identified") for f in node.files)))
    return " ".join(parts) or None


def _package(sbom: Sbom, node: Node) -> Package:
    refs = [ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", node.purl)] if node.purl else []
    checksums, seen = [], set()
    for f in node.files:
        if f.sha256 not in seen:
            seen.add(f.sha256)
            checksums.append(Checksum(ChecksumAlgorithm.SHA256, f.sha256))
    release = (_dt.datetime.combine(node.release_date, _dt.time(0, 0)) if node.release_date else None)
    source = (f"Facts from {node.source_name}" + (f" at revision {node.revision}" if node.revision else "") + "."
              if node.resolved else "Not resolved: named as a base model only.")
    comment = "\n".join(node.notes) or None
    supplier = Actor(ActorType.ORGANIZATION, _actor_name(node.supplier)) if node.supplier else SpdxNoAssertion()
    return Package(
        spdx_id=package_id(node), name=node.model, download_location=node.download_location or SpdxNoAssertion(),
        version=node.revision, supplier=supplier, files_analyzed=False, checksums=checksums, source_info=source,
        license_concluded=_expression(sbom, node.concluded), license_declared=_expression(sbom, node.declared),
        license_comment=_license_comment(node), copyright_text=SpdxNoAssertion(), description=node.description(),
        comment=comment, external_references=refs, attribution_texts=list(node.attribution),
        primary_package_purpose=PackagePurpose.OTHER, release_date=release)


def _extracted(sbom: Sbom) -> list[ExtractedLicensingInfo]:
    found = []
    for lic in sbom.licenses:
        symbol = _symbol(sbom, lic.id)
        if not symbol.startswith("LicenseRef-"):
            continue
        found.append(ExtractedLicensingInfo(license_id=symbol, extracted_text=lic.text or lic.pointer(),
                                            license_name=lic.name, cross_references=[lic.url], comment=lic.comment()))
    return sorted(found, key=lambda e: e.license_id)


def document(sbom: Sbom, *, namespace_base: str | None = None) -> Document:
    created = _naive(sbom.created)
    tool = Actor(ActorType.TOOL, f"{TOOL}-{sbom.tool_version}")
    creators = [tool]
    if sbom.organization:
        creators.append(Actor(ActorType.ORGANIZATION, _actor_name(sbom.organization)))
    policy = (f" Policy decisions under {sbom.policy[0]!r} (sha256 {sbom.policy[1]}) as of {sbom.date.isoformat()}"
              " are REVIEW annotations on the models." if sbom.policy else "")
    info = CreationInfo(
        spdx_version="SPDX-2.3", spdx_id=DOCUMENT_ID, name=sbom.name,
        document_namespace=namespace(sbom, namespace_base), creators=creators, created=created,
        creator_comment=f"Generated by {TOOL} {sbom.tool_version} from its knowledge base {sbom.knowledge_base}.",
        document_comment=("AI models and their lineage. A license that cannot be identified is NOASSERTION with the "
                          "reason in the license comment; it is never concluded permissive." + policy))
    packages = [_package(sbom, node) for node in sbom.nodes]
    relationships = [Relationship(DOCUMENT_ID, RelationshipType.DESCRIBES, package_id(n)) for n in sbom.roots]
    for edge in sbom.edges:
        relationships.append(Relationship(package_id(sbom.node(edge.child)),
                                          RELATION.get(edge.relation, RelationshipType.DESCENDANT_OF),
                                          package_id(sbom.node(edge.parent)), comment=edge.comment))
    annotations = [Annotation(package_id(n), AnnotationType.REVIEW, tool, created, n.verdict.text())
                   for n in sbom.nodes if n.verdict]
    return Document(creation_info=info, packages=packages, relationships=relationships, annotations=annotations,
                    extracted_licensing_info=_extracted(sbom))


def validate(doc: Document) -> list[str]:
    return [m.validation_message for m in validate_full_spdx_document(doc, "SPDX-2.3")]


def _checked(sbom: Sbom, namespace_base: str | None) -> Document:
    doc = document(sbom, namespace_base=namespace_base)
    problems = validate(doc)
    if problems:
        raise SpdxBuildError(f"the SPDX 2.3 document does not validate ({len(problems)} problems): {problems[0]}")
    return doc


def render_json(sbom: Sbom, *, namespace_base: str | None = None) -> str:
    from spdx_tools.spdx.writer.json import json_writer

    out = io.StringIO()
    json_writer.write_document_to_stream(_checked(sbom, namespace_base), out, validate=False)
    return out.getvalue() + "\n"


def render_tagvalue(sbom: Sbom, *, namespace_base: str | None = None) -> str:
    from spdx_tools.spdx.writer.tagvalue import tagvalue_writer

    out = io.StringIO()
    tagvalue_writer.write_document_to_stream(_checked(sbom, namespace_base), out, validate=False)
    return out.getvalue()
