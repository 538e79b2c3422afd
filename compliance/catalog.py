"""The embedded model catalog (``licenses/models.yaml``): facts about well-known models, so the tool answers
offline with nothing downloaded. Each entry says where each fact was checked."""
from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from .errors import KnowledgeBaseError
from .model import Modality, Relation
from .resources import licenses_dir
from .terms import Strict
from .yamlio import parse_yaml, read_text, validate

HubId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")]
OllamaName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9._-]+)?(:[A-Za-z0-9._-]+)?$")]


class CatalogBase(Strict):
    model: HubId
    relation: Relation


class CatalogEntry(Strict):
    """One model. ``licenses`` are knowledge-base ids of the model's own license (what binds its weights, not
    what its bases add: lineage adds those). ``ollama`` lists Ollama library names and tags that are these
    exact weights (a quantization of them). ``checked`` says, per fact, where it was checked."""

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
    ollama: tuple[OllamaName, ...] = ()
    revision: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    checked: dict[str, str]
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _checked(self) -> CatalogEntry:
        missing = {"license", "modality"} - set(self.checked)
        if missing:
            raise ValueError(f"checked must say where {', '.join(sorted(missing))} was checked")
        return self


class CatalogFile(Strict):
    models: tuple[CatalogEntry, ...]


class Catalog:
    def __init__(self, entries: tuple[CatalogEntry, ...], path: Path):
        self.entries = entries
        self.path = path
        self._by_id: dict[str, CatalogEntry] = {}
        self._by_ollama: dict[str, CatalogEntry] = {}
        for entry in entries:
            for key in (entry.id, *entry.aliases):
                self._claim(self._by_id, key.lower(), entry)
            for name in entry.ollama:
                self._claim(self._by_ollama, name.lower(), entry)

    def _claim(self, index: dict[str, CatalogEntry], key: str, entry: CatalogEntry) -> None:
        if key in index and index[key].id != entry.id:
            raise KnowledgeBaseError(f"{key!r} names both {index[key].id} and {entry.id}", file=self.path)
        index[key] = entry

    def get(self, model_id: str) -> CatalogEntry | None:
        return self._by_id.get(model_id.lower())

    def by_ollama(self, name: str) -> CatalogEntry | None:
        """An Ollama name (``llama4``, ``llama4:scout``, ``deepseek-r1:70b``); ``name`` alone means ``name:latest``."""
        key = name.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
        found = self._by_ollama.get(key)
        if found is None and ":" not in key:
            found = self._by_ollama.get(f"{key}:latest")
        if found is None and key.endswith(":latest"):
            found = self._by_ollama.get(key.removesuffix(":latest"))
        return found

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def load(path: Path | None = None) -> Catalog:
    path = path or licenses_dir() / "models.yaml"
    text = read_text(path, what="model catalog")
    data = validate(CatalogFile, parse_yaml(text, file=path), file=path, text=text, error=KnowledgeBaseError)
    return Catalog(data.models, path)


@functools.cache
def default() -> Catalog:
    """The embedded catalog, loaded once per process (through the per-user cache, see kbcache)."""
    from . import kbcache

    root = licenses_dir()
    return kbcache.cached("catalog", root, lambda: load(root / "models.yaml"), Catalog)
