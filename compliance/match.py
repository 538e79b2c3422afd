"""A parsed name (:mod:`compliance.names`) matched to the catalog: the upstream entry, or the family rule that
covers it, or an ambiguity with its candidates, or nothing with the nearest catalog names as a hint.

Matching compares token sets, so ``Meta-Llama-3.1-8B-Instruct``, ``llama-v3p1-8b-instruct`` and
``llama3.1:8b-instruct-q4_K_M`` are one model. What it may add when a name leaves something out, in order:
a serving name without a variant means the instruct (else chat) model the provider serves; a serving suffix
(``-preview``, ``-turbo``) is dropped; a name without a release date matches a dated release only when the
family has one. Anything looser is a hint, never an answer.
"""
from __future__ import annotations

import difflib
import heapq
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ResolveError
from .names import DATE, ParsedName, parse_name

if TYPE_CHECKING:
    from .catalog import Catalog, CatalogEntry, RuleMatch

MAX_CANDIDATES = 8
MEMO_SIZE = 20_000
CONTEXT_WORD = re.compile(r"^\d+k$")
SIZE_LIKE = re.compile(r"^(?:\d+(?:\.\d+)?b|\d+x\d+(?:\.\d+)?b|a\d+(?:\.\d+)?b|e\d+(?:\.\d+)?b|\d+e)$")


class AmbiguousName(ResolveError):
    """A name that fits several catalog models (two families, two sizes): reported with its candidates."""

    def __init__(self, message: str, candidates: tuple[str, ...]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class NameMatch:
    parsed: ParsedName
    entry: CatalogEntry | None = None
    rule: RuleMatch | None = None
    rule_id: str | None = None  # the id the family rule was applied to
    how: str = ""
    candidates: tuple[str, ...] = ()  # an ambiguity: every catalog model the name could be
    hints: tuple[str, ...] = ()  # nothing matched: the nearest catalog names

    @property
    def found(self) -> bool:
        return self.entry is not None or self.rule is not None

    def describe(self) -> str:
        if self.entry is not None:
            return f"{self.parsed.describe()} -> {self.entry.id} ({self.how})"
        if self.rule is not None:
            return f"{self.parsed.describe()} -> {self.rule_id} by rule: {self.rule.describe()}"
        if self.candidates:
            return f"{self.parsed.describe()} -> ambiguous: {', '.join(self.candidates)}"
        return f"{self.parsed.describe()} -> no catalog model" + (
            f" (nearest: {', '.join(self.hints)})" if self.hints else "")


@dataclass
class NameIndex:
    """Token sets of every catalog id and alias, built once per catalog."""

    exact: dict[frozenset[str], set[str]] = field(default_factory=dict)
    undated: dict[frozenset[str], set[str]] = field(default_factory=dict)
    orgs: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)  # lower-case repository name -> id, for hints
    memo: dict[tuple, NameMatch] = field(default_factory=dict)  # names already matched (a scan repeats them)

    @classmethod
    def build(cls, cat: Catalog) -> NameIndex:
        index = cls(orgs=frozenset(e.id.split("/")[0].lower() for e in cat))
        for entry in cat:
            for model_id in (entry.id, *entry.aliases):
                parsed = parse_name(model_id)
                full = parsed.tokens | parsed.serving_tokens
                keys = [full]
                if parsed.size_b is None and entry.params_b:  # DeepSeek-R1 is deepseek-r1:671b
                    keys.append(full | {f"{entry.params_b:g}b"})
                for key in keys:
                    index.exact.setdefault(key, set()).add(entry.id)
                    if parsed.date:
                        index.undated.setdefault(key - {parsed.date}, set()).add(entry.id)
                index.names.setdefault(model_id.split("/")[-1].lower(), entry.id)
        return index


def index_for(cat: Catalog) -> NameIndex:
    index = getattr(cat, "_name_index", None)
    if index is None:
        index = NameIndex.build(cat)
        cat._name_index = index  # noqa: SLF001 - a cache on the catalog object (pickled with it)
    return index


