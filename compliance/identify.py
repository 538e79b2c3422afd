"""License text → which known license it is, how sure, and why; plus the terms its sentences state.

Four steps, each saying what it relied on:
1. the SHA-256 of the normalized text against the hashes of every official text in the knowledge base
   (``matched_by: "hash"``, confidence 1.0);
2. otherwise the whole-text fingerprints of the SPDX License List texts (:mod:`compliance.fingerprint`,
   ``matched_by: "fingerprint"``). The closest fingerprint wins (so CC BY-NC is never taken for CC BY, nor the
   reverse); a text that carries clauses the license does not have is ``modified_from`` that license, with the
   added clauses and their terms, and gets no id; an SPDX text the knowledge base has no terms for gets its
   ``spdx`` id but no record id. Records with a fingerprint are decided here only, never by markers;
3. otherwise the distinctive phrases each record lists for each of its documents (``matched_by: "markers"``):
   the share of a document's markers present in the text, with version markers deciding between siblings
   (Llama 3.1 / 3.2 / 3.3; the three Hunyuan texts);
4. otherwise a sentence that names a known license ("licensed under the Llama 3.1 Community License"):
   ``matched_by: "reference"`` with the sentence as evidence (:mod:`compliance.references`... see ``notice``);
5. otherwise unknown (``id: null``). Rule-based extraction (:mod:`compliance.extract`) runs in every case, so
   an unknown license still yields its cap, territories and attribution strings.

Confidence: 1.0 for a hash; for a fingerprint 0.5 + 0.45 × coverage × (1 − foreign), where coverage is the
share of the license's sampled word runs found in the text and foreign the share of the text's runs not in the
license (a cut copy scores lower, never above 0.95); for markers 0.5 + 0.45 × the share of markers found,
× 0.8 when no version marker confirms the version, × 0.75 when a rival is as close; for a reference 0.6.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fingerprint, knowledge
from .errors import InputError
from .extract import ExtractedTerms, extract
from .knowledge import KnowledgeBase
from .normalize import clean
from .yamlio import read_text

MIN_SHARE = 0.4  # share of a document's markers that must be present
MIN_HITS = 2
MAX_LICENSE_BYTES = 2_000_000
MIN_SIMILARITY = 0.3  # the license must be most of the text, not a passage quoted in it
MIN_MODIFIED_COVERAGE = 0.8
TIE = 0.02  # fingerprints this close in similarity are not told apart  # "modified: X" only when nearly all of X is there  # the longest model license is ~100 kB; anything far bigger is not one


@dataclass(frozen=True)
class _Document:
    license_id: str
    role: str
    markers: tuple[str, ...]
    version_markers: tuple[str, ...]
    # For each marker, one word it contains (an interior run of letters and digits, so it is a whole word of any
    # text that contains the marker), or b"" when it has none: a set lookup rules most markers out before a
    # substring scan. Words as the fingerprints split them (bytes), so one split of the text serves both steps.
    marker_keys: tuple[bytes, ...]
    version_keys: tuple[bytes, ...]


def _key(marker: str) -> bytes:
    interior = fingerprint.words(marker)[1:-1]
    return max(interior, key=len) if interior else b""


def _present(phrases: tuple[str, ...], keys: tuple[bytes, ...], tokens: set[bytes], text: str) -> list[str]:
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
    error: str | None = None
    spdx: str | None = None
    modified_from: str | None = None
    added_clauses: list[dict[str, Any]] = field(default_factory=list)
    evidence: str | None = None  # the sentence a reference was read from
    # the terms the text states are extracted on first use: resolution needs only the id, the report and
    # `compliance identify` show the terms (extraction is two thirds of the cost of identifying a text)
    _terms: ExtractedTerms | None = field(default=None, repr=False, compare=False)
    _source: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def terms(self) -> ExtractedTerms | None:
        if self._terms is None and self._source is not None:
            text, cleaned = self._source
            self._terms, self._source = extract(text, cleaned=cleaned), None
        return self._terms

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
            "spdx": self.spdx,
            "modified_from": self.modified_from,
            "added_clauses": self.added_clauses,
            "evidence": self.evidence,
        }


class _Markers:
    """The documents' markers, indexed by their key words: a text's words select the few markers it can contain
    (those whose interior words are all words of the text), and a document with fewer possible markers than it
    needs to match is ruled out unscanned."""

    def __init__(self, docs: tuple[_Document, ...]) -> None:
        self.docs = docs
        self.by_key: dict[bytes, list[tuple[int, int, frozenset[bytes]]]] = {}
        self.keyless: list[list[int]] = []  # per document, its markers without a key word (always scanned)
        self.needed: list[int] = []  # per document, the fewest hits that pass both MIN_HITS and MIN_SHARE
        vocabulary: set[bytes] = set()
        for d, doc in enumerate(docs):
            self.keyless.append([j for j, k in enumerate(doc.marker_keys) if not k])
            for j, (marker, k) in enumerate(zip(doc.markers, doc.marker_keys)):
                if k:
                    interior = frozenset(fingerprint.words(marker)[1:-1])
                    vocabulary |= interior
                    self.by_key.setdefault(k, []).append((d, j, interior))
            n = len(doc.markers)
            share = next((h for h in range(n + 1) if n and h / n >= MIN_SHARE), n + 1)
            self.needed.append(max(min(MIN_HITS, n), share))
        # every interior word of a marker and every version key: the only words of a text worth keeping
        self.keys = frozenset(vocabulary) | {k for doc in docs for k in doc.version_keys if k}

    def tokens(self, words: list[bytes]) -> set[bytes]:
        """The text's words that are interior words of some marker."""
        return self.keys.intersection(words)

    def possible(self, tokens: set[bytes]) -> list[list[int]]:
        """Per document, the indexes of the markers whose interior words are all words of the text."""
        found = [list(k) for k in self.keyless]
        for key in self.by_key.keys() & tokens:
            for d, j, interior in self.by_key[key]:
                if interior <= tokens:
                    found[d].append(j)
        return found


