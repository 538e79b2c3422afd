"""What the pre-commit hook needs, precomputed, so a warm run does one load and dictionary look-ups:

- a light index of the catalog (model ids, Ollama names, publishing organizations), so the matcher never loads
  the validated catalog, keyed by the knowledge base's digest;
- the verdicts: what the policy decided for every catalog id, alias and Ollama name (judged once, on the first
  full run) and for every other reference a run has judged, with the lock file's drift, keyed by the tool and
  Python version, the knowledge base, the policy (and what it extends), the date, the Hugging Face cache and
  Ollama's models, and the lock file.

Files live in the per-user cache folder (``resources.user_cache_dir()``) as ``marshal`` data behind the SHA-256 of
that data: a file whose digest does not match, or whose shape is not this format's, is ignored and rebuilt, never
trusted. ``COMPLIANCE_NO_CACHE=1`` turns the cache off. An unreadable or unwritable cache is ignored.
"""
from __future__ import annotations

import functools
import marshal
import os
import re
import sys
from pathlib import Path

from . import __version__
from .resources import hf_hub_cache_dir, licenses_dir, ollama_models_dir, user_cache_dir

try:  # the interpreter's own SHA-256 (hashlib would load OpenSSL: ~5 ms of a hook run); the same digests
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:
        from hashlib import sha256

FORMAT = 4  #: the layout of the cache files; part of every key, so another layout is never read


class CatalogIndex:
    __slots__ = ("ids", "ollama", "orgs")

    def __init__(self, ids: frozenset[str], ollama: frozenset[str], orgs: frozenset[str]):
        self.ids, self.ollama, self.orgs = ids, ollama, orgs

    def knows_ollama(self, name: str) -> bool:
        key = name.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
        if key in self.ollama:
            return True
        if ":" not in key and f"{key}:latest" in self.ollama:
            return True
        return key.endswith(":latest") and key.removesuffix(":latest") in self.ollama


def _stat_tree(folder: str, relative: str, out: list[str], suffix: str = "") -> None:
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        name = f"{relative}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _stat_tree(entry.path, name + "/", out, suffix)
        elif name.endswith(suffix):
            info = entry.stat()
            out.append(f"{name}\0{info.st_size}\0{info.st_mtime_ns}")


