"""SBOM input: ``check`` / ``report`` / ``inspect`` on a CycloneDX, SPDX 2.3 or SPDX 3 file judge every model it lists
with the licenses it states. SPDX expressions as elsewhere (AND: all apply; OR: the most favourable option the
policy allows, named; WITH: the license's terms), NOASSERTION / NONE / unidentified licenses unknown and never
allowed, and our own SBOM output writes an expression that reads back to the same decision. Every SBOM here is
written by the tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

EU = str(ROOT / "policies" / "eu-saas.yaml")
RESEARCH = str(ROOT / "policies" / "research-lab.yaml")


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path_factory.mktemp("hf-empty")))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path_factory.mktemp("ollama-empty")))


def model(name: str, *licenses: dict, **extra) -> dict:
    org, short = name.split("/")
    comp = {"type": "machine-learning-model", "group": org, "name": short, **extra}
    if licenses:
        comp["licenses"] = list(licenses)
    return comp


def cdx(*components, **top) -> str:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": list(components),
                       **top})


def judged(run_cli, path: Path, policy: str = EU) -> tuple[int, dict[str, dict]]:
    code, out, err = run_cli("check", str(path), "--policy", policy, "--format", "json")
    assert err == "" or code == 2, err
    return code, {r["model"]: r for r in json.loads(out)["results"]}


def ids(result: dict) -> list[str]:
    return [lic["id"] for lic in result["licenses"]]


def rules(result: dict, decision: str | None = None) -> set[str]:
    return {f["rule"] for f in result["findings"] if decision is None or f["decision"] == decision}


# --- CycloneDX ---------------------------------------------------------------------------------------------------


CASES = [
    # (model, licenses entries, expected decision, expected license ids, a rule that must decide (or None))
    ("acme/dual", [{"expression": "Apache-2.0 OR MIT"}], "allow", ["apache-2.0"], None),
    ("acme/nc-or-mit", [{"expression": "CC-BY-NC-4.0 OR MIT"}], "allow", ["mit"], None),
    ("acme/nc-and-mit", [{"expression": "(MIT AND CC-BY-NC-4.0)"}], "deny", ["mit", "cc-by-nc-4.0"], "non-commercial"),
    ("acme/with", [{"expression": "Apache-2.0 WITH LLVM-exception"}], "allow", ["apache-2.0"], None),
    ("acme/ref", [{"license": {"id": "LicenseRef-llama-3.1"}}], "review", ["llama-3.1"], "attribution"),
    ("acme/named", [{"license": {"name": "Llama 3.1 Community License Agreement"}}], "review", ["llama-3.1"],
     "attribution"),
    ("acme/two-objects", [{"license": {"id": "MIT"}}, {"license": {"id": "CC-BY-NC-4.0"}}], "deny",
     ["mit", "cc-by-nc-4.0"], "non-commercial"),
    ("acme/noassertion", [{"expression": "NOASSERTION"}], "deny", [], "unknown-license"),
    ("acme/silent", [], "deny", [], "unknown-license"),
    ("acme/unknown-ref", [{"license": {"id": "LicenseRef-acme-secret"}}], "deny", [], "unknown-license"),
    ("acme/unknown-name", [{"license": {"name": "Acme Secret Model License"}}], "deny", [], "unknown-license"),
    ("acme/concluded-noassertion", [{"license": {"id": "MIT", "acknowledgement": "declared"}},
                                    {"expression": "NOASSERTION", "acknowledgement": "concluded"}],
     "deny", ["mit"], "unknown-license"),
    ("acme/concluded-wins", [{"expression": "MIT", "acknowledgement": "concluded"}], "allow", ["mit"], None),
    ("acme/broken", [{"expression": "MIT AND ("}], "deny", [], "unknown-license"),
]


@pytest.fixture(scope="module")
def cdx_results(tmp_path_factory):
    from compliance.cli import main

    folder = tmp_path_factory.mktemp("cdx")
    path = folder / "models.cdx.json"
    path.write_text(cdx(*(model(name, *lics) for name, lics, *_ in CASES),
                        model("acme/other-kind", {"expression": "MIT"}, type="library")))
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(path), "--policy", EU, "--format", "json"])
    return code, {r["model"]: r for r in json.loads(out.getvalue())["results"]}


@pytest.mark.parametrize("name,entries,decision,expected,rule", CASES, ids=[c[0] for c in CASES])
def test_cyclonedx_licenses_and_expressions(cdx_results, name, entries, decision, expected, rule):
    code, results = cdx_results
    assert code == 1  # some are denied
    result = results[name]
    assert result["decision"] == decision, result["findings"]
    assert ids(result) == expected
    if rule is not None:
        assert rule in rules(result, decision)
    if decision == "allow" and "OR" in json.dumps(entries):
        chosen = next(f for f in result["findings"] if f["rule"] == "license")
        assert f"chose {expected[0]}" in chosen["message"] and "other options" in chosen["message"]


def test_only_model_components_are_judged_when_there_are_models(cdx_results):
    _, results = cdx_results
    assert "acme/other-kind" not in results and len(results) == len(CASES)


def test_an_unknown_option_is_never_chosen_and_the_known_one_is(run_cli, tmp_path):
    path = tmp_path / "x.cdx.json"
    path.write_text(cdx(model("acme/m", {"expression": "LicenseRef-acme-secret OR MIT"})))
    code, results = judged(run_cli, path)
    chosen = next(f for f in results["acme/m"]["findings"] if f["rule"] == "license")
    assert code == 0 and ids(results["acme/m"]) == ["mit"]
    assert "never chosen: LicenseRef-acme-secret" in chosen["message"]


def test_the_policy_decides_which_option_is_most_favourable(run_cli, tmp_path):
    """Under a research policy a non-commercial option is fine too; under a commercial one only MIT is."""
    path = tmp_path / "x.cdx.json"
    path.write_text(cdx(model("acme/m", {"expression": "CC-BY-NC-4.0 OR GPL-3.0-only"})))
    _, eu = judged(run_cli, path, EU)
    assert eu["acme/m"]["decision"] != "allow"  # neither option is allowed for a commercial SaaS as-is
    chosen = next(f for f in eu["acme/m"]["findings"] if f["rule"] == "license" and "chose" in f["message"])
    assert "other options" in chosen["message"]


def test_publisher_and_origin_come_from_the_model_id(run_cli, tmp_path):
    path = tmp_path / "x.cdx.json"
    path.write_text(cdx(model("deepseek-ai/DeepSeek-R1", {"license": {"id": "MIT"}})))
    policy = tmp_path / "no-cn.yaml"
    policy.write_text("name: no-cn\norganization: {domicile: US, regions: [US], monthly_active_users: 1000}\n"
                      "rules:\n  origin: {deny: [CN], decision: deny}\n")
    _, results = judged(run_cli, path, str(policy))
    result = results["deepseek-ai/DeepSeek-R1"]
    assert result["country"] == "CN" and "origin" in rules(result, "deny")


# --- SPDX 2.3 and SPDX 3 ------------------------------------------------------------------------------------------


def spdx2(*packages, describes=None, extracted=()) -> str:
    doc = {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "t", "dataLicense": "CC0-1.0",
           "documentNamespace": "https://example.invalid/t", "packages": list(packages),
           "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: test"]},
           "hasExtractedLicensingInfos": list(extracted)}
    if describes is not None:
        doc["relationships"] = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                                 "relatedSpdxElement": d} for d in describes]
    return json.dumps(doc)


def pkg(spdx_id: str, name: str, declared: str | None, concluded: str | None) -> dict:
    p = {"SPDXID": spdx_id, "name": name, "downloadLocation": "NOASSERTION"}
    if declared is not None:
        p["licenseDeclared"] = declared
    if concluded is not None:
        p["licenseConcluded"] = concluded
    return p


def test_spdx2_declared_and_concluded(run_cli, tmp_path):
    path = tmp_path / "models.spdx.json"
    path.write_text(spdx2(
        pkg("SPDXRef-a", "acme/choice", "MIT OR CC-BY-NC-4.0", "MIT OR CC-BY-NC-4.0"),
        pkg("SPDXRef-b", "acme/noassert", "MIT", "NOASSERTION"),
        pkg("SPDXRef-c", "acme/none", "NONE", None),
        pkg("SPDXRef-d", "acme/extracted", "LicenseRef-model", "LicenseRef-model"),
        pkg("SPDXRef-e", "acme/library-not-described", "GPL-3.0-only", "GPL-3.0-only"),
        describes=["SPDXRef-a", "SPDXRef-b", "SPDXRef-c", "SPDXRef-d"],
        extracted=[{"licenseId": "LicenseRef-model", "name": "Llama 3.1 Community License Agreement",
                    "extractedText": "(not reproduced)"}]))
    code, results = judged(run_cli, path)
    assert set(results) == {"acme/choice", "acme/noassert", "acme/none", "acme/extracted"}
    assert (results["acme/choice"]["decision"], ids(results["acme/choice"])) == ("allow", ["mit"])
    assert results["acme/noassert"]["decision"] == "deny" and "unknown-license" in rules(results["acme/noassert"], "deny")
    assert "concluded license is NOASSERTION" in json.dumps(results["acme/noassert"]["findings"])
    assert results["acme/none"]["decision"] == "deny" and "the license is NONE" in json.dumps(results["acme/none"])
    assert ids(results["acme/extracted"]) == ["llama-3.1"]
    assert code == 1


def test_spdx2_without_describes_judges_packages_that_are_no_ones_ancestor(run_cli, tmp_path):
    doc = json.loads(spdx2(pkg("SPDXRef-ft", "acme/finetune", "MIT", "MIT"),
                           pkg("SPDXRef-base", "acme/base", "CC-BY-NC-4.0", "CC-BY-NC-4.0")))
    doc["relationships"] = [{"spdxElementId": "SPDXRef-ft", "relationshipType": "DESCENDANT_OF",
                             "relatedSpdxElement": "SPDXRef-base"}]
    path = tmp_path / "lineage.spdx.json"
    path.write_text(json.dumps(doc))
    _, results = judged(run_cli, path)
    assert set(results) == {"acme/finetune"}


def test_spdx3_license_relationships(run_cli, tmp_path):
    ns = "https://example.invalid/doc#"

    def el(kind, local, **props):
        return {"type": kind, "spdxId": ns + local, "creationInfo": "_:c", **props}

    graph = [
        {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2026-01-01T00:00:00Z"},
        el("ai_AIPackage", "m1", name="acme/choice"),
        el("ai_AIPackage", "m2", name="acme/unknown"),
        el("simplelicensing_LicenseExpression", "e1", simplelicensing_licenseExpression="CC-BY-NC-4.0 OR Apache-2.0"),
        el("Relationship", "r1", **{"from": ns + "m1", "relationshipType": "hasConcludedLicense", "to": [ns + "e1"]}),
        el("Relationship", "r2", **{"from": ns + "m2", "relationshipType": "hasConcludedLicense",
                                   "to": ["expandedlicensing_NoAssertionLicense"]}),
        el("SpdxDocument", "doc", rootElement=[ns + "m1", ns + "m2"]),
    ]
    path = tmp_path / "models.spdx3.json"
    path.write_text(json.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}))
    _, results = judged(run_cli, path)
    assert (results["acme/choice"]["decision"], ids(results["acme/choice"])) == ("allow", ["apache-2.0"])
    assert results["acme/unknown"]["decision"] == "deny"


# --- round trip: our own SBOM output, read back, same decision ----------------------------------------------------


@pytest.fixture
def choice_models(tmp_path) -> list[str]:
    cards = {
        "acme__dual": "license: cc-by-nc-4.0 OR mit",
        "acme__mixed": "license: llama3.1 AND (apache-2.0 OR cc-by-nc-4.0)",
        "acme__plain": "license: apache-2.0",
        "acme__nc": "license: cc-by-nc-4.0",
        "acme__llvm": "license: apache-2.0 WITH llvm-exception",
        # a Llama 3.1 fine-tune relabelled Apache-2.0: the lineage finding and modality survive the round trip
        "acme__relabel": "license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\nbase_model_relation: finetune",
    }
    refs = []
    for name, meta in cards.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "README.md").write_text(f"---\n{meta}\n---\n\n# Model\n")
        refs.append(str(folder))
    return refs


def _view(result: dict) -> tuple:
    chosen = [f["message"].split(":")[1].split(",")[0].strip() for f in result["findings"]
              if f["rule"] == "license" and "chose" in f["message"]]
    return (result["decision"], tuple(ids(result)), tuple(sorted(rules(result, result["decision"]))), tuple(chosen),
            result["modality"])


@pytest.mark.parametrize("fmt,suffix", [("spdx-json", "spdx.json"), ("spdx-tv", "spdx"),
                                        ("spdx3-jsonld", "spdx3.json"), ("cyclonedx-json", "cdx.json")])
def test_our_sbom_reads_back_to_the_same_decision(fmt, suffix, run_cli, tmp_path, choice_models):
    direct = {}
    code, out, _ = run_cli("check", *choice_models, "--policy", EU, "--format", "json")
    for r in json.loads(out)["results"]:
        direct[r["model"]] = _view(r)
    assert direct["acme/dual"][:2] == ("allow", ("mit",))
    assert "lineage" in direct["acme/relabel"][2] and direct["acme/relabel"][4] == "text"
    out_path = tmp_path / f"models.{suffix}"
    code, _, err = run_cli("sbom", *choice_models, "--format", fmt, "-o", str(out_path), "--date", "2026-12-01")
    assert code == 0, err
    text = out_path.read_text()
    # the choices are written as expressions, not NOASSERTION and not an AND of every option
    assert "CC-BY-NC-4.0 OR MIT" in text and "LicenseRef-llama-3.1 AND (Apache-2.0 OR CC-BY-NC-4.0)" in text
    assert "Apache-2.0 WITH LLVM-exception" in text  # the exception is named, in the list's spelling
    if fmt == "cyclonedx-json":
        from test_sbom import _validate_cdx

        _validate_cdx(text)
    code, back = judged(run_cli, out_path)
    assert {m: _view(r) for m, r in back.items()} == direct


def test_spdx2_choice_validates(choice_models, tmp_path):
    """spdx-tools' validator accepts the OR expressions we write (zero messages)."""
    from compliance import knowledge, sbom
    from compliance.resolve import Options, Resolver
    from compliance.sbom import spdx2

    import datetime as dt

    resolver = Resolver(Options())
    resolved = [resolver.resolve(r) for r in choice_models]
    doc = sbom.from_resolved(resolved, resolver, date=dt.date(2026, 12, 1), kb=knowledge.default())
    assert spdx2.validate(spdx2.document(doc)) == []
    node = next(n for n in doc.nodes if n.model == "acme/mixed")
    assert doc.expression(node.concluded) == "LicenseRef-llama-3.1 AND (Apache-2.0 OR CC-BY-NC-4.0)"


