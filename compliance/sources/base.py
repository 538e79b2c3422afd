"""The one small interface every file-based source returns: a :class:`Snapshot` of a model's card and license
files at a revision. Building a record from it is the same for a local folder, the cache and the Hub."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..yamlio import read_text

LICENSE_FILE = re.compile(
    r"^(?:licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]use[_-]policy|model[_-]licen[cs]e)(?:[-_.][\w.-]*)?$"
    r"|^[\w.-]*[-_ ]licen[cs]e(?:[-_.][\w.-]*)?$|^[\w.-]*licen[cs]e[\w.-]*\.(?:txt|md)$",
    re.IGNORECASE,
)
CARD_FILES = ("README.md", "readme.md", "README.MD", "MODEL_CARD.md", "model_card.md", "MODELCARD.md")
MAX_CARD_BYTES = 5_000_000
MAX_LICENSE_BYTES = 2_000_000


def is_license_file(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return bool(LICENSE_FILE.match(base)) and not base.lower().endswith((".py", ".json", ".yaml", ".yml", ".gguf"))


@dataclass
class Snapshot:
    """A model's card and license files as one source holds them.

    ``license_texts`` maps file names to text; ``siblings`` lists every file name the source knows (to check a
    relative ``license_link``), or is None when the listing is unknown; ``problems`` are files that could not be
    read (they become findings, not errors)."""

    model: str
    revision: str | None
    source: str
    card_text: str | None = None
    card_name: str | None = None
    license_texts: dict[str, str] = field(default_factory=dict)
    siblings: list[str] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_folder(folder: Path, snapshot: Snapshot, *, card: Path | None = None) -> Snapshot:
    """Fill ``snapshot`` from a folder: the card (``card`` or README.md / MODEL_CARD.md) and its license files."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() or p.is_symlink())
    snapshot.siblings = names
    if card is None:
        card = next((folder / n for n in CARD_FILES if (folder / n).is_file()), None)
    if card is not None:
        snapshot.card_text = read_text(card, what="model card", max_bytes=MAX_CARD_BYTES)
        snapshot.card_name = card.name
    for name in names:
        if is_license_file(name):
            try:
                snapshot.license_texts[name] = read_text(folder / name, what="license file", max_bytes=MAX_LICENSE_BYTES)
            except InputError as exc:
                snapshot.problems.append(f"{name}: {exc.message}")
    return snapshot
