"""The knowledge base: every record loads, and the numbers a legal answer depends on are right."""
from __future__ import annotations

import json

import pytest

from compliance import knowledge
from compliance.schemas import license_schema
from conftest import ROOT

CORPUS_IDS = [
    "llama-2", "llama-3", "llama-3.1", "llama-3.2", "llama-3.3", "llama-4", "gemma", "deepseek-license",
    "qwen-tongyi", "qwen-tongyi-research", "hunyuan", "hunyuan-a13b", "hunyuan-3d-2", "dbrx", "yi",
    "nvidia-open-model", "stability-community", "stability-noncommercial-research", "stability-svd-noncommercial",
    "stability-noncommercial-community", "creativeml-openrail-m", "creativeml-openrail-plus-plus-m", "chatglm3",
    "codegeex4", "cogvlm2", "mit", "apache-2.0", "exaone-1.1-nc",
]
UNVERIFIED_IDS = [
    "mistral-mrl", "mistral-mnpl", "qwen", "qwen-research", "cc-by-nc-4.0", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "openrail", "jamba-open-model", "baichuan-2", "gemma-prohibited-use-policy",
]


@pytest.fixture(scope="module")
def kb():
    return knowledge.load()


def test_every_expected_record_exists(kb):
    missing = [i for i in CORPUS_IDS + UNVERIFIED_IDS if i not in kb.licenses]
    assert not missing
    assert all(kb.licenses[i].verified for i in CORPUS_IDS)
    assert not any(kb.licenses[i].verified for i in UNVERIFIED_IDS)
    assert any(lic.family == "falcon" for lic in kb), "a TII Falcon license record"


def test_every_record_names_a_known_publisher_with_a_country_where_one_exists(kb):
    for lic in kb:
        pub = kb.publisher(lic.publisher)
        assert pub is not None, lic.id
    assert kb.publisher(kb.licenses["deepseek-license"].publisher).country == "CN"
    assert kb.publisher(kb.licenses["llama-4"].publisher).country == "US"
    assert kb.publisher(kb.licenses["mistral-mrl"].publisher).country == "FR"


@pytest.mark.parametrize("license_id,metric,limit,currency", [
    ("llama-2", "monthly_active_users", 700e6, None),
    ("llama-3", "monthly_active_users", 700e6, None),
    ("llama-3.1", "monthly_active_users", 700e6, None),
    ("llama-3.2", "monthly_active_users", 700e6, None),
    ("llama-3.3", "monthly_active_users", 700e6, None),
    ("llama-4", "monthly_active_users", 700e6, None),
    ("dbrx", "monthly_active_users", 700e6, None),
    ("qwen-tongyi", "monthly_active_users", 100e6, None),
    ("qwen", "monthly_active_users", 100e6, None),
    ("hunyuan", "monthly_active_users", 100e6, None),
    ("hunyuan-a13b", "monthly_active_users", 100e6, None),
    ("hunyuan-3d-2", "monthly_active_users", 1e6, None),
    ("stability-community", "annual_revenue", 1e6, "USD"),
    ("baichuan-2", "daily_active_users", 1e6, None),
])
def test_thresholds(kb, license_id, metric, limit, currency):
    thresholds = kb.licenses[license_id].thresholds
    assert [(t.metric, t.limit, t.currency) for t in thresholds] == [(metric, limit, currency)]


def test_meta_threshold_counts_affiliates_at_the_release_date(kb):
    for lic_id in ("llama-2", "llama-3.1", "llama-4"):
        t = kb.licenses[lic_id].thresholds[0]
        assert (t.counts_affiliates, t.measured_at, t.consequence) == (True, "version-release-date", "request-license")
    assert kb.licenses["stability-community"].thresholds[0].consequence == "license-terminates"
    assert kb.licenses["baichuan-2"].thresholds[0].comparison == "at-least"


@pytest.mark.parametrize("license_id", ["llama-3.2", "llama-3.3", "llama-4"])
def test_llama_eu_clause_binds_multimodal_models_and_the_licensees_domicile_only(kb, license_id):
    t = kb.licenses[license_id].territory
    assert (t.excluded, t.scope, t.basis, t.end_users_exempt) == (("EU",), "multimodal-models", "licensee-domicile", True)
    assert any(ev.file.endswith("USE_POLICY.md") for ev in t.evidence)


@pytest.mark.parametrize("license_id", ["llama-2", "llama-3", "llama-3.1", "gemma", "deepseek-license", "mit"])
def test_no_territory_where_the_license_states_none(kb, license_id):
    assert kb.licenses[license_id].territory is None


def test_hunyuan_territories_differ_by_version(kb):
    large = kb.licenses["hunyuan"].territory
    assert (set(large.excluded), large.scope) == ({"EU"}, "license")
    for lic_id in ("hunyuan-a13b", "hunyuan-3d-2"):
        t = kb.licenses[lic_id].territory
        assert (set(t.excluded), t.scope, t.basis) == ({"EU", "GB", "KR"}, "license", "place-of-use")


