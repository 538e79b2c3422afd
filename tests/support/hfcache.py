"""Build a Hugging Face cache entry by hand, exactly as the client lays it out (refs, blobs, snapshot symlinks)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def add_to_cache(cache: Path, repo_id: str, files: dict[str, str | bytes], *,
                 commit: str = "a" * 40, ref: str = "main") -> Path:
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "blobs").mkdir(exist_ok=True)
    snap = repo / "snapshots" / commit
    snap.mkdir(parents=True, exist_ok=True)
    (repo / "refs" / ref).write_text(commit)
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        etag = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        (repo / "blobs" / etag).write_bytes(data)
        link = snap / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(os.path.relpath(repo / "blobs" / etag, link.parent))
    return snap


def card(**meta: object) -> str:
    import yaml

    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n# Model\n\nA model card written for the tests.\n"


def empty_cache(tmp_path: Path, monkeypatch) -> Path:
    """An empty Hugging Face hub cache under ``tmp_path`` as the one the tool reads (online allowed, no Ollama
    models): what tests that fill a cache start from."""
    root = tmp_path / "hf" / "hub"
    root.mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "ollama-empty"))
    return root
