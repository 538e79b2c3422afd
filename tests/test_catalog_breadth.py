"""What the catalog rows added for the models real repositories name (huggingface/trl, the corpus repositories) must
give a user: the license the publisher states, the base a card's own license hides (lineage adds it), and no
inferred license where the family left it (Gemma 4 is Apache-2.0, not the Gemma Terms). Sources are in each row's
``checked``; the licenses asserted here are the ones those sources state."""
from __future__ import annotations

from pathlib import Path

import pytest

from compliance.resolve import Options, Resolver
from support.hfcache import add_to_cache, card, empty_cache


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    return empty_cache(tmp_path, monkeypatch)


def effective(resolved) -> set[str]:
    return {*resolved.record.licenses, *(lic for a in resolved.lineage for lic in a.licenses)}


@pytest.mark.parametrize(("ref", "model", "own", "all_terms"), [
    # a card that declares Apache-2.0 over a Llama 3.1 language model: lineage adds the Llama terms
    ("HuggingFaceM4/Idefics3-8B-Llama3", "HuggingFaceM4/Idefics3-8B-Llama3", {"apache-2.0"}, {"apache-2.0", "llama-3.1"}),
    ("llava-hf/llava-v1.6-mistral-7b-hf", "llava-hf/llava-v1.6-mistral-7b-hf", {"apache-2.0"}, {"apache-2.0"}),
    ("llava-hf/llava-1.5-7b-hf", "llava-hf/llava-1.5-7b-hf", {"llama-2"}, {"llama-2"}),
    ("distilbert-base-uncased", "distilbert/distilbert-base-uncased", {"apache-2.0"}, {"apache-2.0"}),
    ("google/flan-t5-small", "google/flan-t5-small", {"apache-2.0"}, {"apache-2.0"}),
    ("Qwen/Qwen2-VL-72B-Instruct", "Qwen/Qwen2-VL-72B-Instruct", {"qwen"}, {"qwen"}),
    ("allenai/OLMo-3-7B-Instruct", "allenai/Olmo-3-7B-Instruct", {"apache-2.0"}, {"apache-2.0"}),  # case as code writes it
    ("nomic-embed-text:v1.5", "nomic-ai/nomic-embed-text-v1.5", {"apache-2.0"}, {"apache-2.0"}),
    ("facebook/opt-1.3b", "facebook/opt-1.3b", {"opt-175b"}, {"opt-175b"}),
    ("facebook/bart-large-cnn", "facebook/bart-large-cnn", {"mit"}, {"mit"}),
])
def test_rows_give_the_publishers_license_and_lineage_adds_the_hidden_base(cache, ref, model, own, all_terms):
    resolved = Resolver(Options()).resolve(ref)
    assert resolved.record.model == model
    assert set(resolved.record.licenses) == own
    assert effective(resolved) == all_terms


def test_opt_is_denied_for_commercial_use_with_the_clause(cache, run_cli):
    """OPT's weights are for non-commercial research only (OPT-175B License Agreement 1.a, 2.a)."""
    import json

    from compliance.resources import policies_dir

    code, out, _ = run_cli("check", "facebook/opt-125m", "--policy", str(policies_dir() / "default.yaml"),
                           "--format", "json", "--date", "2026-12-01")
    assert code == 1, out
    text = json.dumps(json.loads(out))
    assert "non-commercial" in text and "solely for your non-commercial research purposes" in text


def test_gemma_4_is_apache_and_its_name_infers_no_gemma_terms(cache):
    """The name hint reads "gemma" as the Gemma Terms of Use; Gemma 4 left them, Gemma 3 did not."""
    r = Resolver(Options())
    gemma4 = r.resolve("google/gemma-4-E2B-it")
    assert effective(gemma4) == {"apache-2.0"}
    assert not [a for a in gemma4.lineage if a.inferred]
    add_to_cache(cache, "someone/my-gemma-3-finetune", {"README.md": card(license="apache-2.0")})
    finetune = r.resolve("someone/my-gemma-3-finetune")
    assert "gemma" in effective(finetune)  # an unresolvable Gemma 3 lineage is still not read as permissive


@pytest.mark.parametrize("model_id", [
    "EleutherAI/pythia-6.9b-deduped",   # the family rule: not a row
    "Qwen/Qwen3.5-122B-A10B",
    "HuggingFaceTB/SmolVLM2-256M-Video-Instruct",
])
def test_unlisted_sizes_resolve_by_rule_and_say_so(cache, model_id):
    rec = Resolver(Options()).resolve(model_id).record
    assert rec.source == "catalog" and rec.model == model_id
    assert "resolved-by-rule" in {f.kind for f in rec.findings}


@pytest.mark.parametrize("model_id", [
    "trl-lib/pythia-1b-deduped-tldr-sft",          # someone else's fine-tune: its own terms are unknown
    "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",  # left out: sources disagree on the license
    "LiquidAI/LFM2-1.2B",                          # LFM Open License: no knowledge-base record
])
def test_what_the_sources_did_not_settle_stays_unknown(cache, model_id):
    from compliance.errors import ResolveError

    with pytest.raises(ResolveError):
        Resolver(Options()).resolve(model_id)
