"""What a license lets you do commercially and with outputs, read from the whole text.

The commercial category is the most restrictive one the text states anywhere: a broad grant ("royalty-free",
"sell") in section 2 does not survive "for research purposes only" in section 3, nor "you will not use ... for
any commercial or production purposes" in a restrictions list. Registration and application duties come next;
a plain grant last. Output rules cover the many ways licenses say it ("use the Output to develop or improve
other models", "to train, fine-tune or distill a model that is competitive with ...")."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# (status, cheap anchors, pattern) in order of precedence: the first that matches anywhere decides
COMMERCIAL_RULES = (
    ("research-only", ("research",), re.compile(
        r"research (?:or|and|and/or) evaluation purposes only|for (?:non-commercial )?research purposes only|"
        r"academic research (?:purposes )?only|research-only|solely for (?:non-commercial |academic )?research|"
        r"(?:solely|exclusively|only) for (?:the purpose of )?(?:non-commercial )?research|"
        r"exclusively for research purposes|limited to (?:non-commercial )?research")),
    ("non-commercial", ("commercial", "production"), re.compile(
        r"non-?commercial (?:purposes|use|uses)? ?only|for non-?commercial (?:research )?purposes|"
        r"may not (?:use|exploit)[^.]{0,60}commercial (?:purpose|use)|not for commercial use|"
        r"non-production (?:environments|use)|shall not be used for (?:any )?commercial|purposes other than commercial|"
        r"(?:prohibited|not permitted|not allowed) (?:from )?(?:any )?commercial (?:use|purposes?)|"
        r"commercial (?:use|purposes?) (?:is|are) (?:strictly )?(?:prohibited|not permitted|not allowed)|"
        r"requires a separate commercial licen[cs]e|solely for (?:your )?non-?commercial")),
    ("non-commercial", ("commercial",), re.compile(
        r"(?<=[ ,;:(])for (?:\([ivx]+\) )?any commercial (?:or production )?purposes?\b(?#negated)")),
    ("registration-required", ("regist", "apply", "commercial"), re.compile(
        r"must (?:first )?register|registration form|complete (?:the )?registration|"
        r"commercial (?:use|purposes)[^.]{0,80}(?:require|subject to)[^.]{0,40}(?:registration|application|authori[sz]ation|approval)|"
        r"apply (?:to us )?for a commercial licen[cs]e|(?:submit|file) an application[^.]{0,60}commercial")),
    ("allowed", ("royalty", "commercial", "sell"), re.compile(
        r"royalty[- ]free|commercially usable|commercial use is (?:permitted|allowed)|\bsell\b|"
        r"for commercial (?:and|or) non-commercial purposes|(?:including|include) (?:for )?commercial (?:use|purposes)")),
)

OUTPUT_RULES = (
    ("prohibited-other-llms", ("llm", "language model"), re.compile(
        r"improve any other (?:large language model|llm)|(?:train|develop|improve|create)[^.]{0,40}(?:other|another|any) "
        r"(?:large language models?|llms?)\b")),
    ("prohibited-competing-models", ("compet",), re.compile(
        r"(?:train|fine-?tune|distill|develop|create|improve)[^.]{0,60}(?:model|service)s? (?:that (?:is|are) )?"
        r"(?:competitive|compete|competing) with|competing (?:ai )?models?")),
    ("prohibited-any-ai-model", ("improve", "output"), re.compile(
        r"improve any other (?:ai|artificial intelligence|machine learning) model|"
        r"\boutputs?\b[^.]{0,40}\bto (?:develop|train|improve|create|build)[^.]{0,30}(?:other|another|any other|"
        r"third[- ]party) (?:ai |machine learning |foundation )?models?")),
    ("prohibited-any-ai-model", ("output",), re.compile(r"\boutputs?\b[^.]{0,40}\bto (?:develop|train|improve)\b(?#negated)")),
    ("prohibited-foundation-models", ("foundation",), re.compile(
        r"(?:create|improve)[^.]{0,30}foundation(?:al)? (?:generative )?(?:ai )?models?")),
)


_NEGATION = re.compile(r"\b(?:not|never|no)\b")


# The anchor positions of the text being read, found once and shared by every rule (each extractor asks for
# "commercial" or "output" again): one entry, the last text, held by identity and replaced as a whole.
_POSITIONS: tuple[str | None, dict] = (None, {})


_COMMON = "not "  # in a dozen anchors (territory, negated grants)


def _memo(lowered: str) -> dict:
    global _POSITIONS
    text, memo = _POSITIONS
    if text is not lowered:
        memo = {}
        _POSITIONS = (lowered, memo)
    return memo


def positions(lowered: str, anchor: str) -> list[int]:
    """Every start of ``anchor`` in ``lowered`` (memoised for the text being read)."""
    memo = _memo(lowered)
    found = memo.get(anchor)
    if found is None:
        at = anchor.find(_COMMON) if anchor != _COMMON else -1
        if at >= 0:  # "does not apply to", "not be used", ...: checked where "not " is, one scan for them all
            found = [p - at for p in positions(lowered, _COMMON) if p >= at and lowered.startswith(anchor, p - at)]
        else:
            found = []
            pos = lowered.find(anchor)
            while pos >= 0:
                found.append(pos)
                pos = lowered.find(anchor, pos + 1)
        memo[anchor] = found
    return found


def has(lowered: str, anchors: tuple[str, ...]) -> bool:
    """Does any anchor occur?"""
    return any(anchor in lowered for anchor in anchors)


def windows(lowered: str, anchors: tuple[str, ...], reach: int = 200) -> list[tuple[int, int]]:
    """Merged spans of ``reach`` characters around every occurrence of an anchor: where a pattern can match.
    Searching a few windows instead of the whole text keeps alternation-heavy patterns fast (a license has a
    handful of "research" or "commercial" words in tens of thousands of characters). Memoised for the text
    being read; callers must not change the list."""
    memo = _memo(lowered)
    key = (anchors, reach)
    merged = memo.get(key)
    if merged is not None:
        return merged
    n = len(lowered)
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        found = positions(lowered, anchor)
        if found:
            right = len(anchor) + reach
            spans += [(p - reach if p > reach else 0, p + right if p + right < n else n) for p in found]
    if len(anchors) > 1:
        spans.sort()
    merged = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    memo[key] = merged
    return merged


def finditer(pattern: re.Pattern[str], lowered: str, anchors: tuple[str, ...], reach: int) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(lowered)`` gives, found only near the anchors: exact when every match
    contains an anchor and reaches at most ``reach`` characters beyond it on either side (a window then holds
    each match whole, and windows do not overlap)."""
    for a, b in windows(lowered, anchors, reach):
        yield from pattern.finditer(lowered, a, b)


