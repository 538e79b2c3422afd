"""The did-you-mean hint for a name not in the catalog (``match.nearest``): difflib's answer exactly, cheaper.
Checked against ``difflib.get_close_matches`` on a fifth of the real names of tests/data/model_names.yaml and on typos of
catalog names, and the bit-parallel LCS bound against the textbook dynamic programme."""
from __future__ import annotations

import difflib
import random
from pathlib import Path

import yaml

from compliance import catalog, match

DATA = Path(__file__).parent / "data" / "model_names.yaml"


def _reference(cat, name: str) -> tuple[str, ...]:
    index = match.index_for(cat)
    return tuple(index.names[c] for c in difflib.get_close_matches(name.split("/")[-1].lower(), list(index.names),
                                                                   n=3, cutoff=0.6))


def _typos(names: list[str], count: int) -> list[str]:
    rng = random.Random(11)
    out = []
    for _ in range(count):
        chars = list(rng.choice(names))
        for _ in range(rng.randint(0, 7)):
            pos = rng.randrange(len(chars) + 1)
            op = rng.random()
            if op < 0.4:
                chars.insert(pos, rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-._"))
            elif op < 0.7 and len(chars) > 1:
                chars.pop(min(pos, len(chars) - 1))
            elif chars:
                chars[min(pos, len(chars) - 1)] = rng.choice("aeiou-0x")
        out.append("".join(chars))
    return out


def test_the_hint_is_difflibs_answer_for_real_names_and_typos():
    cat = catalog.default()
    rows = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    real = [str(r["name"]) for r in rows["names"]]
    assert len(real) > 200
    real = real[::5]  # a spread of every form (difflib itself takes ~15 ms a name: the reference is the slow part)
    typos = _typos(list(match.index_for(cat).names), 120)
    odd = ["", "a", "-", "x" * 120, "llama", "qwen", "gemma-3", "ünïcode-mödel", "a/b/c", "Org/"]
    for name in [*real, *typos, *odd]:
        assert match.nearest(cat, name) == _reference(cat, name), name
    assert match.nearest(cat, "acme-ai/Qwen3.5-4B-sft")  # a hint is still given
    assert len(match.nearest(cat, "Llama-3.1-8B-Instruct-sft", n=5)) == 5


def test_the_lcs_bound_is_the_longest_common_subsequence():
    rng = random.Random(3)

    def dp(a: str, b: str) -> int:
        row = [0] * (len(b) + 1)
        for ca in a:
            prev = 0
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], prev + 1 if ca == cb else max(row[j], row[j - 1])
        return row[-1]

    for _ in range(500):
        a = "".join(rng.choice("abc-1") for _ in range(rng.randint(0, 30)))
        b = "".join(rng.choice("abc-1") for _ in range(rng.randint(1, 30)))
        masks: dict[str, int] = {}
        for i, char in enumerate(b):
            masks[char] = masks.get(char, 0) | (1 << i)
        assert match.lcs_length(a, masks, len(b)) == dp(a, b), (a, b)
