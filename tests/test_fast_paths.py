"""The shortcuts that make identification fast give the answers of the plain definitions they replace.

Each test states the plain definition (a regex over the whole text, the CRC-32 of every run of words, every
marker scanned) and checks the fast form against it on real license texts and on generated edge cases."""
from __future__ import annotations

import random
import re
import sys
import unicodedata
import zlib

import pytest

from compliance import fingerprint, grants, knowledge, normalize
from compliance.normalize import clean

import compliance.identify  # noqa: E402,F401  (the package exports a function of the same name)

identify_module = sys.modules["compliance.identify"]

# --- plain definitions -------------------------------------------------------------------------------------

_PLAIN_HYPHEN = re.compile(r"(?<=\w)-\s+(?=\w)")
_PLAIN_MARK = re.compile(r"\s[#*+\-\u2022\u00b7\u2023\u25aa\u25cf]+(?=\s)")


def plain_clean(text: str) -> str:
    """normalize.clean as first written: NFKC, then one regex pass per step over the whole text."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    if not t.isascii():
        t = unicodedata.normalize("NFKC", t)
    t = _PLAIN_HYPHEN.sub("-", t)
    t = normalize._LINK.sub(r"\1", t)
    t = normalize._AUTOLINK.sub(r"\1", t)
    t = normalize._ESCAPE.sub(r"\1", t)
    for char, replacement in normalize._REPLACE:
        t = t.replace(char, replacement)
    return " ".join(_PLAIN_MARK.sub(" ", f" {t} ").split())


def plain_hashes(normalized: str) -> list[int]:
    words = re.findall(r"[a-z0-9]+", normalized)
    return [zlib.crc32(" ".join(words[i:i + fingerprint.K]).encode()) for i in range(len(words) - fingerprint.K + 1)]


def corpus_texts(corpus) -> list[str]:
    texts = []
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix in ("", ".md", ".txt") and not path.name.startswith("SOURCE"):
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


_PIECES = ["a", "b", "-", "#", "+", "*", " ", "\n", "\t", "\u2022", "\u00a0", "x-", "-y", "\u2003", "\u2028",
           "__", "\\-", "[l](u)", "\u25cf", "\u00b7", "e\u0301", "\uff0c", "\u2009", "\u202f", "\u2011", "\ufb01",
           "<https://x.y>", "\r\n", "\u00e9", "##", "- -"]


def generated(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 16))) for _ in range(n)]


# --- tests ---------------------------------------------------------------------------------------------------

def test_clean_matches_its_plain_definition_on_edge_cases():
    for text in generated(20_000, 1) + ["a - b", "- a", "a -", "a -- b -\n c", "x\u00a0-\u00a0y", "# # #", ""]:
        assert clean(text) == plain_clean(text), repr(text)


def test_clean_matches_its_plain_definition_on_the_corpus(corpus):
    for text in corpus_texts(corpus):
        assert clean(text) == plain_clean(text)


def test_fingerprint_words_and_hashes_match_the_regex_and_crc_definition(corpus):
    samples = [normalize.normalize(t) for t in corpus_texts(corpus)[:40]]
    samples += ["short text", "", "caf\u00e9 na\u00efve 3.1 non-commercial \u4e2d\u6587 words here and there",
                "UPPER lower 42 x-y-z"]
    for text in samples:
        words = fingerprint.words(text)
        assert [w.decode() for w in words] == re.findall(r"[a-z0-9]+", text)
        assert fingerprint._hashes(words) == plain_hashes(text)


def test_every_marker_present_in_a_text_is_a_possible_marker():
    """The key-word index only rules out markers that cannot be in the text: a text made of a document's
    markers finds every one of them possible."""
    kb = knowledge.default()
    index = identify_module._markers(kb)
    for d, doc in enumerate(index.docs):
        text = " . ".join(doc.markers)
        possible = index.possible(index.tokens(fingerprint.words(text)))[d]
        assert sorted(possible) == list(range(len(doc.markers))), doc.license_id


@pytest.mark.parametrize("reach", [30, 40])
def test_windowed_finditer_finds_what_the_whole_text_search_finds(reach):
    pattern = re.compile(r"\b(?:(monthly|daily) active users?|(mau|dau)\b)")
    rng = random.Random(reach)
    words = ["monthly", "active", "users", "mau", "maui", "dau", "daub", "daily", "user", "x", ".", "\n", "amau"]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        whole = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        near = [(m.span(), m.groups()) for m in grants.finditer(pattern, text, ("active user", "mau", "dau"), reach)]
        assert near == whole, text


def test_anchor_positions_are_every_occurrence():
    """Anchors containing "not " are found from the positions of "not ": the same list as a scan of their own."""
    rng = random.Random(7)
    pieces = ["not ", "does ", "be ", "used", "use", "apply to", "nnot ", "not", " ", "knot ", "x"]
    anchors = ("not use", "does not apply to", "not be used", "not ", "use", "not not ")
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        for anchor in anchors:
            plain = [m.start() for m in re.finditer(f"(?={re.escape(anchor)})", text)]
            assert grants.positions(text, anchor) == plain, (text, anchor)
