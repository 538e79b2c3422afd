"""The gate: every model reference found in files, resolved and judged like ``compliance check``.

Used by ``compliance scan`` (pre-commit and CI) and ``compliance lock``. Each distinct model is resolved and
evaluated once. A reference that cannot be resolved is not an error here: it is judged as an unknown license,
so the policy decides (fail closed). With a lock file, the lock answers offline and drift is reported.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from . import knowledge
from .errors import ComplianceError
from .evaluate import Assessment, evaluate
from .lock import Lock, LockEntry, entry_for
from .model import Fact, ModelRecord, Resolved, ResolveFinding
from .policy import LoadedPolicy
from .resolve import MIN_FILE_CONFIDENCE, Options, Resolver
from .scan import FileResult, ModelReference, scan_paths
from .scan_report import Drift, PolicyInfo, ScanItem, ScanReport  # noqa: F401 - public names
from .verdict import Verdict


def _unresolved(ref: ModelReference, problem: str) -> Resolved:
    record = ModelRecord(reference=ref.model, model=ref.model, source="reference",
                         facts={"model": (Fact(source="reference", detail=f"{ref.location} ({ref.how})"),)},
                         findings=(ResolveFinding(kind="license-unknown", severity="error", message=problem),))
    return Resolved(record=record)


def _with_modelfile_license(resolved: Resolved, ref: ModelReference, kb) -> Resolved:
    """A Modelfile's LICENSE directive is evidence of the weights' license when nothing else is known."""
    from .identify import identify_text  # only for a Modelfile LICENSE directive: keep it off the hot path

    text = ref.license_text or ""
    found = identify_text(text, kb) if text else None
    lic = kb.licenses.get(found.id) if found and found.id and found.confidence >= MIN_FILE_CONFIDENCE else kb.by_phrase(text[:200])
    if lic is None:
        return resolved
    record = resolved.record
    facts = dict(record.facts)
    facts["license"] = (Fact(source="modelfile", detail=f"{ref.file}: LICENSE directive -> {lic.id}"),)
    findings = tuple(f for f in record.findings if f.kind != "license-unknown") + (
        ResolveFinding(kind="unknown-provenance", message=(
            f"{ref.model}: the weights' origin cannot be known from a local file; the Modelfile's LICENSE directive "
            f"names {lic.name}")),)
    return resolved.model_copy(update={"record": record.model_copy(update={
        "licenses": (*record.licenses, lic.id) if lic.id not in record.licenses else record.licenses,
        "facts": facts, "findings": findings})})


class Gate:
    def __init__(self, policy: LoadedPolicy, *, today: _dt.date, online: bool = False, lock: Lock | None = None,
                 resolver: Resolver | None = None):
        self.policy = policy
        self.today = today
        self.kb = knowledge.default()
        self.resolver = resolver or Resolver(Options(online=online))
        self.lock = lock
        self._cache: dict[tuple[str, str, str], tuple[Assessment, bool]] = {}
        self._verdicts: dict[int, Verdict] = {}  # id of a cached assessment -> its verdict (one per distinct model)

    def resolve(self, ref: ModelReference) -> tuple[Resolved, bool]:
        """(resolved, answered from the lock)."""
        base = Path(ref.file).parent
        is_path = ref.model.startswith(("/", "./", "../", "~")) or ref.model.lower().endswith((".gguf", ".safetensors", ".bin"))
        raw = str((base / ref.model).resolve()) if is_path and not ref.model.startswith(("/", "~")) else ref.model
        try:
            resolved = self.resolver.resolve(raw)
            if is_path:  # keep the reference as written, not the absolute path it resolved to
                resolved = resolved.model_copy(update={"record": resolved.record.model_copy(update={"reference": ref.model})})
        except ComplianceError as exc:
            entry = self.lock.get(ref.model) if self.lock else None
            if entry is not None:
                return entry.resolved, True
            problem = exc.message
            if is_path:
                problem = f"{ref.model}: a local weights file or folder whose origin cannot be known here"
            resolved = _unresolved(ref, problem)
        if ref.license_text:
            resolved = _with_modelfile_license(resolved, ref, self.kb)
        return resolved, False

    def assess(self, ref: ModelReference) -> tuple[Assessment, bool]:
        key = (ref.model, str(Path(ref.file).parent) if ref.model.startswith((".", "/", "~")) else "", ref.license_text or "")
        if key not in self._cache:
            resolved, from_lock = self.resolve(ref)
            self._cache[key] = (evaluate(resolved, self.policy, self.kb, today=self.today), from_lock)
        return self._cache[key]

    def run(self, paths: list[str], *, root: Path | None = None, exclude: tuple[str, ...] = ()) -> ScanReport:
        return self.judge(scan_paths(paths, root=root, exclude=exclude))

    def judge(self, files: list[FileResult]) -> ScanReport:
        report = ScanReport(self.policy, self.today, files)
        if self.lock is not None and self.lock.policy_sha256 != self.policy.sha256:
            report.drift.append(Drift("policy", f"the policy changed since the lock was written (locked "
                                                f"{self.lock.policy_sha256[:12]}…, now {self.policy.sha256[:12]}…)"))
        for result in files:
            for ref in result.references:
                assessment, from_lock = self.assess(ref)
                verdict = self._verdicts.get(id(assessment))
                if verdict is None:  # the assessment is cached (self._cache keeps it alive): so is its verdict
                    verdict = self._verdicts[id(assessment)] = Verdict.of(assessment)
                item = ScanItem(ref, verdict, from_lock, assessment=assessment)
                report.items.append(item)
                self._waiver(item, report)
                if self.lock is not None:
                    report.drift.extend(self._drift(ref, assessment, self.lock.get(ref.model)))
        return report

    def catalog_items(self) -> list[tuple[ScanItem, list[Drift]]]:
        """Every catalog id, alias, legacy Hub id and Ollama name judged as a bare reference, with its lock drift: what the
        pre-commit hook precomputes once per policy, knowledge base, date and lock (``hookcache.store``)."""
        from . import catalog

        found = []
        for name in sorted({n for e in catalog.default() for n in (e.id, *e.aliases, *e.legacy_ids, *e.ollama)}):
            ref = ModelReference(file="", line=0, column=0, text=name, model=name, how="catalog")
            assessment, from_lock = self.assess(ref)
            drift = self._drift(ref, assessment, self.lock.get(name)) if self.lock is not None else []
            found.append((ScanItem(ref, Verdict.of(assessment), from_lock), drift))
        return found

    def _waiver(self, item: ScanItem, report: ScanReport) -> None:
        waiver = item.ref.waiver
        if waiver is None:
            return
        names = (waiver.model, item.assessment.model, item.ref.model)
        matches = [e for e in self.policy.policy.exceptions if e.matches(*names)
                   and (waiver.ticket is None or e.ticket == waiver.ticket)]
        valid = [e for e in matches if e.expires >= self.today]
        if valid:
            e = valid[0]
            item.waiver_note = (f"inline waiver honoured: exception for rule {e.rule}, approved by {e.approved_by}"
                                f" until {e.expires}" + (f" ({e.ticket})" if e.ticket else ""))
        else:
            why = "its exception expired" if matches else "the policy has no matching exception"
            item.waiver_note = f"inline waiver for {waiver.model}{' ' + waiver.ticket if waiver.ticket else ''} not honoured: {why}"
            report.unmatched_waivers.append(item)

    def _drift(self, ref: ModelReference, assessment: Assessment, entry: LockEntry | None) -> list[Drift]:
        return drift_between(ref.model, assessment.subject, entry, ref)


def lock_from(report: ScanReport, policy: LoadedPolicy, kb_version: str) -> Lock:
    entries: dict[str, LockEntry] = {}
    locations: dict[str, list[str]] = {}
    for item in report.items:
        locations.setdefault(item.ref.model, []).append(f"{item.ref.file}:{item.ref.line}")
    for item in report.items:
        model = item.ref.model
        if model not in entries:
            entries[model] = entry_for(model, item.assessment.subject, item.assessment.decision, locations[model])
    return Lock(policy.name, policy.sha256, kb_version, entries)


def drift_between(name: str, resolved: Resolved, entry: LockEntry | None,
                  ref: ModelReference | None = None) -> list[Drift]:
    """What changed for one model since it was locked: absent from the lock, another revision, another license text."""
    if entry is None:
        return [Drift("not-locked", f"{name} is not in the lock (run compliance lock)", ref)]
    record = resolved.record
    found: list[Drift] = []
    if entry.revision and record.revision and entry.revision != record.revision:
        found.append(Drift("revision", f"{name}: revision {record.revision} differs from the locked {entry.revision}", ref))
    current = {lf.name: lf.sha256 for lf in record.license_files}
    for file, digest in entry.license_files.items():
        if file in current and current[file] != digest:
            found.append(Drift("license-text", f"{name}: license text {file} changed since locked "
                                               f"({digest[:12]}… -> {current[file][:12]}…)", ref))
    return found


def resolve_locked(resolver: Resolver, lock: Lock, raw: str) -> tuple[Resolved, bool, list[Drift]]:
    """Resolve ``raw`` now; when that is impossible here (offline, not cached), answer from the lock."""
    entry = lock.get(raw)
    try:
        resolved = resolver.resolve(raw)
    except ComplianceError:
        if entry is None:
            raise
        return entry.resolved, True, []
    return resolved, False, drift_between(raw, resolved, entry)
