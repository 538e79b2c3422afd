"""The Python API behind ``compliance/__init__.py``: the pipeline as plain functions with typed results, for teams
that embed the checker in a service. Each function is what one command does, without printing or exiting.

    import compliance

    policy = compliance.load_policy("policy.yaml")
    result = compliance.check(["meta-llama/Llama-4-Scout-17B-16E-Instruct", "Qwen/Qwen3-8B"], policy)
    result.decision            # "deny" | "review" | "allow"
    result.exit_code           # what `compliance check` would exit with
    for a in result.assessments:
        a.model, a.decision, a.main_reason, [f.rule for f in a.findings], a.obligations

Unusable input raises :class:`compliance.ComplianceError` (one line naming the file and problem), except in
:func:`check`, where a reference that cannot be resolved is collected in ``CheckResult.errors`` and the others
are still judged. Nothing here touches the network unless ``online=True``.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .decisions import exit_code, worst
from .errors import ComplianceError, ExitCode

if TYPE_CHECKING:
    from .evaluate import Assessment
    from .gate import ScanReport
    from .identify import Identification
    from .knowledge import KnowledgeBase
    from .model import Resolved
    from .policy import LoadedPolicy
    from .resolve import Resolver


def load_knowledge_base() -> KnowledgeBase:
    """The embedded knowledge base (license records, publishers), loaded once per process."""
    from . import knowledge

    return knowledge.default()


def make_resolver(*, online: bool = False) -> Resolver:
    """A resolver with its own record cache: reuse it to resolve many references (cache, Hub if online, catalog)."""
    from .resolve import Options, Resolver

    return Resolver(Options(online=online))


def resolve(reference: str, *, online: bool = False, resolver: Resolver | None = None) -> Resolved:
    """A model reference (``org/name[@rev]``, Hub URL, Ollama tag, gateway name, local folder) resolved to its
    record and lineage. Raises ResolveError (a ComplianceError) when no allowed source knows it."""
    return (resolver or make_resolver(online=online)).resolve(reference)


def identify(path: str | Path) -> Identification:
    """Which known license a file is: ``.id``, ``.role``, ``.confidence``, ``.matched_by``, ``.error`` (a file that
    cannot be read is reported in ``.error``, not raised)."""
    from .identify import identify_file

    return identify_file(Path(path))


def identify_text(text: str, *, name: str | None = None) -> Identification:
    """:func:`identify` for text already in memory."""
    from .identify import identify_text as _identify_text

    return _identify_text(text, load_knowledge_base(), file=name)


def load_policy(path: str | Path, *, overrides: Mapping[str, Any] | None = None) -> LoadedPolicy:
    """A validated policy (``extends`` merged); ``overrides`` replace organization fields for this run
    (``{"monthly_active_users": 800_000_000, "domicile": "DE"}``), validated like the file."""
    from .policy import apply_overrides
    from .policy import load_policy as _load_policy

    loaded = _load_policy(path)
    return apply_overrides(loaded, dict(overrides)) if overrides else loaded


def evaluate(resolved: Resolved, policy: LoadedPolicy, *, date: _dt.date | None = None) -> Assessment:
    """One resolved model judged under ``policy`` as of ``date`` (default today, UTC): ``.decision``, ``.findings``
    (each with its rule, decision and the clauses behind it), ``.obligations``, ``.main_reason``."""
    from .evaluate import evaluate as _evaluate

    return _evaluate(resolved, policy, load_knowledge_base(), today=date or _today())


@dataclass
class CheckResult:
    """What ``compliance check`` decides, as data."""

    assessments: list[Assessment]
    errors: list[ComplianceError] = field(default_factory=list)  #: references that could not be used
    fail_on: str = "deny"

    @property
    def decision(self) -> str:
        """The worst decision; "deny" when a reference could not be used (unknown is never allowed)."""
        return "deny" if self.errors else worst(a.decision for a in self.assessments)

    @property
    def exit_code(self) -> ExitCode:
        if self.errors:
            return ExitCode.INPUT
        return exit_code([a.decision for a in self.assessments], self.fail_on)


def check(references: Iterable[str], policy: LoadedPolicy | str | Path, *, date: _dt.date | None = None,
          online: bool = False, fail_on: str = "deny") -> CheckResult:
    """Resolve and judge each reference; one that cannot be resolved is collected in ``errors``, the others are
    still judged."""
    loaded = policy if not isinstance(policy, (str, Path)) else load_policy(policy)
    resolver = make_resolver(online=online)
    assessments, errors = [], []
    for reference in references:
        try:
            assessments.append(evaluate(resolver.resolve(reference), loaded, date=date))
        except ComplianceError as exc:
            errors.append(exc)
    return CheckResult(assessments, errors, fail_on)


def scan(paths: Iterable[str | Path], policy: LoadedPolicy | str | Path, *, date: _dt.date | None = None,
         root: str | Path | None = None, lock: str | Path | None = None, online: bool = False) -> ScanReport:
    """What ``compliance scan`` finds under ``paths``: ``.items`` (each reference with its file, line and
    assessment), ``.files``, ``.drift`` against ``lock``, and ``.decision``."""
    from .gate import Gate
    from .lock import read_lock

    loaded = policy if not isinstance(policy, (str, Path)) else load_policy(policy)
    gate = Gate(loaded, today=date or _today(), online=online, lock=read_lock(Path(lock)) if lock else None)
    return gate.run([str(p) for p in paths], root=Path(root) if root is not None else Path.cwd())


def _today() -> _dt.date:
    return _dt.datetime.now(_dt.timezone.utc).date()
