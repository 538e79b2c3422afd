"""A scan's result: every file looked at, every reference judged, datasets, drift. Plain data, light to import
(the pre-commit hook renders it without the validated models)."""
from __future__ import annotations

import datetime as _dt
from .plain import dataclass, field  # not dataclasses: the hook path stays free of inspect

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


NOT_EVALUATED = "not evaluated"


@dataclass(frozen=True)
class DatasetLicense:
    """A dataset's license as far as it is known. ``status``: ``not evaluated`` (offline: the default),
    ``identified`` (every license the card declares is in the knowledge base), ``unknown`` (the card declares
    none, or one the knowledge base does not identify), ``unavailable`` (gated, not found, the Hub unreachable).
    ``categories`` say what kind of terms apply (``non-commercial``, ``research-only``, ``share-alike``,
    ``copyleft``, ``network-copyleft``, ``no-derivatives``, ``public-domain``, or the license's kind such as
    ``permissive``; ``unknown`` whenever anything is). Only ``identified`` with no restricting category is free
    of conditions worth a look: nothing here is ever "allowed"."""

    dataset: str
    status: str = NOT_EVALUATED
    licenses: tuple[str, ...] = ()  # knowledge-base ids
    declared: tuple[str, ...] = ()  # what the card says (license values, license_name)
    categories: tuple[str, ...] = ()
    reason: str | None = None  # why unknown or unavailable; for identified: where it was read
    revision: str | None = None

    def label(self) -> str:
        """``cc-by-nc-4.0 (non-commercial)``, ``unknown: …``, ``license not evaluated``."""
        if self.status == NOT_EVALUATED:
            return "license not evaluated"
        if self.status == "unavailable":
            return f"license unavailable: {self.reason}"
        if self.status == "unknown":
            known = f" (identified so far: {', '.join(self.licenses)})" if self.licenses else ""
            return f"license unknown: {self.reason}{known}"
        return f"{' AND '.join(self.licenses)} ({', '.join(self.categories)})"

    def as_json(self) -> dict:
        """The JSON keys of a dataset's license: offline only ``license`` (null) and ``license_status``."""
        if self.status == NOT_EVALUATED:
            return {"license": None, "license_status": NOT_EVALUATED}
        return {"license": " AND ".join(self.licenses) if self.status == "identified" else None,
                "license_status": self.status, "licenses": list(self.licenses), "declared": list(self.declared),
                "categories": list(self.categories), "license_reason": self.reason, "revision": self.revision}


@dataclass
class ScanReport:
    policy: object  # LoadedPolicy or PolicyInfo: .name, .sha256
    date: _dt.date
    files: list[FileResult]
    items: list[ScanItem] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    unmatched_waivers: list[ScanItem] = field(default_factory=list)
    cached: bool = False  # answered from the hook cache
    dataset_licenses: dict[str, DatasetLicense] = field(default_factory=dict)  # by dataset id, when looked up online

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

    def dataset_license(self, dataset: str) -> DatasetLicense:
        return self.dataset_licenses.get(dataset) or DatasetLicense(dataset)

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
