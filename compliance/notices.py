"""Licenses named in a sentence: NOTICE files, README lines and card prose that refer to a license instead of
quoting it ("This model is licensed under the Llama 2 Community License, Copyright (c) Meta Platforms, Inc.",
"released under CC BY-NC 4.0", "see LICENSE-MODEL; DeepSeek License Agreement").

:func:`find` returns the record and the sentence it was read from. A name is looked up as the knowledge base
knows names (ids, SPDX ids, Hub ids, aliases, compact phrases), trying the longest run of words after the
anchor first, so "the Llama 3.1 Community License" is never read as plain "Llama".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .knowledge import KnowledgeBase
from .terms import LicenseTerms

# What introduces a license name: "licensed under", "released under the", "governed by", "License:", "see X;"
_ANCHOR = re.compile(
    r"(?:\b(?:licen[cs]ed|released|distributed|made available|available|provided|governed|covered|published|"
    r"offered|shared|subject)\s+(?:under|by|to)(?:\s+the\s+terms\s+of)?|\blicen[cs]e\s*[:=]|"
    r"\bsee\s+[\w.-]*licen[cs]e[\w.-]*\s*[;:,-]|\bunder\s+(?:the\s+)?(?=[A-Z]))\s+(?:the\s+)?",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\"'])|\n\s*\n")
_STOP = re.compile(r"^(copyright|\(c\)|©|and|or|with|for|by|which|that|see|at|you|this|all)$", re.I)
MAX_NAME_WORDS = 9
MAX_SCAN_CHARS = 20_000


@dataclass(frozen=True)
class Reference:
    license: LicenseTerms
    sentence: str
    name: str


def lookup(kb: KnowledgeBase, name: str) -> LicenseTerms | None:
    """A record for a license *name* as people write it: "CC BY-NC 4.0", "Apache License 2.0", "llama3.1"."""
    name = name.strip(" .,;:()[]\"'")
    if not name:
        return None
    return kb.by_alias(name) or kb.by_hf_id(name) or kb.by_phrase(name) or kb.by_spdx(name)


def find(text: str, kb: KnowledgeBase) -> Reference | None:
    """The first sentence of ``text`` that names a known license after an anchor, and that license."""
    text = text[:MAX_SCAN_CHARS]
    for m in _ANCHOR.finditer(text):
        words = re.findall(r"[^\s,;()]+", text[m.end(): m.end() + 160])
        # the name runs to the first word that cannot be part of it ("Copyright", "and", ...)
        cut = next((i for i, w in enumerate(words) if i and _STOP.match(w.strip(".:"))), len(words))
        words = words[: min(cut, MAX_NAME_WORDS)]
        for n in range(len(words), 0, -1):
            candidate = " ".join(words[:n])
            lic = lookup(kb, candidate)
            if lic is not None and _distinct(candidate, lic):
                return Reference(lic, _sentence(text, m.start(), m.end()), candidate.strip(" .,;:"))
    return None


def _distinct(name: str, lic: LicenseTerms) -> bool:
    """A one-word name only counts when it is the license's own id or SPDX id ("MIT", "Apache-2.0"): a bare
    "Llama" or "Qwen" names a model, not a license version."""
    words = name.split()
    if len(words) > 1 or any(ch.isdigit() for ch in name):
        return True
    return name.strip(" .").lower() in (lic.id.lower(), lic.spdx.lower())


def _sentence(text: str, start: int, end: int) -> str:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    begin = starts[-1] if starts else 0
    stop = _SENTENCE_END.search(text, end)
    sentence = " ".join(text[begin: stop.start() if stop else len(text)].split())
    return sentence[:300]
