"""The Hugging Face cache, read offline straight from its documented layout (no huggingface_hub import: the
pre-commit path stays fast). Honours ``HF_HUB_CACHE``, ``HF_HOME`` (``$HF_HOME/hub``) and the default
``~/.cache/huggingface/hub``.

    models--org--name/refs/main              the commit a branch points to
    models--org--name/snapshots/<commit>/…   the files at that commit (symlinks into blobs/)
"""
from __future__ import annotations

import re
from pathlib import Path

from ..resources import hf_hub_cache_dir
from .base import Snapshot, read_folder

COMMIT = re.compile(r"^[0-9a-f]{40}$")


cache_dir = hf_hub_cache_dir


def _repo_dir(root: Path, model_id: str) -> Path | None:
    exact = root / ("models--" + model_id.replace("/", "--"))
    if exact.is_dir():
        return exact
    wanted = exact.name.lower()
    try:
        for entry in root.iterdir():
            if entry.name.lower() == wanted and entry.is_dir():
                return entry
    except OSError:
        return None
    return None


def snapshot(model_id: str, revision: str | None = None, *, root: Path | None = None) -> Snapshot | None:
    """The cached snapshot of ``model_id`` at ``revision`` (a branch, tag or commit; default ``main``), or None."""
    root = root or cache_dir()
    repo = _repo_dir(root, model_id)
    if repo is None:
        return None
    commit = None
    wanted = revision or "main"
    if COMMIT.match(wanted) and (repo / "snapshots" / wanted).is_dir():
        commit = wanted
    else:
        ref = repo / "refs" / wanted
        if ref.is_file():
            commit = ref.read_text(encoding="utf-8").strip()
        elif revision is None:
            snapshots = sorted((repo / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime) if (repo / "snapshots").is_dir() else []
            commit = snapshots[-1].name if snapshots else None
    if not commit or not (repo / "snapshots" / commit).is_dir():
        return None
    real_id = repo.name.removeprefix("models--").replace("--", "/", 1)
    snap = read_folder(repo / "snapshots" / commit, Snapshot(model=real_id, revision=commit, source="cache"))
    snap.siblings = None  # the cache holds only the files someone downloaded: not the repository's listing
    return snap
