"""The embedded model catalog: facts about well-known models, so the tool answers offline with nothing
downloaded. ``licenses/models.yaml`` and every ``licenses/catalog/<family>.yaml`` are read; each file holds
``models:`` (one row per Hub repository, each fact with where it was checked) and/or ``families:`` (family
rules: a size or variant the catalog does not list still resolves, flagged as resolved by rule)."""
from __future__ import annotations

import datetime as _dt
import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from .errors import KnowledgeBaseError
from .model import Modality, Relation
from .resources import licenses_dir
from .terms import Strict
from .yamlio import parse_yaml, read_text, validate

HubId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")]
LegacyId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][\w.-]*$")]  # a Hub id from before organizations: gpt2
OllamaName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9._-]+)?(:[A-Za-z0-9._-]+)?$")]
Glob = Annotated[str, Field(pattern=r"^[\w.*?\[\]!-]+/[\w.*?\[\]!-]+$")]
SIZE_TOLERANCE = 0.01


class CatalogBase(Strict):
    model: HubId
    relation: Relation


class CatalogEntry(Strict):
    """One model. ``licenses`` are knowledge-base ids of the model's own license (what binds its weights, not
    what its bases add: lineage adds those). ``ollama`` lists Ollama library names and tags that are these
    exact weights (a quantization of them). ``legacy_ids``: the repository's Hub ids from before organizations
    (``gpt2`` for ``openai-community/gpt2``), which the Hub still serves as redirects: a bare one is this Hub
    model, never an Ollama name. ``checked`` says, per fact, where it was checked. ``revision`` and
    ``revision_date``: the Hub commit (and its date) at which the card and license were checked."""

    id: HubId
    name: str
    publisher: str
    licenses: Annotated[tuple[str, ...], Field(min_length=1)]
    base_models: tuple[CatalogBase, ...] = ()
    modality: Modality
    params_b: Annotated[float, Field(gt=0)] | None = None
    active_params_b: Annotated[float, Field(gt=0)] | None = None
    release_date: _dt.date | None = None
    aliases: tuple[str, ...] = ()
    legacy_ids: tuple[LegacyId, ...] = ()
    ollama: tuple[OllamaName, ...] = ()
    revision: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    revision_date: _dt.date | None = None
    checked: dict[str, str]
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _checked(self) -> CatalogEntry:
        missing = {"license", "modality"} - set(self.checked)
        if missing:
            raise ValueError(f"checked must say where {', '.join(sorted(missing))} was checked")
        if self.legacy_ids and "legacy_ids" not in self.checked:
            raise ValueError("checked must say where legacy_ids (the Hub's redirect) was checked")
        return self


class FamilyCase(Strict):
    """One exception inside a family: the sizes (billions, as the name states them) and/or globs it covers."""

    sizes_b: tuple[Annotated[float, Field(gt=0)], ...] = ()
    match: tuple[Glob, ...] = ()
    licenses: Annotated[tuple[str, ...], Field(min_length=1)]
    modality: Modality | None = None
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _selects(self) -> FamilyCase:
        if not self.sizes_b and not self.match:
            raise ValueError("a family rule needs sizes_b or match")
        return self


