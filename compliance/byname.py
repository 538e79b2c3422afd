"""Records for references known only by a name: a provider's serving name (through its table in
``licenses/providers/``), an Ollama tag with variant and quantization suffixes, a community republication, a
gateway name. Each says how it was identified (a ``name`` fact and the ``name-only`` finding the lineage rule
reads), an ambiguous name is an error listing its candidates, and an unknown one names the nearest catalog models.

The resolver is passed in (``lookup``, ``from_catalog``, ``from_rule``, ``catalog``, ``providers``): this
module imports none of resolve, records or lineage.
"""
from __future__ import annotations

from typing import Any

from .errors import ResolveError
from .match import AmbiguousName, NameMatch, match_name, nearest
from .model import Fact, ModelRecord, ResolveFinding
from .names import CONTEXT, INSTRUCT, PACKAGING, QUANT, is_packaged
from .references import Reference

Resolver = Any  # compliance.resolve.Resolver, passed in (no import: no cycle)


def _named(record: ModelRecord, ref: Reference, detail: str, message: str, *, source: str = "name") -> ModelRecord:
    facts = dict(record.facts)
    facts["model"] = (Fact(source=source, detail=detail),)
    finding = ResolveFinding(kind="name-only", message=message)
    return record.model_copy(update={"reference": ref.raw, "facts": facts, "findings": record.findings + (finding,)})


def _upstream(r: Resolver, model_id: str, ref: Reference) -> ModelRecord:
    record = r.lookup(model_id)
    if record is None:
        raise ResolveError(f"{ref.raw}: names {model_id}, which is not in the cache or the catalog")
    return record


# --- provider tables ---------------------------------------------------------------------------------------

def served(r: Resolver, ref: Reference) -> ModelRecord | None:
    """A reference with a provider table's prefix (``groq/llama-3.3-70b-versatile``) that the table lists."""
    hit = r.providers.provider_for(ref.raw)
    if hit is None:
        return None
    provider, rest = hit
    for name in dict.fromkeys((rest, rest.partition("@")[0], rest.rpartition(":")[0] if ":" in rest else rest)):
        serving = r.providers.get(provider, name)
        if serving is not None:
            record = _upstream(r, serving.row.model, ref)
            return _named(record, ref, serving.describe(), (
                f"{ref.raw}: a model {provider} serves, identified by its serving name as {serving.row.model} "
                f"({serving.file}); confirm the weights"), source="catalog")
    return None


def bare_served(r: Resolver, ref: Reference, name: str) -> ModelRecord | None:
    """A serving name without a prefix that the provider tables list, when every table listing it agrees."""
    rows = r.providers.bare(name)
    models = {s.row.model.lower() for s in rows}
    if not rows:
        return None
    if len(models) > 1:
        candidates = tuple(sorted({s.row.model for s in rows}))
        raise AmbiguousName(f"{ref.raw}: ambiguous serving name: {', '.join(f'{s.provider} serves {s.row.model}' for s in rows)}; "
                            "add the provider prefix (e.g. groq/) or name the model as org/name", candidates)
    serving = rows[0]
    record = _upstream(r, serving.row.model, ref)
    providers = ", ".join(sorted({s.provider for s in rows}))
    return _named(record, ref, "; ".join(s.describe() for s in rows), (
        f"{ref.raw}: a serving name ({providers}) identified as {serving.row.model}; confirm the weights"),
        source="catalog")


# --- Ollama tags -------------------------------------------------------------------------------------------

def ollama_base_tag(target: str) -> str | None:
    """``llama3.1:8b-instruct-q4_K_M`` -> ``llama3.1:8b``: the library tag without quantization and the default
    variant (``-text`` is the base model, a different one: None)."""
    name, _, tag = target.partition(":")
    if not tag:
        return None
    parts = tag.split("-")
    kept = []
    for part in parts:
        low = part.lower()
        if low == "text":
            return None
        if low in INSTRUCT or low in PACKAGING or low in CONTEXT or QUANT.match(low.replace("_", "")):
            continue
        kept.append(part)
    stripped = f"{name}:{'-'.join(kept)}" if kept else name
    return stripped if stripped != target else None


# --- the grammar -------------------------------------------------------------------------------------------

def by_grammar(r: Resolver, ref: Reference, name: str, *, tag: str | None = None, serving: bool,
               what: str, direct: str | None = None) -> ModelRecord:
    """The catalog model the name's parts denote, else (``direct``: a Hub id) the family rule covering that id,
    else the family rule covering the name's stem; raises AmbiguousName or ResolveError."""
    found = match_name(r.catalog, name, tag=tag, serving=serving)
    if direct is not None and found.entry is None and not found.candidates:
        record = r.from_rule(ref.raw, direct, revision=ref.revision)
        if record is not None:
            return record
    if not found.found:
        raise not_found(ref, found, what)
    if not serving and not _may_stand_for(r, found):
        raise not_found(ref, found, what, republication=True)
    parsed = found.parsed
    packaging = f" (packaging {', '.join(parsed.packaging)}: the license is the upstream's)" if parsed.packaging else ""
    if found.entry is not None:
        record = _upstream(r, found.entry.id, ref)
        who = f"a republication by {parsed.republisher} of" if parsed.republisher else "identified by its name as"
        return _named(record, ref, f"grammar: {found.describe()}", (
            f"{ref.raw}: {who} {found.entry.id}{packaging}; matched by name ({found.how}), confirm the weights"))
    record = r.from_rule(ref.raw, found.rule_id, size_b=parsed.size_b)
    if record is None:  # pragma: no cover - match_name found exactly one rule
        raise not_found(ref, found, what)
    if found.rule_id.lower() != f"{parsed.org}/{parsed.stem}".lower():  # the family is known, not the repository
        record = record.model_copy(update={"model": ref.target})
    return _named(record, ref, f"grammar: {found.describe()}", (
        f"{ref.raw}: identified by its name only, by the {found.rule.family.name} family rule{packaging} "
        f"(as {found.rule_id}); confirm the weights"))


