"""Decisions and exit codes, in one place: how severe each decision is, the worst of several, and the exit code
a command ends with. Imports nothing heavy: the pre-commit hook path uses it."""
from __future__ import annotations

from collections.abc import Iterable

from .errors import ExitCode

SEVERITY = {"allow": 0, "review": 1, "deny": 2}
DECISIONS = tuple(SEVERITY)
FAIL_ON = ("deny", "review")  #: what ``--fail-on`` accepts (``report`` adds "never")


def worst(decisions: Iterable[str]) -> str:
    """The most severe decision; allow when there is none."""
    level = max((SEVERITY[d] for d in decisions), default=0)
    return DECISIONS[level]


def exit_code(decisions: Iterable[str], fail_on: str = "deny", *, drift: bool = False) -> ExitCode:
    """VIOLATION when a decision is at least as severe as ``fail_on`` ("deny", "review"; "never" fails nothing)
    or when ``drift`` is true (the caller asked to fail on lock drift); else OK."""
    if fail_on != "never":
        if fail_on not in SEVERITY:
            raise ValueError(f"fail_on must be deny, review or never, not {fail_on!r}")
        if any(SEVERITY[d] >= SEVERITY[fail_on] for d in decisions):
            return ExitCode.VIOLATION
    return ExitCode.VIOLATION if drift else ExitCode.OK
