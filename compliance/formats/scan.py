"""``compliance scan`` output: text for people, JSON, SARIF 2.1.0 for code scanning, GitHub annotations."""
from __future__ import annotations

import hashlib
from typing import Any

from .. import __version__
from ..gate import ScanItem, ScanReport
from ..policy import RULE_IDS

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


def _main(item: ScanItem):
    live = [f for f in item.assessment.findings if not f.waived and f.decision != "allow"]
    order = {"deny": 0, "review": 1}
    return min(live, key=lambda f: order[f.decision]) if live else None


def scan_text(report: ScanReport, *, verbose: bool = False) -> str:
    lines = []
    shown = 0
    for item in report.items:
        a = item.assessment
        if a.decision == "allow" and not verbose and not item.waiver_note:
            continue
        shown += 1
        lines.append(f"{item.ref.location}: {a.decision.upper()} {item.ref.model} [{item.ref.how}]")
        lines.append(f"    {a.main_reason}")
        if item.waiver_note:
            lines.append(f"    {item.waiver_note}")
        if item.from_lock:
            lines.append("    answered from the lock file (not resolvable here)")
    for d in report.drift:
        where = f"{d.reference.location}: " if d.reference else ""
        lines.append(f"{where}DRIFT {d.kind}: {d.message}")
    for f in report.skipped:
        if verbose:
            lines.append(f"{f.path}: skipped ({f.skipped})")
    counts = {d: sum(1 for i in report.items if i.assessment.decision == d) for d in ("deny", "review", "allow")}
    files = len(report.files)
    summary = (f"{report.decision.upper()}: {len(report.items)} model reference(s) in {files} file(s) — "
               f"{counts['deny']} deny, {counts['review']} review, {counts['allow']} allow"
               + (f"; {len(report.drift)} drift" if report.drift else "")
               + f" · policy {report.policy.name}")
    return "\n".join([*lines, summary])


def scan_json(report: ScanReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "policy": {"name": report.policy.name, "sha256": report.policy.sha256},
        "date": report.date.isoformat(),
        "decision": report.decision,
        "files_scanned": len(report.files),
        "references": [{
            "file": i.ref.file, "line": i.ref.line, "column": i.ref.column, "text": i.ref.text, "model": i.ref.model,
            "how": i.ref.how, "resolved": i.assessment.model, "decision": i.assessment.decision,
            "main_reason": i.assessment.main_reason, "licenses": list(i.assessment.subject.effective_licenses()),
            "rules": sorted({f.rule for f in i.assessment.findings if not f.waived and f.decision != "allow"}),
            "waiver": i.waiver_note, "from_lock": i.from_lock, "notes": i.ref.notes,
        } for i in report.items],
        "drift": [{"kind": d.kind, "message": d.message,
                   "file": d.reference.file if d.reference else None,
                   "line": d.reference.line if d.reference else None} for d in report.drift],
        "skipped": [{"file": f.path, "reason": f.skipped} for f in report.skipped],
    }


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]  # non-UTF-8 names


def scan_sarif(report: ScanReport) -> dict[str, Any]:
    """SARIF 2.1.0 as GitHub code scanning ingests it: rules with stable ids and help, one result per denied or
    reviewed reference at its location, partialFingerprints stable across commits (rule, model, file, text)."""
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
    for item in report.items:
        main = _main(item)
        if main is None:
            continue
        ref = item.ref
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
            "partialFingerprints": {"compliance/v1": _fingerprint(main.rule, ref.model, ref.file, ref.text)},
            "properties": {"decision": item.assessment.decision, "model": item.assessment.model,
                           "licenses": list(item.assessment.subject.effective_licenses())},
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
                           "date": report.date.isoformat()},
        }],
    }


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def scan_github(report: ScanReport) -> str:
    """GitHub Actions workflow commands: one ::error / ::warning annotation per denied / reviewed reference."""
    lines = []
    for item in report.items:
        main = _main(item)
        if main is None:
            continue
        command = "error" if main.decision == "deny" else "warning"
        ref = item.ref
        title = _escape_property(f"compliance {main.rule}: {ref.model}")
        lines.append(f"::{command} file={_escape_property(ref.file)},line={ref.line},col={ref.column},"
                     f"title={title}::{_escape_data(main.message)}")
    for d in report.drift:
        if d.reference is not None:
            lines.append(f"::warning file={_escape_property(d.reference.file)},line={d.reference.line},"
                         f"title=compliance lock drift::{_escape_data(d.message)}")
    lines.append(_escape_data(scan_text(report).splitlines()[-1]))
    return "\n".join(lines)