# --- bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content,message", [
    ("{not json", "is not valid JSON (line 1"),
    ('{"hello": "world"}', "is JSON but not an SBOM"),
    ('{"bomFormat": "CycloneDX", "components": [{"type": "machine-learning-model", "licenses": {"x": 1}}]}',
     "has no name"),
])
def test_bad_sbom_is_one_line_and_exit_2(content, message, run_cli, tmp_path):
    path = tmp_path / "bad.cdx.json"
    path.write_text(content)
    code, out, err = run_cli("check", str(path), "--policy", EU)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(path) in err and message in err and "Traceback" not in err


def test_an_sbom_beside_a_model_reference_both_are_judged(run_cli, tmp_path, choice_models):
    path = tmp_path / "x.cdx.json"
    path.write_text(cdx(model("acme/from-sbom", {"license": {"id": "MIT"}})))
    code, results = judged(run_cli, path)
    code, out, _ = run_cli("check", str(path), choice_models[2], "--policy", EU, "--format", "json")
    assert {r["model"] for r in json.loads(out)["results"]} == {"acme/from-sbom", "acme/plain"}


def test_spdx2_tag_value_written_by_hand(run_cli, tmp_path):
    path = tmp_path / "models.spdx"
    path.write_text("""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: t

PackageName: acme/choice
SPDXID: SPDXRef-a
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: (CC-BY-NC-4.0 OR Apache-2.0)
PackageLicenseDeclared: NOASSERTION
PackageComment: <text>Two lines
of comment: not a finding</text>

PackageName: acme/custom
SPDXID: SPDXRef-b
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: LicenseRef-ours
ExternalRef: PACKAGE-MANAGER purl pkg:huggingface/acme/custom-model@abc123

LicenseID: LicenseRef-ours
ExtractedText: <text>not reproduced</text>
LicenseName: Llama 3.1 Community License Agreement

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-b
""")
    code, results = judged(run_cli, path)
    assert (results["acme/choice"]["decision"], ids(results["acme/choice"])) == ("allow", ["apache-2.0"])
    custom = results["acme/custom-model"]  # the purl names the Hub repository
    assert (ids(custom), custom["revision"]) == (["llama-3.1"], "abc123")


