"""``compliance inspect``: what is known about each model reference, and where each fact came from."""
from __future__ import annotations

import click

from ..cli_options import FORMAT_TEXT_JSON, offline_option, online_option
from ..errors import ExitCode
from .common import emit_json, make_resolver, report_failures, resolve_all


@click.command("inspect")
@click.argument("references", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--explain-name", "explain_name", is_flag=True,
              help="Show how each name is parsed (republisher, family, version, size, variant, packaging) and "
                   "matched (provider tables, Ollama table, catalog, family rules), and what it resolves to.")
@online_option
@offline_option
def inspect_cmd(references: tuple[str, ...], fmt: str, online: bool, offline: bool, explain_name: bool) -> int:
    """Resolve each model reference and print what was found: source and revision of every fact, publisher
    and country, declared and identified licenses, modality, the lineage with each ancestor's license, and
    inconsistencies.

    REFERENCES: org/name[@revision], a Hub URL, an Ollama name (llama4, deepseek-r1:70b), a LiteLLM-style
    name (ollama_chat/qwen3:4b), or a local folder or card file. Offline by default: cache, then catalog.
    """
    from ..formats.inspect import inspect_json, inspect_text

    resolver = make_resolver(online, offline)
    if explain_name:
        return _explain(resolver, references, fmt)
    results, failures = resolve_all(resolver, references)
    if fmt == "json":
        emit_json([inspect_json(r) for r in results])
    elif results:
        click.echo("\n\n".join(inspect_text(r) for r in results))
    report_failures(failures)
    return ExitCode.INPUT if failures else ExitCode.OK



def _explain(resolver, references: tuple[str, ...], fmt: str) -> int:
    from ..byname import explain
    from ..formats.inspect import explain_name_text

    explained = [explain(resolver, ref) for ref in references]
    if fmt == "json":
        emit_json(explained)
    else:
        click.echo("\n\n".join(explain_name_text(e) for e in explained))
    return ExitCode.INPUT if any("error" in e for e in explained) else ExitCode.OK


COMMANDS = [inspect_cmd]
