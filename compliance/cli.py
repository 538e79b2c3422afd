"""The ``compliance`` command line: parses arguments, calls the library, maps results to exit codes.

Heavy libraries (weasyprint, huggingface_hub, spdx_tools) are imported only inside the commands that need
them, so ``compliance --help`` and the pre-commit hook start fast. Every error a user can cause ends as one
line on stderr and exit code 2; a bug ends as one line and exit code 3 (``COMPLIANCE_DEBUG=1`` shows the
traceback).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ComplianceError, ExitCode

from .cli_options import (
    FORMAT_TEXT_JSON,
    fail_on_option,
    offline_option,
    online_option,
    organization_options,
    overrides_from,
    policy_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="compliance")
def cli() -> None:
    """License and procurement compliance for open-weight AI models.

    Exit codes: 0 ok, 1 policy violation, 2 usage or input error, 3 internal error.
    """


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


# --- knowledge base -----------------------------------------------------------------------------------


@cli.command("licenses")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def licenses_cmd(fmt: str) -> int:
    """List the licenses in the embedded knowledge base."""
    from . import knowledge, present
    from .formats.table import render_table

    kb = knowledge.default()
    rows = []
    for lic in kb:
        pub = kb.publisher(lic.publisher)
        rows.append({
            "id": lic.id,
            "name": lic.name,
            "spdx": lic.spdx,
            "publisher": pub.name if pub else lic.publisher,
            "country": pub.country if pub else None,
            "commercial_use": lic.commercial_use.status,
            "thresholds": [{"metric": t.metric, "limit": t.limit, "currency": t.currency,
                            "comparison": t.comparison, "consequence": t.consequence} for t in lic.thresholds],
            "territory": ({"excluded": list(lic.territory.excluded), "scope": lic.territory.scope,
                           "basis": lic.territory.basis} if lic.territory else None),
            "verified": lic.verified,
        })
    if fmt == "json":
        emit_json({"schema_version": 1, "knowledge_base": kb.version, "licenses": rows})
        return ExitCode.OK
    table = render_table(
        ["ID", "NAME", "PUBLISHER", "COUNTRY", "COMMERCIAL USE", "THRESHOLDS", "TERRITORY", "TEXT"],
        [[r["id"], r["name"], r["publisher"], r["country"] or "?", r["commercial_use"],
          present.thresholds_short(kb.licenses[r["id"]]), present.territory_short(kb.licenses[r["id"]]),
          "verified" if r["verified"] else "unverified"] for r in rows],
        max_width=40,
    )
    click.echo(table)
    click.echo(f"\n{len(rows)} licenses · knowledge base {kb.version} · "
               "'compliance explain ID' shows every term with its clause")
    return ExitCode.OK


@cli.command("explain")
@click.argument("subject")
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="With a policy: walk the decision for model SUBJECT rule by rule.")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC).")
@online_option
@offline_option
def explain_cmd(subject: str, policy_path: Path | None, fmt: str, date_: str | None, online: bool, offline: bool) -> int:
    """Show a license record with every term and its clause (SUBJECT: id, SPDX id, Hugging Face id or alias),
    or, with --policy, walk one model's decision rule by rule."""
    from . import knowledge

    kb = knowledge.default()
    if policy_path is not None:
        from .evaluate import evaluate
        from .formats.check import explain_text, result_json

        loaded = load_policy_with_overrides(policy_path, {})
        today = parse_date(date_)
        resolved = make_resolver(online, offline).resolve(subject)
        assessment = evaluate(resolved, loaded, kb, today=today)
        if fmt == "json":
            emit_json(result_json(assessment, kb))
        else:
            click.echo(explain_text(assessment, kb))
        return ExitCode.OK
    from .formats.license import license_text

    lic = kb.get(subject) or kb.by_hf_id(subject) or kb.by_alias(subject)
    if lic is None:
        raise ComplianceError(f"unknown license {subject!r}; 'compliance licenses' lists the known ids "
                              "(to explain a model's decision, give --policy)")
    if fmt == "json":
        emit_json(lic.model_dump(mode="json", exclude_none=True))
    else:
        click.echo(license_text(lic, kb))
    return ExitCode.OK


@cli.command("identify")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def identify_cmd(files: tuple[Path, ...], fmt: str) -> int:
    """Say which known license each FILE is (LICENSE, USE_POLICY, NOTICE…), how sure, why, and the terms it states."""
    from .formats.identify import identify_report
    from .identify import identify_file

    results = [identify_file(path) for path in files]
    if fmt == "json":
        emit_json([r.to_dict() for r in results])
    else:
        click.echo(identify_report(results))
    failed = [r for r in results if r.error]
    for r in failed:
        click.echo(f"compliance: {r.file}: {r.error}", err=True)
    return ExitCode.INPUT if failed else ExitCode.OK


# --- models -----------------------------------------------------------------------------------------------

def make_resolver(online: bool, offline: bool):
    from .resolve import Options, Resolver

    return Resolver(Options(online=online and not offline))


