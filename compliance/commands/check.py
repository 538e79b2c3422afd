"""``compliance check`` (judge models against a policy) and ``compliance query`` (which catalog models may we use)."""
from __future__ import annotations

from pathlib import Path

import click

from ..cli_options import (
    FORMAT_TEXT_JSON,
    fail_on_option,
    offline_option,
    online_option,
    organization_options,
    overrides_from,
    policy_option,
)
from ..decisions import exit_code
from ..errors import ComplianceError, ExitCode
from .common import emit_json, load_policy_with_overrides, make_resolver, parse_date, report_failures, resolve_all


def _finite(value: float | None, name: str) -> float | None:
    """A number option that must be a finite, non-negative figure (click's float accepts nan and inf)."""
    import math

    if value is not None and (not math.isfinite(value) or value < 0):
        raise click.BadParameter(f"{value} is not a finite number of at least 0", param_hint=name)
    return value


def resolve_locked_all(resolver, lock, loaded, references):
    """Resolve each reference, answering from ``lock`` where it cannot be resolved here: (resolved, failures,
    drift lines)."""
    from ..gate import resolve_locked

    drift: list[str] = []
    if lock.policy_sha256 != loaded.sha256:
        drift.append(f"the policy changed since the lock was written (locked {lock.policy_sha256[:12]}…)")
    resolved, failures = [], []
    for ref in references:
        try:
            found, from_lock, changes = resolve_locked(resolver, lock, ref)
        except ComplianceError as exc:
            failures.append(exc)
            continue
        resolved.append(found)
        drift += [d.message for d in changes] + ([f"{ref}: answered from the lock"] if from_lock else [])
    return resolved, failures, drift


@click.command("check")
@click.argument("references", nargs=-1, required=True)
@policy_option
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC): exceptions expire against it.")
@fail_on_option
@click.option("--locked", is_flag=True, help="Answer from the lock file where a model cannot be resolved here, "
                                             "and report drift since it was locked.")
@click.option("--lock", "lock_path", type=click.Path(path_type=Path), help="Lock file (default compliance.lock).")
@organization_options
@online_option
@offline_option
def check_cmd(references, policy_path, fmt, date_, fail_on, locked, lock_path, mau, dau, revenue, domicile, regions,
              use, sector, online, offline) -> int:
    """Judge each model against the policy: allow, review or deny, every reason traced to a clause, and the
    obligations the organization must meet. Exit 0 when nothing is denied, 1 when anything is (--fail-on
    review: reviewed too), 2 for bad input; a reference that cannot be resolved is reported and the others are
    still judged, and the exit code is then 2."""
    from .. import knowledge
    from ..evaluate import evaluate
    from ..formats.check import check_json, check_text

    kb = knowledge.default()
    loaded = load_policy_with_overrides(policy_path, overrides_from(mau, dau, revenue, domicile, regions, use, sector))
    today = parse_date(date_)
    resolver = make_resolver(online, offline)
    drift: list[str] = []
    if locked:
        from ..lock import DEFAULT_NAME, read_lock

        lock = read_lock(lock_path or Path(DEFAULT_NAME))
        resolved, failures, drift = resolve_locked_all(resolver, lock, loaded, references)
    else:
        resolved, failures = resolve_all(resolver, references)
    assessments = [evaluate(r, loaded, kb, today=today) for r in resolved]
    if fmt == "json":
        data = check_json(assessments, kb, loaded.name, loaded.sha256, today)
        if locked:
            data["drift"] = drift
        if failures:
            data["unresolved"] = [{"message": str(exc)} for exc in failures]
        emit_json(data)
    elif assessments:
        click.echo(check_text(assessments, kb, loaded.name, loaded.sha256, today))
        for line in drift:
            click.echo(f"lock: {line}")
        for exc in failures:
            click.echo(f"not checked: {exc}")
    report_failures(failures)
    # a reference that could not be used is never "allowed": the run fails as bad input, after the others
    return ExitCode.INPUT if failures else exit_code([a.decision for a in assessments], fail_on)


@click.command("query")
@policy_option
@click.option("--decision", "decisions", multiple=True, type=click.Choice(["allow", "review", "deny"]),
              help="Only models with this decision (repeatable).")
@click.option("--license", "license_ids", multiple=True, help="Only models whose effective licenses include this id.")
@click.option("--publisher", help="Only this publisher (id or part of its name).")
@click.option("--origin", help="Only models whose publisher is in this country (ISO code).")
@click.option("--modality", type=click.Choice(["text", "multimodal", "vision", "image-generation", "audio", "video",
                                              "embedding", "code"]))
@click.option("--min-params", type=float, callback=lambda ctx, param, value: _finite(value, "--min-params"),
              help="Only models with at least this many billion parameters.")
@click.option("--commercial", is_flag=True, help="Only models whose licenses permit commercial use.")
@click.option("--sort", "sort_key", type=click.Choice(["decision", "model", "license", "publisher", "params"]),
              default="decision", show_default=True)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC).")
@organization_options
def query_cmd(policy_path, decisions, license_ids, publisher, origin, modality, min_params, commercial, sort_key,
              fmt, date_, mau, dau, revenue, domicile, regions, use, sector) -> int:
    """Which catalog models may we use, and why not: every model in the embedded catalog with its decision under
    the policy and the main reason, filtered and sorted."""
    from ..formats.query import query_rows, query_text
    from ..query import run_query

    loaded = load_policy_with_overrides(policy_path, overrides_from(mau, dau, revenue, domicile, regions, use, sector))
    today = parse_date(date_)
    rows = run_query(loaded, today=today, decisions=decisions, license_ids=license_ids, publisher=publisher,
                     origin=origin, modality=modality, min_params=min_params, commercial=commercial,
                     sort_key=sort_key)
    if fmt == "json":
        emit_json({"schema_version": 1, "policy": {"name": loaded.name, "sha256": loaded.sha256},
                   "date": today.isoformat(), "models": query_rows(rows)})
    else:
        click.echo(query_text(rows, loaded, today))
    return ExitCode.OK


COMMANDS = [check_cmd, query_cmd]
