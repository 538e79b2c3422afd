"""Text normalization shared by identification, the knowledge-base quote checks and the hashes.

Two copies of one license text should normalize to the same string whatever happened to them on the way:
CRLF, hard wrapping or reflowing, Markdown escaping (``**Meta**``, ``2\\.``, ``[url](url)``), curly or straight
quotes, non-breaking spaces, bullets. The result is lower case with single spaces. It is a comparison key,
not something to show anyone.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'])")
_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+")
_BULLET = re.compile(r"(?m)^[ \t]*[*+\u2022\u00b7\u2023\u25aa\u25cf-][ \t]+")
_WRAPPED_HYPHEN = re.compile(r"(\w)-\n[ \t]*(\w)")
_SPACE = re.compile(r"\s+")
_TRANSLATE = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": "", "\u00ad": "",
    "*": "",
})


def normalize(text: str) -> str:
    """Return the comparison form of ``text``."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    t = unicodedata.normalize("NFKC", t)
    t = _LINK.sub(r"\1", t)
    t = _AUTOLINK.sub(r"\1", t)
    t = _ESCAPE.sub(r"\1", t)
    t = _HEADING.sub("", t)
    t = _BULLET.sub("", t)
    t = t.replace("__", "")
    t = _WRAPPED_HYPHEN.sub(r"\1-\2", t)
    t = t.translate(_TRANSLATE).lower()
    return _SPACE.sub(" ", t).strip()


def normalized_sha256(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
