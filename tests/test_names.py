"""The name grammar and name resolution, on a small synthetic catalog (so the answers do not move when the
embedded catalog grows): republications, serving names, Fireworks slugs, OpenRouter variants, Ollama tags,
family rules by name, ambiguity, unknown names with hints, and the Fireworks/Ollama separation."""
from __future__ import annotations

import json

import pytest

from compliance import catalog, providers
from compliance.errors import ResolveError
from compliance.match import AmbiguousName, match_name
from compliance.names import parse_name
from compliance.resolve import Options, Resolver


def entry(model_id, publisher, license_id, *, ollama=(), params=None, base=None):
    lines = [f"  - id: {model_id}", f"    name: {model_id.split('/')[1]}", f"    publisher: {publisher}",
             f"    licenses: [{license_id}]", "    modality: text"]
    if params:
        lines.append(f"    params_b: {params}")
    if ollama:
        lines.append(f"    ollama: {json.dumps(list(ollama))}")
    if base:
        lines.append(f"    base_models: [{{model: {base}, relation: finetune}}]")
    lines.append('    checked: {license: "synthetic", modality: "synthetic"}')
    return "\n".join(lines) + "\n"


MODELS = "".join((
    entry("meta-llama/Llama-3.1-8B", "meta", "llama-3.1"),
    entry("meta-llama/Llama-3.1-8B-Instruct", "meta", "llama-3.1", ollama=["llama3.1:8b", "llama3.1:latest"],
          base="meta-llama/Llama-3.1-8B"),
    entry("meta-llama/Llama-3.1-70B-Instruct", "meta", "llama-3.1", ollama=["llama3.1:70b"]),
    entry("meta-llama/Llama-3.3-70B-Instruct", "meta", "llama-3.3"),
    entry("meta-llama/Meta-Llama-3-8B-Instruct", "meta", "llama-3"),
    entry("Qwen/Qwen2.5-7B-Instruct", "alibaba", "apache-2.0", ollama=["qwen2.5:7b"]),
    entry("Qwen/Qwen2.5-3B-Instruct", "alibaba", "qwen-research"),
    entry("Qwen/Qwen2.5-72B-Instruct", "alibaba", "qwen"),
    entry("Qwen/Qwen2.5-Coder-32B-Instruct", "alibaba", "apache-2.0"),
    entry("deepseek-ai/DeepSeek-R1", "deepseek", "mit", params=671),
    entry("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "deepseek", "mit", ollama=["deepseek-r1:7b", "deepseek-r1:latest"]),
    entry("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "deepseek", "mit"),
    entry("microsoft/Phi-4-mini-instruct", "microsoft", "mit"),
    entry("mistralai/Mistral-Small-3.1-24B-Instruct-2503", "mistral", "apache-2.0"),
    entry("google/gemma-3-27b-it", "google", "gemma", ollama=["gemma3:27b"]),
    entry("google/gemma-3-27b-pt", "google", "gemma"),
    entry("openai/gpt-oss-20b", "openai", "apache-2.0", ollama=["gpt-oss:20b", "gpt-oss:latest"]),
))
FAMILIES = """\
families:
  - id: qwen2.5
    name: Qwen2.5
    publisher: alibaba
    match: ["Qwen/Qwen2.5-*"]
    exclude: ["Qwen/Qwen2.5-VL-*"]
    modality: text
    licenses: [apache-2.0]
    rules:
      - {sizes_b: [3], licenses: [qwen-research]}
      - {sizes_b: [72], licenses: [qwen]}
    checked: {license: "synthetic family"}
"""
GROQ = """\
provider: groq
name: Groq
prefixes: ["groq/"]
source: synthetic
names:
  - {name: llama-3.3-70b-specdec, model: meta-llama/Llama-3.3-70B-Instruct, checked: synthetic}
"""
FIREWORKS = """\
provider: fireworks
name: Fireworks AI
prefixes: ["fireworks_ai/accounts/fireworks/models/", "accounts/fireworks/models/"]
source: synthetic
names:
  - {name: shared-serving-name, model: Qwen/Qwen2.5-7B-Instruct, checked: synthetic}
"""
OTHER = """\
provider: other
name: Other
source: synthetic
names:
  - {name: shared-serving-name, model: meta-llama/Llama-3.1-8B-Instruct, checked: synthetic}
  - {name: only-here, model: meta-llama/Llama-3.1-70B-Instruct, checked: synthetic}
"""


@pytest.fixture
def r(tmp_path, monkeypatch) -> Resolver:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))
    root = tmp_path / "licenses"
    (root / "catalog").mkdir(parents=True)
    (root / "providers").mkdir()
    (root / "models.yaml").write_text("models:\n" + MODELS)
    (root / "catalog" / "qwen.yaml").write_text(FAMILIES)
    for name, text in (("groq", GROQ), ("fireworks", FIREWORKS), ("other", OTHER)):
        (root / "providers" / f"{name}.yaml").write_text(text)
    return Resolver(Options(), catalog=catalog.load(root=root), serving_tables=providers.load(root))


