"""The catalog's data (licenses/catalog/*.yaml): the licenses, Ollama names and family rules users rely on, and
that every row says where its facts were checked. Expected values come from the sources each row cites (the
publishers' repositories and cards); the Ollama tags from tests/data/ollama-library-snapshot.txt (its header
says where it was taken from). The generic checks (schema, rule agreement, ids in the knowledge base) are in
test_catalog.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from compliance import catalog, knowledge, resources
from compliance.yamlio import parse_yaml

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load()


def catalog_rows() -> list[tuple[str, dict]]:
    rows = []
    for path in sorted((resources.licenses_dir() / "catalog").glob("*.yaml")):
        data = parse_yaml(path.read_text(encoding="utf-8"), file=path) or {}
        rows += [(path.name, row) for row in data.get("models") or ()]
    return rows


def snapshot_tags() -> set[str]:
    tags = set()
    for line in (DATA / "ollama-library-snapshot.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            family, names = line.split(":", 1)
            tags |= {f"{family.strip()}:{tag}" for tag in names.split()}
    return tags


# Licenses a user relies on, one per family and every size where a family's license changes.
@pytest.mark.parametrize(("model_id", "licenses"), [
    ("Qwen/Qwen2.5-3B-Instruct", ("qwen-research",)),                  # models.yaml; the qwen2.5 rule agrees
    ("Qwen/Qwen2.5-VL-3B-Instruct", ("qwen-research",)),
    ("Qwen/Qwen2.5-VL-7B-Instruct", ("apache-2.0",)),
    ("Qwen/Qwen2.5-VL-72B-Instruct", ("qwen",)),
    ("Qwen/Qwen3-30B-A3B-Instruct-2507", ("apache-2.0",)),
    ("Qwen/Qwen1.5-1.8B-Chat", ("qwen-tongyi-research",)),
    ("mistralai/Mistral-Small-Instruct-2409", ("mistral-mrl",)),
    ("mistralai/Mistral-Small-24B-Instruct-2501", ("apache-2.0",)),
    ("mistralai/Pixtral-Large-Instruct-2411", ("mistral-mrl",)),
    ("mistralai/Mixtral-8x22B-Instruct-v0.1", ("apache-2.0",)),
    ("mistralai/Ministral-3-8B-Instruct-2512", ("apache-2.0",)),
    ("mistralai/Voxtral-4B-TTS-2603", ("cc-by-nc-4.0",)),                # the family's exception
    ("openai/gpt-oss-20b", ("apache-2.0",)),
    ("openai/gpt-oss-120b", ("apache-2.0",)),
    ("black-forest-labs/FLUX.1-dev", ("flux-1-dev-non-commercial",)),
    ("black-forest-labs/FLUX.1-Kontext-dev", ("flux-1-dev-non-commercial",)),
    ("black-forest-labs/FLUX.1-schnell", ("apache-2.0",)),
    ("stabilityai/stable-diffusion-3.5-large", ("stability-community",)),
    ("meta-llama/Llama-2-7b-chat-hf", ("llama-2",)),
    ("meta-llama/CodeLlama-34b-Instruct-hf", ("llama-2",)),
    ("meta-llama/Llama-Guard-3-1B", ("llama-3.2",)),
    ("meta-llama/Llama-Guard-3-8B", ("llama-3.1",)),               # the Hub card, not PurpleLlama's LICENSE file
    ("meta-llama/Llama-Guard-4-12B", ("llama-4",)),
    ("google/gemma-2-9b-it", ("gemma",)),
    ("google/gemma-3n-E4B-it", ("gemma",)),
    ("deepseek-ai/DeepSeek-V2-Lite-Chat", ("deepseek-license",)),
    ("deepseek-ai/DeepSeek-V3.1-Terminus", ("mit",)),
    ("moonshotai/Kimi-K2-Instruct", ("kimi-k2-modified-mit",)),
    ("zai-org/GLM-4.5-Air", ("mit",)),
    ("MiniMaxAI/MiniMax-M1-80k", ("apache-2.0",)),
    ("MiniMaxAI/MiniMax-M2", ("mit",)),
    ("CohereLabs/c4ai-command-r-plus", ("cc-by-nc-4.0", "cohere-c4ai-aup")),
    ("microsoft/Phi-3.5-mini-instruct", ("mit",)),
    ("nvidia/Llama-3_1-Nemotron-51B-Instruct", ("nvidia-open-model",)),
    ("ibm-granite/granite-3.1-8b-instruct", ("apache-2.0",)),
    ("tiiuae/Falcon-H1-7B-Instruct", ("tii-falcon-2.0",)),
    ("tiiuae/falcon-180B-chat", ("falcon-180b",)),
    ("bigcode/starcoder2-15b", ("bigcode-openrail-m",)),
    ("databricks/dbrx-instruct", ("dbrx",)),
    ("openai-community/gpt2", ("mit",)),                                # classic.yaml: the legacy ids' rows
    ("google-bert/bert-base-uncased", ("apache-2.0",)),
    ("FacebookAI/roberta-base", ("mit",)),
    ("google-t5/t5-small", ("apache-2.0",)),
    ("EleutherAI/gpt-j-6b", ("apache-2.0",)),
    ("Qwen/Qwen2-VL-72B-Instruct", ("qwen",)),
    ("Qwen/Qwen3.5-4B", ("apache-2.0",)),
    ("google/gemma-4-E2B-it", ("apache-2.0",)),
    ("google/paligemma-3b-pt-224", ("gemma",)),
    ("HuggingFaceM4/Idefics3-8B-Llama3", ("apache-2.0",)),               # the base adds Llama 3.1 (lineage)
    ("llava-hf/llava-1.5-7b-hf", ("llama-2",)),
    ("llava-hf/llava-v1.6-mistral-7b-hf", ("apache-2.0",)),
    ("facebook/opt-125m", ("opt-175b",)),                                # non-commercial research only
    ("facebook/bart-base", ("mit",)),                                    # fairseq: the license covers the models
    ("bigscience/mt0-xxl", ("apache-2.0",)),
    ("HuggingFaceH4/zephyr-7b-beta", ("mit",)),                          # the Mistral 7B base adds Apache-2.0
])
def test_key_licenses(cat, model_id, licenses):
    entry = cat.get(model_id)
    assert entry is not None, model_id
    assert entry.licenses == licenses


def test_old_hub_namespaces_name_the_same_rows(cat):
    assert cat.get("CohereForAI/aya-expanse-32b").id == "CohereLabs/aya-expanse-32b"
    assert cat.get("codellama/CodeLlama-7b-Instruct-hf").id == "meta-llama/CodeLlama-7b-Instruct-hf"
    assert cat.get("meta-llama/Llama-2-70b-chat").id == "meta-llama/Llama-2-70b-chat-hf"


@pytest.mark.parametrize(("name", "model_id"), [
    ("gpt-oss:20b", "openai/gpt-oss-20b"),
    ("mistral-small:22b", "mistralai/Mistral-Small-Instruct-2409"),    # the research-licensed one
    ("mistral-small:24b", "mistralai/Mistral-Small-24B-Instruct-2501"),
    ("mistral-small", "mistralai/Mistral-Small-24B-Instruct-2501"),
    ("mixtral:8x22b", "mistralai/Mixtral-8x22B-Instruct-v0.1"),
    ("qwen2.5vl:3b", "Qwen/Qwen2.5-VL-3B-Instruct"),
    ("qwen2.5vl", "Qwen/Qwen2.5-VL-7B-Instruct"),
    ("qwq:32b", "Qwen/QwQ-32B"),
    ("llama2:13b", "meta-llama/Llama-2-13b-chat-hf"),
    ("codellama:70b", "meta-llama/CodeLlama-70b-Instruct-hf"),
    ("gemma2", "google/gemma-2-9b-it"),
    ("gemma3n:e2b", "google/gemma-3n-E2B-it"),
    ("deepseek-v2:16b", "deepseek-ai/DeepSeek-V2-Lite-Chat"),
    ("deepseek-coder-v2:16b", "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct"),
    ("phi3:14b", "microsoft/Phi-3-medium-4k-instruct"),
    ("phi4-reasoning", "microsoft/Phi-4-reasoning"),
    ("command-a:111b", "CohereLabs/c4ai-command-a-03-2025"),
    ("nemotron:70b", "nvidia/Llama-3.1-Nemotron-70B-Instruct-HF"),
    ("granite3.1-moe:3b", "ibm-granite/granite-3.1-3b-a800m-instruct"),
    ("granite-code:3b", "ibm-granite/granite-3b-code-instruct-128k"),
    ("falcon:180b", "tiiuae/falcon-180B-chat"),
    ("olmo2:13b", "allenai/OLMo-2-1124-13B-Instruct"),
    ("smollm2:135m", "HuggingFaceTB/SmolLM2-135M-Instruct"),
    ("starcoder2:7b", "bigcode/starcoder2-7b"),
    ("tinyllama", "TinyLlama/TinyLlama-1.1B-Chat-v1.0"),
])
def test_ollama_names(cat, name, model_id):
    entry = cat.by_ollama(name)
    assert entry is not None, name
    assert entry.id == model_id


@pytest.mark.parametrize(("model_id", "family", "licenses"), [
    ("Qwen/Qwen2.5-VL-3B-Instruct-AWQ", "qwen2.5-vl", ("qwen-research",)),
    ("Qwen/Qwen2.5-VL-72B-Instruct-AWQ", "qwen2.5-vl", ("qwen",)),
    ("Qwen/Qwen2.5-VL-7B-Instruct-AWQ", "qwen2.5-vl", ("apache-2.0",)),
    ("Qwen/Qwen2.5-3B-Instruct-GGUF", "qwen2.5", ("qwen-research",)),
    ("Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4", "qwen2.5", ("qwen",)),
    ("Qwen/Qwen2.5-14B-Instruct-1M", "qwen2.5", ("apache-2.0",)),
    ("Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8", "qwen3", ("apache-2.0",)),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1-FP8", "mixtral", ("apache-2.0",)),
    ("meta-llama/Llama-3.2-1B-Instruct-QLORA_INT4_EO8", "llama-3.2", ("llama-3.2",)),
    ("google/gemma-2-2b-jpn-it", "gemma", ("gemma",)),
    ("google/gemma-3-27b-it-qat-q4_0-gguf", "gemma", ("gemma",)),
    ("CohereLabs/aya-vision-8b", "cohere-c4ai", ("cc-by-nc-4.0", "cohere-c4ai-aup")),
    ("tiiuae/Falcon-H1-34B-Instruct-GPTQ-Int8", "falcon-h1", ("tii-falcon-2.0",)),
    ("deepseek-ai/deepseek-coder-6.7b-instruct-AWQ", "deepseek-coder", ("deepseek-license",)),
    ("mistralai/Voxtral-Mini-3B-2507-GGUF", "voxtral", ("apache-2.0",)),
    ("google/gemma-4-12B-it", "gemma-4", ("apache-2.0",)),             # Gemma 4 left the Gemma Terms of Use
    ("google/paligemma2-3b-pt-896", "paligemma", ("gemma",)),
    ("Qwen/Qwen2-VL-72B", "qwen2-vl", ("qwen",)),                      # the family's 72B exception
    ("Qwen/Qwen2-VL-7B", "qwen2-vl", ("apache-2.0",)),
    ("Qwen/Qwen3.5-397B-A17B", "qwen3.5", ("apache-2.0",)),
    ("EleutherAI/pythia-2.8b-deduped", "pythia", ("apache-2.0",)),
    ("EleutherAI/gpt-neo-350M", "gpt-neo", ("mit",)),
    ("facebook/opt-350m-deduplicated", "opt", ("opt-175b",)),
    ("allenai/Olmo-3-7B-RL-Zero-Math", "olmo-3", ("apache-2.0",)),
    ("HuggingFaceTB/SmolVLM2-256M-Video-Instruct", "smolvlm", ("apache-2.0",)),
])
def test_unlisted_variants_resolve_by_their_family_rule(cat, model_id, family, licenses):
    """Family rules answer for ids that state a size (the loader's rule: a name without one may be a hosted model)."""
    assert cat.get(model_id) is None, f"{model_id} is a catalog row; pick an unlisted variant"
    [match] = cat.by_rule(model_id)
    assert (match.family.id, match.licenses) == (family, licenses)


@pytest.mark.parametrize("model_id", [
    "mistralai/Devstral-2-123B-Instruct-2512",    # 'Modified MIT': no knowledge-base record
    "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16",  # sources disagree (NVIDIA Open Model License, OpenMDW)
    "facebook/opt-iml-max-1.3b",                  # OPT-IML: its license was not read
    "allenai/Olmo-3.1-32B-Think",                 # Olmo 3.1 not read
    "Qwen/Qwen3.6-35B-A3B",                       # not read
    "Qwen/Qwen2-57B-A14B-Instruct",               # not confirmed
    "moonshotai/Kimi-K2-Thinking",                # not read
    "meta-llama/LlamaGuard-2-8b",                 # the repository's LICENSE file and the base disagree
    "microsoft/phi-1_5",                          # first published under a research license
    "Qwen/Qwen1.5-14B-Chat",                      # not confirmed
])
def test_unconfirmed_models_stay_unknown(cat, model_id):
    assert cat.get(model_id) is None
    assert cat.by_rule(model_id) == []


def test_every_row_says_where_its_facts_were_checked():
    rows = catalog_rows()
    assert len(rows) > 250
    problems = []
    for file, row in rows:
        checked = row["checked"]
        for fact in ("license", "modality"):
            if len(checked.get(fact, "").strip()) < 15:
                problems.append(f"{file}: {row['id']}: checked.{fact} does not name a source")
        for fact in ("ollama", "revision", "base_models", "aliases"):
            key = "base_models" if fact == "base_models" else fact
            if row.get(key) and not checked.get(fact) and not (fact == "base_models" and row.get("notes")):
                problems.append(f"{file}: {row['id']}: {fact} given without checked.{fact}")
    assert problems == []


def test_ollama_names_taken_from_the_snapshot_are_in_it():
    tags = snapshot_tags()
    assert len(tags) == 510
    missing = [f"{file}: {row['id']}: {name}" for file, row in catalog_rows() for name in row.get("ollama", ())
               if "ollama snapshot" in row["checked"].get("ollama", "") and name not in tags]
    assert missing == []


@pytest.mark.parametrize(("model_id", "country"), [
    ("mistralai/Mistral-Small-Instruct-2409", "FR"),
    ("Qwen/Qwen2.5-VL-3B-Instruct", "CN"),
    ("deepseek-ai/DeepSeek-V2.5", "CN"),
    ("moonshotai/Kimi-K2-Instruct", "CN"),
    ("tiiuae/Falcon-H1-7B-Instruct", "AE"),
    ("CohereLabs/aya-23-8B", "CA"),
    ("openai/gpt-oss-20b", "US"),
    ("stabilityai/stable-diffusion-3.5-medium", "GB"),
])
def test_publisher_country(cat, model_id, country):
    kb = knowledge.load()
    assert kb.publishers[cat.get(model_id).publisher].country == country


def test_a_publisher_without_a_stated_country_has_none(cat):
    kb = knowledge.load()
    assert kb.publishers[cat.get("TinyLlama/TinyLlama-1.1B-Chat-v1.0").publisher].country is None
    assert kb.publishers[cat.get("black-forest-labs/FLUX.1-dev").publisher].country is None