@cli.command("inspect")
@click.argument("references", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@online_option
@offline_option
def inspect_cmd(references: tuple[str, ...], fmt: str, online: bool, offline: bool) -> int:
    """Resolve each model reference and print what was found: source and revision of every fact, publisher
    and country, declared and identified licenses, modality, the lineage with each ancestor's license, and
    inconsistencies.

    REFERENCES: org/name[@revision], a Hub URL, an Ollama name (llama4, deepseek-r1:70b), a LiteLLM-style
    name (ollama_chat/qwen3:4b), or a local folder or card file. Offline by default: cache, then catalog.
    """
    from .formats.inspect import inspect_json, inspect_text

    resolver = make_resolver(online, offline)
    results, failures = resolve_all(resolver, references)
    if fmt == "json":
        emit_json([inspect_json(r) for r in results])
    elif results:
        click.echo("\n\n".join(inspect_text(r) for r in results))
    report_failures(failures)
    return ExitCode.INPUT if failures else ExitCode.OK


def resolve_all(resolver, references):
    """Resolve every reference; the unresolvable ones are collected, not fatal, so the rest still print."""
    results, failures = [], []
    for ref in references:
        try:
            results.append(resolver.resolve(ref))
        except ComplianceError as exc:
            failures.append(exc)
    return results, failures


def report_failures(failures) -> None:
    for exc in failures:
        click.echo(f"compliance: {exc}", err=True)


# --- policies and decisions --------------------------------------------------------------------------------


def parse_date(value: str | None):
    import datetime as dt

    if not value:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None


def load_policy_with_overrides(path: Path, overrides: dict):
    """Load a policy and apply per-run organization overrides (validated like the file itself)."""
    from .errors import PolicyError
    from .policy import LoadedPolicy, Organization, load_policy

    loaded = load_policy(path)
    overrides = {k: v for k, v in overrides.items() if v not in (None, ())}
    if not overrides:
        return loaded
    org = loaded.policy.organization.model_dump(by_alias=True)
    org.update(overrides)
    try:
        organization = Organization.model_validate(org)
    except Exception as exc:  # pydantic.ValidationError: one line naming the option
        first = exc.errors()[0] if hasattr(exc, "errors") else {"loc": (), "msg": str(exc)}
        raise PolicyError(f"override {'.'.join(map(str, first['loc']))}: {first['msg'].removeprefix('Value error, ')}") from None
    policy = loaded.policy.model_copy(update={"organization": organization})
    return LoadedPolicy(policy, loaded.files, loaded.label)


def exit_for(decisions, fail_on: str) -> int:
    failing = {"deny"} if fail_on == "deny" else {"deny", "review"}
    return ExitCode.VIOLATION if failing & set(decisions) else ExitCode.OK


@cli.command("check")
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
    review: reviewed too), 2 for bad input."""
    from . import knowledge
    from .evaluate import evaluate
    from .formats.check import check_json, check_text

    kb = knowledge.default()
    loaded = load_policy_with_overrides(policy_path, overrides_from(mau, dau, revenue, domicile, regions, use, sector))
    today = parse_date(date_)
    resolver = make_resolver(online, offline)
    drift: list[str] = []
    if locked:
        from .gate import resolve_locked
        from .lock import DEFAULT_NAME, read_lock

        lock = read_lock(lock_path or Path(DEFAULT_NAME))
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
    else:
        resolved, failures = resolve_all(resolver, references)
    if failures:
        report_failures(failures)
        return ExitCode.INPUT
    assessments = [evaluate(r, loaded, kb, today=today) for r in resolved]
    if fmt == "json":
        data = check_json(assessments, kb, loaded.name, loaded.sha256, today)
        if locked:
            data["drift"] = drift
        emit_json(data)
    else:
        click.echo(check_text(assessments, kb, loaded.name, loaded.sha256, today))
        for line in drift:
            click.echo(f"lock: {line}")
    return exit_for([a.decision for a in assessments], fail_on)


@cli.command("query")
@policy_option
@click.option("--decision", "decisions", multiple=True, type=click.Choice(["allow", "review", "deny"]),
              help="Only models with this decision (repeatable).")
@click.option("--license", "license_ids", multiple=True, help="Only models whose effective licenses include this id.")
@click.option("--publisher", help="Only this publisher (id or part of its name).")
@click.option("--origin", help="Only models whose publisher is in this country (ISO code).")
@click.option("--modality", type=click.Choice(["text", "multimodal", "vision", "image-generation", "audio", "video",
                                              "embedding", "code"]))
@click.option("--min-params", type=float, help="Only models with at least this many billion parameters.")
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
    from .formats.query import query_rows, query_text
    from .query import run_query

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


@cli.group("policy")
def policy_group() -> None:
    """Organization policy files."""


@policy_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def policy_validate_cmd(files: tuple[Path, ...]) -> int:
    """Check policy files: schema, country codes, license ids, exceptions, extends. One line per file."""
    from .policy import load_policy

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
    from .policy import policy_schema

    click.echo(policy_schema())
    return ExitCode.OK


@cli.group("kb")
def kb_group() -> None:
    """The embedded knowledge base (maintainers)."""


@kb_group.command("schema")
def kb_schema_cmd() -> int:
    """Print the JSON Schema of a license record (kept in licenses/schema.json)."""
    from .schemas import license_schema

    click.echo(license_schema())
    return ExitCode.OK


def _register_feature_commands() -> None:
    """Commands defined in compliance/commands/<feature>.py: each module exposes COMMANDS (click commands)."""
    import importlib
    import pkgutil

    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_register_feature_commands()


# --- entry point --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and, as a console script, exit with) the exit code."""
    try:
        code = cli.main(args=argv, prog_name="compliance", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.INPUT
    except ComplianceError as exc:
        click.echo(f"compliance: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        code = ExitCode.OK
    except KeyboardInterrupt:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into exit code 3
        if os.environ.get("COMPLIANCE_DEBUG"):
            raise
        click.echo(f"compliance: internal error: {type(exc).__name__}: {exc} (set COMPLIANCE_DEBUG=1 for details)",
                   err=True)
        code = ExitCode.INTERNAL
    code = int(code or 0)
    if argv is None:
        sys.stdout.flush()
        sys.exit(code)
    return code
