"""The catalog loader (licenses/models.yaml plus licenses/catalog/*.yaml), family rules, provider tables, and the
knowledge-base cache covering the new folders. Synthetic folders in tmp dirs; the real data only for the
agreement of every family rule with the rows it covers."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compliance import catalog, kbcache, providers, resources
from compliance.errors import KnowledgeBaseError

ROW = """\
  - id: {id}
    name: {name}
    publisher: acme
    licenses: [{license}]
    modality: text
    checked: {{license: "synthetic", modality: "synthetic"}}
"""


def row(model_id: str, license_id: str = "apache-2.0", **extra: str) -> str:
    text = ROW.format(id=model_id, name=model_id.split("/")[-1], license=license_id)
    return text + "".join(f"    {k}: {v}\n" for k, v in extra.items())


FAMILY = """\
families:
  - id: acme-2.5
    name: Acme 2.5
    publisher: acme
    match: ["Acme/Acme2.5-*"]
    exclude: ["Acme/Acme2.5-VL-*"]
    modality: text
    licenses: [apache-2.0]
    rules:
      - {sizes_b: [3], licenses: [qwen-research]}
      - {sizes_b: [72], licenses: [qwen]}
      - {match: ["Acme/Acme2.5-Math-*"], licenses: [mit]}
    checked: {license: "synthetic family"}
  - id: acme-2.5-vl
    name: Acme 2.5 VL
    publisher: acme
    match: ["Acme/Acme2.5-VL-*"]
    modality: multimodal
    licenses: [qwen]
    checked: {license: "synthetic family"}
