"""What the pre-commit hook needs, precomputed: a light index of the catalog (model ids, Ollama names, publishing
organizations) so the matcher never loads the validated catalog, keyed by the knowledge base's digest.

Stored as JSON next to the knowledge-base cache (``kbcache.cache_dir()``); ``COMPLIANCE_NO_CACHE=1`` turns it
off. An unreadable or unwritable cache is ignored.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .resources import licenses_dir


@dataclass(frozen=True)
class CatalogIndex:
    ids: frozenset[str]
    ollama: frozenset[str]
    orgs: frozenset[str]

    def knows_ollama(self, name: str) -> bool:
        key = name.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
        if key in self.ollama:
            return True
        if ":" not in key and f"{key}:latest" in self.ollama:
            return True
        return key.endswith(":latest") and key.removesuffix(":latest") in self.ollama


@functools.cache
def kb_digest() -> str:
    """A digest of every file in ``licenses/``, the folder's path and the tool version."""
    root = licenses_dir()
    h = hashlib.sha256(f"{__version__}\0{root.resolve()}\0".encode())
    for path in sorted(root.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def cache_path(name: str) -> Path | None:
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    try:
        from .kbcache import cache_dir

        return cache_dir() / name
    except (OSError, RuntimeError):
        return None


def read_json(path: Path | None):
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None


def write_json(path: Path | None, data, *, prune: str | None = None) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hook-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, sort_keys=True)
        os.replace(tmp, path)
        if prune:
            for old in path.parent.glob(prune):
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError:
        pass


@functools.cache
def catalog_index() -> CatalogIndex:
    path = cache_path(f"index-{kb_digest()}.json")
    data = read_json(path)
    if not (isinstance(data, dict) and {"ids", "ollama", "orgs"} <= data.keys()):
        from . import catalog

        cat = catalog.default()
        ids = sorted({key.lower() for e in cat for key in (e.id, *e.aliases)})
        data = {"ids": ids, "ollama": sorted({n.lower() for e in cat for n in e.ollama}),
                "orgs": sorted({e.id.split("/")[0].lower() for e in cat})}
        write_json(path, data, prune="index-*.json")
    return CatalogIndex(frozenset(data["ids"]), frozenset(data["ollama"]), frozenset(data["orgs"]))
