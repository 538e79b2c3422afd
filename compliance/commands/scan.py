"""``compliance scan`` (pre-commit and CI) and ``compliance lock``."""
from __future__ import annotations

from pathlib import Path

import click

from ..decisions import exit_code
from ..errors import ComplianceError, ExitCode
from ..formats import registry
from ..hook import DEFAULT_POLICIES, find_policy, lock_in_use, render  # noqa: F401 - public names
from .common import parse_date

SCAN_FORMATS = click.Choice(list(registry.SCAN))


def find_lock(given: Path | None, no_lock: bool):
    from ..lock import read_lock

    path = lock_in_use(given, no_lock)
    return read_lock(path) if path is not None else None


def read_exclude(policy_path: Path) -> tuple[str, ...]:
    """The policy file's ``exclude:`` globs (read without validating: the gate validates the policy)."""
    try:
        if b"exclude:" not in policy_path.read_bytes():
            return ()
    except OSError:
        return ()
    import yaml

    try:
        data = yaml.load(policy_path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, ValueError, yaml.YAMLError):
        return ()
    found = data.get("exclude") if isinstance(data, dict) else None
    return tuple(str(p) for p in found) if isinstance(found, list) else ()


def _fail_on(values: tuple[str, ...]) -> tuple[str, bool]:
    """``--fail-on deny|review|skipped`` (repeated or comma-separated): (decision threshold, fail on skipped)."""
    wanted = {v.strip() for value in values for v in value.split(",") if v.strip()}
    unknown = wanted - {"deny", "review", "skipped"}
    if unknown:
        raise click.BadParameter(f"{', '.join(sorted(unknown))}: choose from deny, review, skipped", param_hint="--fail-on")
    return ("review" if "review" in wanted else "deny"), "skipped" in wanted


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="Policy file (default: .compliance.yaml or compliance.yaml here).")
@click.option("--format", "fmt", type=SCAN_FORMATS, default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report here instead of stdout.")
@click.option("--fail-on", "fail_on", multiple=True, default=("deny",), show_default=True, metavar="deny|review|skipped",
              help="Exit 1 when a reference is denied (review: or reviewed; skipped: or a file could not be "
                   "scanned). Repeat or separate with commas.")
@click.option("--fail-on-drift", is_flag=True, help="Exit 1 when the lock file no longer matches.")
@click.option("--changed-since", "changed_since", metavar="REF",
              help="Report only references on lines changed since git revision REF (and in untracked files).")
@click.option("--lock", "lock_path", type=click.Path(path_type=Path),
              help="Lock file to answer from and check drift against (default: compliance.lock if present).")
@click.option("--no-lock", is_flag=True, help="Ignore any lock file.")
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC).")
@click.option("--online", is_flag=True, help="Allow the Hugging Face Hub (off by default; never in a hook).")
@click.option("-v", "--verbose", is_flag=True, help="List allowed models, every location and skipped file too.")
def scan_cmd(paths, policy_path, fmt, output, fail_on, fail_on_drift, changed_since, lock_path, no_lock, date_,
             online, verbose) -> int:
    """Find model references in code, configuration and docs' code blocks (PATHS: files or folders, default .)
    and judge each like `compliance check`: grouped by model with decision, reason and locations. Datasets are
    listed apart (license not evaluated). Exit 1 when anything is denied (or reviewed, with --fail-on review;
    or a file was skipped, with --fail-on skipped), 2 for bad input or a path that does not exist. Works
    offline and fast enough for a pre-commit hook (repeat runs answer from a cache keyed by the policy, the
    knowledge base and the date)."""
    from .. import hookcache
    from ..fileio import atomic_write
    from ..scan import scan_paths

    threshold, fail_skipped = _fail_on(fail_on)
    date = parse_date(date_)
    found_policy = find_policy(policy_path)
    targets = [str(p) for p in paths] or ["."]
    exclude = read_exclude(found_policy) if found_policy.is_file() else ()
    files = scan_paths(targets, root=Path.cwd(), exclude=exclude)
    if changed_since:
        from ..changed import changed_lines

        changed = changed_lines(changed_since, targets)
        files = [f for f in files if f.path in changed]
        for f in files:
            lines = changed[f.path]
            if lines is not None:
                f.references = [r for r in f.references if r.line in lines]
                f.datasets = [d for d in f.datasets if d.line in lines]
    lock = lock_in_use(lock_path, no_lock)
    waivers = any(r.waiver for f in files for r in f.references)
    report = None
    if not (online or waivers) and found_policy.is_file() and (lock is None or lock.is_file()):
        report = hookcache.answer(files, found_policy, date, lock)
    if report is None:
        from ..gate import Gate
        from ..policy import load_policy

        loaded = load_policy(found_policy)
        gate = Gate(loaded, today=date, online=online, lock=find_lock(lock_path, no_lock))
        report = gate.judge(files)
        if not online:
            hookcache.store(report, found_policy, lock_path=lock, exclude=exclude, catalog=gate.catalog_items)
    if online and report.datasets:  # dataset licenses from their Hub cards (offline: "license not evaluated")
        from ..datasets import look_up
        from ..knowledge import default

        report.dataset_licenses = look_up((d.model for d in report.datasets), default())
    text = render(report, fmt, verbose)
    if output is not None:
        atomic_write(output, text + "\n")
        click.echo(f"compliance: wrote {output} ({len(report.items)} reference(s), decision {report.decision})", err=True)
    else:
        click.echo(text)
    code = exit_code([i.verdict.decision for i in report.items], threshold, drift=fail_on_drift and bool(report.drift))
    if code == ExitCode.OK and fail_skipped and report.skipped:
        return ExitCode.VIOLATION
    return code


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

    found_policy = find_policy(policy_path)
    loaded = load_policy(found_policy)
    report = Gate(loaded, today=parse_date(date_), online=online).run(
        [str(p) for p in paths] or ["."], root=Path.cwd(), exclude=read_exclude(found_policy))
    lock = lock_from(report, loaded, knowledge.default().version)
    write_lock(lock, output)
    counts = {d: sum(1 for e in lock.entries.values() if e.decision == d) for d in ("deny", "review", "allow")}
    click.echo(f"wrote {output}: {len(lock.entries)} model(s) from {len(report.items)} reference(s) — "
               f"{counts['deny']} deny, {counts['review']} review, {counts['allow']} allow · policy {loaded.name}")
    return ExitCode.OK


COMMANDS = [scan_cmd, lock_cmd]
