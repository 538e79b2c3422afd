"""The provider serving-name tables (licenses/providers/*.yaml) and the real-names test set
(tests/data/model_names.yaml) are well-formed data: every row says where it was checked, names are unique,
every upstream is a Hub id, and every expected license is a knowledge-base id.

Resolving the names is the resolver's test (it reads tests/data/model_names.yaml); this file checks the data."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance import providers
from compliance.references import HUB_ID
from compliance.resources import licenses_dir

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = sorted((licenses_dir() / "providers").glob("*.yaml"))
NAMES_FILE = ROOT / "tests" / "data" / "model_names.yaml"

TABLE_KEYS = {"provider", "name", "prefixes", "source", "names"}
ROW_REQUIRED = {"name", "model", "checked"}
ROW_OPTIONAL = {"quant", "note", "deprecated"}
# Ids the format agreement (issue 13) lists as being added to the knowledge base this session.
PENDING_LICENSES = {
    "kimi-k2-modified-mit", "minimax-model-license", "flux-1-dev-non-commercial", "fair-noncommercial-research",
    "apple-amlr", "apple-ascl", "deepfloyd-if", "grok-2-community", "cohere-c4ai-aup", "openmdw-1.0",
    "openmdw-1.1", "llama-1", "exaone-1.2-nc", "tii-falcon-1.0", "hai-def", "minicpm", "hunyuan-video",
    "hunyuan-world", "h-research", "intel-research", "cc-by-4.0", "bsd-3-clause", "gpl-3.0-only",
}
NOT_RECORDS = {"kb", "models", "publishers"}
# A row's `checked` names a price-list version, a pinned repository file, a search-index file or a URL.
SOURCE_MARKERS = ("litellm==", "llama-stack@", "github ", "search-index id", "http")
FORMS = {"legacy", "hub", "republication", "official-quant", "ollama-hf", "provider", "fireworks", "openrouter", "ollama"}


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level is not a mapping"
    return data


def _catalog_ids() -> dict[str, str]:
    ids = [row["id"] for row in _load(licenses_dir() / "models.yaml")["models"]]
    for path in sorted((licenses_dir() / "catalog").glob("*.yaml")):
        ids += [row["id"] for row in (_load(path).get("models") or [])]
    return {hub_id.lower(): hub_id for hub_id in ids}


def _license_ids() -> set[str]:
    return {p.stem for p in licenses_dir().glob("*.yaml")} - NOT_RECORDS


def test_there_are_provider_tables() -> None:
    assert len(PROVIDERS) >= 10
    assert {"groq", "together", "fireworks", "deepinfra", "openrouter", "lmstudio"} <= {p.stem for p in PROVIDERS}


def test_the_loader_reads_every_table() -> None:
    """The run-time loader (compliance.providers) accepts every file and keeps every row."""
    loaded = providers.load(licenses_dir())
    assert {t.provider for t in loaded.tables} == {p.stem for p in PROVIDERS}
    assert len(loaded) == sum(len(_load(p)["names"]) for p in PROVIDERS)
    # a prefixed reference selects its table, and the row names the upstream
    provider, rest = loaded.provider_for("fireworks_ai/accounts/fireworks/models/deepseek-r1")
    assert (provider, rest) == ("fireworks", "deepseek-r1")
    assert loaded.get(provider, rest).row.model == "deepseek-ai/DeepSeek-R1"
    assert loaded.provider_for("groq/llama-3.1-8b-instant") == ("groq", "llama-3.1-8b-instant")


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda p: p.stem)
def test_provider_table_format(path: Path) -> None:
    table = _load(path)
    assert set(table) == TABLE_KEYS, f"{path.name}: keys {sorted(table)}"
    assert table["provider"] == path.stem
    assert isinstance(table["name"], str) and table["name"].strip()
    assert isinstance(table["source"], str) and table["source"].strip()
    assert isinstance(table["prefixes"], list)
    assert all(isinstance(p, str) and p.endswith("/") and p == p.lower() for p in table["prefixes"])
    rows = table["names"]
    assert isinstance(rows, list) and rows, f"{path.name}: no names"
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        where = f"{path.name} row {i} ({row.get('name')!r})"
        assert isinstance(row, dict), where
        assert ROW_REQUIRED <= set(row) <= ROW_REQUIRED | ROW_OPTIONAL, f"{where}: keys {sorted(row)}"
        for key in row:
            assert isinstance(row[key], str) and row[key].strip(), f"{where}: {key} is empty"
        assert HUB_ID.match(row["model"]), f"{where}: model {row['model']!r} is not a Hub id"
        folded = row["name"].lower()
        assert folded not in seen, f"{where}: duplicate of row {seen[folded]}"
        seen[folded] = i
        assert not any(folded.startswith(p) for p in table["prefixes"]), f"{where}: name keeps a prefix"


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda p: p.stem)
def test_provider_rows_name_their_source(path: Path) -> None:
    table = _load(path)
    for row in table["names"]:
        checked = row["checked"]
        assert any(marker in checked for marker in SOURCE_MARKERS), \
            f"{path.name} {row['name']!r}: checked does not name a source: {checked!r}"
        if "litellm==" in checked:
            assert "litellm" in table["source"].lower(), f"{path.name}: source does not name the price list"


def test_prefixes_select_one_table() -> None:
    owner: dict[str, str] = {}
    for path in PROVIDERS:
        for prefix in _load(path)["prefixes"]:
            assert prefix not in owner, f"prefix {prefix!r} in {owner.get(prefix)} and {path.stem}"
            owner[prefix] = path.stem


def test_provider_models_use_the_catalog_spelling() -> None:
    """Where the catalog has the upstream, the table writes the catalog's id (same case, current name)."""
    catalog = _catalog_ids()
    for path in PROVIDERS:
        for row in _load(path)["names"]:
            known = catalog.get(row["model"].lower())
            assert known is None or known == row["model"], f"{path.name} {row['name']!r}: {row['model']} vs {known}"
            assert not row["model"].startswith("meta-llama/Meta-Llama-3.1-"), \
                f"{path.name} {row['name']!r}: Meta renamed Meta-Llama-3.1-* to Llama-3.1-*"