def _keys(parsed: ParsedName, serving: bool) -> list[tuple[frozenset[str], str]]:
    bases = [(parsed.tokens | parsed.serving_tokens, "the name's parts")]
    if parsed.serving_tokens:
        bases.append((parsed.tokens, f"serving suffix {', '.join(sorted(parsed.serving_tokens))} dropped"))
    context = {t for t in parsed.tokens if CONTEXT_WORD.match(t)}
    if context:  # Qwen2.5-Coder-14B-Instruct-128K: a long-context configuration of the same weights
        bases.append((parsed.tokens - context, f"context length {', '.join(sorted(context))} dropped"))
    keys = []
    for base, how in bases:
        if serving and parsed.variant is None:
            keys.append((base | {"instruct"}, how + "; a serving name without a variant is the instruct model"))
            keys.append((base | {"chat"}, how + "; a serving name without a variant is the chat model"))
        keys.append((base, how))
    return keys


def match_name(cat: Catalog, name: str, *, tag: str | None = None, serving: bool = False) -> NameMatch:
    """Match ``name`` (``org/name``, a bare name; ``tag`` an Ollama or ``hf.co`` tag) to the catalog.
    ``serving``: the name is how a provider or runtime serves a model (a missing variant means instruct)."""
    index = index_for(cat)
    key = (name, tag, serving)
    found = index.memo.get(key)
    if found is None:
        found = _match(cat, index, name, tag, serving)
        if len(index.memo) < MEMO_SIZE:
            index.memo[key] = found
    return found


def _match(cat: Catalog, index: NameIndex, name: str, tag: str | None, serving: bool) -> NameMatch:
    parsed = parse_name(name, tag=tag, known_orgs=index.orgs)
    if not parsed.tokens:
        return NameMatch(parsed)
    keys = _keys(parsed, serving)
    for key, how in keys:
        ids = index.exact.get(key)
        if ids:
            return _one(cat, parsed, ids, how)
    if parsed.date is None:
        for key, how in keys:
            ids = index.undated.get(key)
            if ids:
                return _one(cat, parsed, ids, how + "; no release date given: the family's only dated release")
    if serving:  # llama-4-scout: the catalog has one size of the instruct model, and the name left the size out
        base = parsed.tokens | ({"instruct"} if parsed.variant is None else set())
        fits = {i for key, ids in index.exact.items() if base < key and all(SIZE_LIKE.match(t) for t in key - base)
                for i in ids}
        if len(fits) == 1:
            return _one(cat, parsed, fits, "the only size of it in the catalog (the name gives none)")
    extra: dict[str, int] = {}  # candidate id -> how many parts it adds to the name (fewest first)
    for key, ids in index.exact.items():
        if parsed.tokens < key:
            for i in ids:
                extra[i] = min(extra.get(i, 99), len(key - parsed.tokens))
    supersets = sorted(extra, key=lambda i: (extra[i], i))
    if len(supersets) > 1:  # mistral-7b-instruct: v0.1, v0.2 or v0.3; a family rule does not decide that
        return NameMatch(parsed, how="several catalog models fit", candidates=tuple(supersets[:MAX_CANDIDATES]))
    rule = _by_rule(cat, parsed)
    if rule is not None:
        return rule
    return NameMatch(parsed, hints=tuple(supersets[:3]) or nearest(cat, parsed.stem or name))


def _one(cat: Catalog, parsed: ParsedName, ids: set[str], how: str) -> NameMatch:
    if len(ids) > 1:  # gemma-3-1b-it beside its own gemma-3-1b-it-qat-q4_0-gguf: the weights, not a packaging
        plain = [i for i in ids if not parse_name(i).packaging]
        if len(plain) == 1:
            ids, how = set(plain), how + "; the unpackaged release"
    if len(ids) == 1:
        return NameMatch(parsed, entry=cat.get(next(iter(ids))), how=how)
    return NameMatch(parsed, how=how, candidates=tuple(sorted(ids)[:MAX_CANDIDATES]))


