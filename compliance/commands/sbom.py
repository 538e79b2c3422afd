"""``compliance sbom``: resolved models, their lineage and (with a policy) their decisions as an SBOM.

Everything heavy (the resolver, spdx_tools) is imported inside the command; the format names come from the light
format registry.
"""
from __future__ import annotations

import re
from pathlib import Path

import click

from ..cli_options import offline_option, online_option
from ..formats import registry
from .common import load_policy_with_overrides, make_resolver, parse_date, report_failures, resolve_all

FORMAT_NAMES = tuple(registry.SBOM)  # = compliance.sbom.FORMATS, without importing compliance.sbom
URI = re.compile(r"^https?://[^\s#?]+$")


def _namespace(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not URI.match(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URI without '#' or '?'")
    return value


@click.command("sbom")
@click.argument("references", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES),
              help="Output format (default: from the output file name: .spdx.json, .spdx, .spdx3.json/.jsonld, "
                   ".cdx.json).")
@click.option("-o", "--output", required=True, help="Output file ('-' for standard output). Written atomically.")
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="Also record each model's decision under this policy (an annotation).")
@click.option("--date", "date_", help="Creation (and evaluation) date, YYYY-MM-DD; default today (UTC). With --date "
                                      "the output is byte-identical across runs.")
@click.option("--name", help="Document name (default: sbom-<model> or sbom-<n>-models).")
@click.option("--namespace", "namespace_base", callback=_namespace,
              help="Base URI of the document namespace (SPDX); default https://spdx.org/spdxdocs.")
@online_option
@offline_option
def sbom_cmd(references, fmt, output, policy_path, date_, name, namespace_base, online, offline) -> int:
    """Export REFERENCES (models, as for 'inspect') with their lineage as an SBOM: SPDX 2.3 (JSON or tag-value),
    SPDX 3.0.1 JSON-LD with the AI profile, or CycloneDX 1.6 JSON.

    One package per model and per ancestor, with the declared license (as the card says) and the concluded
    license (the effective terms, lineage included); what cannot be identified is NOASSERTION with the reason,
    never a made-up id. Exit 0 when written, 2 for bad input: a bad policy or output writes nothing; a reference
    that cannot be used is named and left out, the others are exported, exit 2.
    """
    from .. import sbom
    from ..errors import ExitCode, InputError

    fmt = fmt or sbom.format_for_path(output)
    if fmt is None:
        raise InputError(f"cannot tell the SBOM format from the file name: give --format ({', '.join(sbom.FORMATS)})",
                         file=output)
    target = None if output == "-" else Path(output)
    if target is not None:
        sbom.check_writable(target)
    today = parse_date(date_)
    loaded = load_policy_with_overrides(policy_path, {}) if policy_path is not None else None
    resolver = make_resolver(online, offline)
    resolved, failures = resolve_all(resolver, references)
    if not resolved:  # nothing to export: nothing is written
        report_failures(failures)
        return ExitCode.INPUT
    document = sbom.from_resolved(resolved, resolver, date=today, policy=loaded, name=name)
    text = sbom.render(fmt, document, namespace_base=namespace_base)
    if target is None:
        click.echo(text, nl=False)
    else:
        sbom.write_atomic(target, text)
        roots = len(document.roots)
        click.echo(f"wrote {sbom.FORMATS[fmt].title} to {target}: {roots} model(s), "
                   f"{len(document.nodes) - roots} ancestor(s), {len(document.licenses)} license(s)")
    if failures:  # the SBOM holds the others; the unusable references are named and the run is exit 2
        report_failures(failures)
        return ExitCode.INPUT
    return ExitCode.OK


COMMANDS = [sbom_cmd]
