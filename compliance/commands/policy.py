"""``compliance policy validate`` and ``policy schema``: organization policy files."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import ComplianceError, ExitCode


@click.group("policy")
def policy_group() -> None:
    """Organization policy files."""


@policy_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def policy_validate_cmd(files: tuple[Path, ...]) -> int:
    """Check policy files: schema, country codes, license ids, exceptions, extends. One line per file."""
    from ..policy import load_policy

    failed = 0
    for path in files:
        try:
            loaded = load_policy(path)
        except ComplianceError as exc:
            click.echo(f"compliance: {exc}", err=True)
            failed += 1
            continue
        via = f" (extends {' -> '.join(p.name for p in loaded.files[:-1])})" if len(loaded.files) > 1 else ""
        click.echo(f"ok: {path}: policy {loaded.name}{via}, sha256 {loaded.sha256[:16]}…")
    return ExitCode.INPUT if failed else ExitCode.OK


@policy_group.command("schema")
def policy_schema_cmd() -> int:
    """Print the JSON Schema of a policy file (kept in policies/schema.json)."""
    from ..policy import policy_schema

    click.echo(policy_schema())
    return ExitCode.OK


COMMANDS = [policy_group]
