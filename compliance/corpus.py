"""Finding the shared test corpus (real license texts, cards, references) and checking the knowledge base
against it. The corpus is test data: the tool never needs it to run, and ships none of it.

Found through ``COMPLIANCE_CORPUS``, else ``../shared/corpus`` beside the checkout.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .knowledge import KnowledgeBase
from .normalize import normalize


def find_corpus() -> Path | None:
    env = os.environ.get("COMPLIANCE_CORPUS")
    candidates = [Path(env)] if env else []
    checkout = Path(__file__).resolve().parent.parent
    candidates += [checkout.parent / "shared" / "corpus", Path.cwd().parent / "shared" / "corpus"]
    for candidate in candidates:
        if (candidate / "licenses").is_dir():
            return candidate
    return None


FOUND = "licenses-found"


def corpus_file(corpus: Path, rel: str) -> Path:
    """Where a record's text path points: ``licenses/<rel>``, or ``<rel>`` itself for texts in the
    ``licenses-found/`` folder (official texts collected after the first corpus)."""
    return corpus / rel if rel.startswith(FOUND + "/") else corpus / "licenses" / rel


def text_facts(path: Path) -> dict[str, object]:
    """The facts a record keeps about one corpus text: raw and normalized SHA-256 and the word count."""
    data = path.read_bytes()
    text = data.decode("utf-8")
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "normalized_sha256": hashlib.sha256(normalize(text).encode()).hexdigest(),
        "words": len(text.split()),
    }


def verify(kb: KnowledgeBase, corpus: Path) -> list[str]:
    """Every problem found checking the verified records against the real texts (empty when all is well)."""
    problems: list[str] = []
    licenses = corpus / "licenses"
    normalized: dict[str, str] = {}

    def norm(rel: str) -> str | None:
        if rel not in normalized:
            path = corpus_file(corpus, rel)
            if not path.is_file():
                return None
            normalized[rel] = normalize(path.read_text(encoding="utf-8"))
        return normalized[rel]

    for lic in kb:
        if not lic.verified:
            continue
        paths = {t.path for t in lic.texts}
        for text in lic.texts:
            path = corpus_file(corpus, text.path)
            if not path.is_file():
                problems.append(f"{lic.id}: text {text.path} is not in the corpus")
                continue
            facts = text_facts(path)
            for key in ("sha256", "normalized_sha256", "words"):
                if getattr(text, key) != facts[key]:
                    problems.append(f"{lic.id}: {text.path} {key} is {getattr(text, key)}, the corpus says {facts[key]}")
        for term, ev in lic.evidence():
            if ev.file not in paths:
                problems.append(f"{lic.id}: {term} cites {ev.file}, which is not one of the record's texts")
                continue
            if ev.quote is None:
                problems.append(f"{lic.id}: {term} ({ev.section}) has no quote")
                continue
            body = norm(ev.file)
            if body is not None and normalize(ev.quote) not in body:
                problems.append(f"{lic.id}: {term} ({ev.section}) quote not found in {ev.file}: {ev.quote!r}")
        for ident in lic.identify:
            bodies = [norm(t.path) or "" for t in lic.texts if t.role == ident.role]
            if not bodies:
                problems.append(f"{lic.id}: identify role {ident.role} has no text of that role")
            for marker in (*ident.markers, *ident.version_markers):
                if bodies and not any(marker in body for body in bodies):
                    problems.append(f"{lic.id}: {ident.role} marker not found in its texts: {marker!r}")
    # A version marker must not occur in another record's text: that is what makes it a version marker.
    for lic in kb:
        for ident in lic.identify:
            for other in kb:
                if other.id == lic.id or not other.verified:
                    continue
                for text in other.texts:
                    body = norm(text.path) or ""
                    for marker in ident.version_markers:
                        if marker in body:
                            problems.append(f"{lic.id}: version marker {marker!r} also occurs in {text.path} ({other.id})")
    covered = {t.path for lic in kb for t in lic.texts}
    for path in sorted(licenses.glob("*/*")):
        rel = path.relative_to(licenses).as_posix()
        if path.name.startswith("SOURCE") or rel in covered:
            continue
        problems.append(f"corpus text {rel} is not listed by any record")
    return problems
