"""Governing law and forum, read from any wording: "governed by the laws of", "shall be governed by, and
construed in accordance with, the laws of", "governed exclusively by the substantive laws of", "construed and
governed under ... law"; the forum as courts ("the courts of", "courts located in San Mateo County") or
arbitration ("arbitration administered by the Singapore International Arbitration Centre", "the seat of
arbitration shall be Seoul"). Every answer carries the words it was read from."""
from __future__ import annotations

import re

from .countries import names_in

# "govern..." then up to ~12 words (", and construed in accordance with,", "exclusively", "in all respects")
# before "law(s) of <place>" or "<adjective> law"
_LAW = re.compile(
    r"\bgovern(?:ed|s|ing)?\b(?:[^.;]{0,90}?)\b(?:substantive |internal )?laws? of (?:the )?(?P<place>[^.;:()]{3,80})|"
    r"\bgovern(?:ed|s)?\b(?:[^.;]{0,60}?)\b(?P<adj>prc|chinese|english|german|french|swiss|singapore(?:an)?|japanese|"
    r"korean|indian|israeli|dutch|irish|hong kong|new york|californian?|delaware) laws?\b"
)
_US_STATES = {
    "california": "US-CA", "delaware": "US-DE", "new york": "US-NY", "washington": "US-WA",
    "massachusetts": "US-MA", "texas": "US-TX", "illinois": "US-IL",
}
_ADJECTIVES = {"prc": "CN", "chinese": "CN", "english": "GB", "german": "DE", "french": "FR", "swiss": "CH",
               "singapore": "SG", "singaporean": "SG", "japanese": "JP", "korean": "KR", "indian": "IN",
               "israeli": "IL", "dutch": "NL", "irish": "IE", "hong kong": "HK", "new york": "US-NY",
               "california": "US-CA", "californian": "US-CA", "delaware": "US-DE"}
_ARBITRATION = re.compile(
    r"arbitration (?:administered by|under the (?:rules|auspices) of|before) (?:the )?(?P<body>[A-Z][^.;,(]{3,80})|"
    r"seat of (?:the )?arbitration (?:shall|will) be (?:in )?(?P<seat>[A-Z][^.;,(]{2,60})")
_COURTS = re.compile(r"\bcourts?(?:, as applicable,)? (?:of|in|located in|sitting in) (?:the )?(?P<place>[A-Z][^.;()]{2,80})")


def jurisdiction(place: str) -> str | None:
    key = place.lower()
    code = _ADJECTIVES.get(key) or next((c for state, c in _US_STATES.items() if state in key), None)
    if code:
        return code
    if "hong kong" in key:
        return "HK"
    if "england" in key or "united kingdom" in key:
        return "GB"
    named = names_in(key)
    return named[0] if named else None


def governing_law(lowered: str, cleaned: str) -> dict[str, str | None] | None:
    if "govern" not in lowered:
        return None
    from .grants import windows

    for match in (m for a, b in windows(lowered, ("govern",), 260) for m in _LAW.finditer(lowered, a, b)):
        group = "place" if match.group("place") else "adj"
        place = cleaned[match.start(group):match.end(group)].strip()
        place = re.split(r",| without | excluding| and the un | and (?:any|each|the) |, and | as applied| as in effect| "
                         r"applicable to", place, maxsplit=1, flags=re.IGNORECASE)[0].strip()
        code = jurisdiction(place)
        if code is None and re.search(r"\b(?:applicable|your|the licensee's|the country)\b", place, re.I):
            continue  # "the laws of your country": not a governing-law choice
        return {"jurisdiction": code, "text": place, "venue": venue(cleaned),
                "sentence": " ".join(cleaned[max(0, match.start() - 60):match.end() + 40].split())}
    return None


def venue(cleaned: str) -> str | None:
    """Where disputes go: an arbitration body or seat, else the courts named."""
    if "rbitrat" in cleaned:
        # every match starts with "arbitration" or "seat of": the scan starts at the first of them
        starts = [i for i in (cleaned.find("arbitration "), cleaned.find("seat of ")) if i >= 0]
        found = [m.group("body") or m.group("seat") for m in _ARBITRATION.finditer(cleaned, min(starts, default=len(cleaned)))]
        if found:
            return "arbitration: " + "; ".join(dict.fromkeys(" ".join(f.split()) for f in found))
    first = cleaned.find("court")  # the first match starts at a "court" (a word-boundary test sees the text before)
    court = _COURTS.search(cleaned, first) if first >= 0 else None
    if court:
        place = re.split(r",? and (?:each|you|the parties)|, and|\bwhich\b", court.group("place"), maxsplit=1)[0]
        return "courts: " + " ".join(place.split())
    return None