class Family(Strict):
    """A family rule: every upstream id that ``match`` covers (and ``exclude`` does not) is under ``licenses``,
    unless the first of ``rules`` that fits its size or id says otherwise."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    name: str
    publisher: str
    match: Annotated[tuple[Glob, ...], Field(min_length=1)]
    exclude: tuple[Glob, ...] = ()
    modality: Modality
    licenses: Annotated[tuple[str, ...], Field(min_length=1)]
    rules: tuple[FamilyCase, ...] = ()
    checked: dict[str, str]
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _checked(self) -> Family:
        if "license" not in self.checked:
            raise ValueError("checked must say where the family's license was checked")
        return self


class CatalogFile(Strict):
    models: tuple[CatalogEntry, ...] = ()
    families: tuple[Family, ...] = ()


def _globs(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p.lower())})" for p in patterns))


@dataclass(frozen=True)
class RuleMatch:
    """What a family rule says about one model id: the licenses, the rule that decided (None: the default)."""

    family: Family
    licenses: tuple[str, ...]
    modality: Modality
    case: int | None
    size_b: float | None
    file: str
    model_id: str = ""  # the id the rule answers for (a repository name gets the family's organization)

    def describe(self) -> str:
        which = f"rule {self.case + 1}" if self.case is not None else "family default"
        size = f", size {self.size_b:g}B" if self.size_b is not None else ""
        return f"{self.file}: family {self.family.id} ({which}{size}) -> {', '.join(self.licenses)}"


class _CompiledFamily:
    def __init__(self, family: Family, file: str):
        self.family = family
        self.file = file
        self.match = _globs(family.match)
        self.exclude = _globs(family.exclude)
        self.cases = [(case, _globs(case.match), _globs(tuple(g.split("/", 1)[1] for g in case.match)))
                      for case in family.rules]
        # the name part of the globs, for names whose upstream organization is not written (republications)
        self.name_match = _globs(tuple(p.split("/", 1)[1] for p in family.match))
        self.name_exclude = _globs(tuple(p.split("/", 1)[1] for p in family.exclude))

    def upstream_id(self, name: str) -> str:
        """The Hub id a repository name has in this family: the organization of the glob that covers it."""
        for pattern in self.family.match:
            org, _, rest = pattern.partition("/")
            if not any(ch in org for ch in "*?[") and fnmatch.fnmatch(name.lower(), rest.lower()):
                return f"{org}/{name}"
        return name

    def covers(self, model_id: str, *, name_only: bool = False) -> bool:
        key = model_id.lower()
        match, exclude = (self.name_match, self.name_exclude) if name_only else (self.match, self.exclude)
        return bool(match.match(key)) and not (exclude is not None and exclude.match(key))

    def decide(self, model_id: str, size_b: float | None, *, name_only: bool = False) -> RuleMatch | None:
        """The rule for this id; None when the id states no size: family rules answer for the sizes and
        variants of open-weight releases, and a name without a size is as often a hosted-only model."""
        key = model_id.lower()
        if size_b is None:  # a name without a size is often a hosted API model (Qwen3-Max), never a guess
            return None
        for index, (case, globs, name_globs) in enumerate(self.cases):
            if case.sizes_b and (size_b is None or not any(abs(size_b - s) <= SIZE_TOLERANCE for s in case.sizes_b)):
                continue
            if globs is not None and not (name_globs if name_only else globs).match(key):
                continue
            return RuleMatch(self.family, case.licenses, case.modality or self.family.modality, index, size_b, self.file,
                             self.upstream_id(model_id) if name_only else model_id)
        return RuleMatch(self.family, self.family.licenses, self.family.modality, None, size_b, self.file,
                         self.upstream_id(model_id) if name_only else model_id)


class Catalog:
    def __init__(self, entries: tuple[CatalogEntry, ...], path: Path, *, families: tuple[Family, ...] = (),
                 files: dict[str, str] | None = None, family_files: dict[str, str] | None = None):
        self.entries = entries
        self.path = path
        self.families = families
        self._files = files or {}
        self._by_id: dict[str, CatalogEntry] = {}
        self._by_ollama: dict[str, CatalogEntry] = {}
        self._by_legacy: dict[str, CatalogEntry] = {}
        for entry in entries:
            for key in (entry.id, *entry.aliases, *entry.legacy_ids):
                self._claim(self._by_id, key.lower(), entry)
            for key in entry.legacy_ids:
                self._by_legacy[key.lower()] = entry
            for name in entry.ollama:
                self._claim(self._by_ollama, name.lower(), entry)
        family_files = family_files or {}
        self._families = [_CompiledFamily(f, family_files.get(f.id, "licenses/models.yaml")) for f in families]

    def _claim(self, index: dict[str, CatalogEntry], key: str, entry: CatalogEntry) -> None:
        if key in index and index[key].id != entry.id:
            raise KnowledgeBaseError(f"{key!r} names both {index[key].id} and {entry.id}",
                                     file=self._files.get(entry.id, self.path))
        index[key] = entry

    def get(self, model_id: str) -> CatalogEntry | None:
        """The row for a Hub id, one of its aliases (an old organization) or a legacy id (``gpt2``)."""
        return self._by_id.get(model_id.lower())

    def legacy(self, name: str) -> CatalogEntry | None:
        """The row whose pre-organization Hub id ``name`` is (``bert-base-uncased`` -> google-bert/…), or None."""
        return self._by_legacy.get(name.lower())

    def legacy_ids(self) -> dict[str, str]:
        """Every legacy id (lower case) and the Hub id it redirects to."""
        return {key: entry.id for key, entry in self._by_legacy.items()}

    def file_of(self, entry: CatalogEntry) -> str:
        """The catalog file an entry comes from, as ``licenses/...`` (for the facts it gives)."""
        return self._files.get(entry.id, "licenses/models.yaml")

    def by_ollama(self, name: str) -> CatalogEntry | None:
        """An Ollama name (``llama4``, ``llama4:scout``, ``deepseek-r1:70b``); ``name`` alone means ``name:latest``."""
        key = name.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
        found = self._by_ollama.get(key)
        if found is None and ":" not in key:
            found = self._by_ollama.get(f"{key}:latest")
        if found is None and key.endswith(":latest"):
            found = self._by_ollama.get(key.removesuffix(":latest"))
        return found

    def ollama_names(self) -> dict[str, CatalogEntry]:
        return self._by_ollama

    def families_for(self, model_id: str, *, name_only: bool = False) -> list[_CompiledFamily]:
        return [f for f in self._families if f.covers(model_id, name_only=name_only)]

    def by_rule(self, model_id: str, size_b: float | None = None, *, name_only: bool = False) -> list[RuleMatch]:
        """What the family rules say about ``model_id`` (a Hub id; with ``name_only``, just the repository name).
        Several matches are an ambiguity for the caller to report; an empty list: no family covers it."""
        if size_b is None:
            from .names import size_of

            size_b = size_of(model_id.split("/")[-1])
        decided = [f.decide(model_id, size_b, name_only=name_only) for f in self.families_for(model_id, name_only=name_only)]
        return [d for d in decided if d is not None]

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _relative(path: Path, root: Path) -> str:
    try:
        return "licenses/" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def load_file(path: Path) -> CatalogFile:
    text = read_text(path, what="model catalog")
    return validate(CatalogFile, parse_yaml(text, file=path) or {}, file=path, text=text, error=KnowledgeBaseError)


def load(path: Path | None = None, *, root: Path | None = None) -> Catalog:
    """The catalog from ``root`` (``models.yaml`` and ``catalog/*.yaml``), or from one file (``path``)."""
    if path is not None and root is None:
        files = [path]
        root = path.parent
    else:
        root = root or licenses_dir()
        files = [root / "models.yaml", *sorted((root / "catalog").glob("*.yaml"))]
        files = [f for f in files if f.exists()]
    entries: list[CatalogEntry] = []
    families: list[Family] = []
    where: dict[str, str] = {}
    family_where: dict[str, str] = {}
    for file in files:
        data = load_file(file)
        name = _relative(file, root)
        for entry in data.models:
            if entry.id in where:
                raise KnowledgeBaseError(f"model {entry.id} is also in {where[entry.id]}", file=file)
            where[entry.id] = name
            entries.append(entry)
        for family in data.families:
            if family.id in family_where:
                raise KnowledgeBaseError(f"family {family.id!r} is also in {family_where[family.id]}", file=file)
            family_where[family.id] = name
            families.append(family)
    return Catalog(tuple(entries), files[0] if files else root / "models.yaml", families=tuple(families),
                   files=where, family_files=family_where)


def disagreements(cat: Catalog) -> list[str]:
    """Every catalog row a family rule covers must get the row's licenses from the rule, and no row may be
    covered by two families."""
    problems = []
    for entry in cat:
        matches = cat.by_rule(entry.id)
        if len(matches) > 1:
            problems.append(f"{entry.id}: covered by several families: {', '.join(m.family.id for m in matches)}")
        for m in matches:
            if set(m.licenses) != set(entry.licenses):
                problems.append(f"{entry.id} ({cat.file_of(entry)}) is under {', '.join(entry.licenses)}; "
                                f"{m.describe()}")
    return problems


@functools.cache
def default() -> Catalog:
    """The embedded catalog, loaded once per process (through the per-user cache, see kbcache)."""
    from . import kbcache

    root = licenses_dir()
    return kbcache.cached("catalog", root, lambda: load(root=root), Catalog)