_INDEX: dict[int, _Markers] = {}
_RESULTS: dict[tuple[str, int], Identification] = {}


def _documents(kb: KnowledgeBase) -> tuple[_Document, ...]:
    return _markers(kb).docs


def _markers(kb: KnowledgeBase) -> _Markers:
    index = _INDEX.get(id(kb))
    if index is None:
        index = _Markers(tuple(
            _Document(lic.id, ident.role, ident.markers, ident.version_markers,
                      tuple(_key(m) for m in ident.markers), tuple(_key(m) for m in ident.version_markers))
            for lic in kb
            for ident in lic.identify
        ))
        _INDEX[id(kb)] = index
    return index


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
    result._source = (text, cleaned)

    found = kb.by_hash(result.normalized_sha256) or kb.by_hash(result.sha256)
    if found:
        lic, role = found
        result.id, result.name, result.role = lic.id, lic.name, role
        result.confidence, result.matched_by = 1.0, "hash"
        source = next((t.path for t in lic.texts if t.normalized_sha256 == result.normalized_sha256
                       or t.sha256 == result.sha256), None)
        result.reasons.append(f"normalized text is identical to the official {role} text" + (f" ({source})" if source else ""))
        return result
    # model licenses by their markers first: many are built on a standard text (DeepSeek's on OpenRAIL, a NOTICE
    # carrying Pixar's Apache variant), and their own phrases say which; the standard texts by fingerprint next
    words = fingerprint.words(normalized)  # one split of the text for the markers' keys and the fingerprints
    _by_markers(normalized, kb, result, words)
    if result.id is None:
        markers_reasons = result.reasons
        result.reasons = []
        if not _by_fingerprint(normalized, cleaned, kb, result, words):
            result.reasons = markers_reasons
    if result.id is None and not result.matched_by:  # not a modification or an SPDX text without terms
        _by_reference(text, cleaned, kb, result)
    return result


# An added passage is a clause when it obliges, permits or forbids something (a preamble or a URL is not).
_NORMATIVE = re.compile(r"\b(shall|must|may not|may only|agree|prohibit\w*|restrict\w*|not permitted|required?|only for|"
                        r"you may|is granted|are granted|non-?commercial|display|attribut\w+|terminat\w+)\b", re.I)
_MAX_CLAUSE_CHARS = 600


def _fingerprinted(kb: KnowledgeBase) -> frozenset[str]:
    idx = fingerprint.index()
    return idx.records if idx else frozenset()


