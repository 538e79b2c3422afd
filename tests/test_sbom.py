"""``compliance sbom``: SPDX 2.3 (validated by spdx-tools, read back equal), SPDX 3.0.1 (loaded back through the
official spdx-python-model bindings), CycloneDX 1.6 (validated against the official JSON schema), deterministic
bytes, and bad input that ends in one line, exit 2 and nothing written."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from compliance import knowledge, sbom
from compliance.resolve import Options, Resolver
from compliance.sbom import common, cyclonedx, spdx3

DATE = dt.date(2026, 1, 15)
DISTILL = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MISTRAL = "mistralai/Mistral-Small-3.2-24B-Instruct-2506"
CATALOG = (DISTILL, SCOUT, MISTRAL)
SUFFIX = {"spdx-json": "spdx.json", "spdx-tv": "spdx", "spdx3-jsonld": "spdx3.json", "cyclonedx-json": "cdx.json"}
LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+")


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory, monkeypatch):
    """No real Hugging Face cache or Ollama store: catalog models resolve from the catalog on every machine."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path_factory.mktemp("hf-empty")))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path_factory.mktemp("ollama-empty")))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


@pytest.fixture(scope="module")
def kb():
    return knowledge.default()


def card(**meta) -> str:
    import yaml

    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n# Model\n\nWritten for the tests.\n"


@pytest.fixture
def unknown_model(tmp_path) -> Path:
    """A model under a license nobody knows, built on a base nobody can resolve."""
    folder = tmp_path / "acme__mystery"
    folder.mkdir()
    (folder / "README.md").write_text(card(license="other", license_name="Acme Secret Model License",
                                           base_model="acme/private-base"))
    (folder / "LICENSE").write_text("ACME SECRET MODEL LICENSE\nYou may look but not touch. All rights reserved.\n")
    return folder


@pytest.fixture
def llama_finetune(tmp_path, corpus) -> Path:
    """A Llama 3.1 fine-tune shipping the real LICENSE (copied from the corpus at run time: the project stores none)."""
    folder = tmp_path / "acme__llama-ft"
    folder.mkdir()
    shutil.copy(corpus / "licenses" / "llama-3.1" / "LICENSE", folder / "LICENSE")
    (folder / "README.md").write_text(card(license="llama3.1", base_model="meta-llama/Llama-3.1-8B-Instruct",
                                           base_model_relation="finetune", pipeline_tag="text-generation",
                                           datasets=["acme/support-tickets"]))
    return folder


@pytest.fixture
def quantization(tmp_path) -> Path:
    folder = tmp_path / "acme__Llama-4-Scout-GGUF"
    folder.mkdir()
    (folder / "README.md").write_text(card(license="llama4", base_model=SCOUT, base_model_relation="quantized"))
    return folder


def make(refs, *, policy=None, date=DATE) -> common.Sbom:
    resolver = Resolver(Options(online=False))
    resolved = [resolver.resolve(str(r)) for r in refs]
    loaded = None
    if policy is not None:
        from compliance.policy import load_policy

        loaded = load_policy(ROOT / "policies" / policy)
    return sbom.from_resolved(resolved, resolver, date=date, policy=loaded)


def write(run_cli, tmp_path, fmt, *refs, extra=()) -> Path:
    out = tmp_path / f"out.{SUFFIX[fmt]}"
    code, stdout, err = run_cli("sbom", *map(str, refs), "--format", fmt, "--date", DATE.isoformat(), "-o", str(out),
                                *extra)
    assert code == 0, err
    assert err == "" and stdout.startswith("wrote ")
    return out


def node(doc: common.Sbom, model: str) -> common.Node:
    return next(n for n in doc.nodes if n.model == model)


