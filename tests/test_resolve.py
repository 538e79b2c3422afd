"""Resolution through every source (local folder, HF cache, fake Hub, Ollama, catalog), revision pinning, and
lineage: depth, merges, cycles, unresolvable parents and inconsistent declarations."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.errors import NetworkError, ResolveError
from compliance.resolve import Options, Resolver
from support.fakehub import FakeHub
from support.hfcache import add_to_cache, card, empty_cache

C1 = "1" * 40
C2 = "2" * 40


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    return empty_cache(tmp_path, monkeypatch)


def resolver(**kw) -> Resolver:
    return Resolver(Options(**kw))


def kinds(resolved) -> set[str]:
    return {f.kind for f in (*resolved.record.findings, *resolved.findings)}


# --- local ------------------------------------------------------------------------------------------------


def test_local_folder_card_and_license_files(tmp_path, corpus):
    folder = tmp_path / "acme__scout-tuned"
    folder.mkdir()
    (folder / "README.md").write_text(card(license="other", license_name="llama4",
                                           base_model="meta-llama/Llama-4-Scout-17B-16E-Instruct"))
    (folder / "LICENSE").write_text((corpus / "licenses/llama-4/LICENSE").read_text())
    (folder / "USE_POLICY.md").write_text((corpus / "licenses/llama-4/USE_POLICY.md").read_text())
    res = resolver().resolve(str(folder))
    rec = res.record
    assert (rec.model, rec.source, rec.licenses) == ("acme/scout-tuned", "local", ("llama-4",))
    assert {lf.name: lf.identified for lf in rec.license_files} == {"LICENSE": "llama-4", "USE_POLICY.md": "llama-4"}
    assert {f.source for f in rec.facts["license"]} == {"card", "license-file"}
    assert [(a.model, a.relation, a.licenses) for a in res.lineage[:1]] == [
        ("meta-llama/Llama-4-Scout-17B-16E-Instruct", "finetune", ("llama-4",))]
    assert rec.modality == "multimodal"  # inherited from its base
    assert "license-mismatch" not in kinds(res)


def test_card_without_front_matter_takes_license_files_then_prose(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "README.md").write_text("# A model\n\nThe weights are released under the Apache License, Version 2.0.\n")
    res = resolver().resolve(str(folder))
    assert res.record.licenses == ("apache-2.0",)
    assert res.record.facts["license"][0].source == "card-prose"
    assert {"no-front-matter", "license-from-prose"} <= kinds(res)


def test_malformed_yaml_is_a_finding_with_its_line(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("---\nlicense: mit\ntags: [a, b\n---\nbody\n")
    res = resolver().resolve(str(path))
    finding = next(f for f in res.record.findings if f.kind == "card-unreadable")
    assert finding.message.startswith("card metadata unreadable: line ")
    assert "no-license-declared" in kinds(res)


def test_weights_file_has_unknown_provenance(tmp_path):
    gguf = tmp_path / "merged.gguf"
    gguf.write_bytes(b"GGUF\x00")
    res = resolver().resolve(str(gguf))
    assert "unknown-provenance" in kinds(res) and res.record.licenses == ()


def test_missing_path_is_an_input_error(tmp_path):
    from compliance.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        resolver().resolve(str(tmp_path / "nope"))


# --- Hugging Face cache -------------------------------------------------------------------------------------


def test_cache_offline_with_pinned_revisions(cache, corpus):
    add_to_cache(cache, "acme/relicensed", {"README.md": card(license="apache-2.0")}, commit=C1)
    add_to_cache(cache, "acme/relicensed", {"README.md": card(license="other", license_name="yi-license"),
                                           "LICENSE": (corpus / "licenses/yi/LICENSE").read_text()},
                 commit=C2, ref="v1")
    latest = resolver().resolve("acme/relicensed")
    assert (latest.record.source, latest.record.revision, latest.record.licenses) == ("cache", C1, ("apache-2.0",))
    old = resolver().resolve(f"acme/relicensed@{C2}")
    assert (old.record.revision, old.record.licenses) == (C2, ("yi",))
    assert resolver().resolve("acme/relicensed@v1").record.revision == C2
    assert all(f.revision == C2 for f in old.record.facts["license"])


def test_cache_found_through_hf_home(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    add_to_cache(tmp_path / "home" / "hub", "acme/tiny", {"README.md": card(license="mit")})
    assert resolver().resolve("acme/tiny").record.licenses == ("mit",)


def test_cache_wins_over_catalog(cache):
    add_to_cache(cache, "meta-llama/Llama-4-Scout-17B-16E-Instruct",
                 {"README.md": card(license="other", license_name="llama4", pipeline_tag="image-text-to-text")},
                 commit=C1)
    rec = resolver().resolve("meta-llama/Llama-4-Scout-17B-16E-Instruct").record
    assert (rec.source, rec.revision, rec.modality) == ("cache", C1, "multimodal")


def test_unknown_model_offline(cache):
    with pytest.raises(ResolveError, match="not found in cache or catalog; give a path, or run online"):
        resolver().resolve("nobody/unknown-model")


# --- the Hub (fake, on 127.0.0.1) ------------------------------------------------------------------------------


@pytest.fixture
def hub(cache, monkeypatch):
    with FakeHub() as fake:
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        yield fake


def test_hub_online_at_the_commit_it_resolved(hub, corpus):
    hub.add("acme/online-model", {"README.md": card(license="llama3.1", base_model="meta-llama/Llama-3.1-8B"),
                                  "LICENSE": (corpus / "licenses/llama-3.1/LICENSE").read_text(),
                                  "config.json": "{}"}, sha=C1)
    res = resolver(online=True).resolve("acme/online-model")
    rec = res.record
    assert (rec.source, rec.revision, rec.licenses) == ("hub", C1, ("llama-3.1",))
    assert [lf.name for lf in rec.license_files] == ["LICENSE"]
    assert not any("config.json" in r for r in hub.requests)
    # the files went into the cache: offline now finds them there
    again = resolver().resolve("acme/online-model")
    assert (again.record.source, again.record.revision) == ("cache", C1)


def test_hub_is_not_used_unless_online(hub):
    hub.add("acme/elsewhere", {"README.md": card(license="mit")})
    with pytest.raises(ResolveError, match="give a path, or run online"):
        resolver().resolve("acme/elsewhere")
    assert hub.requests == []


def test_hf_hub_offline_forbids_the_network(hub, monkeypatch):
    hub.add("acme/elsewhere", {"README.md": card(license="mit")})
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ResolveError):
        resolver(online=True).resolve("acme/elsewhere")
    assert hub.requests == []


def test_hub_gated_not_found_and_token_never_printed(hub, monkeypatch, run_cli):
    monkeypatch.setenv("HF_TOKEN", "hf_supersecrettoken123")
    hub.add("acme/gated", {"README.md": card(license="llama3.1")}, gated=True)
    with pytest.raises(NetworkError, match="gated: accept the license on the Hub and set HF_TOKEN"):
        resolver(online=True).resolve("acme/gated")
    with pytest.raises(ResolveError, match="not found on the Hub"):
        resolver(online=True).resolve("acme/missing")
    code, out, err = run_cli("inspect", "--online", "acme/gated")
    assert code == 2 and err.count("\n") == 1 and "gated" in err
    assert "hf_supersecrettoken123" not in out + err


def test_hub_unreachable_is_one_clear_line(cache, monkeypatch, run_cli):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    code, out, err = run_cli("inspect", "--online", "acme/anything")
    assert code == 2 and out == ""
    assert err.startswith("compliance: acme/anything: the Hub at http://127.0.0.1:") and "unreachable" in err


# --- Ollama and gateway names ----------------------------------------------------------------------------------


def test_ollama_names_and_prefixes_map_through_the_catalog(cache):
    r = resolver()
    for ref in ("llama4", "llama4:scout", "ollama/llama4:latest", "ollama_chat/llama4",
                "huggingface/meta-llama/Llama-4-Scout-17B-16E-Instruct"):
        assert r.resolve(ref).record.model == "meta-llama/Llama-4-Scout-17B-16E-Instruct", ref
    with pytest.raises(ResolveError, match="Ollama model 'no-such-model:7b' is not in the catalog or the local Ollama"):
        r.resolve("no-such-model:7b")
    with pytest.raises(ResolveError, match="name it as org/name or an Ollama tag"):
        r.resolve("openai/my-private-finetune")


def test_local_ollama_manifest_license_layers_deduplicated_and_identified(tmp_path, cache, corpus, monkeypatch):
    import hashlib

    root = tmp_path / "ollama"
    layers = []
    for name in ("LICENSE", "USE_POLICY.md"):
        data = (corpus / "licenses/llama-4" / name).read_bytes()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        (root / "blobs").mkdir(parents=True, exist_ok=True)
        (root / "blobs" / digest.replace(":", "-")).write_bytes(data)
        layer = {"mediaType": "application/vnd.ollama.image.license", "digest": digest, "size": len(data)}
        layers += [layer, layer]  # Ollama lists each license twice
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:" + "0" * 64,
                            "size": 1}, *layers]}
    path = root / "manifests/registry.ollama.ai/library/llama4/scout"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(manifest))
    monkeypatch.setenv("OLLAMA_MODELS", str(root))
    rec = resolver().resolve("llama4:scout").record
    assert rec.model == "meta-llama/Llama-4-Scout-17B-16E-Instruct"
    assert len(rec.license_files) == 2
    assert {(lf.identified, lf.role) for lf in rec.license_files} == {("llama-4", "license"), ("llama-4", "use-policy")}


# --- lineage ---------------------------------------------------------------------------------------------------


def test_llama_finetune_declaring_apache_is_a_mismatch_naming_the_chain(cache, corpus):
    add_to_cache(cache, "acme/base-llama", {"README.md": card(license="llama3.1"),
                                            "LICENSE": (corpus / "licenses/llama-3.1/LICENSE").read_text()})
    add_to_cache(cache, "acme/tuned", {"README.md": card(license="apache-2.0", base_model="acme/base-llama")})
    add_to_cache(cache, "acme/tuned-gguf", {"README.md": card(license="mit", base_model="acme/tuned",
                                                             base_model_relation="quantized")})
    res = resolver().resolve("acme/tuned-gguf")
    assert [(a.model, a.depth, a.licenses) for a in res.lineage] == [
        ("acme/tuned", 1, ("apache-2.0",)), ("acme/base-llama", 2, ("llama-3.1",))]
    assert res.effective_licenses() == ("mit", "apache-2.0", "llama-3.1")
    messages = [f.message for f in res.findings if f.kind == "license-mismatch"]
    assert any("llama-3.1" in m and "acme/tuned-gguf ← acme/tuned (quantized) ← acme/base-llama (finetune)" in m
               for m in messages)
    assert any("a quantization cannot relicense: declares mit" in m and "apache-2.0" in m for m in messages)


def test_missing_license_on_a_non_commercial_base(cache):
    add_to_cache(cache, "acme/nc-base", {"README.md": card(license="cc-by-nc-4.0")})
    add_to_cache(cache, "acme/adapter", {"README.md": card(base_model="acme/nc-base", library_name="peft")})
    res = resolver().resolve("acme/adapter")
    finding = next(f for f in res.findings if f.kind == "undeclared-inheritance")
    assert finding.severity == "error" and "cc-by-nc-4.0" in finding.message
    assert res.lineage[0].relation == "adapter"


def test_merges_cycles_depth_and_unresolvable_parents(cache):
    add_to_cache(cache, "acme/a", {"README.md": card(license="mit", base_model=["acme/b", "acme/c"])})
    add_to_cache(cache, "acme/b", {"README.md": card(license="mit", base_model="acme/a")})  # cycle back to a
    add_to_cache(cache, "acme/c", {"README.md": card(license="apache-2.0", base_model=["NoOrgModel-7B", "acme/gone"])})
    res = resolver().resolve("acme/a")
    assert {(a.model, a.relation) for a in res.lineage if a.depth == 1} == {("acme/b", "merge"), ("acme/c", "merge")}
    assert "lineage-cycle" in kinds(res)
    unresolved = {a.model for a in res.lineage if not a.resolved}
    assert unresolved == {"NoOrgModel-7B", "acme/gone"}
    assert any("no organization prefix" in f.message for f in res.findings)

    chain = [f"acme/n{i}" for i in range(14)]
    for child, parent in zip(chain, chain[1:]):
        add_to_cache(cache, child, {"README.md": card(license="mit", base_model=parent)})
    deep = Resolver(Options(max_depth=10)).resolve("acme/n0")
    assert max(a.depth for a in deep.lineage) == 10
    assert "lineage-too-deep" in kinds(deep)


# --- CLI ---------------------------------------------------------------------------------------------------------


def test_inspect_json_keys(run_cli, cache):
    code, out, _ = run_cli("inspect", "--format", "json", "llama4")
    assert code == 0
    (item,) = json.loads(out)
    assert {"model", "revision", "source", "publisher", "country", "licenses", "declared_license", "modality",
            "lineage"} <= item.keys()
    assert (item["model"], item["country"], item["licenses"], item["modality"]) == (
        "meta-llama/Llama-4-Scout-17B-16E-Instruct", "US", ["llama-4"], "multimodal")
    assert {"model", "relation", "licenses", "findings"} <= item["lineage"][0].keys()


def test_inspect_unknown_model_exit_2(run_cli, cache):
    code, out, err = run_cli("inspect", "someone/never-heard-of-it")
    assert code == 2 and out == ""
    assert err.strip() == "compliance: someone/never-heard-of-it: not found in cache or catalog; give a path, or run online"


# --- batches and --explain-name ------------------------------------------------------------------------------


def test_one_unknown_reference_does_not_abort_a_check_batch(run_cli, cache):
    from conftest import ROOT

    policy = str(ROOT / "policies" / "eu-saas.yaml")
    code, out, err = run_cli("check", "--policy", policy, "--date", "2026-11-28", "--format", "json",
                             "meta-llama/Llama-3.3-70B-Instruct", "someone/never-heard-of-it", "not a ref!")
    assert code == 2
    data = json.loads(out)
    assert [m["model"] for m in data["results"]] == ["meta-llama/Llama-3.3-70B-Instruct"]
    assert len(data["unresolved"]) == 2 and "someone/never-heard-of-it" in data["unresolved"][0]["message"]
    assert err.count("\n") == 2 and "not a model reference" in err
    code, out, _ = run_cli("check", "--policy", policy, "--date", "2026-11-28", "meta-llama/Llama-3.3-70B-Instruct",
                           "someone/never-heard-of-it")
    assert code == 2 and "Llama-3.3-70B-Instruct" in out and "not checked: someone/never-heard-of-it" in out


def test_inspect_explain_name(run_cli, cache):
    code, out, _ = run_cli("inspect", "--explain-name", "unsloth/Llama-3.3-70B-Instruct-bnb-4bit")
    assert code == 0
    assert "republisher unsloth" in out and "packaging bnb, 4bit" in out
    assert "resolved: meta-llama/Llama-3.3-70B-Instruct [catalog] llama-3.3" in out
    code, out, _ = run_cli("inspect", "--explain-name", "--format", "json", "someone/never-heard-of-it")
    assert code == 2 and "not found" in json.loads(out)[0]["error"]


def test_issue_13_names_with_the_embedded_catalog(cache):
    """gpt-oss is open weights under Apache-2.0 (not a hosted API); the Fireworks deepseek-r1 slug is
    DeepSeek-R1, not Ollama's default deepseek-r1 tag (an 8B distill)."""
    r = resolver()
    for ref in ("openai/gpt-oss-20b", "gpt-oss:20b", "ollama/gpt-oss:20b"):
        rec = r.resolve(ref).record
        assert (rec.model, rec.licenses) == ("openai/gpt-oss-20b", ("apache-2.0",)), ref
    assert r.resolve("fireworks_ai/accounts/fireworks/models/deepseek-r1").record.model == "deepseek-ai/DeepSeek-R1"
    assert r.resolve("deepseek-r1").record.model != "deepseek-ai/DeepSeek-R1"  # Ollama's tag is a distill
    assert r.resolve("meta-llama/llama-3-8b-instruct:free").record.licenses == ("llama-3",)


def test_provider_tables_are_loaded_only_when_a_name_needs_them(cache):
    """The pre-commit path resolves Hub ids and Ollama tags: it does not pay for the serving-name tables."""
    r = resolver()
    for ref in ("meta-llama/Llama-3.3-70B-Instruct", "llama4", "huggingface/meta-llama/Llama-3.3-70B-Instruct"):
        r.resolve(ref)
    assert r.serving_tables is None
    r.resolve("groq/llama-3.3-70b-versatile")
    assert r.serving_tables is not None


def test_a_prose_base_without_organization_is_matched_by_its_parts(tmp_path, cache):
    folder = tmp_path / "acme__tuned"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: llama3.1\n---\n# Tuned\n\n"
                                      "This model is fine-tuned from Meta-Llama-3.1-8B-Instruct on our data.\n")
    res = resolver().resolve(str(folder))
    assert [(a.model, a.relation) for a in res.lineage[:1]] == [("meta-llama/Llama-3.1-8B-Instruct", "finetune")]