@functools.cache
def kb_digest() -> str:
    """A digest of every file under ``licenses/`` (path, size, modification time: the records, the catalog
    folder, fingerprints) and of the tool's own modules (an edited checkout judges anew), the folder's path, the
    tool version and the Python version: any edit or reinstall makes a new key, without reading the files."""
    root = licenses_dir()
    out = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}", str(FORMAT), str(root.resolve())]
    _stat_tree(str(root), "", out)
    _stat_tree(os.path.dirname(os.path.abspath(__file__)), "compliance/", out, ".py")
    return sha256("\0\0".join(out).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def cache_path(name: str) -> Path | None:
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    try:
        return user_cache_dir() / name
    except (OSError, RuntimeError):
        return None


def read_cache(path: Path | None):
    """The value stored at ``path``, or None when it is missing, unreadable or damaged (its digest differs)."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    digest, _, body = data.partition(b"\n")
    if sha256(body).hexdigest().encode() != digest:
        return None
    try:
        return marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None


def write_cache(path: Path | None, value, *, prune: str | None = None) -> None:
    """Store ``value`` (dicts, lists, strings, numbers) at ``path`` atomically; ``prune``: a glob of stale files
    of the same kind to remove."""
    if path is None:
        return
    import tempfile

    body = marshal.dumps(value)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hook-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if prune:
            for old in path.parent.glob(prune):
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError:
        pass


@functools.cache
def catalog_index() -> CatalogIndex:
    path = cache_path(f"index-{kb_digest()}.bin")
    data = read_cache(path)
    if not (isinstance(data, dict) and all(isinstance(data.get(k), list) for k in ("ids", "ollama", "orgs"))):
        from . import catalog

        cat = catalog.default()
        ids = sorted({key.lower() for e in cat for key in (e.id, *e.aliases, *e.legacy_ids)})
        data = {"ids": ids, "ollama": sorted({n.lower() for e in cat for n in e.ollama}),
                "orgs": sorted({e.id.split("/")[0].lower() for e in cat})}
        write_cache(path, data, prune="index-*")
    return CatalogIndex(frozenset(data["ids"]), frozenset(data["ollama"]), frozenset(data["orgs"]))


# --- the inputs of a verdict besides the reference ---------------------------------------------------------------

EXTENDS = re.compile(rb"(?m)^extends:[ \t]*[\"']?(?P<path>[^\"'#\n]+?)[\"']?[ \t]*(?:#.*)?$")


def policy_digest(path: Path) -> str:
    """A digest of the policy file's bytes and of every file it extends (followed the way the loader does)."""
    h = sha256()
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None and current not in seen and len(seen) < 20:
        seen.add(current)
        data = current.read_bytes()
        h.update(str(current.resolve()).encode() + b"\0" + data + b"\0")
        m = EXTENDS.search(data)
        current = (current.parent / m.group("path").decode().strip()) if m else None
    return h.hexdigest()[:24]


def lock_digest(lock_path: Path | None) -> str:
    """A digest of the lock file the run answers from ("" without one): a new lock makes a new key."""
    if lock_path is None:
        return ""
    return sha256(str(lock_path.resolve()).encode() + b"\0" + lock_path.read_bytes()).hexdigest()[:24]


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


def verdicts_path(policy_path: Path, date, lock_path: Path | None = None) -> Path | None:
    """The verdict file for these inputs (the knowledge base's digest carries the tool and Python versions)."""
    try:
        key = sha256("\0".join([kb_digest(), policy_digest(policy_path), date.isoformat(), environment(),
                                        lock_digest(lock_path)]).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    except OSError:
        return None
    return cache_path(f"verdicts-{key}.bin")


# --- verdicts ------------------------------------------------------------------------------------------------------


class Verdicts:
    """One verdict file: the policy's name and hash, its ``exclude:`` globs, the lock's report-level drift, and per
    reference key ``(verdict, from the lock, [(drift kind, message), ...])`` marshalled on its own (a run decodes
    only the entries its references need); ``catalog``: every catalog name is in it (precomputed)."""

    __slots__ = ("policy", "exclude", "drift", "entries", "catalog")

    def __init__(self, policy: dict, exclude: list, drift: list, entries: dict, catalog: bool = False):
        self.policy, self.exclude, self.drift, self.entries, self.catalog = policy, exclude, drift, entries, catalog

    def to_data(self) -> dict:
        return {"format": FORMAT, "policy": self.policy, "exclude": self.exclude, "drift": self.drift,
                "catalog": self.catalog, "entries": self.entries}

    def answer(self, files, date):
        """A ScanReport from the entries, or None when a reference is not in them (or cannot be cached)."""
        from .scan_report import Drift, PolicyInfo, ScanItem, ScanReport
        from .verdict import Verdict

        try:
            report = ScanReport(PolicyInfo(str(self.policy["name"]), str(self.policy["sha256"])), date, files)
            report.drift.extend(Drift(kind, message) for kind, message in self.drift)
            for result in files:
                for ref in result.references:
                    key = reference_key(ref)
                    entry = self.entries.get(key) if key is not None else None
                    if entry is None:
                        return None
                    verdict, from_lock, drift = marshal.loads(entry)
                    report.items.append(ScanItem(ref, Verdict.from_json(verdict), bool(from_lock)))
                    report.drift.extend(Drift(kind, message, ref) for kind, message in drift)
        except (KeyError, TypeError, ValueError, AttributeError, EOFError):  # a damaged entry: not trusted
            return None
        report.cached = True
        return report


def load(policy_path: Path, date, lock_path: Path | None = None) -> Verdicts | None:
    """The verdict file for these inputs, or None when there is none or it is damaged."""
    data = read_cache(verdicts_path(policy_path, date, lock_path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    try:
        found = Verdicts(dict(data["policy"]), [str(g) for g in data["exclude"]], list(data["drift"]),
                         data["entries"], bool(data["catalog"]))
    except (KeyError, TypeError, ValueError):
        return None
    return found if isinstance(found.entries, dict) else None


def answer(files, policy_path: Path, date, lock_path: Path | None = None):
    """A ScanReport answered from the cache, or None when any reference is not in it (or cannot be cached)."""
    found = load(policy_path, date, lock_path)
    return found.answer(files, date) if found is not None else None


def _entry(item, drift) -> bytes:
    return marshal.dumps((item.verdict.to_json(), item.from_lock, [(d.kind, d.message) for d in drift]))


def store(report, policy_path: Path, *, lock_path: Path | None = None, exclude=(), catalog=None) -> None:
    """Remember every verdict of a report judged in full, with its lock drift. ``catalog``: a function returning
    (ScanItem, drifts) for every catalog name, called once per verdict file, so that later runs answer any catalog
    model by a look-up."""
    path = verdicts_path(policy_path, report.date, lock_path)
    if path is None:
        return
    found = load(policy_path, report.date, lock_path) or Verdicts({}, [], [], {})
    found.policy = {"name": report.policy.name, "sha256": report.policy.sha256}
    found.exclude = [str(g) for g in exclude]
    found.drift = [(d.kind, d.message) for d in report.drift if d.reference is None]
    if catalog is not None and not found.catalog:
        for item, drift in catalog():
            key = reference_key(item.ref)
            if key is not None:
                found.entries[key] = _entry(item, drift)
        found.catalog = True
    for item in report.items:
        key = reference_key(item.ref)
        if key is not None:
            found.entries[key] = _entry(item, [d for d in report.drift if d.reference is item.ref])
    write_cache(path, found.to_data(), prune="verdicts-*")
