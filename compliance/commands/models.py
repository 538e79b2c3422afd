"""``compliance inspect``: what is known about each model reference, and where each fact came from."""
from __future__ import annotations

import click

from ..cli_options import FORMAT_TEXT_JSON, offline_option, online_option
from ..errors import ExitCode
from .common import emit_json, make_resolver, report_failures, resolve_all


@click.command("inspect")
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
    from ..formats.inspect import inspect_json, inspect_text

    resolver = make_resolver(online, offline)
    results, failures = resolve_all(resolver, references)
    if fmt == "json":
        emit_json([inspect_json(r) for r in results])
    elif results:
        click.echo("\n\n".join(inspect_text(r) for r in results))
    report_failures(failures)
    return ExitCode.INPUT if failures else ExitCode.OK


COMMANDS = [inspect_cmd]