# --- SPDX 2.3 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["spdx-json", "spdx-tv"])
def test_spdx2_validates_with_zero_messages_and_reads_back_equal(fmt, run_cli, tmp_path, unknown_model, quantization):
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    from compliance.sbom import spdx2

    refs = (*CATALOG, unknown_model, quantization)
    out = write(run_cli, tmp_path, fmt, *refs, extra=("--policy", str(ROOT / "policies" / "eu-saas.yaml")))
    back = parse_file(str(out))
    assert validate_full_spdx_document(back, "SPDX-2.3") == []
    expected = spdx2.document(make(refs, policy="eu-saas.yaml"))
    assert back == expected  # every package, relationship, annotation and extracted license, as built
    assert out.read_text() == sbom.render(fmt, make(refs, policy="eu-saas.yaml"))


def test_spdx2_packages_licenses_and_lineage(kb):
    from compliance.sbom import spdx2

    doc = spdx2.document(make(CATALOG))
    assert spdx2.validate(doc) == []
    packages = {p.name: p for p in doc.packages}
    scout = packages[SCOUT]
    assert scout.supplier.name == "Meta" and scout.download_location == f"https://huggingface.co/{SCOUT}"
    assert str(scout.license_declared) == str(scout.license_concluded) == "LicenseRef-llama-4"
    assert [r.locator for r in scout.external_references] == [f"pkg:huggingface/{SCOUT}"]
    assert scout.release_date == dt.datetime(2025, 4, 5) and "Built with Llama" in scout.attribution_texts
    distill = packages[DISTILL]
    assert str(distill.license_declared) == "MIT"  # what the card says
    assert str(distill.license_concluded) == "MIT AND LicenseRef-llama-3.1"  # what binds, lineage included
    assert "license-mismatch" in distill.comment
    # ancestors are packages too, so every relationship has both ends
    ids = {p.spdx_id: p.name for p in doc.packages}
    edges = {(ids[r.spdx_element_id], r.relationship_type.name, ids.get(r.related_spdx_element_id))
             for r in doc.relationships if r.spdx_element_id != "SPDXRef-DOCUMENT"}
    assert (DISTILL, "DESCENDANT_OF", "meta-llama/Llama-3.1-8B") in edges
    assert (SCOUT, "DESCENDANT_OF", "meta-llama/Llama-4-Scout-17B-16E") in edges
    assert {ids[r.related_spdx_element_id] for r in doc.relationships if r.relationship_type.name == "DESCRIBES"} \
        == set(CATALOG)
    # every LicenseRef used has its ExtractedLicensingInfo, pointing to the official text (no copy was read)
    used = {ref for p in doc.packages for e in (p.license_declared, p.license_concluded)
            for ref in LICENSE_REF.findall(str(e))}
    extracted = {e.license_id: e for e in doc.extracted_licensing_info}
    assert used == set(extracted) == {"LicenseRef-llama-3.1", "LicenseRef-llama-4"}
    llama4 = extracted["LicenseRef-llama-4"]
    assert llama4.license_name == kb.licenses["llama-4"].name
    assert llama4.cross_references == [kb.licenses["llama-4"].source_url]
    assert llama4.extracted_text.startswith("The text of the Llama 4 Community License Agreement is not reproduced")


def test_license_text_read_from_the_models_own_files_is_the_extracted_text(llama_finetune, corpus):
    from compliance.sbom import spdx2

    doc = spdx2.document(make([llama_finetune]))
    assert spdx2.validate(doc) == []
    pkg = next(p for p in doc.packages if p.name == "acme/llama-ft")
    text = (corpus / "licenses" / "llama-3.1" / "LICENSE").read_text(encoding="utf-8")
    assert [c.value for c in pkg.checksums] == [hashlib.sha256(text.encode()).hexdigest()]
    assert str(pkg.license_declared) == str(pkg.license_concluded) == "LicenseRef-llama-3.1"
    assert pkg.supplier is not None and str(pkg.download_location) == "NOASSERTION"  # a local folder: no Hub URL
    assert "not of its weights" in pkg.license_comment
    extracted = {e.license_id: e for e in doc.extracted_licensing_info}
    assert extracted["LicenseRef-llama-3.1"].extracted_text == text
    assert "acme/llama-ft: LICENSE" in extracted["LicenseRef-llama-3.1"].comment