def _may_stand_for(r: Resolver, found: NameMatch) -> bool:
    """A Hub id under another organization stands for the upstream model only when it says it is a
    republication (a republisher's namespace, packaging in the name) or the organization is the publisher's:
    ``someone/Llama-3.1-8B-Instruct`` may be a fine-tune with terms of its own."""
    parsed = found.parsed
    if is_packaged(parsed) or parsed.org is None:
        return True
    publisher = found.entry.publisher if found.entry is not None else found.rule.family.publisher
    pub = r.kb.publisher_for_namespace(parsed.org)
    upstream_org = (found.entry.id if found.entry is not None else found.rule_id).split("/")[0].lower()
    return parsed.org.lower() == upstream_org or (pub is not None and pub.id == publisher)


def not_found(ref: Reference, found: NameMatch, what: str, *, republication: bool = False) -> ResolveError:
    if found.candidates:
        return AmbiguousName(f"{ref.raw}: ambiguous name: could be {', '.join(found.candidates)}; name the model "
                             "as org/name (with its size and variant)", found.candidates)
    if republication and found.entry is not None:
        return ResolveError(f"{ref.raw}: {what}; its name matches {found.entry.id}, but {found.parsed.org} is not "
                            "a known republisher: cache its card, or name the upstream model")
    hints = found.hints
    return ResolveError(f"{ref.raw}: {what}" + (f"; nearest catalog names: {', '.join(hints)}" if hints else ""))


def hint(r: Resolver, name: str) -> str:
    close = nearest(r.catalog, name)
    return f"; nearest catalog names: {', '.join(close)}" if close else ""


# --- inspect --explain-name --------------------------------------------------------------------------------

def explain(r: Resolver, raw: str) -> dict[str, Any]:
    """How ``raw`` is read and matched, step by step, and what it resolves to (``inspect --explain-name``)."""
    from .errors import ComplianceError
    from .references import parse_reference

    out: dict[str, Any] = {"name": raw}
    try:
        ref = parse_reference(raw, base_dir=r.options.base_dir)
    except ComplianceError as exc:
        return {**out, "error": exc.message}
    out["reference"] = {"kind": ref.kind, "target": ref.target, "provider": ref.provider, "revision": ref.revision,
                        "tag": ref.quant, "suffix": ref.suffix}
    if ref.kind != "path":
        name, tag = (ref.target.partition(":")[0], ref.target.partition(":")[2] or None) if ref.kind == "ollama" \
            else (ref.target, ref.quant)
        serving = ref.kind in ("ollama", "name") or bool(ref.provider and ref.provider != "ollama-hf")
        found = match_name(r.catalog, name, tag=tag, serving=serving)
        p = found.parsed
        out["parsed"] = {"organization": p.org, "republisher": p.republisher, "stem": p.stem, "words": list(p.words),
                         "version": p.version, "size_b": p.size_b, "active_b": p.active_b, "variant": p.variant,
                         "date": p.date, "packaging": list(p.packaging), "serving": list(p.serving),
                         "tokens": sorted(p.tokens)}
        hit = r.providers.provider_for(raw)
        table = r.providers.get(*hit) if hit else None
        out["provider_table"] = table.describe() if table else None
        out["bare_serving_name"] = [s.describe() for s in r.providers.bare(ref.target)]
        out["ollama_table"] = None
        if ref.kind == "ollama":
            entry = r.catalog.by_ollama(ref.target) or (
                r.catalog.by_ollama(ollama_base_tag(ref.target)) if ollama_base_tag(ref.target) else None)
            out["ollama_table"] = entry.id if entry else None
        out["catalog_id"] = r.catalog.get(ref.target).id if ref.kind == "hub" and r.catalog.get(ref.target) else None
        legacy = r.catalog.legacy(ref.target) if ref.kind == "ollama" and not ref.provider else None
        out["legacy_id"] = legacy.id if legacy else None  # a bare pre-organization Hub id: that Hub model
        out["grammar"] = {"model": found.entry.id if found.entry else (found.rule_id if found.rule else None),
                          "how": found.how or None, "rule": found.rule.describe() if found.rule else None,
                          "candidates": list(found.candidates), "nearest": list(found.hints),
                          "summary": found.describe()}
    try:
        resolved = r.resolve(raw)
    except ComplianceError as exc:
        out["error"] = exc.message
        out["candidates"] = list(getattr(exc, "candidates", ()))
        return out
    rec = resolved.record
    out["resolved"] = {"model": rec.model, "source": rec.source, "licenses": list(rec.licenses),
                       "matched_by": [f"{f.source}: {f.detail}" for f in rec.facts.get("model", ())],
                       "findings": [{"kind": f.kind, "severity": f.severity, "message": f.message}
                                    for f in (*rec.findings, *resolved.findings)]}
    return out