def _by_fingerprint(normalized: str, cleaned: str, kb: KnowledgeBase, result: Identification,
                    words: list[bytes] | None = None) -> bool:
    idx = fingerprint.index()
    match = idx.best(normalized, cleaned, kb.licenses.keys(), words=words) if idx else None
    if match is None or match.similarity < MIN_SIMILARITY:
        # a license quoted inside a larger text (a warranty disclaimer in a model license) is not that license
        return False
    entry = match.entry
    lic = kb.licenses.get(entry.record) if entry.record else None
    base = lic.id if lic else entry.spdx
    result.spdx = None if entry.spdx.startswith("LicenseRef-") else entry.spdx
    result.alternatives = [{"id": spdx, "role": "license", "share": share} for spdx, share in match.alternatives]
    clauses = [c for c in match.added if _NORMATIVE.search(c)]
    covered = f"{match.coverage:.0%} of the {entry.spdx} text found (similarity {match.similarity:.2f})"
    if clauses and match.coverage < MIN_MODIFIED_COVERAGE:
        return False
    if match.rival and not clauses:
        result.matched_by = "fingerprint"
        result.reasons.append(f"{covered}, but it carries nothing that tells it from {match.rival}: an "
                              "undistinguished match is not identified")
        return True
    if clauses:
        result.matched_by = "fingerprint"
        result.modified_from = base
        result.reasons.append(f"modified: {base}: {covered}, but the text adds {len(clauses)} clause(s) the license "
                              "does not have; a modified license is not the license")
        for clause in clauses:
            shown = clause if len(clause) <= _MAX_CLAUSE_CHARS else clause[:_MAX_CLAUSE_CHARS].rsplit(" ", 1)[0] + " …"
            result.added_clauses.append({"text": shown, "terms": extract(clause).to_dict()})
        return True
    if lic is None:
        result.matched_by = "fingerprint"
        result.reasons.append(f"{covered}: SPDX {entry.spdx} is on the SPDX License List, but the knowledge base has "
                              "no terms for it")
        return True
    foreign = match.foreign
    result.id, result.name, result.role = lic.id, lic.name, "license"
    result.matched_by = "fingerprint"
    result.confidence = round(min(0.95, 0.5 + 0.45 * match.coverage * (1 - foreign)), 2)
    result.reasons.append(covered + ("" if match.coverage >= 0.9 else ": a partial copy"))
    versions = [vm for ident in lic.identify for vm in ident.version_markers if vm in normalized]
    if versions:  # what tells it from its look-alikes, in the record's own words
        result.reasons.append(f"version marker: {versions[0]!r}")
    return True


def _by_markers(normalized: str, kb: KnowledgeBase, result: Identification, words: list[bytes] | None = None
                ) -> None:
    scored = []
    version_hits: dict[str, list[str]] = {}
    decided = _fingerprinted(kb)  # these records were ruled out by the fingerprint step: never a look-alike
    index = _markers(kb)
    tokens = index.tokens(fingerprint.words(normalized) if words is None else words)
    for d, possible in enumerate(index.possible(tokens)):
        doc = index.docs[d]
        needed = index.needed[d]
        if len(possible) < needed or doc.license_id in decided:
            continue
        possible.sort()
        hits: list[str] = []
        left = len(possible)
        for j in possible:
            left -= 1
            marker = doc.markers[j]
            if marker in normalized:
                hits.append(marker)
            elif len(hits) + left < needed:
                break  # it can no longer pass
        if len(hits) < needed:
            continue
        share = len(hits) / len(doc.markers)
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


MAX_REFERENCE_WORDS = 400  # a notice or README line, not a license text that mentions another license


def _by_reference(text: str, cleaned: str, kb: KnowledgeBase, result: Identification) -> None:
    """A short text naming a license ("licensed under the Llama 2 Community License"), or an SPDX header."""
    from .expression import header, options

    spdx_header = header(text)
    if spdx_header:
        try:
            opts = options(spdx_header)
        except InputError:
            opts = []
        if len(opts) == 1 and len(opts[0]) == 1:
            lic = kb.by_spdx(opts[0][0].key)
            if lic is not None:
                result.id, result.name, result.role = lic.id, lic.name, "license"
                result.confidence, result.matched_by = 0.9, "reference"
                result.evidence = f"SPDX-License-Identifier: {spdx_header}"
                result.reasons.insert(0, f"SPDX-License-Identifier header names {lic.id}")
                return
        if opts:
            result.reasons.append(f"SPDX-License-Identifier: {spdx_header} (an expression: declare it on the card, "
                                  "where AND and OR are evaluated)")
            return
    if len(cleaned.split()) > MAX_REFERENCE_WORDS:
        return
    from .notices import find

    ref = find(cleaned, kb)
    if ref is None:
        return
    result.id, result.name, result.role = ref.license.id, ref.license.name, "notice"
    result.confidence, result.matched_by, result.evidence = 0.6, "reference", ref.sentence
    result.reasons.insert(0, f"the text names {ref.name!r}: “{ref.sentence}”")


def identify_file(path: Path, kb: KnowledgeBase | None = None) -> Identification:
    """Identify a file; unusable files (binary, not UTF-8, too large, unreadable) give ``error``, never raise."""
    try:
        text = read_text(path, what="license file", max_bytes=MAX_LICENSE_BYTES)
    except InputError as exc:
        return Identification(file=str(path), error=exc.message)
    return identify_text(text, kb, file=str(path))
