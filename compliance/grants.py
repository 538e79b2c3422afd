"""What a license lets you do commercially and with outputs, read from the whole text.

The commercial category is the most restrictive one the text states anywhere: a broad grant ("royalty-free",
"sell") in section 2 does not survive "for research purposes only" in section 3, nor "you will not use ... for
any commercial or production purposes" in a restrictions list. Registration and application duties come next;
a plain grant last. Output rules cover the many ways licenses say it ("use the Output to develop or improve
other models", "to train, fine-tune or distill a model that is competitive with ...")."""
from __future__ import annotations

import re
from collections.abc import Callable

# (status, cheap anchors, pattern) in order of precedence: the first that matches anywhere decides
COMMERCIAL_RULES = (
    ("research-only", ("research",), re.compile(
        r"research (?:or|and|and/or) evaluation purposes only|for (?:non-commercial )?research purposes only|"
        r"academic research (?:purposes )?only|research-only|solely for (?:non-commercial |academic )?research|"
        r"(?:use|used|access)[^.]{0,80}(?:solely|exclusively|only) for (?:the purpose of )?(?:non-commercial )?research|"
        r"exclusively for research purposes|limited to (?:non-commercial )?research")),
    ("non-commercial", ("commercial", "production"), re.compile(
        r"non-?commercial (?:purposes|use|uses)? ?only|for non-?commercial (?:research )?purposes|"
        r"may not (?:use|exploit)[^.]{0,60}commercial (?:purpose|use)|not for commercial use|"
        r"non-production (?:environments|use)|shall not be used for (?:any )?commercial|purposes other than commercial|"
        r"(?:will|shall|may|must) not\b[^.]{0,250}\bfor (?:\([ivx]+\) )?any commercial (?:or production )?purposes?|"
        r"(?:prohibited|not permitted|not allowed) (?:from )?(?:any )?commercial (?:use|purposes?)|"
        r"commercial (?:use|purposes?) (?:is|are) (?:strictly )?(?:prohibited|not permitted|not allowed)|"
        r"requires a separate commercial licen[cs]e|solely for (?:your )?non-?commercial")),
    ("registration-required", ("regist", "apply", "commercial"), re.compile(
        r"must (?:first )?register|registration form|complete (?:the )?registration|"
        r"commercial (?:use|purposes)[^.]{0,80}(?:require|subject to)[^.]{0,40}(?:registration|application|authori[sz]ation|approval)|"
        r"apply (?:to us )?for a commercial licen[cs]e|(?:submit|file) an application[^.]{0,60}commercial")),
    ("allowed", ("royalty", "commercial", "sell"), re.compile(
        r"royalty[- ]free|commercially usable|commercial use is (?:permitted|allowed)|\bsell\b|"
        r"for commercial (?:and|or) non-commercial purposes|(?:including|include) (?:for )?commercial (?:use|purposes)")),
)

OUTPUT_RULES = (
    ("prohibited-other-llms", re.compile(
        r"improve any other (?:large language model|llm)|(?:train|develop|improve|create)[^.]{0,40}(?:other|another|any) "
        r"(?:large language models?|llms?)\b")),
    ("prohibited-competing-models", re.compile(
        r"(?:train|fine-?tune|distill|develop|create|improve)[^.]{0,60}(?:model|service)s? (?:that (?:is|are) )?"
        r"(?:competitive|compete|competing) with|competing (?:ai )?models?")),
    ("prohibited-any-ai-model", re.compile(
        r"improve any other (?:ai|artificial intelligence|machine learning) model|"
        r"(?:not|never)\b[^.]{0,80}\boutputs?\b[^.]{0,40}\bto (?:develop|train|improve|create|build)[^.]{0,30}"
        r"(?:other|another|any other|third[- ]party) (?:ai |machine learning |foundation )?models?|"
        r"(?:not|never)\b[^.]{0,40}\b(?:use|using)\b[^.]{0,60}\boutputs?\b[^.]{0,30}\bto (?:develop|train|improve)")),
    ("prohibited-foundation-models", re.compile(
        r"(?:create|improve)[^.]{0,30}foundation(?:al)? (?:generative )?(?:ai )?models?")),
)


def commercial(lowered: str, around: Callable[[re.Match[str]], str], evidence: dict[str, str]) -> str | None:
    for status, anchors, pattern in COMMERCIAL_RULES:
        if not any(anchor in lowered for anchor in anchors):
            continue
        match = pattern.search(lowered)
        if match:
            evidence["commercial_use"] = around(match)
            return status
    return None


def output_use(lowered: str, around: Callable[[re.Match[str]], str], evidence: dict[str, str]) -> str | None:
    if "output" not in lowered and "improve" not in lowered:
        return None
    for rule, pattern in OUTPUT_RULES:
        match = pattern.search(lowered)
        if match:
            evidence["output_use"] = around(match)
            return rule
    return None
