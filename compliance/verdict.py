"""A judged reference in the few fields scan output needs (decision, reason, licenses, the findings that are not
allowed), as plain data: the pre-commit hook can answer from a cache of these without importing the validated
models, and every scan format renders them the same way whether they were just computed or cached.

Plain classes with ``__slots__`` rather than dataclasses: the hook's fast path builds them, and each dataclass
costs its definition's code generation at import."""
from __future__ import annotations

from .decisions import SEVERITY


class VerdictFinding:
    __slots__ = ("rule", "decision", "message")

    def __init__(self, rule: str, decision: str, message: str):
        self.rule, self.decision, self.message = rule, decision, message

    def _key(self) -> tuple[str, str, str]:
        return self.rule, self.decision, self.message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VerdictFinding) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"VerdictFinding(rule={self.rule!r}, decision={self.decision!r}, message={self.message!r})"


class Verdict:
    __slots__ = ("model", "decision", "main_reason", "licenses", "findings")

    def __init__(self, model: str, decision: str, main_reason: str, licenses: list[str] | None = None,
                 findings: list[VerdictFinding] | None = None):
        self.model, self.decision, self.main_reason = model, decision, main_reason
        self.licenses = licenses if licenses is not None else []
        self.findings = findings if findings is not None else []  # live (not waived), review or deny

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verdict) and self.to_json() == other.to_json()

    __hash__ = None  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return (f"Verdict(model={self.model!r}, decision={self.decision!r}, main_reason={self.main_reason!r}, "
                f"licenses={self.licenses!r}, findings={self.findings!r})")

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

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "decision": self.decision, "main_reason": self.main_reason,
                "licenses": self.licenses, "findings": [[f.rule, f.decision, f.message] for f in self.findings]}

    @classmethod
    def from_json(cls, data: dict) -> Verdict:
        return cls(data["model"], data["decision"], data["main_reason"], list(data["licenses"]),
                   [VerdictFinding(*f) for f in data["findings"]])
