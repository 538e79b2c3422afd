"""``compliance licenses``, ``explain``, ``identify`` and ``kb schema``: the knowledge base and license texts."""
from __future__ import annotations

from pathlib import Path

import click

from ..cli_options import FORMAT_TEXT_JSON, offline_option, online_option
from ..errors import ComplianceError, ExitCode
from .common import emit_json, load_policy_with_overrides, make_resolver, parse_date


def license_rows(kb) -> list[dict]:
    """One JSON row per license record (``licenses --format json``)."""
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
    return rows


@click.command("licenses")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def licenses_cmd(fmt: str) -> int:
    """List the licenses in the embedded knowledge base."""
    from .. import knowledge, present
    from ..formats.table import render_table

    kb = knowledge.default()
    rows = license_rows(kb)
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


@click.command("explain")
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
    from .. import knowledge

    kb = knowledge.default()
    if policy_path is not None:
        from ..evaluate import evaluate
        from ..formats.check import explain_text, result_json

        loaded = load_policy_with_overrides(policy_path, {})
        today = parse_date(date_)
        resolved = make_resolver(online, offline).resolve(subject)
        assessment = evaluate(resolved, loaded, kb, today=today)
        if fmt == "json":
            emit_json(result_json(assessment, kb))
        else:
            click.echo(explain_text(assessment, kb))
        return ExitCode.OK
    from ..formats.license import license_text

    lic = kb.get(subject) or kb.by_hf_id(subject) or kb.by_alias(subject)
    if lic is not None:
        if fmt == "json":
            emit_json(lic.model_dump(mode="json", exclude_none=True))
        else:
            click.echo(license_text(lic, kb))
        return ExitCode.OK
    return _explain_model(subject, kb, fmt, online, offline)


def _explain_model(subject: str, kb, fmt: str, online: bool, offline: bool) -> int:
    """``explain MODEL`` without a policy: the licenses the model is under (its own, its card's further terms and
    its ancestors'), each with every term and clause. Exit 2 when SUBJECT is neither a license nor a model."""
    from ..formats.license import license_text

    try:
        resolved = make_resolver(online, offline).resolve(subject)
    except ComplianceError as exc:
        raise ComplianceError(f"unknown license {subject!r}, and not a model either ({exc}); 'compliance "
                              "licenses' lists the known ids") from None
    ids = resolved.effective_licenses()
    known = [kb.licenses[i] for i in ids if i in kb.licenses]
    unknown = [i for i in ids if i not in kb.licenses]
    if fmt == "json":
        emit_json({"model": resolved.record.model, "licenses": list(ids), "unknown": unknown,
                   "records": [r.model_dump(mode="json", exclude_none=True) for r in known]})
    else:
        head = f"{resolved.record.model}: " + (", ".join(ids) if ids else "no license identified")
        notes = [f"{i}: not in the knowledge base (unknown terms; a policy treats it as unknown)" for i in unknown]
        click.echo("\n\n".join([head + "".join(f"\n  {n}" for n in notes)] + [license_text(r, kb) for r in known]))
    return ExitCode.OK if ids and not unknown else ExitCode.INPUT


@click.command("identify")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def identify_cmd(files: tuple[Path, ...], fmt: str) -> int:
    """Say which known license each FILE is (LICENSE, USE_POLICY, NOTICE…), how sure, why, and the terms it states."""
    from ..formats.identify import identify_report
    from ..identify import identify_file

    results = [identify_file(path) for path in files]
    if fmt == "json":
        emit_json([r.to_dict() for r in results])
    else:
        click.echo(identify_report(results))
    failed = [r for r in results if r.error]
    for r in failed:
        click.echo(f"compliance: {r.file}: {r.error}", err=True)
    return ExitCode.INPUT if failed else ExitCode.OK


@click.group("kb")
def kb_group() -> None:
    """The embedded knowledge base (maintainers)."""


@kb_group.command("schema")
def kb_schema_cmd() -> int:
    """Print the JSON Schema of a license record (kept in licenses/schema.json)."""
    from ..schemas import license_schema

    click.echo(license_schema())
    return ExitCode.OK


COMMANDS = [licenses_cmd, explain_cmd, identify_cmd, kb_group]
