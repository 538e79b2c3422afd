"""Helpers every command shares: JSON output, dates, the resolver, batches of references, policies with overrides.

Imports only click and light modules at start-up; the resolver and the policy schema (pydantic) are imported
inside the helpers, when a command runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ComplianceError


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def parse_date(value: str | None):
    """``--date`` as a date (default today, UTC); a bad value is a usage error naming the option."""
    import datetime as dt

    if not value:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None


def make_resolver(online: bool, offline: bool):
    from ..resolve import Options, Resolver

    return Resolver(Options(online=online and not offline))


def resolve_all(resolver, references):
    """Resolve every reference; the unresolvable ones are collected, not fatal, so the rest still print. An SBOM
    file (CycloneDX, SPDX 2.3, SPDX 3) stands for every model it lists, with the licenses it states."""
    results, failures = [], []
    for ref in references:
        try:
            if ref.lower().endswith((".json", ".jsonld", ".spdx")):
                from ..sbom.read import check_sbom_file

                if check_sbom_file(ref):
                    from ..sbom.subjects import resolve_sbom

                    results.extend(resolve_sbom(ref, resolver.kb, resolver.catalog))
                    continue
            results.append(resolver.resolve(ref))
        except ComplianceError as exc:
            failures.append(exc)
    return results, failures


def report_failures(failures) -> None:
    for exc in failures:
        click.echo(f"compliance: {exc}", err=True)


def load_policy_with_overrides(path: Path, overrides: dict):
    """Load a policy and apply per-run organization overrides (validated like the file itself)."""
    from ..policy import apply_overrides, load_policy

    return apply_overrides(load_policy(path), overrides)
