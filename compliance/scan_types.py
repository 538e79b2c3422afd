"""What a scan finds: model and dataset references, inline waivers, and the result for one file."""
from __future__ import annotations

from .plain import dataclass, field  # not dataclasses: the hook path stays free of inspect


@dataclass(frozen=True)
class InlineWaiver:
    model: str
    ticket: str | None
    line: int


@dataclass
class ModelReference:
    """One place a model (or a dataset) is named. ``model`` is what to resolve (variables expanded, quotes
    stripped); ``text`` is what the file says there."""

    file: str
    line: int
    column: int
    text: str
    model: str
    how: str
    waiver: InlineWaiver | None = None
    license_text: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class FileResult:
    path: str
    references: list[ModelReference] = field(default_factory=list)
    skipped: str | None = None
    datasets: list[ModelReference] = field(default_factory=list)
    # how the file was read when it was not plain UTF-8 ("utf-16", "utf-8-sig", "scanned in parts: ...")
    note: str | None = None
    # skipped on purpose (the policy or lock file), not a file the scan could not read
    ignored: bool = False
    # scanned, but part of it was not examined (a crafted or generated line): counted with the skipped files
    partial: str | None = None
