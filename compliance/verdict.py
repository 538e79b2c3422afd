"""A judged reference in the few fields scan output needs (decision, reason, licenses, the findings that are not
allowed), as plain data: the pre-commit hook can answer from a cache of these without importing the validated
models, and every scan format renders them the same way whether they were just computed or cached."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .decisions import SEVERITY


@dataclass(frozen=True)
class VerdictFinding:
    rule: str
    decision: str
    message: str


@dataclass
class Verdict:
    model: str
    decision: str
    main_reason: str
    licenses: list[str] = field(default_factory=list)
    findings: list[VerdictFinding] = field(default_factory=list)  # live (not waived), review or deny

    @property
    def main(self) -> VerdictFinding | None:
        """The most severe live finding (the first of equals, as evaluate orders them)."""
        if not self.findings:
            return None
        return max(self.findings, key=lambda f: (SEVERITY[f.decision], -self.findings.index(f)))

    @classmethod
    def of(cls, assessment) -> Verdict:
        live = [VerdictFinding(f.rule, f.decision, f.message) for f in assessment.findings
                if not f.waived and f.decision != "allow"]
        return cls(assessment.model, assessment.decision, assessment.main_reason,
                   list(assessment.subject.effective_licenses()), live)

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "decision": self.decision, "main_reason": self.main_reason,
                "licenses": self.licenses, "findings": [[f.rule, f.decision, f.message] for f in self.findings]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        return cls(data["model"], data["decision"], data["main_reason"], list(data["licenses"]),
                   [VerdictFinding(*f) for f in data["findings"]])
