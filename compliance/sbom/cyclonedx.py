"""CycloneDX 1.6 JSON (an ML-BOM), written as plain JSON.

cyclonedx-python-lib has no ``modelCard`` yet (cyclonedx-python-lib#912), so the document is built here and the
tests validate it against the official 1.6 JSON schema with the library's strict validator (a test extra).

* one ``machine-learning-model`` component per requested model: group/name/version (the revision), supplier,
  purl ``pkg:huggingface/org/name@revision``, a ``distribution`` reference to the Hub, ``modelCard`` where
  anything is known (task, datasets, modality, parameters);
* ``licenses``: license objects with ``acknowledgement`` ``declared`` or ``concluded``, by SPDX ``id`` or, for
  custom licenses, by ``name`` + ``url`` (+ the model's own copy of the ``text`` when one was read). An
  unidentified license is left out and the reason given in the ``compliance:…-license`` properties: never a
  made-up id;
* ``pedigree.ancestors``: the lineage, nearest first, each ancestor a component with its own licenses and its
  relation in ``compliance:relation``;
* the policy decision as an ``annotations`` entry and ``compliance:decision`` properties.
"""
from __future__ import annotations

import json
from typing import Any

from .common import TOOL, Edge, Licensing, Node, Sbom

SPEC_VERSION = "1.6"
PREFIX = "compliance:"


def _prop(name: str, value: object) -> dict[str, str]:
    return {"name": PREFIX + name, "value": str(value)}


def _licenses(sbom: Sbom, declared: Licensing, concluded: Licensing) -> list[dict[str, Any]]:
    if declared.structured or concluded.structured:
        # CycloneDX holds either license objects or exactly one expression: the concluded one when there is one
        # (the declared expression stays in the compliance:declared-license property)
        acknowledgement, licensing = (("concluded", concluded) if not concluded.noassertion
                                      else ("declared", declared))
        if licensing.noassertion:
            return []
        return [{"expression": sbom.expression(licensing), "acknowledgement": acknowledgement}]
    out = []
    for acknowledgement, licensing in (("declared", declared), ("concluded", concluded)):
        for lic_id in licensing.ids:
            lic = sbom.license(lic_id)
            props = [_prop("license-id", lic.id)]
            if lic.custom:
                entry: dict[str, Any] = {"name": lic.name, "acknowledgement": acknowledgement, "url": lic.url}
                if lic.text:
                    entry["text"] = {"contentType": "text/plain", "content": lic.text}
                props.append(_prop("spdx-id", lic.spdx))
            else:
                entry = {"id": lic.spdx, "acknowledgement": acknowledgement}
            entry["properties"] = props
            out.append({"license": entry})
    return out


def _license_props(sbom: Sbom, node: Node) -> list[dict[str, str]]:
    props = []
    for kind, licensing in (("declared", node.declared), ("concluded", node.concluded)):
        props.append(_prop(f"{kind}-license", sbom.expression(licensing) or "NOASSERTION"))
        if licensing.comment:
            props.append(_prop(f"{kind}-license-comment", licensing.comment))
    if node.card_license:
        props.append(_prop("card-license", node.card_license))
    return props


def _model_card(node: Node) -> dict[str, Any] | None:
    params: dict[str, Any] = {}
    if node.pipeline_tag:
        params["task"] = node.pipeline_tag
    if node.datasets:
        params["datasets"] = [{"type": "dataset", "name": d} for d in node.datasets]
    props = []
    if node.modality != "unknown":
        props.append(_prop("modality", node.modality))
    if node.params_b:
        props.append(_prop("parameters-billions", f"{node.params_b:g}"))
    card: dict[str, Any] = {}
    if params:
        card["modelParameters"] = params
    if props:
        card["properties"] = props
    return card or None


def _component(sbom: Sbom, node: Node, bom_ref: str, edge: Edge | None = None) -> dict[str, Any]:
    comp: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": bom_ref}
    if node.supplier:
        comp["supplier"] = {"name": node.supplier}
        comp["publisher"] = node.supplier
    if node.group:
        comp["group"] = node.group
    comp["name"] = node.short_name
    if node.revision:
        comp["version"] = node.revision
    comp["description"] = node.description()
    licenses = _licenses(sbom, node.declared, node.concluded)
    if licenses:
        comp["licenses"] = licenses
    if node.purl:
        comp["purl"] = node.purl
    if node.download_location:
        comp["externalReferences"] = [{"type": "distribution", "url": node.download_location}]
    card = _model_card(node)
    if card:
        comp["modelCard"] = card
    props = [_prop("model", node.model)]
    if edge is not None:
        props += [_prop("relation", edge.relation), _prop("relation-comment", edge.comment),
                  _prop("derived", sbom.node(edge.child).model)]
    props += _license_props(sbom, node)
    props += [_prop(f"license-file:{f.name}", f"sha256:{f.sha256}" + (f" identified as {f.identified}"
                                                                       if f.identified else " not identified"))
              for f in node.files]
    props += [_prop("country", node.country)] if node.country else []
    props += [_prop("attribution", text) for text in node.attribution]
    props += [_prop("limitation", text) for text in node.limitations]
    props += [_prop("note", text) for text in node.notes]
    if node.verdict:
        v = node.verdict
        props += [_prop("decision", v.decision), _prop("decision-reason", v.main_reason),
                  _prop("policy", v.policy), _prop("policy-sha256", v.policy_sha256)]
    comp["properties"] = props
    return comp


def _tool(sbom: Sbom) -> dict[str, Any]:
    return {"type": "application", "name": TOOL, "version": sbom.tool_version}


def document(sbom: Sbom) -> dict[str, Any]:
    timestamp = sbom.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    components = []
    for node in sbom.roots:
        comp = _component(sbom, node, node.ref)
        ancestors = [_component(sbom, anc, f"{node.ref}/ancestor/{anc.ref}", edge)
                     for anc, edge in sbom.ancestors(node.ref)]
        if ancestors:
            comp["pedigree"] = {"ancestors": ancestors}
        components.append(comp)
    meta_props = [_prop("knowledge-base", sbom.knowledge_base)]
    if sbom.policy:
        meta_props += [_prop("policy", sbom.policy[0]), _prop("policy-sha256", sbom.policy[1]),
                       _prop("date", sbom.date.isoformat())]
    metadata: dict[str, Any] = {"timestamp": timestamp, "tools": {"components": [_tool(sbom)]}}
    if sbom.organization:
        metadata["manufacturer"] = {"name": sbom.organization}
    metadata["properties"] = meta_props
    bom: dict[str, Any] = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{sbom.uuid}",
        "version": 1,
        "metadata": metadata,
        "components": components,
    }
    annotations = [{"bom-ref": f"annotation/{n.ref}", "subjects": [n.ref], "annotator": {"component": _tool(sbom)},
                    "timestamp": timestamp, "text": n.verdict.text()} for n in sbom.roots if n.verdict]
    if annotations:
        bom["annotations"] = annotations
    return bom


def render(sbom: Sbom) -> str:
    return json.dumps(document(sbom), indent=2, ensure_ascii=False) + "\n"
