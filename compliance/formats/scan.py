"""``compliance scan`` output: text for people, JSON, SARIF 2.1.0 for code scanning, GitHub annotations."""
from __future__ import annotations

TYPE_CHECKING = False  # without importing typing: the pre-commit hook renders with this module
if TYPE_CHECKING:
    from typing import Any

from .. import __version__
from ..scan_report import ScanItem, ScanReport

LEVEL = {"deny": "error", "review": "warning", "allow": "note"}
RULE_HELP = {
    "license": "The identified license is on the policy's deny list, or not on its allow list.",
    "unknown-license": "No license could be identified for the model (or a declared license is unknown).",
    "origin": "The publisher (or a base model's publisher) is in a country the policy excludes.",
    "user-threshold": "The organization's users or revenue exceed (limit x headroom) of a license cap.",
    "territory": "The license withholds rights where the organization is domiciled or offers its product.",
    "non-commercial": "The license allows non-commercial or research use only.",
    "registration": "Commercial use requires registration with, or an application to, the licensor.",
    "attribution": "The license requires an attribution duty the policy has not accepted.",
    "acceptable-use": "The license incorporates an acceptable-use policy by reference.",
    "output-use": "The license restricts using outputs to improve other models, and the organization does.",
    "field-of-use": "The license restricts fields of use (military, medical advice, ...).",
    "lineage": "The model's declared license is inconsistent with its base models' (or lineage is unknown).",
    "remote-restriction": "The licensor may restrict use remotely, or the license ends automatically.",
    "copyleft": "The license is copyleft or share-alike: what you share must stay under it (AGPL: hosted services too).",
    "no-derivatives": "The license forbids sharing adapted material: a fine-tune may not be distributed.",
}


SHOWN_PER_MODEL = 5  # locations listed per model in text output; --format json keeps every one
ANNOTATIONS_PER_MODEL = 10  # GitHub shows only so many annotations per run
SHOWN_SKIPPED = 10
ORDER = {"deny": 0, "review": 1, "allow": 2}


def _main(item: ScanItem):
    return item.verdict.main


def _where(item: ScanItem) -> str:
    extra = ""
    if item.waiver_note:
        extra += f" — {item.waiver_note}"
    if item.from_lock:
        extra += " — answered from the lock file (not resolvable here)"
    return f"{item.ref.location} [{item.ref.how}]{extra}"


def _groups(report: ScanReport) -> list[tuple[str, list[ScanItem]]]:
    groups = report.by_model()
    return sorted(groups.items(), key=lambda kv: (min(ORDER[i.verdict.decision] for i in kv[1]), kv[0].lower()))


def summary_line(report: ScanReport) -> str:
    groups = report.by_model()
    counts = {d: sum(1 for items in groups.values() if worst_of(items) == d) for d in ("deny", "review", "allow")}
    datasets = report.datasets
    skipped = report.skipped
    return (f"{report.decision.upper()}: {len(report.items)} model reference(s) to {len(groups)} model(s) in "
            f"{report.files_with_references} of {report.files_scanned} file(s) scanned — models: {counts['deny']} deny, "
            f"{counts['review']} review, {counts['allow']} allow"
            + (f"; {len(report.drift)} drift" if report.drift else "")
            + (f"; {len(datasets)} dataset reference(s), {_dataset_summary(report)}" if datasets else "")
            + (f"; {len(skipped)} file(s) skipped" if skipped else "")
            + f" · policy {report.policy.name}")


def _dataset_summary(report: ScanReport) -> str:
    """``license not evaluated`` offline; online, how many dataset licenses are identified, unknown, unavailable."""
    names = {d.model for d in report.datasets}
    if not report.dataset_licenses:
        return "license not evaluated"
    counts: dict[str, int] = {}
    for name in names:
        status = report.dataset_license(name).status
        counts[status] = counts.get(status, 0) + 1
    restricted = sum(1 for n in names if report.dataset_license(n).status == "identified"
                     and set(report.dataset_license(n).categories) & RESTRICTING)
    parts = [f"{counts[s]} {s}" for s in ("identified", "unknown", "unavailable", "not evaluated") if counts.get(s)]
    return "dataset licenses: " + ", ".join(parts) + (f" ({restricted} with restricting terms)" if restricted else "")