def test_fireworks_deepseek_r1_is_deepseek_r1() -> None:
    """Issue 13's wrong answer: the Fireworks slug deepseek-r1 is the 671B DeepSeek-R1, not Ollama's 8B distill."""
    rows = {row["name"]: row["model"] for row in _load(licenses_dir() / "providers" / "fireworks.yaml")["names"]}
    assert rows["deepseek-r1"] == "deepseek-ai/DeepSeek-R1"


# --- the real-names test set -------------------------------------------------------------------------------

def _names() -> list[dict]:
    data = _load(NAMES_FILE)
    assert set(data) == {"names"}
    return data["names"]


def test_names_file_has_300_real_names_in_every_form() -> None:
    names = _names()
    assert len(names) >= 300
    forms = {entry["form"] for entry in names}
    assert FORMS <= forms, f"missing forms: {sorted(FORMS - forms)}"
    assert any(entry.get("expected") == "unknown" for entry in names)
    assert any(entry.get("expected") == "ambiguous" for entry in names)


def test_names_file_entries_are_well_formed() -> None:
    licenses = _license_ids() | PENDING_LICENSES
    seen: set[str] = set()
    for entry in _names():
        where = f"model_names.yaml {entry.get('name')!r}"
        assert isinstance(entry.get("name"), str) and entry["name"].strip(), where
        assert entry["name"] not in seen, f"{where}: duplicate"
        seen.add(entry["name"])
        assert isinstance(entry.get("source"), str) and entry["source"].strip(), f"{where}: no source"
        assert entry.get("form") in FORMS, f"{where}: form {entry.get('form')!r}"
        expected = entry.get("expected")
        if expected == "unknown":
            assert "upstream" not in entry and "licenses" not in entry, f"{where}: unknown names have no answer"
            continue
        if expected == "ambiguous":
            candidates = entry.get("candidates")
            assert isinstance(candidates, list) and len(candidates) >= 2, f"{where}: needs two candidates"
            assert all(HUB_ID.match(c) for c in candidates), where
            assert "upstream" not in entry, f"{where}: an ambiguous name has no single upstream"
            continue
        assert expected is None, f"{where}: expected {expected!r}"
        assert HUB_ID.match(entry.get("upstream") or ""), f"{where}: upstream {entry.get('upstream')!r}"
        assert isinstance(entry.get("licenses"), list) and entry["licenses"], f"{where}: no licenses"
        unknown = set(entry["licenses"]) - licenses
        assert not unknown, f"{where}: not knowledge-base ids: {sorted(unknown)}"


def test_names_file_agrees_with_the_catalog() -> None:
    """An expected answer for an upstream the catalog has is the catalog's id and the catalog's licenses
    (licenses/models.yaml and licenses/catalog/*.yaml)."""
    catalog_rows = {row["id"]: row for row in _load(licenses_dir() / "models.yaml")["models"]}
    for path in sorted((licenses_dir() / "catalog").glob("*.yaml")):
        catalog_rows.update({row["id"]: row for row in (_load(path).get("models") or [])})
    lowered = {k.lower(): k for k in catalog_rows}
    for entry in _names():
        upstream = entry.get("upstream")
        if not upstream or upstream.lower() not in lowered:
            continue
        hub_id = lowered[upstream.lower()]
        assert upstream == hub_id, f"{entry['name']!r}: {upstream} is spelled {hub_id} in the catalog"
        assert sorted(entry["licenses"]) == sorted(catalog_rows[hub_id]["licenses"]), \
            f"{entry['name']!r}: licenses {entry['licenses']} vs catalog {catalog_rows[hub_id]['licenses']}"


def test_names_file_agrees_with_the_family_rules() -> None:
    """Where the catalog has no row for an expected upstream but one family rule covers it, the rule gives the
    expected licenses (the catalog's own engine decides: compliance.catalog.Catalog.by_rule)."""
    from compliance import catalog

    cat = catalog.load()
    checked = 0
    for entry in _names():
        upstream = entry.get("upstream")
        if not upstream or cat.get(upstream) is not None:
            continue
        matches = cat.by_rule(upstream)
        if len(matches) != 1:
            continue
        checked += 1
        assert sorted(matches[0].licenses) == sorted(entry["licenses"]), \
            f"{entry['name']!r}: expected {entry['licenses']}, {matches[0].describe()}"
    assert checked >= 1