"""


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "models.yaml").write_text("models:\n" + row("Acme/Old-7B"))
    (tmp_path / "catalog" / "acme.yaml").write_text(
        FAMILY + "models:\n" + row("Acme/Acme2.5-7B", revision="'" + "a" * 40 + "'", revision_date="2024-09-25")
        + row("Acme/Acme2.5-72B", "qwen") + row("Acme/Acme2.5-VL-7B", "qwen"))
    return tmp_path


def test_loads_models_yaml_and_every_family_file(root):
    cat = catalog.load(root=root)
    assert sorted(e.id for e in cat) == ["Acme/Acme2.5-72B", "Acme/Acme2.5-7B", "Acme/Acme2.5-VL-7B", "Acme/Old-7B"]
    entry = cat.get("acme/acme2.5-7b")
    assert (entry.revision, entry.revision_date) == ("a" * 40, dt.date(2024, 9, 25))
    assert cat.file_of(entry) == "licenses/catalog/acme.yaml"
    assert cat.file_of(cat.get("Acme/Old-7B")) == "licenses/models.yaml"
    assert [f.id for f in cat.families] == ["acme-2.5", "acme-2.5-vl"]


def test_a_model_in_two_files_is_an_error_naming_both(root):
    (root / "catalog" / "other.yaml").write_text("models:\n" + row("Acme/Old-7B"))
    with pytest.raises(KnowledgeBaseError, match="model Acme/Old-7B is also in licenses/models.yaml") as exc:
        catalog.load(root=root)
    assert str(exc.value.file).endswith("other.yaml")


def test_a_family_in_two_files_is_an_error(root):
    (root / "catalog" / "other.yaml").write_text(FAMILY.split("  - id: acme-2.5-vl")[0])
    with pytest.raises(KnowledgeBaseError, match="family 'acme-2.5' is also in licenses/catalog/acme.yaml"):
        catalog.load(root=root)


def test_a_bad_family_rule_names_its_file_and_key(root):
    (root / "catalog" / "bad.yaml").write_text(
        "families:\n  - id: x\n    name: X\n    publisher: acme\n    match: ['X/*']\n    modality: text\n"
        "    licenses: [mit]\n    rules: [{licenses: [mit]}]\n    checked: {license: s}\n")
    with pytest.raises(KnowledgeBaseError, match="needs sizes_b or match") as exc:
        catalog.load(root=root)
    assert str(exc.value.file).endswith("bad.yaml")


@pytest.mark.parametrize("model_id, licenses, case", [
    ("Acme/Acme2.5-14B-Instruct", ("apache-2.0",), None),  # the family default
    ("Acme/Acme2.5-3B-Instruct", ("qwen-research",), 0),  # a size decides
    ("Acme/Acme2.5-72B-Instruct", ("qwen",), 1),
    ("Acme/Acme2.5-Math-7B", ("mit",), 2),  # a glob decides
    ("acme/ACME2.5-0.5B", ("apache-2.0",), None),  # case-insensitive
])
def test_family_rules_resolve_an_id_the_catalog_lacks(root, model_id, licenses, case):
    cat = catalog.load(root=root)
    assert cat.get(model_id) is None
    [found] = cat.by_rule(model_id)
    assert (found.family.id, found.licenses, found.case) == ("acme-2.5", licenses, case)
    assert "licenses/catalog/acme.yaml: family acme-2.5" in found.describe()


def test_exclude_hands_the_id_to_the_other_family_and_uncovered_ids_get_nothing(root):
    cat = catalog.load(root=root)
    [vl] = cat.by_rule("Acme/Acme2.5-VL-32B")
    assert (vl.family.id, vl.licenses, vl.modality) == ("acme-2.5-vl", ("qwen",), "multimodal")
    assert cat.by_rule("Acme/Acme3-7B") == []
    assert cat.by_rule("Other/Acme2.5-7B") == []  # another organization's repo is not the family
    [by_name] = cat.by_rule("Acme2.5-3B", name_only=True)  # a republication names no upstream organization
    assert by_name.licenses == ("qwen-research",)


def test_agreement_check_reports_a_row_its_rule_contradicts(root):
    assert catalog.disagreements(catalog.load(root=root)) == []
    (root / "catalog" / "more.yaml").write_text("models:\n" + row("Acme/Acme2.5-3B", "apache-2.0"))
    [problem] = catalog.disagreements(catalog.load(root=root))
    assert problem.startswith("Acme/Acme2.5-3B (licenses/catalog/more.yaml) is under apache-2.0;")
    assert "family acme-2.5 (rule 1, size 3B) -> qwen-research" in problem


def test_agreement_check_reports_overlapping_families(root):
    text = (root / "catalog" / "acme.yaml").read_text().replace('    exclude: ["Acme/Acme2.5-VL-*"]\n', "")
    (root / "catalog" / "acme.yaml").write_text(text)
    problems = catalog.disagreements(catalog.load(root=root))
    assert "Acme/Acme2.5-VL-7B: covered by several families: acme-2.5, acme-2.5-vl" in problems


def test_every_family_rule_agrees_with_the_catalog_rows_it_covers():
    """The embedded data: a family rule that contradicts a row it covers would give a wrong answer for every
    unlisted size of that family."""
    cat = catalog.load()
    assert catalog.disagreements(cat) == []


def test_every_catalog_license_and_publisher_exists_in_the_knowledge_base():
    from compliance import knowledge

    kb = knowledge.load()
    cat = catalog.load()
    unknown = sorted({f"{e.id}: {lic}" for e in cat for lic in e.licenses if lic not in kb.licenses}
                     | {f"family {f.id}: {lic}" for f in cat.families
                        for lic in (*f.licenses, *(x for c in f.rules for x in c.licenses)) if lic not in kb.licenses})
    assert unknown == []
    assert not ({e.publisher for e in cat} | {f.publisher for f in cat.families}) - set(kb.publishers)


# --- provider tables ----------------------------------------------------------------------------------------

GROQ = """\
provider: groq
name: Groq
prefixes: ["groq/"]
source: "synthetic"
names:
  - {name: llama-3.3-70b-versatile, model: meta-llama/Llama-3.3-70B-Instruct, checked: "synthetic"}
  - {name: shared-name, model: meta-llama/Llama-3.1-8B-Instruct, checked: "synthetic"}