@pytest.mark.parametrize("license_id,status", [
    ("llama-4", "allowed"), ("qwen-tongyi-research", "research-only"), ("mistral-mrl", "research-only"),
    ("stability-noncommercial-research", "non-commercial"), ("cc-by-nc-4.0", "non-commercial"),
    ("yi", "registration-required"), ("chatglm3", "registration-required"), ("mit", "allowed"),
    ("exaone-1.1-nc", "research-only"), ("qwen-research", "research-only"), ("mistral-mnpl", "non-commercial"),
])
def test_commercial_use(kb, license_id, status):
    assert kb.licenses[license_id].commercial_use.status == status


def test_attribution_duties(kb):
    def texts(lic_id, kind):
        return [o.text for o in kb.licenses[lic_id].obligations(kind)]

    assert texts("llama-4", "built-with") == ["Built with Llama"]
    assert texts("llama-3", "built-with") == ["Built with Meta Llama 3"]
    assert texts("llama-2", "built-with") == [] and texts("llama-2", "name-prefix") == []
    assert texts("llama-3.1", "name-prefix") == ["Llama"]
    assert texts("stability-community", "powered-by") == ["Powered by Stability AI"]
    hunyuan_powered = kb.licenses["hunyuan"].obligations("powered-by")
    assert hunyuan_powered and not hunyuan_powered[0].required
    assert texts("llama-4", "notice-file")[0].startswith("Llama 4 is licensed under the Llama 4 Community License")


def test_output_use_rules(kb):
    rules = {i: kb.licenses[i].output_use.rule for i in
             ("llama-2", "llama-3", "llama-3.1", "llama-4", "hunyuan", "hunyuan-a13b", "stability-community", "qwen-tongyi")}
    assert rules == {
        "llama-2": "prohibited-other-llms", "llama-3": "prohibited-other-llms", "llama-3.1": "allowed-with-naming",
        "llama-4": "allowed-with-naming", "hunyuan": "prohibited-other-llms", "hunyuan-a13b": "prohibited-any-ai-model",
        "stability-community": "prohibited-foundation-models", "qwen-tongyi": "prohibited-other-llms",
    }
    assert kb.licenses["gemma"].output_use.distillation_is_derivative
    assert kb.licenses["deepseek-license"].output_use.distillation_is_derivative


def test_lookups_by_hub_id_alias_and_link(kb):
    assert kb.by_hf_id("llama3.1").id == "llama-3.1"
    assert kb.by_hf_id("LLAMA4").id == "llama-4"
    assert kb.by_alias("tongyi-qianwen").id == "qwen-tongyi"
    assert kb.by_alias("mrl").id == "mistral-mrl"
    assert kb.by_alias("deepseek").id == "deepseek-license"
    assert kb.by_alias("Apache-2.0").id == "apache-2.0"
    assert kb.by_link("https://mistral.ai/licenses/MRL-0.1.md").id == "mistral-mrl"
    assert kb.by_link("https://mistral.ai/licences/MNPL-0.1.md").id == "mistral-mnpl"
    assert kb.by_link("https://llama.meta.com/llama3/license/").id == "llama-3"
    assert kb.by_hf_id("other") is None and kb.by_alias("no-such-license") is None


def test_governing_law(kb):
    assert kb.licenses["llama-4"].governing_law.jurisdiction == "US-CA"
    assert kb.licenses["hunyuan"].governing_law.jurisdiction == "HK"
    assert kb.licenses["deepseek-license"].governing_law.jurisdiction == "CN"
    assert kb.licenses["nvidia-open-model"].governing_law.jurisdiction == "US-DE"


def test_kb_version_changes_with_content(kb, tmp_path):
    import shutil

    copy = tmp_path / "licenses"
    shutil.copytree(kb.root, copy)
    assert knowledge.load(copy).version == kb.version
    path = copy / "mit.yaml"
    path.write_text(path.read_text() + "\n# edited\n")
    assert knowledge.load(copy).version != kb.version


def test_license_schema_file_is_current():
    stored = (ROOT / "licenses" / "schema.json").read_text()
    assert json.loads(stored) == json.loads(license_schema()), "run: compliance kb schema > licenses/schema.json"


def test_broken_record_names_file_and_line(tmp_path, kb):
    import shutil

    from compliance.errors import KnowledgeBaseError

    copy = tmp_path / "licenses"
    shutil.copytree(kb.root, copy)
    path = copy / "mit.yaml"
    text = path.read_text().replace("commercial_use:", "commercial_usage:", 1)
    path.write_text(text)
    line = text.splitlines().index("commercial_usage:") + 1
    with pytest.raises(KnowledgeBaseError) as err:
        knowledge.load(copy)
    assert str(err.value).startswith(f"{path}:{line}: ")
