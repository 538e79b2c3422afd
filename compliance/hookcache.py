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
import re
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .resources import hf_hub_cache_dir, licenses_dir, ollama_models_dir, user_cache_dir


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
    """A digest of every file under ``licenses/`` (path, size, modification time: the records, the catalog
    folder, fingerprints), the folder's path and the tool version: any edit or reinstall makes a new key,
    without reading the files on every hook run."""
    root = licenses_dir()
    h = hashlib.sha256(f"{__version__}\0{root.resolve()}\0".encode())
    for folder, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            info = os.stat(os.path.join(folder, name))
            h.update(f"{os.path.relpath(os.path.join(folder, name), root)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return h.hexdigest()[:24]


def cache_path(name: str) -> Path | None:
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    try:
        return user_cache_dir() / name
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
    import tempfile

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


# --- verdicts: what the policy decided for each model, for a repeat run with the same inputs --------------------

EXTENDS = re.compile(rb"(?m)^extends:[ \t]*[\"']?(?P<path>[^\"'#\n]+?)[\"']?[ \t]*(?:#.*)?$")


def policy_digest(path: Path) -> str:
    """A digest of the policy file's bytes and of every file it extends (followed the way the loader does)."""
    h = hashlib.sha256()
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None and current not in seen and len(seen) < 20:
        seen.add(current)
        data = current.read_bytes()
        h.update(str(current.resolve()).encode() + b"\0" + data + b"\0")
        m = EXTENDS.search(data)
        current = (current.parent / m.group("path").decode().strip()) if m else None
    return h.hexdigest()[:24]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


hf_dir = hf_hub_cache_dir  # the sources' locations, without importing the sources (they load pydantic models)
ollama_dir = ollama_models_dir


def environment() -> str:
    """What offline resolution reads besides the knowledge base: the Hugging Face cache and Ollama's models."""
    hf, ollama = hf_dir(), ollama_dir()
    return "\0".join([str(hf), str(_mtime(hf)), str(ollama), str(_mtime(ollama / "manifests")),
                      os.environ.get("HF_HUB_OFFLINE", "")])


def reference_key(ref) -> str | None:
    """The cache key of one reference, or None when its answer depends on more than its text (a local folder or
    file that exists: its contents decide)."""
    model = ref.model
    if model.startswith(("/", "./", "../", "~")) or model.lower().endswith((".gguf", ".safetensors", ".bin")):
        base = Path(ref.file).parent
        target = Path(model).expanduser() if model.startswith(("/", "~")) else base / model
        if os.path.lexists(target):
            return None
        return f"path\0{model}\0{ref.license_text or ''}"
    key = f"{model}\0{ref.license_text or ''}"
    if "/" in model and ":" not in model:
        key += f"\0{_mtime(hf_dir() / ('models--' + model.replace('/', '--')))}"
    return key


def _verdicts_path(policy_path: Path, date) -> Path | None:
    try:
        key = hashlib.sha256("\0".join([__version__, kb_digest(), policy_digest(policy_path), date.isoformat(),
                                        environment()]).encode()).hexdigest()[:24]
    except OSError:
        return None
    return cache_path(f"verdicts-{key}.json")


def answer(files, policy_path: Path, date):
    """A ScanReport answered from the cache, or None when any reference is not in it (or cannot be cached)."""
    from .scan_report import PolicyInfo, ScanItem, ScanReport
    from .verdict import Verdict

    path = _verdicts_path(policy_path, date)
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("verdicts"), dict):
        return None
    verdicts = data["verdicts"]
    items = []
    for result in files:
        for ref in result.references:
            key = reference_key(ref)
            if key is None or key not in verdicts:
                return None
            items.append(ScanItem(ref, Verdict.from_json(verdicts[key])))
    report = ScanReport(PolicyInfo(data["policy"]["name"], data["policy"]["sha256"]), date, files, items)
    report.cached = True
    return report


def store(report, policy_path: Path) -> None:
    """Remember every verdict of a report judged in full (not those answered from a lock file)."""
    path = _verdicts_path(policy_path, report.date)
    if path is None:
        return
    data = read_json(path)
    verdicts = data.get("verdicts", {}) if isinstance(data, dict) else {}
    for item in report.items:
        key = reference_key(item.ref)
        if key is not None and not item.from_lock:
            verdicts[key] = item.verdict.to_json()
    write_json(path, {"policy": {"name": report.policy.name, "sha256": report.policy.sha256}, "verdicts": verdicts},
               prune="verdicts-*.json")
