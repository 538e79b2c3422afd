"""A per-user cache of the validated knowledge base and catalog, so a pre-commit hook does not re-parse and
re-validate ~45 YAML records on every run (~150 ms saved; the cache loads in ~15 ms).

The cache file is keyed by a digest of every YAML file in ``licenses/``, ``licenses/catalog/`` and
``licenses/providers/``, the folder's path and the tool version:
any edit makes a new key. It lives in ``$COMPLIANCE_CACHE_DIR``, else ``$XDG_CACHE_HOME/compliance``, else
``~/.cache/compliance``; ``COMPLIANCE_NO_CACHE=1`` turns it off. An unreadable or unwritable cache is ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from . import __version__
from .resources import licenses_dir


DATA_FOLDERS = (".", "catalog", "providers")


def cache_dir() -> Path:
    if os.environ.get("COMPLIANCE_CACHE_DIR"):
        return Path(os.environ["COMPLIANCE_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "compliance"


def _digest(root: Path) -> str:
    h = hashlib.sha256(f"{__version__}\0{root.resolve()}\0".encode())
    for folder in DATA_FOLDERS:
        for path in sorted((root / folder).glob("*.yaml")):
            h.update(f"{folder}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def _fresh(root: Path):
    from . import catalog, knowledge, providers

    return knowledge.load(root), catalog.load(root=root), providers.load(root)


def load():
    """(KnowledgeBase, Catalog, Providers) for the embedded data, from the cache when it is current."""
    from . import catalog, knowledge, providers

    root = licenses_dir()
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return _fresh(root)
    try:
        path = cache_dir() / f"kb-{_digest(root)}.pickle"
    except (OSError, RuntimeError):  # no home folder to cache in (RuntimeError from Path.home())
        return _fresh(root)
    try:
        with path.open("rb") as handle:
            kb, cat, prov = pickle.load(handle)  # noqa: S301 - our own cache, keyed by the content it holds
        if (isinstance(kb, knowledge.KnowledgeBase) and isinstance(cat, catalog.Catalog)
                and isinstance(prov, providers.Providers)):
            return kb, cat, prov
    except Exception:  # noqa: BLE001 - a missing, stale or damaged cache is rebuilt
        pass
    kb, cat, prov = _fresh(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((kb, cat, prov), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("kb-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return kb, cat, prov
