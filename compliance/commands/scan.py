"""``compliance scan`` (pre-commit and CI) and ``compliance lock``."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..decisions import exit_code
from ..errors import ComplianceError, ExitCode
from ..formats import registry
from .common import parse_date

DEFAULT_POLICIES = (".compliance.yaml", "compliance.yaml", ".compliance/policy.yaml")
SCAN_FORMATS = click.Choice(list(registry.SCAN))


def find_policy(given: Path | None) -> Path:
    if given is not None:
        return given
    for name in DEFAULT_POLICIES:
        if Path(name).is_file():
            return Path(name)
    raise ComplianceError("no policy: pass --policy FILE or add .compliance.yaml to the repository root")


def find_lock(given: Path | None, no_lock: bool):
    from ..lock import DEFAULT_NAME, read_lock

    if no_lock:
        return None
    if given is not None:
        return read_lock(given)
    default = Path(DEFAULT_NAME)
    return read_lock(default) if default.is_file() else None


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="Policy file (default: .compliance.yaml or compliance.yaml here).")
@click.option("--format", "fmt", type=SCAN_FORMATS, default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(["deny", "review"]), default="deny", show_default=True,
              help="Exit 1 when a reference is denied (or reviewed too).")
@click.option("--fail-on-drift", is_flag=True, help="Exit 1 when the lock file no longer matches.")
@click.option("--lock", "lock_path", type=click.Path(path_type=Path),
              help="Lock file to answer from and check drift against (default: compliance.lock if present).")
@click.option("--no-lock", is_flag=True, help="Ignore any lock file.")
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC).")
@click.option("--online", is_flag=True, help="Allow the Hugging Face Hub (off by default; never in a hook).")
@click.option("-v", "--verbose", is_flag=True, help="List allowed references and skipped files too.")
def scan_cmd(paths, policy_path, fmt, output, fail_on, fail_on_drift, lock_path, no_lock, date_, online, verbose) -> int:
    """Find model references in code and configuration (PATHS: files or folders, default .) and judge each
    like `compliance check`: file:line, model, decision and reason. Exit 1 when anything is denied (or
    reviewed, with --fail-on review), 2 for bad input. Works offline and fast enough for a pre-commit hook."""
    from ..formats.scan import scan_github, scan_json, scan_sarif, scan_text
    from ..gate import Gate
    from ..fileio import atomic_write
    from ..policy import load_policy

    loaded = load_policy(find_policy(policy_path))
    report = Gate(loaded, today=parse_date(date_), online=online, lock=find_lock(lock_path, no_lock)).run(
        [str(p) for p in paths] or ["."], root=Path.cwd())
    if fmt == "json":
        text = json.dumps(scan_json(report), indent=2, ensure_ascii=False)
    elif fmt == "sarif":
        text = json.dumps(scan_sarif(report), indent=2, ensure_ascii=False)
    elif fmt == "github":
        text = scan_github(report)
    else:
        text = scan_text(report, verbose=verbose)
    if output is not None:
        atomic_write(output, text + "\n")
        click.echo(f"compliance: wrote {output} ({len(report.items)} reference(s), decision {report.decision})", err=True)
    else:
        click.echo(text)
    return exit_code([i.assessment.decision for i in report.items], fail_on, drift=fail_on_drift and bool(report.drift))


@click.command("lock")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="Policy file (default: .compliance.yaml or compliance.yaml here).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("compliance.lock"), show_default=True)
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC).")
@click.option("--online", is_flag=True, help="Resolve through the Hugging Face Hub, pinning each model's revision.")
def lock_cmd(paths, policy_path, output, date_, online) -> int:
    """Write compliance.lock: every model referenced under PATHS (default .), its resolved revision, license
    ids, SHA-256 of each license text read, and the decision with the policy's hash. Scans and
    `check --locked` then answer offline from it and report drift."""
    from .. import knowledge
    from ..gate import Gate, lock_from
    from ..lock import write_lock
    from ..policy import load_policy

    loaded = load_policy(find_policy(policy_path))
    report = Gate(loaded, today=parse_date(date_), online=online).run([str(p) for p in paths] or ["."], root=Path.cwd())
    lock = lock_from(report, loaded, knowledge.default().version)
    write_lock(lock, output)
    counts = {d: sum(1 for e in lock.entries.values() if e.decision == d) for d in ("deny", "review", "allow")}
    click.echo(f"wrote {output}: {len(lock.entries)} model(s) from {len(report.items)} reference(s) — "
               f"{counts['deny']} deny, {counts['review']} review, {counts['allow']} allow · policy {loaded.name}")
    return ExitCode.OK


COMMANDS = [scan_cmd, lock_cmd]
