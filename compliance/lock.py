"""The lock file: every model a repository references, resolved and judged, pinned for offline answers.

``compliance.lock`` is JSON, sorted and indented, with no timestamps: the same inputs write the same bytes.
Each entry keeps the resolved record (so a later run can answer offline exactly as at lock time), its
revision, the SHA-256 of every license text read, and the decision under the policy whose hash is recorded.
Drift is what changed since: a revision or license text, the policy, or a reference the lock does not know.
Writes are atomic: a temporary file in the same folder, then a rename.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .fileio import atomic_write
from .model import Resolved
from .yamlio import read_text

LOCK_VERSION = 1
DEFAULT_NAME = "compliance.lock"


@dataclass
class LockEntry:
    reference: str
    model: str
    revision: str | None
    licenses: list[str]
    license_files: dict[str, str]
    decision: str
    locations: list[str]
    resolved: Resolved

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "model": self.model,
            "revision": self.revision,
            "licenses": self.licenses,
            "license_files": dict(sorted(self.license_files.items())),
            "decision": self.decision,
            "locations": sorted(self.locations),
            "resolved": self.resolved.model_dump(mode="json", exclude_defaults=True),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LockEntry:
        return cls(data["reference"], data["model"], data.get("revision"), list(data.get("licenses", [])),
                   dict(data.get("license_files", {})), data["decision"], list(data.get("locations", [])),
                   Resolved.model_validate(data["resolved"]))


@dataclass
class Lock:
    policy_name: str
    policy_sha256: str
    knowledge_base: str
    entries: dict[str, LockEntry]

    def get(self, reference: str) -> LockEntry | None:
        return self.entries.get(reference)

    def to_json(self) -> dict[str, Any]:
        return {
            "lock_version": LOCK_VERSION,
            "generated_by": "compliance lock",
            "policy": {"name": self.policy_name, "sha256": self.policy_sha256},
            "knowledge_base": self.knowledge_base,
            "models": [self.entries[k].to_json() for k in sorted(self.entries)],
        }


def entry_for(reference: str, resolved: Resolved, decision: str, locations: list[str]) -> LockEntry:
    record = resolved.record
    return LockEntry(reference=reference, model=record.model, revision=record.revision,
                     licenses=list(resolved.effective_licenses()),
                     license_files={lf.name: lf.sha256 for lf in record.license_files},
                     decision=decision, locations=locations, resolved=resolved)


def write_lock(lock: Lock, path: Path) -> None:
    text = json.dumps(lock.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(path, text)  # text: a file name that is not UTF-8 is written as U+FFFD, not a crash


def read_lock(path: Path) -> Lock:
    text = read_text(path, what="lock file", max_bytes=50_000_000)
    try:
        data = json.loads(text)
        if data.get("lock_version") != LOCK_VERSION:
            raise InputError(f"lock_version {data.get('lock_version')!r} is not {LOCK_VERSION}; run compliance lock again",
                             file=path)
        entries = {e["reference"]: LockEntry.from_json(e) for e in data["models"]}
        return Lock(data["policy"]["name"], data["policy"]["sha256"], data.get("knowledge_base", ""), entries)
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InputError(f"not a valid lock file ({type(exc).__name__}: {exc}); run compliance lock again",
                         file=path) from None
