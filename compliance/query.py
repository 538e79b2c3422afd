"""Procurement's question: which catalog models may we use under this policy, and why not."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import catalog as catalog_mod
from . import knowledge
from .countries import canonical, overlaps
from .evaluate import SEVERITY, Assessment, evaluate
from .policy import LoadedPolicy
from .resolve import Options, Resolver


@dataclass
class Row:
    assessment: Assessment
    params_b: float | None

    @property
    def licenses(self) -> tuple[str, ...]:
        return self.assessment.subject.effective_licenses()


def run_query(policy: LoadedPolicy, *, today: _dt.date, decisions=(), license_ids=(), publisher=None, origin=None,
              modality=None, min_params=None, commercial=False, sort_key="decision", resolver: Resolver | None = None,
              ) -> list[Row]:
    kb = knowledge.default()
    cat = catalog_mod.default()
    resolver = resolver or Resolver(Options(online=False))
    origin_code = canonical(origin) if origin else None
    rows: list[Row] = []
    for entry in cat:
        if min_params is not None and (entry.params_b or 0) < min_params:
            continue
        resolved = resolver.resolve(entry.id)
        record = resolved.record
        if modality and record.modality != modality:
            continue
        if publisher:
            wanted = publisher.lower()
            if wanted != (record.publisher or "").lower() and wanted not in (record.publisher_name or "").lower():
                continue
        if origin_code and not (record.country and overlaps(record.country, origin_code)):
            continue
        effective = resolved.effective_licenses()
        if license_ids and not set(license_ids) & set(effective):
            continue
        if commercial and any(kb.licenses[i].commercial_use.status in ("non-commercial", "research-only")
                              for i in effective if i in kb.licenses):
            continue
        assessment = evaluate(resolved, policy, kb, today=today)
        if decisions and assessment.decision not in decisions:
            continue
        rows.append(Row(assessment, entry.params_b))
    keys = {
        "decision": lambda r: (SEVERITY[r.assessment.decision], r.assessment.model.lower()),
        "model": lambda r: r.assessment.model.lower(),
        "license": lambda r: (",".join(r.licenses), r.assessment.model.lower()),
        "publisher": lambda r: ((r.assessment.subject.record.publisher or ""), r.assessment.model.lower()),
        "params": lambda r: (-(r.params_b or 0), r.assessment.model.lower()),
    }
    rows.sort(key=keys[sort_key])
    return rows
