"""Pre-organization Hub ids (``gpt2``, ``bert-base-uncased``, ``t5-small``): the Hub still serves them as redirects
to ``openai-community/gpt2``, ``google-bert/…``, ``google-t5/…``. A bare one is that Hub model (cache folder of the
legacy id first, then the namespaced id), never an Ollama name; ``ollama/name`` and ``name:tag`` still reach Ollama.
The catalog rows are in licenses/catalog/classic.yaml, each redirect with its source."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance import catalog
from compliance.errors import KnowledgeBaseError
from compliance.resolve import Options, Resolver
from support.hfcache import add_to_cache, card, empty_cache


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    return empty_cache(tmp_path, monkeypatch)


@pytest.mark.parametrize(("name", "model_id", "licenses"), [
    ("gpt2", "openai-community/gpt2", ("mit",)),
    ("GPT2", "openai-community/gpt2", ("mit",)),
    ("gpt2-xl", "openai-community/gpt2-xl", ("mit",)),
    ("distilgpt2", "distilbert/distilgpt2", ("apache-2.0",)),
    ("bert-base-uncased", "google-bert/bert-base-uncased", ("apache-2.0",)),
    ("bert-base-multilingual-cased", "google-bert/bert-base-multilingual-cased", ("apache-2.0",)),
    ("distilbert-base-uncased", "distilbert/distilbert-base-uncased", ("apache-2.0",)),
    ("roberta-base", "FacebookAI/roberta-base", ("mit",)),
    ("xlm-roberta-large", "FacebookAI/xlm-roberta-large", ("mit",)),
    ("t5-small", "google-t5/t5-small", ("apache-2.0",)),
    ("t5-11b", "google-t5/t5-11b", ("apache-2.0",)),
    ("albert-base-v2", "albert/albert-base-v2", ("apache-2.0",)),
])
def test_a_bare_legacy_id_is_the_hub_model_it_redirects_to(cache, name, model_id, licenses):
    rec = Resolver(Options()).resolve(name).record
    assert (rec.model, rec.licenses, rec.source) == (model_id, licenses, "catalog")
    assert rec.reference == name
    [fact] = rec.facts["model"]
    assert f"pre-organization Hub id of {model_id}" in fact.detail and "#28795" in fact.detail
    assert "name-only" not in {f.kind for f in rec.findings}  # an exact redirect, not a guess from the name


def test_the_namespaced_id_and_the_legacy_id_are_one_catalog_row():
    cat = catalog.load()
    assert cat.get("bert-base-uncased") is cat.get("google-bert/bert-base-uncased")
    assert cat.legacy("T5-SMALL").id == "google-t5/t5-small"
    assert cat.legacy("google-t5/t5-small") is None  # only the bare, pre-organization id is a legacy id
    assert cat.legacy("llama3") is None


def test_the_cache_folder_of_the_legacy_id_wins(cache):
    """``from_pretrained("gpt2")`` downloaded into models--gpt2: that card is what the user has."""
    add_to_cache(cache, "gpt2", {"README.md": card(license="apache-2.0")}, commit="1" * 40)
    rec = Resolver(Options()).resolve("gpt2").record
    assert (rec.source, rec.revision, rec.licenses) == ("cache", "1" * 40, ("apache-2.0",))
    assert "openai-community/gpt2" in rec.facts["model"][0].detail


def test_the_cache_of_the_namespaced_id_comes_next(cache):
    add_to_cache(cache, "google-bert/bert-base-uncased", {"README.md": card(license="apache-2.0")}, commit="2" * 40)
    rec = Resolver(Options()).resolve("bert-base-uncased").record
    assert (rec.model, rec.source, rec.revision) == ("google-bert/bert-base-uncased", "cache", "2" * 40)


def test_ollama_stays_reachable_with_its_prefix_or_a_tag(tmp_path, cache, monkeypatch):
    """A local Ollama model called gpt2 is read as Ollama's when the reference says Ollama (prefix or tag)."""
    root = tmp_path / "ollama"
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:" + "0" * 64,
                            "size": 1}]}
    path = root / "manifests/registry.ollama.ai/library/gpt2/latest"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(manifest))
    monkeypatch.setenv("OLLAMA_MODELS", str(root))
    r = Resolver(Options())
    for ref in ("ollama/gpt2", "gpt2:latest", "ollama_chat/gpt2:latest"):
        rec = r.resolve(ref).record
        assert (rec.source, rec.model) == ("ollama", "gpt2:latest"), ref
    assert r.resolve("gpt2").record.model == "openai-community/gpt2"


def test_a_legacy_id_base_model_in_a_card_resolves(cache):
    """Old fine-tunes declare ``base_model: gpt2``: lineage reaches the GPT-2 row."""
    add_to_cache(cache, "someone/gpt2-finetune", {"README.md": card(license="mit", base_model="gpt2")})
    resolved = Resolver(Options()).resolve("someone/gpt2-finetune")
    [parent] = [a for a in resolved.lineage if a.depth == 1]
    assert (parent.model, parent.resolved) == ("openai-community/gpt2", True)


def test_explain_name_says_it_is_a_legacy_id(run_cli, cache):
    code, out, _ = run_cli("inspect", "--explain-name", "--format", "json", "bert-base-uncased")
    assert code == 0
    [explained] = json.loads(out)
    assert explained["legacy_id"] == "google-bert/bert-base-uncased"
    assert explained["resolved"]["model"] == "google-bert/bert-base-uncased"


def test_legacy_ids_are_validated(tmp_path):
    row = ("models:\n  - id: acme/m\n    name: M\n    publisher: acme\n    licenses: [mit]\n    modality: text\n"
           "    legacy_ids: [{legacy}]\n    checked: {{license: x, modality: x{extra}}}\n")
    bad = tmp_path / "slash.yaml"
    bad.write_text(row.format(legacy="acme/m2", extra=", legacy_ids: x"))
    with pytest.raises(KnowledgeBaseError, match="legacy_ids"):
        catalog.load(bad)
    unsourced = tmp_path / "unsourced.yaml"
    unsourced.write_text(row.format(legacy="m", extra=""))
    with pytest.raises(KnowledgeBaseError, match="legacy_ids"):
        catalog.load(unsourced)
    twice = tmp_path / "twice.yaml"
    twice.write_text(row.format(legacy="m", extra=", legacy_ids: x")
                     + row.format(legacy="m", extra=", legacy_ids: x").replace("models:\n", "").replace("acme/m", "acme/n"))
    with pytest.raises(KnowledgeBaseError, match="'m' names both acme/m and acme/n"):
        catalog.load(twice)


def test_the_scan_and_the_catalog_agree_on_every_legacy_id():
    """The pre-commit scan maps a bare legacy id in a model-taking position to the namespaced id
    (compliance/scan_values.py); every redirect the catalog records must be one the scan knows, to the same id."""
    from compliance.scan_values import LEGACY_HUB_IDS

    known = catalog.load().legacy_ids()
    assert known, "no legacy ids in the catalog"
    scan = {k.lower(): v for k, v in LEGACY_HUB_IDS.items()}
    assert {k: v for k, v in known.items() if scan.get(k) != v} == {}