"""
TOGETHER = """\
provider: together
name: Together AI
prefixes: ["together_ai/", "together/"]
source: "synthetic"
names:
  - {name: meta-llama/Llama-3.3-70B-Instruct-Turbo, model: meta-llama/Llama-3.3-70B-Instruct, checked: "s", quant: fp8}
  - {name: shared-name, model: Qwen/Qwen2.5-7B-Instruct, checked: "synthetic"}
"""


def test_provider_tables_by_prefix_and_bare_name(tmp_path):
    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "groq.yaml").write_text(GROQ)
    (tmp_path / "providers" / "together.yaml").write_text(TOGETHER)
    prov = providers.load(tmp_path)
    assert len(prov) == 4
    assert prov.provider_for("groq/llama-3.3-70b-versatile") == ("groq", "llama-3.3-70b-versatile")
    assert prov.provider_for("Together_AI/meta-llama/x") == ("together", "meta-llama/x")
    assert prov.provider_for("fireworks_ai/x") is None
    hit = prov.get("together", "META-LLAMA/llama-3.3-70b-instruct-turbo")
    assert (hit.row.model, hit.row.quant, hit.file) == ("meta-llama/Llama-3.3-70B-Instruct", "fp8",
                                                         "licenses/providers/together.yaml")
    assert prov.get("groq", "meta-llama/Llama-3.3-70B-Instruct-Turbo") is None  # tables do not leak
    assert [s.row.model for s in prov.bare("llama-3.3-70b-versatile")] == ["meta-llama/Llama-3.3-70B-Instruct"]
    assert {s.row.model for s in prov.bare("shared-name")} == {"meta-llama/Llama-3.1-8B-Instruct",
                                                               "Qwen/Qwen2.5-7B-Instruct"}


def test_provider_table_errors_name_the_file(tmp_path):
    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "groq.yaml").write_text(GROQ.replace("source:", "sauce:"))
    with pytest.raises(KnowledgeBaseError, match="unknown key 'sauce'") as exc:
        providers.load(tmp_path)
    assert str(exc.value.file).endswith("groq.yaml")
    (tmp_path / "providers" / "groq.yaml").write_text(
        GROQ + "  - {name: LLAMA-3.3-70b-versatile, model: Qwen/Qwen2.5-7B-Instruct, checked: s}\n")
    with pytest.raises(KnowledgeBaseError, match="names both meta-llama/Llama-3.3-70B-Instruct and Qwen"):
        providers.load(tmp_path)


def test_the_embedded_provider_tables_load_and_point_at_hub_ids():
    prov = providers.load()
    for table in prov.tables:
        assert table.source.strip(), table.provider


# --- the knowledge-base cache ------------------------------------------------------------------------------

def test_cache_digest_covers_catalog_and_provider_folders(root):
    (root / "providers").mkdir()
    (root / "providers" / "groq.yaml").write_text(GROQ)
    before = kbcache._digest(root)
    (root / "catalog" / "acme.yaml").write_text((root / "catalog" / "acme.yaml").read_text() + "\n# edited\n")
    after_catalog = kbcache._digest(root)
    (root / "providers" / "groq.yaml").write_text(GROQ + "# edited\n")
    after_providers = kbcache._digest(root)
    assert len({before, after_catalog, after_providers}) == 3


def test_cache_round_trip_gives_catalog_and_providers(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPLIANCE_NO_CACHE", raising=False)
    root = resources.licenses_dir()
    cat1 = kbcache.cached("catalog", root, lambda: catalog.load(root=root), catalog.Catalog)
    prov1 = kbcache.cached("providers", root, lambda: providers.load(root), providers.Providers)
    assert list((tmp_path / "cache").glob("catalog-*.pickle")) and list((tmp_path / "cache").glob("providers-*.pickle"))
    unbuildable = lambda: (_ for _ in ()).throw(AssertionError("not read from the cache"))  # noqa: E731
    cat2 = kbcache.cached("catalog", root, unbuildable, catalog.Catalog)
    prov2 = kbcache.cached("providers", root, unbuildable, providers.Providers)
    assert [e.id for e in cat2] == [e.id for e in cat1]
    assert [f.id for f in cat2.families] == [f.id for f in cat1.families]
    assert len(prov2) == len(prov1)
