"""A scan's result: every file looked at, every reference judged, datasets, drift. Plain data, light to import
(the pre-commit hook renders it without the validated models)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .decisions import worst
from .scan_types import FileResult, ModelReference
from .verdict import Verdict


@dataclass
class Drift:
    kind: str  # not-locked | revision | license-text | policy | unresolved
    message: str
    reference: ModelReference | None = None


@dataclass
class ScanItem:
    ref: ModelReference
    verdict: Verdict
    from_lock: bool = False
    waiver_note: str | None = None
    assessment: object | None = None  # the full Assessment when judged in this process (lock needs it)


@dataclass(frozen=True)
class PolicyInfo:
    """What output needs of the policy: its name and the hash of what was evaluated."""

    name: str
    sha256: str


@dataclass
class ScanReport:
    policy: object  # LoadedPolicy or PolicyInfo: .name, .sha256
    date: _dt.date
    files: list[FileResult]
    items: list[ScanItem] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    unmatched_waivers: list[ScanItem] = field(default_factory=list)
    cached: bool = False  # answered from the hook cache

    @property
    def decision(self) -> str:
        return worst(i.verdict.decision for i in self.items)

    @property
    def skipped(self) -> list[FileResult]:
        """Files not (fully) scanned because of what they are: too large, binary, unreadable, not a regular file,
        or with a line too crowded to examine. The policy and lock files, skipped on purpose, are not here."""
        return [f for f in self.files if (f.skipped and not f.ignored) or f.partial]

    @property
    def datasets(self) -> list[ModelReference]:
        return [d for f in self.files for d in f.datasets]

    @property
    def files_scanned(self) -> int:
        """Files looked at (the policy and lock files, skipped on purpose, are not counted)."""
        return sum(1 for f in self.files if not f.ignored)

    @property
    def files_with_references(self) -> int:
        return sum(1 for f in self.files if f.references)

    def by_model(self) -> dict[str, list[ScanItem]]:
        groups: dict[str, list[ScanItem]] = {}
        for item in self.items:
            groups.setdefault(item.ref.model, []).append(item)
        return groups