def search(pattern: re.Pattern[str], lowered: str, anchors: tuple[str, ...], reach: int = 200) -> re.Match[str] | None:
    """The first match of ``pattern`` near an anchor; for a pattern marked ``(?#negated)`` only a match whose
    sentence says "not" before it ("you will not use ... for any commercial or production purposes")."""
    negated = "(?#negated)" in pattern.pattern
    for a, b in windows(lowered, anchors, reach):
        for match in pattern.finditer(lowered, a, b):
            if not negated:
                return match
            start = max(lowered.rfind(". ", 0, match.start()), match.start() - 300, 0)
            if _NEGATION.search(lowered, start, match.start()):
                return match
    return None


def commercial(lowered: str, around: Callable[[re.Match[str]], str], evidence: dict[str, str]) -> str | None:
    for status, anchors, pattern in COMMERCIAL_RULES:
        if not has(lowered, anchors):
            continue
        match = search(pattern, lowered, anchors)
        if match:
            evidence["commercial_use"] = around(match)
            return status
    return None


def output_use(lowered: str, around: Callable[[re.Match[str]], str], evidence: dict[str, str]) -> str | None:
    if not has(lowered, ("output", "improve")):
        return None
    for rule, anchors, pattern in OUTPUT_RULES:
        match = search(pattern, lowered, anchors)
        if match:
            evidence["output_use"] = around(match)
            return rule
    return None
