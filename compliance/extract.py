"""Rule-based extraction of license terms from any text, known or not.

A license the knowledge base has never seen still states its cap, its excluded territories, its
non-commercial grant and its attribution strings in recognisable sentences. These rules read them, so
``compliance identify`` can say what an unknown license demands. They are deliberately conservative: a term
is reported only with the sentence it came from.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .countries import may_name_place, names_in
from . import grants
from .law import governing_law
from .normalize import clean

# --- numbers ----------------------------------------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1,
}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_ABBREV = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
        r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|" \
        r"thousand|million|billion|trillion)"
_WORDS = rf"(?:\b(?:a\s+)?{_WORD}(?:[\s-]+(?:and[\s-]+)?{_WORD})*\b)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = rf"(?:(?:{_DIGITS})(?:\s*(?:thousand|million|billion|trillion|bn|mn|mm|m|k)\b)?|{_WORDS})"


def parse_number(phrase: str) -> float | None:
    """``"700 million"`` → 7e8, ``"seven hundred million"`` → 7e8, ``"1,000,000"`` → 1e6, ``"2.5bn"`` → 2.5e9."""
    phrase = phrase.strip().lower()
    digits = re.match(rf"^({_DIGITS})\s*([a-z]+)?$", phrase)
    if digits:
        value = float(digits.group(1).replace(",", ""))
        unit = digits.group(2)
        if unit:
            value *= _SCALE.get(unit) or _ABBREV.get(unit) or 1
        return value
    total, current, seen = 0, 0, False
    for token in re.split(r"[\s-]+", phrase):
        if token == "and":
            continue
        if token in _SMALL:
            current += _SMALL[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALE:
            total += (current or 1) * _SCALE[token]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


# --- results ----------------------------------------------------------------------------------------


@dataclass
class ExtractedThreshold:
    metric: str
    limit: float
    currency: str | None
    comparison: str
    sentence: str
    consequence: str | None = None  # request-license, paid-license, display-name, registration, license-terminates


@dataclass
class ExtractedTerritory:
    excluded: list[str]
    scope: str
    basis: str
    end_users_exempt: bool
    sentence: str


@dataclass
class ExtractedObligation:
    kind: str
    text: str | None
    required: bool
    sentence: str


@dataclass
class ExtractedTerms:
    commercial_use: str | None = None
    thresholds: list[ExtractedThreshold] = field(default_factory=list)
    territory: ExtractedTerritory | None = None
    attribution: list[ExtractedObligation] = field(default_factory=list)
    output_use: str | None = None
    distillation_is_derivative: bool = False
    governing_law: dict[str, str | None] | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- sentences ------------------------------------------------------------------------------------


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence of ``text`` around ``start:end`` (cheap: it looks for the nearest boundaries only)."""
    end = start if end is None else end
    left = max(text.rfind(". ", 0, start), text.rfind("。", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("。", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 if left >= 0 else 0:right + 1].strip()


def _short(sentence: str, limit: int = 25) -> str:
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + " …"


# --- thresholds -------------------------------------------------------------------------------------
# Patterns run on the lower-cased text (no IGNORECASE: literal prefixes keep the regex engine fast), and each
# family of patterns only when a cheap anchor shows it can match.

_USER_METRIC = re.compile(r"\b(?:(monthly|daily) active users?|(mau|dau)\b)")
_REVENUE = re.compile(r"\b(annual|yearly|monthly|annualized)? ?(?:gross )?(?:revenues?|turnover)\b")
_CURRENCY = {"us$": "USD", "usd": "USD", "u.s. dollars": "USD", "us dollars": "USD", "$": "USD", "dollars": "USD",
             "dollar": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP",
             "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "¥": "CNY", "jpy": "JPY", "yen": "JPY"}
_LESS = re.compile(r"\b(?:less than|fewer than|below|under|not exceed(?:ing)?|no more than|lower than)\b")
_MORE = re.compile(r"\b(?:more than|greater than|exceeds?|exceeding|in excess of|above|over|at least)\b")
_MONEY = re.compile(
    rf"(?P<pre>us\$|usd|€|eur|£|gbp|rmb|cny|¥|\$)? ?(?P<dollar>\$)?(?P<num>{NUMBER})"
    r"(?: ?(?P<post>us dollars|u\.s\. dollars|dollars|usd|euros?|eur|gbp|rmb|cny|yuan|renminbi))?"
)
_NUMBER_LC = re.compile(NUMBER)


def _comparison(before: str) -> str:
    """The comparison that binds, from the words just before a number."""
    tail = before[-60:]
    less = [m.start() for m in _LESS.finditer(tail)]
    more = [m.start() for m in _MORE.finditer(tail)]
    if less and (not more or less[-1] > more[-1]):
        return "at-least"
    return "greater-than"


def _nearest_number(before: str, after: str) -> tuple[float, str] | None:
    """The figure closest to a metric: just before it ("700 million monthly active users") or shortly after
    it ("DAU ... is less than 1 million"). Returns the value and the words that precede the figure."""
    candidates = []
    for m in _NUMBER_LC.finditer(before):
        value = parse_number(m.group(0))
        if value and value >= 1000:
            candidates.append((len(before) - m.end(), value, before[:m.start()]))
    for m in _NUMBER_LC.finditer(after):
        value = parse_number(m.group(0))
        if value and value >= 1000:
            candidates.append((m.start(), value, after[:m.start()]))
    if not candidates:
        return None
    _, value, preceding = min(candidates, key=lambda c: c[0])
    return value, preceding


_CONSEQUENCES = (
    ("display-name", re.compile(r"\b(?:display|show|indicate)\b[^.]{0,80}(?:user interface|prominently|name)|prominently display")),
    ("paid-license", re.compile(r"\b(?:fee|royalt(?:y|ies)|paid licen[cs]e|pay\b|payment)")),
    ("registration", re.compile(r"\bregist(?:er|ration)\b")),
    ("license-terminates", re.compile(r"\bterminat\w*|\bno longer (?:be )?(?:licensed|granted|valid)")),
    ("request-license", re.compile(r"(?:request|obtain|apply for|seek|need|enter into)\b[^.]{0,40}\b(?:licen[cs]e|agreement|authori[sz]ation|permission)")),
)


def _consequence(sentence: str) -> str | None:
    """What passing a figure triggers, from the sentence that states it."""
    for name, pattern in _CONSEQUENCES:
        if pattern.search(sentence):
            return name
    return None


def _thresholds(lowered: str, cleaned: str) -> list[ExtractedThreshold]:
    found: list[ExtractedThreshold] = []
    seen: set[tuple[str, float]] = set()

    def add(metric: str, value: float, currency: str | None, comparison: str, at: int) -> None:
        if (metric, value) not in seen:
            seen.add((metric, value))
            sentence = sentence_at(lowered, at)
            found.append(ExtractedThreshold(metric, value, currency, comparison, _short(sentence_at(cleaned, at)),
                                            _consequence(sentence)))

    if "active user" in lowered or "mau" in lowered or "dau" in lowered:
        for m in grants.finditer(_USER_METRIC, lowered, ("active user", "mau", "dau"), 30):
            kind = m.group(1) or m.group(2)
            metric = "daily_active_users" if kind in ("daily", "dau") else "monthly_active_users"
            before = lowered[max(0, m.start() - 80):m.start()]
            after = lowered[m.end():m.end() + 120]
            near = _nearest_number(before, after)
            if near is None:
                continue
            value, preceding = near
            context = preceding if (_LESS.search(preceding) or _MORE.search(preceding)) else before
            add(metric, value, None, _comparison(context), m.start())
    if "revenue" in lowered or "turnover" in lowered:
        for m in grants.finditer(_REVENUE, lowered, ("revenue", "turnover"), 40):
            period = m.group(1) or ""
            window_start = max(0, m.start() - 120)
            window = lowered[window_start:m.end() + 120]
            if period == "monthly" or (not period and re.search(r"\b(?:per|each|a|every) month\b", window)):
                metric = "monthly_revenue"
            else:
                metric = "annual_revenue"
            for money in _MONEY.finditer(window):
                currency = (_CURRENCY.get((money.group("pre") or money.group("dollar") or "").strip())
                            or _CURRENCY.get(money.group("post") or ""))
                value = parse_number(money.group("num"))
                if currency and value and value >= 1000:
                    add(metric, value, currency, _comparison(window[:money.start()]), m.start())
                    break
    return found


# --- territory --------------------------------------------------------------------------------------

_TERRITORY_TRIGGER = re.compile(
    r"\b(?:excluding|except(?: for)?|other than|does not apply in|prohibited in|domiciled in|"
    r"principal place of business in|not (?:be )?(?:used?|available|granted|licensed|permitted|distributed?|offered?)\b[^.]{0,80}?\b(?:in|within)|"
    r"does not (?:apply|extend) to (?:users|licensees|persons|entities|anyone)\b[^.]{0,30}\b(?:in|located in|resident in)|"
    r"(?:is|are) (?:not (?:permitted|allowed|licensed|authori[sz]ed)|prohibited|forbidden)|"
    r"not being granted)\b"
)
_TERRITORY_ANCHORS = ("not use", "not distribute", "not offer", "does not apply to", "does not extend", "excluding", "except", "other than", "does not apply in", "prohibited", "domiciled",
                      "place of business", "not be used", "not available", "not granted", "not licensed",
                      "not permitted", "not allowed", "not authori", "forbidden", "not be distributed",
                      "not being granted")


def _territory(lowered: str, cleaned: str) -> ExtractedTerritory | None:
    """Countries or groups named in a sentence that withholds rights (``excluding the European Union``,
    ``use in Brazil is not permitted``, ``domiciled in ... the European Union``). Sentences about governing
    law, jurisdiction or export control name places for other reasons and are skipped."""
    if not grants.has(lowered, _TERRITORY_ANCHORS):
        return None
    spans = grants.windows(lowered, _TERRITORY_ANCHORS, 160)
    for trigger in (m for a, b in spans for m in _TERRITORY_TRIGGER.finditer(lowered, a, b)):
        sentence = sentence_at(lowered, trigger.start(), trigger.end())
        if len(sentence) > 600:  # a run-on "sentence" (a list without full stops): keep to the trigger's vicinity
            sentence = lowered[max(0, trigger.start() - 250):trigger.end() + 250]
        if not may_name_place(sentence):
            continue
        codes = names_in(sentence)
        located = "located in" in sentence and not trigger.group(0).startswith("does not")
        if not codes or located or re.search(r"govern|\blaws?\b|jurisdiction|export", sentence):
            continue
        around = lowered[max(0, trigger.start() - 400):trigger.end() + 600]
        basis = "licensee-domicile" if ("domiciled" in sentence or "place of business" in sentence) else "place-of-use"
        scope = "multimodal-models" if "multimodal" in around[:400 + len(trigger.group(0))] or "multimodal" in sentence else "license"
        exempt = "does not apply to end users" in around or "end users are not" in around
        return ExtractedTerritory(codes, scope, basis, exempt, _around(cleaned, trigger, 30))
    return None


# --- commercial use ---------------------------------------------------------------------------------

def _commercial(lowered: str, cleaned: str, terms: ExtractedTerms) -> str | None:
    return grants.commercial(lowered, lambda m: _around(cleaned, m), terms.evidence)


def _around(text: str, match: re.Match[str], words: int = 12) -> str:
    """The matched words with a few words of context on each side."""
    reach = words * 12
    before = text[max(0, match.start() - reach):match.start()].split()[-words // 2:]
    after = text[match.end():match.end() + reach].split()[:words // 2]
    return " ".join([*before, text[match.start():match.end()], *after])


# --- attribution ------------------------------------------------------------------------------------

_ATTRIBUTION_RULES = (
    ("built-with", ("built with", "built on", "improved using"),
     re.compile(r"[\"']((?:built with|built on|improved using) [^\"']{2,60}?)[\"']")),
    ("powered-by", ("powered by",), re.compile(r"[\"'](powered by [^\"']{2,60}?)[\"']")),
    ("display-name", ("display",), re.compile(
        r"(?:prominently )?display[^.\"']{0,30}[\"']([^\"']{2,40}?)[\"'][^.]{0,40}(?:user interface|website|product|"
        r"service|documentation|prominently)")),
    ("name-prefix", ("beginning of",), re.compile(
        r"(?:include|add|prefix)\s+[\"']?([^\"']{2,40}?)[\"']?\s+(?:at|to) the beginning of (?:(?:[a-z]+ ){0,3}?(?:ai )?"
        r"model(?:'s)? names?|(?:its|their|the) names?)")),
    ("license-copy", ("copy of this", "permission notice", "retain this notice"), re.compile(
        r"(?:provid(?:e|ing)|giv(?:e|ing)|includ(?:e|ing)|distribut(?:e|ing))[^.]{0,60}?a copy of this (?:agreement|license|licence)|"
        r"this permission notice shall be included|must retain this notice")),
    ("modification-notice", ("prominent notice",), re.compile(
        r"(?:modified|changed) files?[^.]{0,40}prominent notices?|prominent notices? stating that you (?:changed|modified)|"
        r"modified files? to carry (?:a )?prominent notice")),
)
_LICENSED_UNDER = re.compile(r"\b(?:is|are) (?:licensed|provided) under\b")


def _notice_sentences(lowered: str) -> list[tuple[int, int]]:
    """Spans of quoted sentences saying "X is licensed (or provided) under Y": the NOTICE text a license requires.
    Found from the phrase outwards to the enclosing quote marks (cheaper than a regex from every quote)."""
    spans = []
    for anchor in ("licensed under", "provided under"):
        start = lowered.find(anchor)
        while start >= 0:
            left = max(lowered.rfind('"', max(0, start - 200), start), lowered.rfind("'", max(0, start - 200), start))
            right = lowered.find('"', start, start + 200)
            if left >= 0 and right > 0 and _LICENSED_UNDER.search(lowered, left, right) and left + 3 < right:
                spans.append((left + 1, right))
            start = lowered.find(anchor, start + 1)
    return sorted(set(spans))


_ENCOURAGED = re.compile(r"\b(?:encourag\w*|we ask|may (?:choose|wish)|optional(?:ly)?|are invited)\b")


def _attribution(lowered: str, cleaned: str) -> list[ExtractedObligation]:
    """Attribution duties. Quoted strings are matched on the whole text: a NOTICE sentence such as
    "… Meta Platforms, Inc. All Rights Reserved." spans what a sentence splitter would cut."""
    found: list[ExtractedObligation] = []
    seen: set[tuple[str, str | None]] = set()
    for m in _notice_sentences(lowered):
        text = cleaned[m[0]:m[1]].strip()
        if ("notice-file", text.lower()) not in seen:
            seen.add(("notice-file", text.lower()))
            found.append(ExtractedObligation("notice-file", text, True, _short(text, 40)))
    for kind, anchors, pattern in _ATTRIBUTION_RULES:
        if not grants.has(lowered, anchors):
            continue
        for m in (m for a, b in grants.windows(lowered, anchors, 240) for m in pattern.finditer(lowered, a, b)):
            text = cleaned[m.start(1):m.end(1)].strip() if m.groups() and m.group(1) else None
            key = (kind, text.lower() if text else None)
            if key in seen:
                continue
            seen.add(key)
            required = not _ENCOURAGED.search(sentence_at(lowered, m.start(), m.end()))
            found.append(ExtractedObligation(kind, text, required, _around(cleaned, m, 16)))
    return found


# --- outputs ----------------------------------------------------------------------------------------

def _output_use(lowered: str, cleaned: str, terms: ExtractedTerms) -> str | None:
    rule = grants.output_use(lowered, lambda m: _around(cleaned, m), terms.evidence)
    if rule:
        return rule
    if any(o.kind == "name-prefix" for o in terms.attribution) and re.search(r"outputs? (?:or results )?of", lowered):
        return "allowed-with-naming"
    return None


# --- entry point ------------------------------------------------------------------------------------


def extract(text: str, *, cleaned: str | None = None) -> ExtractedTerms:
    """Every term the rules can read in ``text`` (pass ``cleaned`` when :func:`clean` already ran)."""
    cleaned = clean(text) if cleaned is None else cleaned
    lowered = cleaned.lower()
    if len(lowered) != len(cleaned):  # a few characters change length in lower case: show lower-case extracts
        cleaned = lowered
    terms = ExtractedTerms()
    terms.commercial_use = _commercial(lowered, cleaned, terms)
    terms.thresholds = _thresholds(lowered, cleaned)
    terms.territory = _territory(lowered, cleaned)
    terms.attribution = _attribution(lowered, cleaned)
    terms.output_use = _output_use(lowered, cleaned, terms)
    terms.distillation_is_derivative = bool(
        ("distillation" in lowered or "synthetic data" in lowered)
        and re.search(r"derivative[^.]{0,300}(?:distillation|synthetic data)", lowered)
    )
    terms.governing_law = governing_law(lowered, cleaned)
    return terms