def _dataset_counts(report: ScanReport) -> dict[str, Any]:
    """Online only: datasets by license status (the key is absent offline, where none is evaluated)."""
    if not report.dataset_licenses:
        return {}
    counts: dict[str, int] = {}
    for name in sorted({d.model for d in report.datasets}):
        status = report.dataset_license(name).status
        counts[status] = counts.get(status, 0) + 1
    return {"dataset_licenses": counts}


RESTRICTING = frozenset({"non-commercial", "research-only", "registration-required", "share-alike", "copyleft",
                         "network-copyleft", "no-derivatives", "unknown", "proprietary"})


def worst_of(items: list[ScanItem]) -> str:
    return min((i.verdict.decision for i in items), key=lambda d: ORDER[d])


def scan_text(report: ScanReport, *, verbose: bool = False) -> str:
    """Grouped by model, most severe first: decision, model, reason, then its locations ("and N more")."""
    lines = []
    for model, items in _groups(report):
        decision = worst_of(items)
        waived = [i for i in items if i.waiver_note]
        if decision == "allow" and not verbose and not waived:
            continue
        first = next(i for i in items if i.verdict.decision == decision)
        resolved = f" (resolved as {first.verdict.model})" if first.verdict.model != model else ""
        lines.append(f"{decision.upper()} {model}{resolved} — {len(items)} reference(s)")
        lines.append(f"    {first.verdict.main_reason}")
        shown = items if verbose else items[:SHOWN_PER_MODEL]
        lines.extend(f"    {_where(i)}" for i in shown)
        for i in items[len(shown):]:
            if i.waiver_note:
                lines.append(f"    {_where(i)}")
        rest = len(items) - len(shown) - sum(1 for i in items[len(shown):] if i.waiver_note)
        if rest > 0:
            lines.append(f"    … and {rest} more (--format json lists every location)")
    for d in report.drift:
        where = f"{d.reference.location}: " if d.reference else ""
        lines.append(f"{where}DRIFT {d.kind}: {d.message}")
    datasets = report.datasets
    if datasets:
        by_id: dict[str, list] = {}
        for d in datasets:
            by_id.setdefault(d.model, []).append(d)
        lines.append(f"Datasets: {len(by_id)} dataset(s), {len(datasets)} reference(s) — {_dataset_summary(report)}")
        for name in sorted(by_id, key=str.lower):
            refs = by_id[name]
            where = ", ".join(f"{r.file}:{r.line}" for r in refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
            label = f" — {report.dataset_license(name).label()}" if report.dataset_licenses else ""
            lines.append(f"    {name}{label} — {where}")
    skipped = report.skipped
    if skipped:
        lines.append(f"Skipped: {len(skipped)} file(s) not (fully) scanned")
        for f in skipped if verbose else skipped[:SHOWN_SKIPPED]:
            lines.append(f"    {f.path}: skipped ({f.skipped or f.partial})")
        if not verbose and len(skipped) > SHOWN_SKIPPED:
            lines.append(f"    … and {len(skipped) - SHOWN_SKIPPED} more (-v lists them)")
    if verbose:
        for f in report.files:
            if f.ignored:
                lines.append(f"{f.path}: skipped ({f.skipped})")
    return "\n".join([*lines, summary_line(report)])


def scan_json(report: ScanReport) -> dict[str, Any]:
    groups = report.by_model()
    return {
        "schema_version": 1,
        "policy": {"name": report.policy.name, "sha256": report.policy.sha256},
        "date": report.date.isoformat(),
        "decision": report.decision,
        "files_scanned": report.files_scanned,
        "summary": {"files_scanned": report.files_scanned, "files_with_references": report.files_with_references,
                    "references": len(report.items), "models": len(groups), "datasets": len({d.model for d in report.datasets}),
                    "dataset_references": len(report.datasets), "files_skipped": len(report.skipped),
                    **_dataset_counts(report)},
        "models": [{"model": model, "decision": worst_of(items), "resolved": items[0].verdict.model,
                    "main_reason": next(i for i in items if i.verdict.decision == worst_of(items)).verdict.main_reason,
                    "licenses": items[0].verdict.licenses, "references": len(items)} for model, items in _groups(report)],
        "references": [{
            "file": i.ref.file, "line": i.ref.line, "column": i.ref.column, "text": i.ref.text, "model": i.ref.model,
            "how": i.ref.how, "resolved": i.verdict.model, "decision": i.verdict.decision,
            "main_reason": i.verdict.main_reason, "licenses": list(i.verdict.licenses),
            "rules": sorted({f.rule for f in i.verdict.findings}),
            "waiver": i.waiver_note, "from_lock": i.from_lock, "notes": i.ref.notes,
        } for i in report.items],
        "datasets": [{"dataset": d.model, "file": d.file, "line": d.line, "column": d.column, "text": d.text,
                      "how": d.how, **report.dataset_license(d.model).as_json()} for d in report.datasets],
        "drift": [{"kind": d.kind, "message": d.message,
                   "file": d.reference.file if d.reference else None,
                   "line": d.reference.line if d.reference else None} for d in report.drift],
        "skipped": [{"file": f.path, "reason": f.skipped or f.partial, "partial": bool(f.partial and not f.skipped)}
                    for f in report.skipped],
    }


def _fingerprint(*parts: str) -> str:
    import hashlib  # here, not at the top: the hook's text output needs no digest

    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]  # non-UTF-8 names


