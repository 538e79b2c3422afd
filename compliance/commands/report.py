"""``compliance report``: the audit report a legal reviewer signs, as PDF, HTML, Markdown or JSON.

Only click is imported here at start-up; jinja2 and (for PDF) weasyprint are imported inside the command.
Every output is written to a temporary file beside its target and renamed into place only once every format
has rendered, so a failure leaves nothing half-written.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..cli_options import offline_option, online_option, organization_options, overrides_from
from ..decisions import exit_code
from ..errors import ExitCode, InputError
from ..fileio import atomic_write_many, check_writable, is_pass_through
from ..formats import registry
from .common import load_policy_with_overrides, make_resolver, parse_date, report_failures, resolve_all

EXTENSIONS = {name: fmt.suffixes[0] for name, fmt in registry.REPORT.items()}  # pdf: .pdf, markdown: .md …
SUFFIXES = {suffix: name for name, fmt in registry.REPORT.items() for suffix in fmt.suffixes}
SEED_FILE = "seed-models.txt"
DEMO_POLICY = "eu-saas.yaml"


def read_references(path: Path) -> list[str]:
    """References one per line; blank lines and ``#`` comments (whole-line or after whitespace) are skipped."""
    from ..yamlio import read_text

    refs = []
    for line in read_text(path, what="reference list").splitlines():
        line = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if line and not line.startswith("#"):
            refs.append(line)
    return refs


def output_paths(out: str, formats: list[str]) -> dict[str, Path]:
    """``-o OUT`` is the file for one format (its extension added unless OUT already has it) or, for several, a
    base path each format adds its extension to (a report extension on OUT is dropped first)."""
    base = Path(out)
    if is_pass_through(base):  # /dev/null, a FIFO: written through as named, never given an extension
        if len(formats) > 1:
            raise InputError("is a device or FIFO; several formats need a base file name (each adds its extension)",
                             file=out)
        return {formats[0]: base}
    if len(formats) == 1:
        fmt = formats[0]
        return {fmt: base if SUFFIXES.get(base.suffix.lower()) == fmt else base.with_name(base.name + EXTENSIONS[fmt])}
    if base.suffix.lower() in SUFFIXES:
        base = base.with_suffix("")
    return {fmt: base.with_name(base.name + EXTENSIONS[fmt]) for fmt in formats}


@click.command("report")
@click.argument("references", nargs=-1)
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="The organization's policy file (YAML). With --demo: policies/eu-saas.yaml unless given.")
@click.option("--format", "formats", multiple=True, type=click.Choice(list(EXTENSIONS)),
              help="Report format (repeatable: each writes OUT plus its extension). Default pdf; with --demo, pdf "
                   "and markdown.")
@click.option("-o", "--output", "out", help="Output file, or base path when several formats are given (each adds "
                                            "its extension). '-' or none: standard output, for one text format.")
@click.option("--from", "from_file", type=click.Path(path_type=Path),
              help="Read references from FILE, one per line (# comments).")
@click.option("--demo", is_flag=True, help="Report on the models of the seed article (reports/seed-models.txt) "
                                          "against policies/eu-saas.yaml, offline.")
@click.option("--date", "date_", help="Evaluation date (YYYY-MM-DD, default today, UTC): exceptions expire against "
                                      "it and the report carries it; the same inputs and date give the same bytes.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF page size.")
@click.option("--title", help="Report title (default: 'Open-weight model compliance report'; the organization is "
                              "on the cover).")
@click.option("--fail-on", type=click.Choice(["never", "deny", "review"]), default="never", show_default=True,
              help="Exit 1 when a model is denied (or, with review, reviewed too). By default a written report "
                   "is exit 0.")
@organization_options
@online_option
@offline_option
def report_cmd(references, policy_path, formats, out, from_file, demo, date_, paper, title, fail_on, mau, dau, revenue,
               domicile, regions, use, sector, online, offline) -> int:
    """Write an audit report a legal reviewer can sign: cover with the overall result and a sign-off block,
    summary table, every model with its identity, lineage, findings and clauses, waivers, the obligations
    checklist deduplicated across models, and the policy and knowledge-base records cited.

    REFERENCES as for 'check' (org/name, Hub URL, Ollama name, local folder). Exit 0 when the report was written
    (--fail-on deny|review: 1 when a model is denied or reviewed), 2 for bad input: a bad policy or output
    writes nothing; a reference that cannot be used is named and left out, the others are reported, exit 2.

    \b
    compliance report --demo --format pdf --format markdown -o out/audit
    compliance report org/model --policy policy.yaml --format pdf -o report.pdf
    """
    from ..resources import policies_dir, reports_dir

    refs = list(references)
    if from_file is not None:
        refs += read_references(from_file)
    if demo:
        refs += read_references(reports_dir() / SEED_FILE)
        policy_path = policy_path or policies_dir() / DEMO_POLICY
        offline = True
    if not refs:
        raise click.UsageError("name at least one model (REFERENCES, --from FILE or --demo)")
    if policy_path is None:
        raise click.UsageError("--policy FILE is required (or --demo)")
    formats = list(dict.fromkeys(formats or (("pdf", "markdown") if demo else ("pdf",))))
    to_stdout = out in (None, "-")
    if to_stdout and (len(formats) > 1 or "pdf" in formats):
        raise click.UsageError("give -o OUT for a PDF or several formats")
    if not to_stdout and Path(out).is_dir():
        raise InputError("is a directory; -o takes a file name (or, with several formats, a base name such as "
                         f"{Path(out) / 'audit'})", file=out)
    targets = {} if to_stdout else output_paths(out, formats)
    for path in targets.values():
        check_writable(path, make_parents=True)

    from .. import knowledge
    from ..evaluate import evaluate
    from ..report import build_report

    kb = knowledge.default()
    loaded = load_policy_with_overrides(policy_path, overrides_from(mau, dau, revenue, domicile, regions, use, sector))
    today = parse_date(date_)
    resolved, failures = resolve_all(make_resolver(online, offline), refs)
    if not resolved:  # nothing to report on: nothing is written
        report_failures(failures)
        return ExitCode.INPUT
    assessments = [evaluate(r, loaded, kb, today=today) for r in resolved]
    report = build_report(assessments, loaded, kb, date=today, paper="A4" if paper == "a4" else "letter", title=title)

    rendered = {fmt: render(fmt, report, assessments, kb) for fmt in formats}
    if to_stdout:
        click.echo(rendered[formats[0]].decode("utf-8"), nl=False)
    else:
        atomic_write_many({targets[fmt]: data for fmt, data in rendered.items()})
        for fmt in formats:
            click.echo(f"wrote {targets[fmt]}")
        click.echo(f"{report.decision.upper()}: {report.count_text} · {len(assessments)} models · policy "
                   f"{report.policy_name} · evaluated {today.isoformat()}")
    if failures:  # the report covers the others; the unusable references are named and the run is exit 2
        report_failures(failures)
        click.echo(f"compliance: {len(failures)} of {len(refs)} reference(s) could not be used and are not in the "
                   "report", err=True)
        return ExitCode.INPUT
    return exit_code([a.decision for a in assessments], fail_on)


def render(fmt: str, report, assessments, kb) -> bytes:
    """One report format as bytes, through the renderer the format registry names."""
    spec = registry.REPORT[fmt]
    function = registry.load(spec)
    if fmt == "json":
        import json

        return (json.dumps(function(report, assessments, kb), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    out = function(report)
    return out if isinstance(out, bytes) else out.encode("utf-8")


COMMANDS = [report_cmd]