def test_unknown_license_is_noassertion_with_the_reason_never_a_made_up_id(unknown_model, kb):
    from spdx_tools.spdx.model import SpdxNoAssertion

    from compliance.sbom import spdx2

    built = make([unknown_model, SCOUT])
    doc = spdx2.document(built)
    assert spdx2.validate(doc) == []
    pkg = next(p for p in doc.packages if p.name == "acme/mystery")
    assert pkg.license_declared == SpdxNoAssertion() and pkg.license_concluded == SpdxNoAssertion()
    assert "'Acme Secret Model License'" in pkg.license_comment and "does not identify" in pkg.license_comment
    base = next(p for p in doc.packages if p.name == "acme/private-base")  # the unresolved base is a package too
    assert base.license_concluded == SpdxNoAssertion() and "not found" in base.license_comment
    assert str(base.download_location) == "NOASSERTION"
    known = {lic.spdx for lic in kb}
    for fmt in sbom.FORMATS:
        assert set(LICENSE_REF.findall(sbom.render(fmt, built))) <= known, fmt


def test_quantization_is_variant_of_its_base(quantization):
    from compliance.sbom import spdx2

    doc = spdx2.document(make([quantization]))
    ids = {p.spdx_id: p.name for p in doc.packages}
    kinds = {(ids[r.spdx_element_id], r.relationship_type.name, ids[r.related_spdx_element_id])
             for r in doc.relationships if r.spdx_element_id in ids}
    assert ("acme/Llama-4-Scout-GGUF", "VARIANT_OF", SCOUT) in kinds
    assert (SCOUT, "DESCENDANT_OF", "meta-llama/Llama-4-Scout-17B-16E") in kinds


def test_policy_decision_is_a_review_annotation():
    from compliance.sbom import spdx2

    doc = spdx2.document(make([SCOUT], policy="eu-saas.yaml"))
    [note] = doc.annotations
    assert note.annotation_type.name == "REVIEW" and note.spdx_id.startswith("SPDXRef-Model-meta-llama-Llama-4-Scout")
    assert note.annotation_comment.startswith("compliance policy decision: DENY under policy 'acme-eu-saas'")
    assert "territory [deny]" in note.annotation_comment


def test_license_expression_validate_crash_is_contained():
    from compliance.sbom import spdx2

    assert spdx2._is_listed("MIT") and spdx2._is_listed("Apache-2.0")
    assert not spdx2._is_listed("apache-2.0 AND")  # validate() raises AttributeError on this one
    assert not spdx2._is_listed("LicenseRef-llama-4")


# --- SPDX 3.0.1 --------------------------------------------------------------------------------------------------


def _load_spdx3(text: str):
    spdx_python_model = pytest.importorskip("spdx_python_model")
    data = json.loads(text)
    model, objset = spdx_python_model.load_data(data)  # checks every property's type and pattern
    assert objset.link() == set()  # no reference to an element that is not in the document
    buffer = io.BytesIO()
    model.JSONLDSerializer().write(objset, buffer)  # checks required properties
    return data, json.loads(buffer.getvalue()), objset


