"""A per-user cache of the validated knowledge base and catalog, so a pre-commit hook does not re-parse and
re-validate ~45 YAML records on every run (~150 ms saved; the cache loads in ~15 ms).

The cache is generic: :func:`cached` takes a name and the function that builds the value, and knows nothing of
what it stores, so it sits below both loaders (``knowledge.default()`` and ``catalog.default()`` call it; it
imports neither). Each cache file is keyed by a digest of every YAML file in ``licenses/``, ``licenses/catalog/`` and
``licenses/providers/``, the folder's path and
the tool version: any edit makes a new key. It lives in ``$COMPLIANCE_CACHE_DIR``, else
``$XDG_CACHE_HOME/compliance``, else ``~/.cache/compliance``; ``COMPLIANCE_NO_CACHE=1`` turns it off. An
unreadable or unwritable cache is ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from . import __version__
from .resources import user_cache_dir

T = TypeVar("T")


DATA_FOLDERS = (".", "catalog", "providers")


cache_dir = user_cache_dir


def _digest(root: Path) -> str:
    h = hashlib.sha256(f"{__version__}\0{root.resolve()}\0".encode())
    for folder in DATA_FOLDERS:
        for path in sorted((root / folder).glob("*.yaml")):
            h.update(f"{folder}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def cached(name: str, root: Path, build: Callable[[], T], kind: type) -> T:
    """``build()``'s value, from the cache file ``<name>-<digest of root>.pickle`` when it is current and holds
    a ``kind``; else built, stored (best effort) and returned. Stale files of the same name are removed."""
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return build()
    try:
        path = cache_dir() / f"{name}-{_digest(root)}.pickle"
    except (OSError, RuntimeError):  # no home folder to cache in (RuntimeError from Path.home())
        return build()
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)  # noqa: S301 - our own cache, keyed by the content it holds
        if isinstance(value, kind):
            return value
    except Exception:  # noqa: BLE001 - a missing, stale or damaged cache is rebuilt
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