def scan_sarif(report: ScanReport) -> dict[str, Any]:
    """SARIF 2.1.0 as GitHub code scanning ingests it: rules with stable ids and help, one result per denied or
    reviewed reference at its location, partialFingerprints stable across commits (rule, model, file, text)."""
    from ..policy import RULE_IDS

    rules = [{
        "id": rule, "name": "".join(w.capitalize() for w in rule.split("-")),
        "shortDescription": {"text": RULE_HELP[rule]}, "fullDescription": {"text": RULE_HELP[rule]},
        "help": {"text": f"{RULE_HELP[rule]} Run `compliance explain MODEL --policy POLICY` for the clause.",
                 "markdown": f"{RULE_HELP[rule]}\n\nRun `compliance explain MODEL --policy POLICY` to see the clause."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["license", "compliance", "ai-model"]},
    } for rule in RULE_IDS]
    rule_index = {rule: n for n, rule in enumerate(RULE_IDS)}
    results = []
    seen: dict[tuple[str, ...], int] = {}
    for item in report.items:
        main = _main(item)
        if main is None:
            continue
        ref = item.ref
        # unique per location, stable when lines move: the n-th occurrence of this text for this model in this file
        occurrence_key = (main.rule, ref.model, ref.file, ref.text)
        seen[occurrence_key] = seen.get(occurrence_key, 0) + 1
        results.append({
            "ruleId": main.rule,
            "ruleIndex": rule_index[main.rule],
            "level": LEVEL[main.decision],
            "message": {"text": f"{ref.model}: {main.decision} — {main.message}"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": ref.file, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": ref.line, "startColumn": ref.column,
                           "endColumn": ref.column + max(1, len(ref.text))},
            }}],
            "partialFingerprints": {"compliance/v1": _fingerprint(main.rule, ref.model, ref.file, ref.text,
                                                                  str(seen[occurrence_key]))},
            "properties": {"decision": item.verdict.decision, "model": item.verdict.model,
                           "licenses": list(item.verdict.licenses)},
        })
    for d in report.drift:
        if d.reference is None:
            continue
        ref = d.reference
        results.append({
            "ruleId": "lineage" if d.kind in ("revision", "license-text") else "unknown-license",
            "ruleIndex": rule_index["lineage" if d.kind in ("revision", "license-text") else "unknown-license"],
            "level": "warning",
            "message": {"text": f"lock drift ({d.kind}): {d.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": ref.file, "uriBaseId": "%SRCROOT%"},
                                                "region": {"startLine": ref.line, "startColumn": ref.column}}}],
            "partialFingerprints": {"compliance/v1": _fingerprint("drift", d.kind, ref.model, ref.file)},
        })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "compliance", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://example.invalid/compliance", "rules": rules}},
            "automationDetails": {"id": f"compliance/{report.policy.name}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///"}},
            "results": results,
            "properties": {"policy": report.policy.name, "policySha256": report.policy.sha256,
                           "date": report.date.isoformat(),
                           "summary": summary_line(report),
                           "datasets": [_sarif_dataset(report, d) for d in report.datasets],
                           "skipped": [{"file": f.path, "reason": f.skipped or f.partial} for f in report.skipped]},
        }],
    }


