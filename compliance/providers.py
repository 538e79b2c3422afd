"""Provider and runtime serving-name tables (``licenses/providers/<provider>.yaml``): the names Groq, Together,
Fireworks, DeepInfra, OpenRouter, LM Studio and others serve models under, each mapped to the upstream Hub id
with where the mapping was checked. A table applies to references carrying one of its prefixes
(``groq/llama-3.3-70b-versatile``), and to a bare serving name when every table that lists it agrees."""
from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from .errors import KnowledgeBaseError
from .resources import licenses_dir
from .terms import Strict
from .yamlio import parse_yaml, read_text, validate

HubId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")]


class ServingName(Strict):
    name: Annotated[str, Field(min_length=1)]
    model: HubId
    checked: Annotated[str, Field(min_length=1)]
    quant: str | None = None
    note: str | None = None
    deprecated: _dt.date | str | None = None


class ProviderTable(Strict):
    provider: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    name: str
    prefixes: tuple[str, ...] = ()
    source: Annotated[str, Field(min_length=1)]
    names: tuple[ServingName, ...] = ()


@dataclass(frozen=True)
class Serving:
    """One serving name found: the table it came from, the row, and the table's file."""

    provider: str
    row: ServingName
    file: str

    def describe(self) -> str:
        return f"{self.file}: {self.provider} serves {self.row.name!r} as {self.row.model} ({self.row.checked})"


class Providers:
    def __init__(self, tables: tuple[ProviderTable, ...], files: dict[str, str] | None = None):
        self.tables = tables
        self._files = files or {}
        self._by_provider: dict[str, dict[str, ServingName]] = {}
        self._by_name: dict[str, list[Serving]] = {}
        self._prefixes: list[tuple[str, str]] = []
        for table in tables:
            rows = self._by_provider.setdefault(table.provider, {})
            for row in table.names:
                key = row.name.lower()
                if key in rows and rows[key].model != row.model:
                    raise KnowledgeBaseError(f"{table.provider}: {row.name!r} names both {rows[key].model} and "
                                             f"{row.model}", file=self._files.get(table.provider))
                rows[key] = row
                self._by_name.setdefault(key, []).append(Serving(table.provider, row, self.file_of(table.provider)))
            self._prefixes += [(p.lower(), table.provider) for p in table.prefixes]
        self._prefixes.sort(key=lambda item: -len(item[0]))  # the longest prefix wins

    def file_of(self, provider: str) -> str:
        return self._files.get(provider, f"licenses/providers/{provider}.yaml")

    def provider_for(self, reference: str) -> tuple[str, str] | None:
        """(provider, the name after its prefix) for a reference that starts with a table's prefix."""
        lowered = reference.lower()
        for prefix, provider in self._prefixes:
            if lowered.startswith(prefix) and len(reference) > len(prefix):
                return provider, reference[len(prefix):]
        return None

    def get(self, provider: str, name: str) -> Serving | None:
        row = self._by_provider.get(provider, {}).get(name.lower())
        return Serving(provider, row, self.file_of(provider)) if row else None

    def bare(self, name: str) -> list[Serving]:
        """Every table row with this serving name (all providers)."""
        return list(self._by_name.get(name.lower(), ()))

    def __len__(self) -> int:
        return sum(len(t.names) for t in self.tables)


def load(root: Path | None = None) -> Providers:
    root = root or licenses_dir()
    tables: list[ProviderTable] = []
    files: dict[str, str] = {}
    for path in sorted((root / "providers").glob("*.yaml")):
        text = read_text(path, what="provider table")
        table = validate(ProviderTable, parse_yaml(text, file=path) or {}, file=path, text=text, error=KnowledgeBaseError)
        name = f"licenses/providers/{path.name}"
        if table.provider in files:
            raise KnowledgeBaseError(f"provider {table.provider!r} is also in {files[table.provider]}", file=path)
        files[table.provider] = name
        tables.append(table)
    return Providers(tuple(tables), files)


@functools.cache
def default() -> Providers:
    """The embedded provider tables, loaded once per process (through the per-user cache, see kbcache)."""
    from . import kbcache

    root = licenses_dir()
    return kbcache.cached("providers", root, lambda: load(root), Providers)
