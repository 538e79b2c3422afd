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

FORMAT_TEXT_JSON = click.Choice(["text", "json"])


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
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def explain_cmd(subject: str, fmt: str) -> int:
    """Show a license record (SUBJECT: id, SPDX id, Hugging Face id or alias) with every term and its clause."""
    from . import knowledge
    from .formats.license import license_text

    kb = knowledge.default()
    lic = kb.get(subject) or kb.by_hf_id(subject) or kb.by_alias(subject)
    if lic is None:
        raise ComplianceError(f"unknown license {subject!r}; 'compliance licenses' lists the known ids")
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

online_option = click.option("--online", is_flag=True, help="Allow the Hugging Face Hub (off by default).")
offline_option = click.option("--offline", is_flag=True, help="Forbid network use (overrides --online).")


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


@cli.group("kb")
def kb_group() -> None:
    """The embedded knowledge base (maintainers)."""


@kb_group.command("schema")
def kb_schema_cmd() -> int:
    """Print the JSON Schema of a license record (kept in licenses/schema.json)."""
    from .schemas import license_schema

    click.echo(license_schema())
    return ExitCode.OK


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