def test_a_missing_sbom_file_is_named_as_such(run_cli, tmp_path, choice_models):
    code, out, err = run_cli("check", str(tmp_path / "typo.cdx.json"), choice_models[2], "--policy", EU)
    assert code == 2 and "typo.cdx.json: SBOM file not found" in err and "acme/plain" in out


HOSTILE = [
    '{"bomFormat": "CycloneDX", "metadata": "x", "components": [{"type": "machine-learning-model", "name": "m"}]}',
    '{"bomFormat": "CycloneDX", "components": {"a": 1}}',
    '{"bomFormat": "CycloneDX", "components": [{"type": "machine-learning-model", "name": ["x"], "version": 7,'
    ' "purl": {"a": 1}, "licenses": [{"expression": 5}, {"license": {"id": ["MIT"]}}]}]}',
    '{"bomFormat": "CycloneDX", "components": [{"type": "machine-learning-model", "name": "m", "licenses": [3]}]}',
    '{"spdxVersion": "SPDX-2.3", "packages": [{"name": "m", "SPDXID": ["x"], "licenseDeclared": 1}]}',
    '{"spdxVersion": "SPDX-2.3", "packages": [{"name": 5, "externalRefs": "pkg"}], "relationships": 7}',
    '{"@graph": [{"type": "ai_AIPackage", "spdxId": ["a"], "suppliedBy": ["b"]}]}',
    '{"@graph": [{"type": "ai_AIPackage", "spdxId": "a", "suppliedBy": {"x": 1}, "ai_typeOfModel": "text"},'
    ' {"type": "Relationship", "from": "a", "relationshipType": "hasConcludedLicense", "to": "zz"}]}',
    "[" * 100_000 + "]" * 100_000,
]