def kinds(res) -> set[str]:
    return {f.kind for f in (*res.record.findings, *res.findings)}


@pytest.mark.parametrize("name, tag, size, active, variant, packaging, serving", [
    ("unsloth/Llama-3.3-70B-Instruct-bnb-4bit", None, 70, None, "instruct", ("bnb", "4bit"), ()),
    ("bartowski/microsoft_Phi-4-mini-instruct-GGUF", "Q8_0", None, None, "instruct", ("gguf", "q8_0"), ()),
    ("llama3.1", "8b-instruct-q4_K_M", 8, None, "instruct", ("q4_k_m",), ()),
    ("gemma3", "27b-it-qat", 27, None, "instruct", ("qat",), ()),
    ("Qwen/Qwen3-30B-A3B-Instruct-2507-FP8", None, 30, 3, "instruct", ("fp8",), ()),
    ("llama3-70b-8192", None, 70, None, None, (), ("8192",)),
    ("deepseek-r1-distill-qwen-1p5b", None, 1.5, None, None, (), ()),
    ("HuggingFaceTB/SmolLM2-360M-Instruct", None, 0.36, None, "instruct", (), ()),
    ("Qwen/Qwen2.5-14B-Instruct-1M", None, 14, None, "instruct", (), ()),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", None, 56, None, "instruct", (), ()),
    ("Meta-Llama-3.1-8B-Instruct-Turbo", None, 8, None, "instruct", (), ("turbo",)),
    ("llama3", "8b-text", 8, None, "base", (), ()),
])
def test_parse_name_parts(name, tag, size, active, variant, packaging, serving):
    p = parse_name(name, tag=tag, known_orgs=frozenset({"microsoft"}))
    assert (p.size_b, p.active_b, p.variant, p.packaging, p.serving) == (size, active, variant, packaging, serving)


