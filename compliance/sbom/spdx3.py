"""SPDX 3.0.1 JSON-LD with the AI profile, written directly as JSON (no runtime dependency).

Why not spdx-python-model at runtime: it is an optional extra, its serializer is not needed to produce a
small, fixed set of element types, and writing the graph ourselves keeps the bytes deterministic (sorted by
``spdxId``, one blank-node CreationInfo). The tests load every document back through the official
``spdx_python_model`` bindings (type and pattern checks on every property, required properties on
re-serialization, no dangling references) and compare the re-serialized graph with ours, property by property.
(spdx-tools' own ``spdx3`` package writes a pre-release 3.0.0 shape, so it is not used either.)

Elements: one ``ai_AIPackage`` per model (``ai_typeOfModel``, ``ai_domain``, ``ai_autonomyType``,
``ai_limitation`` from the license terms, ``suppliedBy``, ``releaseTime``, purl, download location), a
``software_File`` per license file read (with its SHA-256, ``contains``), licenses as ``hasDeclaredLicense`` /
``hasConcludedLicense`` relationships to ``simplelicensing_LicenseExpression`` elements (NOASSERTION: the
``NoAssertionLicense`` individual, with the reason as the relationship's comment), custom licenses as
``simplelicensing_SimpleLicensingText`` (the model's own copy of the text, or a pointer to the official one),
lineage as ``descendantOf`` (quantizations: the base ``hasVariant`` the quantization), and the policy
decision as a ``review`` Annotation.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from .common import TOOL, Licensing, Node, Sbom, namespace, slug

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPEC_VERSION = "3.0.1"
CREATION_INFO = "_:CreationInfo0"  # the name spdx_python_model gives the one blank node
NOASSERTION = "expandedlicensing_NoAssertionLicense"
TYPE_OF_MODEL = {
    "text": "large language model",
    "code": "large language model (code)",
    "multimodal": "multimodal model",
    "vision": "vision model",
    "image-generation": "image generation model",
    "audio": "audio model",
    "video": "video generation model",
    "embedding": "embedding model",
}


def _h(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def _time(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Graph:
    def __init__(self, sbom: Sbom, base: str | None):
        self.sbom = sbom
        self.ns = namespace(sbom, base)
        self.elements: dict[str, dict[str, Any]] = {}

    def iri(self, local: str) -> str:
        return f"{self.ns}#{local}"

    def add(self, kind: str, local: str, **props: Any) -> str:
        spdx_id = self.iri(local)
        element = {"type": kind, "spdxId": spdx_id, "creationInfo": CREATION_INFO}
        element.update({k: v for k, v in props.items() if v not in (None, [], "")})
        self.elements.setdefault(spdx_id, element)
        return spdx_id

    def relationship(self, from_: str, kind: str, to: list[str], comment: str | None = None) -> str:
        return self.add("Relationship", f"Relationship-{_h(from_, kind, *to)}", **{
            "from": from_, "relationshipType": kind, "to": to, "comment": comment})

    def organization(self, name: str) -> str:
        return self.add("Organization", f"Organization-{slug(name, 40)}-{_h(name)[:8]}", name=name)

    def license_text(self, license_id: str) -> str:
        lic = self.sbom.license(license_id)
        return self.add("simplelicensing_SimpleLicensingText", f"LicenseText-{lic.spdx}", name=lic.name,
                        simplelicensing_licenseText=lic.text or lic.pointer(), comment=lic.comment(),
                        externalRef=[{"type": "ExternalRef", "externalRefType": "license", "locator": [lic.url]}])

    def expression(self, licensing: Licensing) -> str:
        expr = self.sbom.expression(licensing)
        custom = [self.sbom.license(i) for i in licensing.ids if self.sbom.license(i).custom]
        mapping = [{"type": "DictionaryEntry", "key": lic.spdx, "value": self.license_text(lic.id)}
                   for lic in sorted(custom, key=lambda x: x.spdx)]
        return self.add("simplelicensing_LicenseExpression", f"LicenseExpression-{_h(expr)}",
                        simplelicensing_licenseExpression=expr, simplelicensing_customIdToUri=mapping)

    def licensing(self, package: str, kind: str, licensing: Licensing) -> None:
        to = [NOASSERTION] if licensing.noassertion else [self.expression(licensing)]
        self.relationship(package, kind, to, licensing.comment)

    def package(self, node: Node) -> str:
        supplier = self.organization(node.supplier) if node.supplier else None
        limitation = "\n".join(node.limitations) or None
        comment = "\n".join(node.notes) or None
        pkg = self.add(
            "ai_AIPackage", f"Model-{node.ref}", name=node.model, description=node.description(), comment=comment,
            software_packageVersion=node.revision, software_downloadLocation=node.download_location,
            software_packageUrl=node.purl, software_primaryPurpose="model", suppliedBy=supplier,
            releaseTime=f"{node.release_date.isoformat()}T00:00:00Z" if node.release_date else None,
            software_sourceInfo=(f"facts from {node.source_name}" if node.resolved else "not resolved"),
            software_attributionText=list(node.attribution),
            ai_typeOfModel=[TYPE_OF_MODEL[node.modality]] if node.modality in TYPE_OF_MODEL else [],
            ai_domain=[node.pipeline_tag] if node.pipeline_tag else [],
            ai_autonomyType="noAssertion", ai_limitation=limitation)
        self.licensing(pkg, "hasDeclaredLicense", node.declared)
        self.licensing(pkg, "hasConcludedLicense", node.concluded)
        files = []
        for f in node.files:
            files.append(self.add(
                "software_File", f"File-{node.ref}-{slug(f.name, 40)}-{f.sha256[:8]}", name=f.name,
                software_primaryPurpose="documentation",
                comment=f"license file of {node.model}" + (f", identified as {f.identified}" if f.identified
                                                           else ", not identified"),
                verifiedUsing=[{"type": "Hash", "algorithm": "sha256", "hashValue": f.sha256}]))
        if files:
            self.relationship(pkg, "contains", sorted(files))
        return pkg

    def build(self) -> dict[str, Any]:
        sbom = self.sbom
        tool = self.add("Tool", "Tool-compliance", name=f"{TOOL} {sbom.tool_version}")
        if sbom.organization:
            agent = self.organization(sbom.organization)
        else:
            agent = self.add("SoftwareAgent", "Agent-compliance", name=TOOL)
        packages = {node.ref: self.package(node) for node in sbom.nodes}
        for edge in sbom.edges:
            child, parent = packages[edge.child], packages[edge.parent]
            if edge.relation == "quantized":
                self.relationship(parent, "hasVariant", [child], edge.comment)
            else:
                self.relationship(child, "descendantOf", [parent], edge.comment)
        for node in sbom.nodes:
            if node.verdict:
                self.add("Annotation", f"Annotation-{node.ref}", annotationType="review",
                         subject=packages[node.ref], statement=node.verdict.text())
        data_license = self.add("simplelicensing_LicenseExpression", "LicenseExpression-data-CC0-1.0",
                                simplelicensing_licenseExpression="CC0-1.0")
        doc_id = self.iri("SPDXRef-DOCUMENT")
        roots = [packages[n.ref] for n in sbom.roots]
        document = {
            "type": "SpdxDocument", "spdxId": doc_id, "creationInfo": CREATION_INFO, "name": sbom.name,
            "comment": (f"AI models and their lineage, generated by {TOOL} {sbom.tool_version} offline from its "
                        f"knowledge base {sbom.knowledge_base}. A license that cannot be identified is NoAssertion "
                        "with the reason in the relationship comment; it is never concluded permissive."),
            "dataLicense": data_license,
            "profileConformance": ["core", "software", "ai", "simpleLicensing"],
            "rootElement": roots,
            "element": sorted(self.elements),
        }
        creation = {"type": "CreationInfo", "@id": CREATION_INFO, "specVersion": SPEC_VERSION,
                    "created": _time(sbom.created), "createdBy": [agent], "createdUsing": [tool]}
        graph = [creation, *(self.elements[k] for k in sorted({*self.elements, doc_id} - {doc_id})), document]
        return {"@context": CONTEXT, "@graph": graph}


def document(sbom: Sbom, *, namespace_base: str | None = None) -> dict[str, Any]:
    return _Graph(sbom, namespace_base).build()


def render(sbom: Sbom, *, namespace_base: str | None = None) -> str:
    return json.dumps(document(sbom, namespace_base=namespace_base), indent=2, ensure_ascii=False) + "\n"