def _sarif_dataset(report: ScanReport, d) -> dict[str, Any]:
    lic = report.dataset_license(d.model)
    out: dict[str, Any] = {"dataset": d.model, "file": d.file, "line": d.line,
                           "license": lic.label().removeprefix("license ")}
    if lic.status != "not evaluated":
        out.update({"license_status": lic.status, "licenses": list(lic.licenses), "categories": list(lic.categories)})
    return out


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def scan_github(report: ScanReport) -> str:
    """GitHub Actions workflow commands: an ::error / ::warning annotation per denied / reviewed reference, at most
    ANNOTATIONS_PER_MODEL per model (then one notice for the rest), and the summary line."""
    lines = []
    for model, items in _groups(report):
        flagged = [(i, _main(i)) for i in items if _main(i) is not None]
        for item, main in flagged[:ANNOTATIONS_PER_MODEL]:
            command = "error" if main.decision == "deny" else "warning"
            ref = item.ref
            title = _escape_property(f"compliance {main.rule}: {ref.model}")
            lines.append(f"::{command} file={_escape_property(ref.file)},line={ref.line},col={ref.column},"
                         f"title={title}::{_escape_data(main.message)}")
        if len(flagged) > ANNOTATIONS_PER_MODEL:
            rest = flagged[ANNOTATIONS_PER_MODEL:]
            where = ", ".join(f"{i.ref.file}:{i.ref.line}" for i, _ in rest[:20]) + (" …" if len(rest) > 20 else "")
            lines.append(f"::notice title={_escape_property(f'compliance: {model}')}::"
                         + _escape_data(f"{len(rest)} more reference(s) to {model} not annotated: {where}"))
    for d in report.drift:
        if d.reference is not None:
            lines.append(f"::warning file={_escape_property(d.reference.file)},line={d.reference.line},"
                         f"title=compliance lock drift::{_escape_data(d.message)}")
    if report.dataset_licenses:  # online: one annotation per dataset, at its first reference
        first: dict[str, Any] = {}
        for d in report.datasets:
            first.setdefault(d.model, d)
        for name in sorted(first, key=str.lower):
            d, lic = first[name], report.dataset_license(name)
            command = "warning" if set(lic.categories) & RESTRICTING or lic.status != "identified" else "notice"
            lines.append(f"::{command} file={_escape_property(d.file)},line={d.line},col={d.column},"
                         f"title={_escape_property(f'compliance dataset: {name}')}::"
                         + _escape_data(f"dataset {name}: {lic.label()} (datasets are listed, not judged)"))
    lines.append(_escape_data(summary_line(report)))
    return "\n".join(lines)
