"""The pre-commit hook's fast path: ``compliance scan`` answered from the precomputed verdicts (``hookcache``)
without importing click, yaml, the validated models (pydantic), the resolver or the knowledge base.

:func:`fast_scan` understands exactly the invocations a hook or a plain CI gate makes: ``scan`` with
``--policy``, ``--date``, ``--format``, ``--fail-on``, ``--fail-on-drift``, ``--lock``, ``--no-lock``, ``-v`` and
paths. For anything else (another command or option, ``--help``, an inline waiver, a reference the cache has not
judged, a missing or damaged cache, a bad value, any error) it returns None before writing anything, and the full
command line runs instead: it reports errors as always and fills the cache for the next run.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_POLICIES = (".compliance.yaml", "compliance.yaml", ".compliance/policy.yaml")
DEFAULT_LOCK = "compliance.lock"
FORMATS = ("text", "json", "sarif", "github")
VALUES = {"--policy": "policy", "--date": "date", "--format": "fmt", "--lock": "lock", "--fail-on": "fail_on"}
FLAGS = {"-v": "verbose", "--verbose": "verbose", "--no-lock": "no_lock", "--fail-on-drift": "fail_on_drift"}


def find_policy(given: Path | None) -> Path:
    """``--policy``, else the first of :data:`DEFAULT_POLICIES` in the current folder."""
    from .errors import ComplianceError

    if given is not None:
        return given
    for name in DEFAULT_POLICIES:
        if Path(name).is_file():
            return Path(name)
    raise ComplianceError("no policy: pass --policy FILE or add .compliance.yaml to the repository root")


def lock_in_use(given: Path | None, no_lock: bool) -> Path | None:
    """The lock file a scan answers from: ``--lock``, else ``compliance.lock`` when present; none with --no-lock."""
    if no_lock:
        return None
    if given is not None:
        return given
    return Path(DEFAULT_LOCK) if Path(DEFAULT_LOCK).is_file() else None


class HookArgs:
    """What ``scan`` was asked for (plain attributes: the fast path defines no dataclass of its own)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.policy: str | None = None
        self.date: str | None = None
        self.fmt = "text"
        self.lock: str | None = None
        self.fail_on: list[str] = []
        self.verbose = False
        self.no_lock = False
        self.fail_on_drift = False


def parse(argv: list[str]) -> HookArgs | None:
    """``scan`` arguments as click would read them, or None for anything this path does not take."""
    if not argv or argv[0] != "scan":
        return None
    found = HookArgs()
    args = iter(argv[1:])
    for arg in args:
        if arg == "--":
            found.paths.extend(args)
            break
        name, eq, value = arg.partition("=")
        if name in VALUES:
            if not eq:
                value = next(args, None)
                if value is None:
                    return None
            if name == "--fail-on":
                found.fail_on.append(value)
            else:
                setattr(found, VALUES[name], value)
        elif arg in FLAGS:
            setattr(found, FLAGS[arg], True)
        elif arg.startswith("-"):  # another option (or "-"): the full command line decides
            return None
        else:
            found.paths.append(arg)
    return found


def fast_scan(argv: list[str]) -> int | None:
    """The exit code of the scan ``argv`` asks for, its report written to standard output; None when this path
    cannot answer it (nothing written then)."""
    parsed = parse(argv)
    if parsed is None or os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    try:
        answered = _answer(parsed)
    except Exception:  # noqa: BLE001 - any doubt: the full command line answers (and reports the error)
        if os.environ.get("COMPLIANCE_DEBUG"):
            raise
        return None
    if answered is None:
        return None
    from .stdio import write_out

    return write_out(*answered)


def _answer(parsed: HookArgs) -> tuple[str, int] | None:
    import datetime as dt

    from . import hookcache
    from .decisions import exit_code

    wanted = {v.strip() for value in parsed.fail_on for v in value.split(",") if v.strip()} or {"deny"}
    if parsed.fmt not in FORMATS or not wanted <= {"deny", "review", "skipped"}:
        return None
    policy = find_policy(Path(parsed.policy) if parsed.policy is not None else None)
    lock = lock_in_use(Path(parsed.lock) if parsed.lock is not None else None, parsed.no_lock)
    if not policy.is_file() or (lock is not None and not lock.is_file()):
        return None
    date = dt.date.fromisoformat(parsed.date) if parsed.date else dt.datetime.now(dt.timezone.utc).date()
    verdicts = hookcache.load(policy, date, lock)
    if verdicts is None:
        return None
    from .scan import scan_paths

    targets = [str(Path(p)) for p in parsed.paths] or ["."]  # as click's Path type hands them to the command
    files = scan_paths(targets, root=Path.cwd(), exclude=tuple(verdicts.exclude))
    if any(r.waiver for f in files for r in f.references):
        return None
    report = verdicts.answer(files, date)
    if report is None:
        return None
    text = render(report, parsed.fmt, parsed.verbose)
    threshold = "review" if "review" in wanted else "deny"
    code = exit_code([i.verdict.decision for i in report.items], threshold,
                     drift=parsed.fail_on_drift and bool(report.drift))
    if code == 0 and "skipped" in wanted and report.skipped:
        code = 1
    return text, int(code)


def render(report, fmt: str, verbose: bool) -> str:
    """A scan report in one of :data:`FORMATS` (the same functions ``compliance scan`` renders with)."""
    import json

    from .formats.scan import scan_github, scan_json, scan_sarif, scan_text

    if fmt == "json":
        return json.dumps(scan_json(report), indent=2, ensure_ascii=False)
    if fmt == "sarif":
        return json.dumps(scan_sarif(report), indent=2, ensure_ascii=False)
    if fmt == "github":
        return scan_github(report)
    return scan_text(report, verbose=verbose)
