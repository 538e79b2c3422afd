"""Text normalization shared by identification, the knowledge-base quote checks and the hashes.

Two copies of one license text should normalize to the same string whatever happened to them on the way:
CRLF, hard wrapping or reflowing, Markdown escaping (``**Meta**``, ``2\\.``, ``[url](url)``), curly or straight
quotes, non-breaking spaces, bullets and heading marks (wherever re-wrapping left them), words hyphenated across
a line break. The result is lower case with single spaces. It is a comparison key,
not something to show anyone.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'])")
# A hyphen at the end of a word followed by space or a line break: "non-\ntransferable", "non- transferable".
# (The hyphen comes first and the look-behind after it: a literal first character lets the regex engine jump
# from hyphen to hyphen instead of trying every position; twenty times faster, same matches.)
_WRAPPED_HYPHEN = re.compile(r"-(?<=\w-)\s+(?=\w)")
# Tokens that are only list or heading marks ("-", "*", "•", "##"): bullets wherever re-wrapping left them.
_MARKS = "#*+-\u2022\u00b7\u2023\u25aa\u25cf"
# (character, replacement): typographic variants to their ASCII form. Chained str.replace is far faster
# than str.translate with a mapping, and most texts hold only a few of these characters.
_REPLACE = (
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u2033", '"'), ("\u00ab", '"'),
    ("\u00bb", '"'), ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"),
    ("`", "'"), ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\u2015", "-"), ("\u2212", "-"), ("\u00a0", " "), ("\u2007", " "), ("\u202f", " "), ("\u200b", ""),
    ("\ufeff", ""), ("\u00ad", ""), ("*", ""), ("__", ""),
)

_SPACES = ("\u00a0", "\u2002", "\u2003", "\u2007", "\u2009", "\u202f")


def normalize(text: str) -> str:
    """Return the comparison form of ``text``: :func:`clean`, then lower case."""
    return clean(text).lower()


def clean(text: str) -> str:
    """``text`` without Markdown, line structure or typographic variants, case kept (for showing extracts)."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    if not t.isascii():
        # spaces whose NFKC form is a plain space, replaced first: NFKC decomposes character by character, so
        # the result is the same, and a text whose only non-ASCII characters they were needs no NFKC pass
        for space in _SPACES:
            if space in t:
                t = t.replace(space, " ")
    if not t.isascii() and not unicodedata.is_normalized("NFKC", t):
        t = unicodedata.normalize("NFKC", t)
    if "-" in t:
        t = _WRAPPED_HYPHEN.sub("-", t)
    if "](" in t:
        t = _LINK.sub(r"\1", t)
    if "<" in t:
        t = _AUTOLINK.sub(r"\1", t)
    if "\\" in t:
        t = _ESCAPE.sub(r"\1", t)
    for char, replacement in _REPLACE:
        if char in t:
            t = t.replace(char, replacement)
    return _drop_mark_tokens(" ".join(t.split()))


def _drop_mark_tokens(t: str) -> str:
    """``t`` (single-spaced) without its tokens made only of marks. Each is a space, marks, then a space: found
    from the few places where a space precedes a mark (a regex would try every space of the text)."""
    padded = f" {t} "
    starts = []
    for mark in _MARKS:
        i = padded.find(" " + mark)
        while i >= 0:
            starts.append(i)
            i = padded.find(" " + mark, i + 1)
    if not starts:
        return t
    starts.sort()
    kept, last = [], 0
    for i in starts:
        j = i + 1
        while padded[j] in _MARKS:  # stops at the closing space at the latest
            j += 1
        if padded[j] == " ":
            kept.append(padded[last:i])
            last = j
    kept.append(padded[last:])
    return "".join(kept)[1:-1]


def normalized_sha256(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
