"""A model folder on disk (README.md, LICENSE*, USE_POLICY*, NOTICE) or a single card file.

The model's id is taken from the card's ``model_name`` when present, else from the folder: ``org__name`` (the
corpus and some mirrors), ``models--org--name`` (a Hugging Face cache entry), or the folder name itself.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .base import Snapshot, is_license_file, read_folder

WEIGHTS = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ggml")


def model_id_for(folder: Path) -> str:
    name = folder.name
    cache = re.fullmatch(r"models--([^-][\w.-]*?)--(.+)", name)
    if cache:
        return f"{cache.group(1)}/{cache.group(2)}"
    if folder.parent.name == "snapshots" and folder.parent.parent.name.startswith("models--"):
        return model_id_for(folder.parent.parent)
    if "__" in name:
        org, _, rest = name.partition("__")
        if org and rest:
            return f"{org}/{rest}"
    return name


def snapshot(path: Path) -> Snapshot:
    """Read a local folder or file. A weights file (GGUF, safetensors …) gives an empty snapshot: its origin cannot
    be known from the file alone."""
    path = path.expanduser()
    if not path.exists():
        raise InputError("no such file or folder", file=path)
    if path.is_dir():
        return read_folder(path, Snapshot(model=model_id_for(path.resolve()), revision=None, source="local"))
    if path.name.lower().endswith(WEIGHTS):
        return Snapshot(model=path.name, revision=None, source="local", siblings=None,
                        info={"weights_file": str(path)})
    folder = path.parent
    snap = Snapshot(model=model_id_for(folder.resolve()), revision=None, source="local")
    if is_license_file(path.name):
        read_folder(folder, snap)
        snap.card_text, snap.card_name = None, None
        snap.license_texts = {k: v for k, v in snap.license_texts.items() if k == path.name}
        return snap
    return read_folder(folder, snap, card=path)