def test_spellings_of_one_model_have_the_same_tokens():
    forms = ["meta-llama/Llama-3.1-8B-Instruct", "Meta-Llama-3.1-8B-Instruct", "llama-v3p1-8b-instruct",
             "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "mlx-community/Llama-3.1-8B-Instruct-4bit"]
    assert len({parse_name(f).tokens for f in forms}) == 1
    assert parse_name("unsloth/Llama-3.3-70B-Instruct-bnb-4bit").stem == "Llama-3.3-70B-Instruct"
    assert parse_name("unsloth/Llama-3.3-70B-Instruct-bnb-4bit").republisher == "unsloth"


@pytest.mark.parametrize("reference, model, license_id", [
    ("unsloth/Llama-3.3-70B-Instruct-bnb-4bit", "meta-llama/Llama-3.3-70B-Instruct", "llama-3.3"),
    ("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1"),
    ("hf.co/bartowski/microsoft_Phi-4-mini-instruct-GGUF:Q8_0", "microsoft/Phi-4-mini-instruct", "mit"),
    ("mlx-community/Llama-3.1-8B-Instruct-4bit", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1"),
    ("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", "Qwen/Qwen2.5-7B-Instruct", "apache-2.0"),
    ("Qwen/Qwen2.5-72B-Instruct-AWQ", "Qwen/Qwen2.5-72B-Instruct", "qwen"),  # size decides, packaging does not
    ("llama-3.3-70b-versatile", "meta-llama/Llama-3.3-70B-Instruct", "llama-3.3"),
    ("groq/llama-3.1-8b-instant", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1"),
    ("llama3-8b-8192", "meta-llama/Meta-Llama-3-8B-Instruct", "llama-3"),
    ("together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo", "meta-llama/Llama-3.1-70B-Instruct", "llama-3.1"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct", "meta-llama/Llama-3.1-70B-Instruct", "llama-3.1"),
    ("fireworks_ai/accounts/fireworks/models/qwen2p5-coder-32b-instruct", "Qwen/Qwen2.5-Coder-32B-Instruct", "apache-2.0"),
    ("accounts/fireworks/models/deepseek-r1-distill-qwen-1p5b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "mit"),
    ("meta-llama/llama-3-8b-instruct:free", "meta-llama/Meta-Llama-3-8B-Instruct", "llama-3"),
    ("openrouter/meta-llama/llama-3.1-70b-instruct:nitro", "meta-llama/Llama-3.1-70B-Instruct", "llama-3.1"),
    ("openrouter/mistralai/mistral-small-3.1-24b-instruct", "mistralai/Mistral-Small-3.1-24B-Instruct-2503", "apache-2.0"),
    ("llama3.1:8b-instruct-q4_K_M", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1"),
    ("llama3.1:8b-text-q4_K_M", "meta-llama/Llama-3.1-8B", "llama-3.1"),  # -text is the base model
    ("gemma3:27b-it-qat", "google/gemma-3-27b-it", "gemma"),
    ("deepseek-r1:671b", "deepseek-ai/DeepSeek-R1", "mit"),  # the size from the catalog's params
    ("openai/gpt-oss-20b", "openai/gpt-oss-20b", "apache-2.0"),
    ("gpt-oss:20b", "openai/gpt-oss-20b", "apache-2.0"),
    ("ollama_chat/gpt-oss", "openai/gpt-oss-20b", "apache-2.0"),
    ("groq/llama-3.3", "meta-llama/Llama-3.3-70B-Instruct", "llama-3.3"),  # the catalog's only size of it
])
def test_name_forms_resolve_to_the_upstream_model(r, reference, model, license_id):
    res = r.resolve(reference)
    assert (res.record.model, res.record.licenses) == (model, (license_id,)), reference
    assert res.record.reference == reference


def test_a_name_matched_by_the_grammar_says_so(r):
    res = r.resolve("unsloth/Llama-3.3-70B-Instruct-bnb-4bit")
    [fact] = res.record.facts["model"]
    assert fact.source == "name" and "republisher unsloth" in fact.detail and "packaging bnb, 4bit" in fact.detail
    finding = next(f for f in res.record.findings if f.kind == "name-only")  # what the lineage rule reads
    assert finding.severity == "warning"
    assert "a republication by unsloth of meta-llama/Llama-3.3-70B-Instruct" in finding.message


def test_the_ollama_table_applies_to_ollama_references_only(r):
    assert r.resolve("deepseek-r1").record.model == "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"  # Ollama's default
    assert r.resolve("ollama/deepseek-r1").record.model == "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    assert r.resolve("fireworks_ai/accounts/fireworks/models/deepseek-r1").record.model == "deepseek-ai/DeepSeek-R1"
    assert r.resolve("groq/deepseek-r1").record.model == "deepseek-ai/DeepSeek-R1"


def test_provider_tables_by_prefix_and_bare_when_unambiguous(r):
    res = r.resolve("groq/llama-3.3-70b-specdec")
    assert res.record.model == "meta-llama/Llama-3.3-70B-Instruct"
    assert "licenses/providers/groq.yaml" in res.record.facts["model"][0].detail
    assert "name-only" in kinds(res)
    assert r.resolve("only-here").record.model == "meta-llama/Llama-3.1-70B-Instruct"  # bare, one table
    with pytest.raises(AmbiguousName, match="ambiguous serving name") as exc:
        r.resolve("shared-serving-name")  # two tables disagree: no guess
    assert set(exc.value.candidates) == {"Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"}
    # with the prefix, the one table decides
    assert r.resolve("fireworks_ai/accounts/fireworks/models/shared-serving-name").record.model == "Qwen/Qwen2.5-7B-Instruct"


def test_family_rules_decide_by_size_for_names_the_catalog_lacks(r):
    res = r.resolve("Qwen/Qwen2.5-14B-Instruct-1M")  # an upstream id: the rule applies to the id
    assert (res.record.model, res.record.licenses) == ("Qwen/Qwen2.5-14B-Instruct-1M", ("apache-2.0",))
    assert "resolved-by-rule" in kinds(res)
    assert "family qwen2.5" in res.record.facts["license"][0].detail
    small = r.resolve("bartowski/Qwen2.5-3B-Instruct-1M-GGUF")  # a republication: the rule applies to its stem
    assert small.record.licenses == ("qwen-research",)
    assert {"resolved-by-rule", "name-only"} <= kinds(small)
    big = r.resolve("Qwen/Qwen2.5-72B-Instruct-1M")
    assert big.record.licenses == ("qwen",)


def test_an_ambiguous_name_lists_candidates_and_never_guesses(r):
    with pytest.raises(AmbiguousName) as exc:
        r.resolve("groq/qwen2.5-instruct")  # no size: 3B, 7B and 72B have three different licenses
    assert {"Qwen/Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-7B-Instruct"} <= set(exc.value.candidates)
    assert "ambiguous name: could be" in str(exc.value)


def test_unknown_stays_unknown_with_the_nearest_names(r):
    with pytest.raises(ResolveError, match=r"nearest catalog names: .*meta-llama/Llama-3.1-8B-Instruct"):
        r.resolve("groq/llama-3.1-9b-instruct")
    with pytest.raises(ResolveError, match="Ollama model 'acme-mystery:7b' is not in the catalog"):
        r.resolve("acme-mystery:7b")


def test_another_organizations_copy_is_not_taken_for_the_upstream(r):
    """someone/Llama-3.1-8B-Instruct may be a fine-tune with its own terms: no packaging, not a republisher."""
    with pytest.raises(ResolveError, match="someone is not a known republisher: cache its card"):
        r.resolve("someone/Llama-3.1-8B-Instruct")
    with pytest.raises(ResolveError, match="not in the catalog or the local Ollama"):
        r.resolve("someone/llama3.1:8b")  # a community Ollama namespace


def test_serving_names_default_to_instruct_hub_names_do_not(r):
    assert match_name(r.catalog, "gemma-3-27b", serving=True).entry.id == "google/gemma-3-27b-it"
    assert match_name(r.catalog, "llama-3.1-8b", serving=True).entry.id == "meta-llama/Llama-3.1-8B-Instruct"
    assert match_name(r.catalog, "unsloth/Llama-3.1-8B", serving=False).entry.id == "meta-llama/Llama-3.1-8B"
    assert r.resolve("unsloth/Llama-3.1-8B-bnb-4bit").record.model == "meta-llama/Llama-3.1-8B"


def test_a_cached_republication_card_is_read_and_its_base_followed(r, tmp_path, monkeypatch):
    from support.hfcache import add_to_cache, card

    root = tmp_path / "hf"
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    add_to_cache(root, "unsloth/Llama-3.3-70B-Instruct-bnb-4bit",
                 {"README.md": card(license="llama3.3", base_model="meta-llama/Llama-3.3-70B-Instruct")})
    res = r.resolve("unsloth/Llama-3.3-70B-Instruct-bnb-4bit")
    assert (res.record.model, res.record.source) == ("unsloth/Llama-3.3-70B-Instruct-bnb-4bit", "cache")
    assert res.lineage[0].model == "meta-llama/Llama-3.3-70B-Instruct"
    assert "name-only" not in kinds(res)


def test_explain_name_shows_parse_and_match(r):
    from compliance.byname import explain
    from compliance.formats.inspect import explain_name_text

    out = explain(r, "hf.co/bartowski/microsoft_Phi-4-mini-instruct-GGUF:Q8_0")
    assert out["parsed"]["republisher"] == "bartowski" and out["parsed"]["packaging"] == ["gguf", "q8_0"]
    assert out["grammar"]["model"] == out["resolved"]["model"] == "microsoft/Phi-4-mini-instruct"
    text = explain_name_text(out)
    assert "republisher bartowski" in text and "resolved: microsoft/Phi-4-mini-instruct [catalog] mit" in text
    amb = explain(r, "groq/qwen2.5-instruct")
    assert "Qwen/Qwen2.5-72B-Instruct" in amb["candidates"] and "not resolved" in explain_name_text(amb)


@pytest.mark.parametrize("raw, kind, target, provider, suffix", [
    ("groq/llama-3.3-70b-versatile", "name", "llama-3.3-70b-versatile", "groq", None),
    ("fireworks_ai/accounts/fireworks/models/deepseek-r1", "name", "deepseek-r1", "fireworks_ai", None),
    ("accounts/fireworks/models/llama-v3p1-8b-instruct", "name", "llama-v3p1-8b-instruct", "fireworks_ai", None),
    ("meta-llama/llama-3-8b-instruct:free", "hub", "meta-llama/llama-3-8b-instruct", "openrouter", "free"),
    ("openrouter/deepseek/deepseek-r1:nitro", "hub", "deepseek/deepseek-r1", "openrouter", "nitro"),
    ("novita/meta-llama/llama-3.1-8b-instruct", "hub", "meta-llama/llama-3.1-8b-instruct", "novita", None),
    ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "hub", "meta-llama/Llama-3.3-70B-Instruct-Turbo",
     "together_ai", None),
    ("llama3.1:8b-instruct-q4_K_M", "ollama", "llama3.1:8b-instruct-q4_k_m", None, None),
    ("someone/model:v2", "ollama", "someone/model:v2", None, None),  # a community Ollama name, not OpenRouter
])
def test_reference_forms(raw, kind, target, provider, suffix):  # noqa: PLR0913
    from compliance.references import parse_reference

    ref = parse_reference(raw)
    assert (ref.kind, ref.target, ref.provider, ref.suffix) == (kind, target, provider, suffix)


def test_a_missing_relative_path_is_not_read_as_a_gateway_prefix():
    from compliance.errors import InputError
    from compliance.references import parse_reference

    with pytest.raises(InputError, match="not a model reference"):
        parse_reference("models/meta-llama/Llama-3.1-8B")