def test_spdx3_round_trips_through_the_official_bindings(run_cli, tmp_path, unknown_model, quantization):
    refs = (*CATALOG, unknown_model, quantization)
    out = write(run_cli, tmp_path, "spdx3-jsonld", *refs, extra=("--policy", str(ROOT / "policies" / "eu-saas.yaml")))
    data, again, _ = _load_spdx3(out.read_text())
    assert data["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"

    def by_id(doc):
        return {o.get("spdxId") or o["@id"]: o for o in doc["@graph"]}

    assert by_id(again) == by_id(data)  # the official serializer writes back exactly what we wrote


def test_spdx3_ai_packages_and_license_relationships(unknown_model, quantization):
    built = make((*CATALOG, unknown_model, quantization), policy="eu-saas.yaml")
    data, _, _ = _load_spdx3(spdx3.render(built))
    graph = {o.get("spdxId") or o["@id"]: o for o in data["@graph"]}
    [creation] = [o for o in graph.values() if o["type"] == "CreationInfo"]
    assert creation["specVersion"] == "3.0.1" and creation["created"] == "2026-01-15T00:00:00Z"
    [document] = [o for o in graph.values() if o["type"] == "SpdxDocument"]
    assert set(document["element"]) | {document["spdxId"]} == {k for k in graph if not k.startswith("_:")}
    packages = {o["name"]: o for o in graph.values() if o["type"] == "ai_AIPackage"}
    assert {graph[r]["name"] for r in document["rootElement"]} == {*CATALOG, "acme/mystery", "acme/Llama-4-Scout-GGUF"}
    for pkg in packages.values():
        assert pkg["software_primaryPurpose"] == "model" and pkg["creationInfo"] == creation["@id"]
        assert pkg["ai_autonomyType"] == "noAssertion"
    scout = packages[SCOUT]
    assert graph[scout["suppliedBy"]]["name"] == "Meta" and scout["releaseTime"] == "2025-04-05T00:00:00Z"
    assert scout["software_downloadLocation"] == f"https://huggingface.co/{SCOUT}"
    assert scout["software_packageUrl"] == f"pkg:huggingface/{SCOUT}"
    assert scout["ai_typeOfModel"] == ["multimodal model"] and "700 million" in scout["ai_limitation"]
    relations = [o for o in graph.values() if o["type"] == "Relationship"]

    def license_of(name, kind):
        [rel] = [r for r in relations if r["from"] == packages[name]["spdxId"] and r["relationshipType"] == kind]
        return rel

    for name in packages:
        for kind in ("hasDeclaredLicense", "hasConcludedLicense"):
            license_of(name, kind)  # exactly one each
    concluded = graph[license_of(DISTILL, "hasConcludedLicense")["to"][0]]
    assert concluded["simplelicensing_licenseExpression"] == "MIT AND LicenseRef-llama-3.1"
    [entry] = concluded["simplelicensing_customIdToUri"]
    text = graph[entry["value"]]
    assert entry["key"] == "LicenseRef-llama-3.1" and text["type"] == "simplelicensing_SimpleLicensingText"
    assert text["simplelicensing_licenseText"]
    unknown = license_of("acme/mystery", "hasConcludedLicense")
    assert unknown["to"] == ["expandedlicensing_NoAssertionLicense"] and "could not be identified" in unknown["comment"]
    lineage = {(graph[r["from"]]["name"], r["relationshipType"], graph[r["to"][0]]["name"]) for r in relations
               if r["relationshipType"] in ("descendantOf", "hasVariant")}
    assert (DISTILL, "descendantOf", "meta-llama/Llama-3.1-8B") in lineage
    assert (SCOUT, "hasVariant", "acme/Llama-4-Scout-GGUF") in lineage
    assert ("acme/mystery", "descendantOf", "acme/private-base") in lineage
    [note] = [o for o in graph.values() if o["type"] == "Annotation" and o["subject"] == scout["spdxId"]]
    assert note["annotationType"] == "review" and "DENY" in note["statement"]


# --- CycloneDX 1.6 ----------------------------------------------------------------------------------------------


def _validate_cdx(text: str) -> None:
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None


def test_cyclonedx_validates_against_the_schema_and_reads_back(run_cli, tmp_path, unknown_model, quantization):
    refs = (*CATALOG, unknown_model, quantization)
    out = write(run_cli, tmp_path, "cyclonedx-json", *refs, extra=("--policy", str(ROOT / "policies" / "eu-saas.yaml")))
    text = out.read_text()
    _validate_cdx(text)
    from cyclonedx.model.bom import Bom

    bom = Bom.from_json(json.loads(text))  # the library reads it back (it ignores modelCard, which it lacks)
    built = make(refs, policy="eu-saas.yaml")
    assert str(bom.serial_number) == built.uuid
    components = {c.bom_ref.value: c for c in bom.components}
    assert set(components) == {n.ref for n in built.roots}
    for n in built.roots:
        comp = components[n.ref]
        assert comp.type.value == "machine-learning-model" and comp.name == n.short_name
        assert (str(comp.purl) if comp.purl else None) == n.purl
        ids = {(lic.id or lic.name, lic.acknowledgement.value) for lic in comp.licenses}
        expected = {(built.license(i).spdx if not built.license(i).custom else built.license(i).name, kind)
                    for kind, lic in (("declared", n.declared), ("concluded", n.concluded)) for i in lic.ids}
        assert ids == expected
        ancestors = [a.name for a in comp.pedigree.ancestors] if comp.pedigree else []
        assert sorted(ancestors) == sorted(a.short_name for a, _ in built.ancestors(n.ref))


def test_cyclonedx_model_components(llama_finetune, unknown_model):
    data = cyclonedx.document(make([llama_finetune, unknown_model, DISTILL], policy="eu-saas.yaml"))
    _validate_cdx(json.dumps(data))
    comps = {c["group"] + "/" + c["name"]: c for c in data["components"]}
    ft = comps["acme/llama-ft"]
    assert ft["modelCard"]["modelParameters"] == {"task": "text-generation",
                                                 "datasets": [{"type": "dataset", "name": "acme/support-tickets"}]}
    [llama] = [x["license"] for x in ft["licenses"] if x["license"]["acknowledgement"] == "concluded"]
    assert llama["name"] == "Llama 3.1 Community License Agreement" and "id" not in llama
    assert llama["text"]["content"].lstrip().startswith("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT")
    [base] = ft["pedigree"]["ancestors"][:1]
    assert base["name"] == "Llama-3.1-8B-Instruct"
    assert base["purl"] == "pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct"
    assert {"name": "compliance:relation", "value": "finetune"} in base["properties"]
    mystery = comps["acme/mystery"]
    assert "licenses" not in mystery  # no made-up license: the reason is in the properties
    props = {p["name"]: p["value"] for p in mystery["properties"]}
    assert props["compliance:concluded-license"] == "NOASSERTION"
    assert "Acme Secret Model License" in props["compliance:declared-license-comment"]
    distill = comps[DISTILL]
    assert {(x["license"].get("id"), x["license"]["acknowledgement"]) for x in distill["licenses"]} >= {
        ("MIT", "declared"), ("MIT", "concluded")}
    assert {p["name"]: p["value"] for p in distill["properties"]}["compliance:decision"] == "deny"
    assert {a["subjects"][0] for a in data["annotations"]} == {c["bom-ref"] for c in data["components"]}


def test_every_knowledge_base_license_is_valid_in_every_format(kb):
    """One synthetic model per license record: SPDX ids and LicenseRefs the validators accept, in all formats."""
    from compliance.sbom import spdx2

    base = make([MISTRAL])
    template = base.roots[0]
    nodes, licenses = [], []
    for lic in kb:
        licensing = common.Licensing((lic.id,), (lic.id,))
        nodes.append(dataclasses.replace(template, ref=common.node_ref(f"test/{lic.id}", None), model=f"test/{lic.id}",
                                         on_hub=False,
                                         declared=licensing, concluded=licensing))
        licenses.append(common.LicenseInfo(lic.id, lic.spdx, lic.name, lic.source_url, lic.verified))
    synthetic = dataclasses.replace(base, nodes=tuple(nodes), edges=(), licenses=tuple(licenses))
    synthetic = dataclasses.replace(synthetic, fingerprint=common.fingerprint(synthetic))
    assert spdx2.validate(spdx2.document(synthetic)) == []
    _validate_cdx(cyclonedx.render(synthetic))
    _load_spdx3(spdx3.render(synthetic))


# --- determinism, the command, bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_bytes_are_identical_across_runs_and_argument_order(fmt, run_cli, tmp_path, unknown_model):
    first = write(run_cli, tmp_path, fmt, SCOUT, DISTILL, unknown_model).read_bytes()
    second = write(run_cli, tmp_path, fmt, unknown_model, DISTILL, SCOUT).read_bytes()
    assert first == second
    code, _, _ = run_cli("sbom", SCOUT, DISTILL, str(unknown_model), "--format", fmt, "--date", "2026-01-16",
                         "-o", str(tmp_path / "later"))
    assert code == 0 and (tmp_path / "later").read_bytes() != first


def test_identifiers_are_derived_from_content_and_date():
    one, again, later = make([SCOUT]), make([SCOUT]), make([SCOUT], date=DATE + dt.timedelta(days=1))
    assert one.fingerprint == again.fingerprint and one.uuid == again.uuid
    assert later.uuid != one.uuid and [n.ref for n in later.nodes] == [n.ref for n in one.nodes]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", one.uuid)
    assert common.namespace(one).startswith(f"https://spdx.org/spdxdocs/sbom-{common.slug(SCOUT)}-")
    assert common.namespace(one, "https://example.com/sboms/").startswith("https://example.com/sboms/sbom-")


def test_cached_model_has_revision_purl_and_its_own_license_text(tmp_path, monkeypatch, corpus):
    from support.hfcache import add_to_cache
    from support.hfcache import card as hf_card

    from compliance.sbom import spdx2

    cache = tmp_path / "hub"
    text = (corpus / "licenses" / "llama-4" / "LICENSE").read_text(encoding="utf-8")
    commit = "c" * 40
    add_to_cache(cache, "acme/scout-tuned", {"README.md": hf_card(license="llama4", base_model=SCOUT),
                                            "LICENSE": text}, commit=commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    built = make(["acme/scout-tuned"])
    tuned = node(built, "acme/scout-tuned")
    assert tuned.revision == commit and tuned.purl == f"pkg:huggingface/acme/scout-tuned@{commit}"
    assert tuned.download_location == "https://huggingface.co/acme/scout-tuned"
    doc = spdx2.document(built)
    assert spdx2.validate(doc) == []
    [extracted] = doc.extracted_licensing_info
    assert extracted.license_id == "LicenseRef-llama-4" and extracted.extracted_text == text


def test_online_model_carries_the_text_it_downloaded(run_cli, tmp_path, corpus, monkeypatch):
    from support.fakehub import FakeHub
    from support.hfcache import card as hf_card

    text = (corpus / "licenses" / "llama-4" / "LICENSE").read_text(encoding="utf-8")
    commit = "d" * 40
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.add("acme/online-scout", {"README.md": hf_card(license="llama4", base_model=SCOUT), "LICENSE": text},
                sha=commit)
        out = write(run_cli, tmp_path, "spdx-json", "acme/online-scout", extra=("--online",))
    data = json.loads(out.read_text())
    pkg = next(p for p in data["packages"] if p["name"] == "acme/online-scout")
    assert pkg["versionInfo"] == commit and pkg["downloadLocation"] == "https://huggingface.co/acme/online-scout"
    assert pkg["externalRefs"][0]["referenceLocator"] == f"pkg:huggingface/acme/online-scout@{commit}"
    [extracted] = data["hasExtractedLicensingInfos"]
    assert extracted["licenseId"] == "LicenseRef-llama-4" and extracted["extractedText"] == text


def test_standard_output_and_format_from_file_name(run_cli, tmp_path):
    code, out, _ = run_cli("sbom", SCOUT, "--format", "cyclonedx-json", "--date", DATE.isoformat(), "-o", "-")
    assert code == 0 and json.loads(out)["bomFormat"] == "CycloneDX"
    for fmt, suffix in SUFFIX.items():
        assert sbom.format_for_path(f"x/models.{suffix}") == fmt
    code, _, err = run_cli("sbom", SCOUT, "-o", str(tmp_path / "models.txt"))
    assert code == 2 and err.count("\n") == 1 and "give --format" in err
    from compliance.commands.sbom import FORMAT_NAMES

    assert FORMAT_NAMES == tuple(sbom.FORMATS)


def test_one_bad_reference_is_named_the_others_are_exported_and_the_run_is_exit_2(run_cli, tmp_path):
    out = tmp_path / "models.spdx.json"
    code, stdout, err = run_cli("sbom", SCOUT, "nosuch/model", "--date", DATE.isoformat(), "-o", str(out))
    assert code == 2 and f"to {out}: 1 model(s)" in stdout
    assert err.count("\n") == 1 and "nosuch/model" in err
    names = {p["name"] for p in json.loads(out.read_text())["packages"]}
    assert SCOUT in names and "nosuch/model" not in names


@pytest.mark.parametrize("case", ["unknown-model", "missing-folder", "directory", "missing-policy", "bad-date"])
def test_bad_input_is_one_line_exit_2_and_nothing_written(case, run_cli, tmp_path):
    out = tmp_path / "models.spdx.json"
    out.write_text("previous\n")
    args = {
        "unknown-model": ("nosuch/model", "-o", str(out)),
        "missing-folder": (SCOUT, "-o", str(tmp_path / "no" / "such" / "models.spdx.json")),
        "directory": (SCOUT, "--format", "spdx-json", "-o", str(tmp_path)),
        "missing-policy": (SCOUT, "--policy", str(tmp_path / "nope.yaml"), "-o", str(out)),
        "bad-date": (SCOUT, "--date", "2026-13-01", "-o", str(out)),
    }[case]
    code, stdout, err = run_cli("sbom", *args)
    assert code == 2 and stdout == ""
    if case != "bad-date":  # click's usage errors name the option on their own lines
        assert err.count("\n") == 1 and err.startswith("compliance: "), err
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.spdx.json"]  # no temporary file left behind


def test_a_failed_write_keeps_the_old_file(run_cli, tmp_path, monkeypatch):
    import os

    out = tmp_path / "models.cdx.json"
    out.write_text("previous\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run_cli("sbom", SCOUT, "--date", DATE.isoformat(), "-o", str(out))
    assert code == 2 and "No space left on device" in err and err.count("\n") == 1
    assert out.read_text() == "previous\n" and [p.name for p in tmp_path.iterdir()] == ["models.cdx.json"]


def test_sbom_libraries_are_imported_only_on_the_sbom_path(tmp_path):
    code = (
        "import sys\n"
        "from compliance.cli import main\n"
        "main(['--help']); main(['sbom', '--help'])\n"
        "libs = {'spdx_tools', 'spdx_python_model', 'cyclonedx', 'license_expression'}\n"
        "print('HELP', sorted({m.split('.')[0] for m in sys.modules} & libs))\n"
        f"main(['sbom', {SCOUT!r}, '--date', '2026-01-15', '-o', {str(tmp_path / 'a.cdx.json')!r}])\n"
        f"main(['sbom', {SCOUT!r}, '--date', '2026-01-15', '-o', {str(tmp_path / 'a.spdx3.json')!r}])\n"
        "print('LIGHT', sorted({m.split('.')[0] for m in sys.modules} & libs))\n"
        f"main(['sbom', {SCOUT!r}, '--date', '2026-01-15', '-o', {str(tmp_path / 'a.spdx')!r}])\n"
        "print('SPDX2', sorted({m.split('.')[0] for m in sys.modules} & libs))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "HELP []" in out and "LIGHT []" in out  # CycloneDX and SPDX 3 need no SBOM library at all
    assert "SPDX2 ['license_expression', 'spdx_tools']" in out
