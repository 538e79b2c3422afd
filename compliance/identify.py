"""License text → which known license it is, how sure, and why; plus the terms its sentences state.

Three steps, each saying what it relied on:
1. the SHA-256 of the normalized text against the hashes of every official text in the knowledge base
   (``matched_by: "hash"``, confidence 1.0);
2. otherwise the distinctive phrases each record lists for each of its documents (``matched_by: "markers"``):
   the share of a document's markers present in the text, with version markers deciding between siblings
   (Llama 3.1 / 3.2 / 3.3; the three Hunyuan texts);
3. otherwise unknown (``id: null``). Rule-based extraction (:mod:`compliance.extract`) runs in every case, so
   an unknown license still yields its cap, territories and attribution strings.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import knowledge
from .errors import InputError
from .extract import ExtractedTerms, extract
from .knowledge import KnowledgeBase
from .normalize import clean
from .yamlio import read_text

MIN_SHARE = 0.4  # share of a document's markers that must be present
MIN_HITS = 2
MAX_LICENSE_BYTES = 2_000_000  # the longest model license is ~100 kB; anything far bigger is not one


@dataclass(frozen=True)
class _Document:
    license_id: str
    role: str
    markers: tuple[str, ...]
    version_markers: tuple[str, ...]
    # For each marker, one whole word it contains (an interior word, so it is a whole token of any text that
    # contains the marker), or "" when it has none: a set lookup rules most markers out before a substring scan.
    marker_keys: tuple[str, ...]
    version_keys: tuple[str, ...]


def _key(marker: str) -> str:
    words = marker.split()
    interior = words[1:-1]
    return max(interior, key=len) if interior else ""


def _present(phrases: tuple[str, ...], keys: tuple[str, ...], tokens: set[str], text: str) -> list[str]:
    return [p for p, k in zip(phrases, keys) if (not k or k in tokens) and p in text]


@dataclass
class Identification:
    file: str | None
    id: str | None = None
    name: str | None = None
    role: str | None = None
    confidence: float = 0.0
    matched_by: str | None = None
    reasons: list[str] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    sha256: str | None = None
    normalized_sha256: str | None = None
    terms: ExtractedTerms | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "confidence": self.confidence,
            "matched_by": self.matched_by,
            "reasons": self.reasons,
            "alternatives": self.alternatives,
            "sha256": self.sha256,
            "normalized_sha256": self.normalized_sha256,
            "terms": self.terms.to_dict() if self.terms else None,
            "error": self.error,
        }


_INDEX: dict[int, tuple[_Document, ...]] = {}
_RESULTS: dict[tuple[str, int], Identification] = {}


def _documents(kb: KnowledgeBase) -> tuple[_Document, ...]:
    docs = _INDEX.get(id(kb))
    if docs is None:
        docs = tuple(
            _Document(lic.id, ident.role, ident.markers, ident.version_markers,
                      tuple(_key(m) for m in ident.markers), tuple(_key(m) for m in ident.version_markers))
            for lic in kb
            for ident in lic.identify
        )
        _INDEX[id(kb)] = docs
    return docs


def clear_cache() -> None:
    """Forget identified texts (benchmarks measure identification itself, not the cache)."""
    _RESULTS.clear()


def identify_text(text: str, kb: KnowledgeBase | None = None, *, file: str | None = None) -> Identification:
    """Identify one license text already in memory."""
    kb = kb or knowledge.default()
    result = Identification(file=file)
    if not text.strip():
        result.error = "empty file: no license text to identify"
        return result
    result.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = (result.sha256, id(kb))
    cached = _RESULTS.get(key)
    if cached is not None:  # thousands of fine-tunes ship the same LICENSE: identify each text once
        return dataclasses.replace(cached, file=file)
    if len(_RESULTS) >= 1024:
        _RESULTS.clear()
    _RESULTS[key] = result
    cleaned = clean(text)
    normalized = cleaned.lower()
    result.normalized_sha256 = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    result.terms = extract(text, cleaned=cleaned)

    found = kb.by_hash(result.normalized_sha256) or kb.by_hash(result.sha256)
    if found:
        lic, role = found
        result.id, result.name, result.role = lic.id, lic.name, role
        result.confidence, result.matched_by = 1.0, "hash"
        source = next((t.path for t in lic.texts if t.normalized_sha256 == result.normalized_sha256
                       or t.sha256 == result.sha256), None)
        result.reasons.append(f"normalized text is identical to the official {role} text" + (f" ({source})" if source else ""))
        return result
    _by_markers(normalized, kb, result)
    return result


def _by_markers(normalized: str, kb: KnowledgeBase, result: Identification) -> None:
    scored = []
    version_hits: dict[str, list[str]] = {}
    tokens = set(normalized.split())
    for doc in _documents(kb):
        hits = _present(doc.markers, doc.marker_keys, tokens, normalized)
        if len(hits) < min(MIN_HITS, len(doc.markers)):
            continue
        share = len(hits) / len(doc.markers)
        if share >= MIN_SHARE:
            own_versions = _present(doc.version_markers, doc.version_keys, tokens, normalized)
            if own_versions:
                version_hits.setdefault(doc.license_id, []).extend(own_versions)
            scored.append((doc, share, hits, own_versions))
    if not scored:
        result.reasons.append("no known license matches its hash or enough of its distinctive phrases")
        return
    # A text that carries the version markers of some candidates excludes the candidates it has none of.
    # (Only candidates' version markers are looked for: a sibling version is always a candidate too.)
    versioned = {doc.license_id for doc, *_ in scored if version_hits.get(doc.license_id)}
    if versioned:
        scored = [s for s in scored if s[0].license_id in versioned or not s[0].version_markers]
    scored.sort(key=lambda s: (bool(s[3]), s[1], len(s[2])), reverse=True)
    best, share, hits, own_versions = scored[0]
    lic = kb.licenses[best.license_id]
    confidence = 0.5 + 0.45 * share
    if best.version_markers and not own_versions:
        confidence *= 0.8
        result.reasons.append("no version marker found: the version is not confirmed")
    rivals = [s for s in scored[1:] if s[0].license_id != best.license_id]
    if rivals and rivals[0][1] >= share - 0.05 and bool(rivals[0][3]) == bool(own_versions):
        confidence *= 0.75
    result.id, result.name, result.role = lic.id, lic.name, best.role
    result.confidence = round(min(confidence, 0.95), 2)
    result.matched_by = "markers"
    result.reasons.insert(0, f"{len(hits)} of {len(best.markers)} distinctive phrases of the {best.role} text found, "
                             f"e.g. {', '.join(repr(h) for h in hits[:3])}")
    if own_versions:
        result.reasons.append(f"version marker: {own_versions[0]!r}")
    seen = {best.license_id}
    for doc, other_share, _, _ in scored[1:]:
        if doc.license_id not in seen:
            seen.add(doc.license_id)
            result.alternatives.append({"id": doc.license_id, "role": doc.role, "share": round(other_share, 2)})


def identify_file(path: Path, kb: KnowledgeBase | None = None) -> Identification:
    """Identify a file; unusable files (binary, not UTF-8, too large, unreadable) give ``error``, never raise."""
    try:
        text = read_text(path, what="license file", max_bytes=MAX_LICENSE_BYTES)
    except InputError as exc:
        return Identification(file=str(path), error=exc.message)
    return identify_text(text, kb, file=str(path))