@pytest.mark.parametrize("content", HOSTILE, ids=[f"hostile-{n}" for n in range(len(HOSTILE))])
def test_hostile_sboms_end_in_one_line_or_a_judgement_never_an_internal_error(content, run_cli, tmp_path):
    path = tmp_path / "hostile.cdx.json"
    path.write_text(content)
    code, out, err = run_cli("check", str(path), "--policy", EU)
    # none of them states a usable license: judged (and denied as unknown) or refused in one line, never allowed
    assert code in (1, 2) and "Traceback" not in err and "internal error" not in err.lower()
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and str(path) in err


def test_a_catalog_model_is_not_taken_at_the_sboms_word(run_cli, tmp_path):
    """An SBOM that calls Llama 3.1 MIT: both apply and the conflict is a lineage finding; one that agrees with
    the catalog gets the catalog's facts (modality) and no conflict."""
    path = tmp_path / "x.cdx.json"
    path.write_text(cdx(model("meta-llama/Llama-3.1-8B-Instruct", {"license": {"id": "MIT"}}),
                        model("mistralai/Mistral-7B-Instruct-v0.3", {"expression": "Apache-2.0"})))
    _, results = judged(run_cli, path)
    llama = results["meta-llama/Llama-3.1-8B-Instruct"]
    assert ids(llama) == ["mit", "llama-3.1"] and llama["decision"] != "allow"
    conflict = [f for f in llama["findings"] if f["rule"] == "lineage"]
    assert conflict and "license-conflict" in conflict[0]["message"] and "llama-3.1" in conflict[0]["message"]
    mistral = results["mistralai/Mistral-7B-Instruct-v0.3"]
    assert ids(mistral) == ["apache-2.0"] and mistral["modality"] == "text"
    assert not [f for f in mistral["findings"] if f["rule"] == "lineage"]