def _by_rule(cat: Catalog, parsed: ParsedName) -> NameMatch | None:
    stem = parsed.stem
    if not stem or DATE.match(stem):
        return None
    model_id = f"{parsed.org}/{stem}" if parsed.org else stem
    matches = cat.by_rule(model_id, parsed.size_b, name_only=parsed.org is None)
    if not matches and parsed.org:
        model_id = stem
        matches = cat.by_rule(stem, parsed.size_b, name_only=True)
    if len(matches) == 1:
        return NameMatch(parsed, rule=matches[0], rule_id=matches[0].model_id or model_id, how="family rule")
    if len(matches) > 1:
        return NameMatch(parsed, how="several family rules cover the name",
                         candidates=tuple(f"family {m.family.id}" for m in matches))
    return None


def nearest(cat: Catalog, name: str, n: int = 3) -> tuple[str, ...]:
    """The catalog ids whose repository names are closest to ``name`` (a hint for a name not found)."""
    index = index_for(cat)
    table = getattr(index, "_hint_table", None)
    if table is None:  # built on the first hint, beside the index (not a field: older pickles lack it)
        table = {}
        for x in index.names:  # by length, in the names' order
            table.setdefault(len(x), []).append((x, _counts(x)))
        index._hint_table = table  # noqa: SLF001
    return tuple(index.names[c] for c in close_matches(name.split("/")[-1].lower(), table, n=n, cutoff=0.6))


def _counts(text: str) -> frozenset[str]:
    """The letters of ``text`` as a set of letter-and-occurrence strings (the second ``a`` is ``"a" + chr(2)``):
    the size of two such sets' intersection is the number of letters the texts share, counted with multiplicity
    (difflib's ``quick_ratio`` matches). Strings, not tuples: a string keeps its hash, so intersecting is cheap."""
    seen: dict[str, int] = {}
    out = []
    for char in text:
        seen[char] = seen.get(char, 0) + 1
        out.append(char + chr(seen[char]))
    return frozenset(out)


def close_matches(word: str, table: dict[int, list[tuple[str, frozenset[str]]]], *, n: int,
                  cutoff: float) -> list[str]:
    """``difflib.get_close_matches(word, names, n, cutoff)``, the same answer, cheaper; ``table``: the names by
    length, each with its letters (:func:`_counts`).

    difflib keeps the possibilities whose ratio reaches ``cutoff`` and returns the best ``n``; any upper bound of
    the ratio may rule a possibility out. Its ``quick_ratio`` bound is one set intersection here (each
    possibility's letters are precomputed), the possibilities are taken best bound first, and the exact ratio
    (the costly part) is computed only while a possibility can still enter the best ``n``, and only when the
    longest common subsequence (bit-parallel, cheap) leaves it a chance."""
    lb = len(word)
    if not lb:
        return []  # no possibility is empty (they are names), and an empty word matches nothing else
    letters = _counts(word)
    ordered = []
    for la, same_length in table.items():  # difflib's formula inline (2.0 * matches / length): equal floats
        length = la + lb
        if 2.0 * (la if la < lb else lb) / length < cutoff:  # real_quick_ratio, one length at a time
            continue
        for x, counts in same_length:
            bound = 2.0 * len(counts & letters) / length  # quick_ratio
            if bound >= cutoff:
                ordered.append((bound, x, length))
    ordered.sort(reverse=True)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    masks: dict[str, int] = {}
    for i, char in enumerate(word):
        masks[char] = masks.get(char, 0) | (1 << i)
    found: list[tuple[float, str]] = []
    floor = cutoff  # the n-th best ratio so far (cutoff until there are n)
    for bound, x, length in ordered:
        if bound < floor:
            break  # every later bound is lower still: none can enter the best n
        if 2.0 * lcs_length(x, masks, lb) / length < floor:  # difflib's matches never exceed the LCS
            continue
        matcher.set_seq1(x)
        score = matcher.ratio()
        if score >= cutoff:
            found = heapq.nlargest(n, [*found, (score, x)])
            if len(found) >= n:
                floor = found[-1][0]
    return [x for _, x in found]


def lcs_length(text: str, masks: dict[str, int], width: int) -> int:
    """The length of the longest common subsequence of ``text`` and a word of ``width`` letters whose positions
    are ``masks`` (letter -> bit mask), by Hyyrö's bit-parallel recurrence: the zero bits of ``v`` count it."""
    full = (1 << width) - 1
    v = full
    for char in text:
        u = v & masks.get(char, 0)
        v = ((v + u) | (v - u)) & full
    return width - v.bit_count()
