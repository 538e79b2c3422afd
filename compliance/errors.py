"""Errors that end a command, and the exit codes every command shares.

"Could not determine" is a result (a finding), never an exception: these classes are only for input the
tool cannot use at all. The CLI prints one line per error and maps it to an exit code.
"""
from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes. Public interface: CI pipelines and hooks branch on these."""

    OK = 0  #: nothing violates the policy (or the command had nothing to judge)
    VIOLATION = 1  #: at least one model is denied (or reviewed, with ``--fail-on review``)
    INPUT = 2  #: usage error or unusable input: bad file, malformed policy, unknown model, unreachable Hub
    INTERNAL = 3  #: a bug in this tool


class ComplianceError(Exception):
    """Unusable input. ``str(err)`` is one line naming the file (and line, where known) and the problem."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(ComplianceError):
    """A file or argument the tool cannot use."""


class PolicyError(ComplianceError):
    """A policy file that does not validate."""


class KnowledgeBaseError(ComplianceError):
    """The embedded knowledge base is inconsistent: a packaging or editing mistake, not user input."""

    exit_code = ExitCode.INTERNAL


class ResolveError(ComplianceError):
    """A model reference that cannot be resolved from any allowed source."""


class NetworkError(ComplianceError):
    """The Hugging Face Hub (or another remote) could not be reached or refused the request."""
