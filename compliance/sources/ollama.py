"""Ollama: library names and tags, and local manifests with their license layers.

Names map to the underlying model through the catalog (``licenses/models.yaml``). Local models live under
``OLLAMA_MODELS`` (default ``~/.ollama/models``): ``manifests/registry.ollama.ai/library/<name>/<tag>`` is a JSON
manifest whose ``application/vnd.ollama.image.license`` layers point to ``blobs/sha256-<hex>`` license texts.
A manifest often lists the same license twice; layers are deduplicated by digest.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..resources import ollama_models_dir
from ..errors import InputError
from ..yamlio import read_text

LICENSE_MEDIA_TYPE = "application/vnd.ollama.image.license"
MAX_MANIFEST_BYTES = 1_000_000


models_dir = ollama_models_dir


def split_name(name: str) -> tuple[str, str, str]:
    """``deepseek-r1:70b`` -> (registry.ollama.ai, library/deepseek-r1, 70b); ``hf.co/org/repo:Q4`` -> (hf.co, org/repo, Q4)."""
    base, _, tag = name.partition(":")
    tag = tag or "latest"
    parts = base.split("/")
    if parts[0] in ("hf.co", "huggingface.co") and len(parts) == 3:
        return "hf.co", "/".join(parts[1:]), tag
    if len(parts) == 1:
        return "registry.ollama.ai", f"library/{parts[0]}", tag
    if parts[0] == "registry.ollama.ai":
        parts = parts[1:]
    return "registry.ollama.ai", "/".join(parts), tag


@dataclass
class LicenseLayer:
    digest: str
    size: int | None
    text: str | None = None
    problem: str | None = None


@dataclass
class Manifest:
    name: str
    path: Path
    licenses: list[LicenseLayer] = field(default_factory=list)


def is_manifest(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("layers"), list) and "schemaVersion" in data


def read_manifest(path: Path, *, name: str | None = None, root: Path | None = None) -> Manifest:
    """Read a manifest file and the license layers it names (texts from ``root/blobs`` when present)."""
    try:
        data = json.loads(read_text(path, what="Ollama manifest", max_bytes=MAX_MANIFEST_BYTES))
    except json.JSONDecodeError as exc:
        raise InputError(f"Ollama manifest is not valid JSON: line {exc.lineno}: {exc.msg}", file=path) from None
    except RecursionError:
        raise InputError("Ollama manifest is not valid JSON: nested too deep", file=path) from None
    if not is_manifest(data):
        raise InputError("not an Ollama manifest (no schemaVersion and layers)", file=path)
    if root is None:  # <root>/manifests/<registry>/<namespace>/<name>/<tag>
        root = next((p.parent for p in path.resolve().parents if p.name == "manifests"), None)
    if name is None:
        parts = path.resolve().parts
        name = f"{parts[-2]}:{parts[-1].removesuffix('.json')}" if len(parts) >= 2 else path.stem
    manifest = Manifest(name=name, path=path)
    seen: set[str] = set()
    for layer in data["layers"]:
        if not isinstance(layer, dict) or layer.get("mediaType") != LICENSE_MEDIA_TYPE:
            continue
        digest = str(layer.get("digest", ""))
        if not digest or digest in seen:
            continue
        seen.add(digest)
        entry = LicenseLayer(digest=digest, size=layer.get("size") if isinstance(layer.get("size"), int) else None)
        blob = root / "blobs" / digest.replace(":", "-") if root else None
        if blob is not None and blob.is_file():
            try:
                entry.text = read_text(blob, what="license layer")
            except InputError as exc:
                entry.problem = exc.message
        else:
            entry.problem = "blob not present locally; identified by digest only"
        manifest.licenses.append(entry)
    return manifest


def local_manifest(name: str, root: Path | None = None) -> Manifest | None:
    """The local manifest for an Ollama name, or None when the model is not pulled here."""
    root = root or models_dir()
    registry, path, tag = split_name(name)
    candidate = root / "manifests" / registry / path / tag
    if not candidate.is_file():
        return None
    return read_manifest(candidate, name=f"{path.removeprefix('library/')}:{tag}", root=root)
