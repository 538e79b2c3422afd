"""The cheap first pass of the matcher: where in a file's text a model-taking position may start, and which
names (keys, keyword arguments, variables, flags) take a model.

``str.find`` locates a few literal anchors in the text lowered as ASCII (one C search each, several times faster
than a regular expression's prefix scan); at each hit a small pattern anchored there rejects, in C, what cannot
start a model-taking position. A file without a reference costs its read, the lowering and these searches.
"""
from __future__ import annotations

import re

# Candidate positions: ``str.find`` (a C search several times faster than a regular expression's prefix scan)
# locates a few literals in the lower-cased text, one pass each; at each hit a small regular expression anchored
# there rejects, in C, what cannot start a model-taking position, so Python sees a few candidates per file, not
# every "model" of a training framework. (literal, ((shift from the hit, pattern, kind), ...)); kind 0 is a key,
# call, flag or command, 1 a Hub URL, 2 an
# option declared in code (argparse, click).
TOKEN, URL, WRAPPER, OPTION = 0, 1, -1, 2
KEY_AT = re.compile(r"model[\w-]{0,60}[\"'`]?[ \t]*(?::[ \t]*[a-z_][\w\[\], .|]{0,40})?[:=](?![=:])")
FLAG_AT = re.compile(r"--(?:[\w-]{0,40}[-_])?(?:model|tokenizer)[\w-]{0,40}(?:=|[ \t]+(?=[^\s-]))")
OLLAMA_AT = re.compile(r"ollama[ \t]+(?:run|pull|show|cp|push)[ \t]")
ANCHORS = (
    ("model", ((0, KEY_AT, TOKEN),)),
    ("pretrained", ((0, re.compile(r"pretrained[\w-]{0,60}[\"']?[ \t]*[:=(]"), TOKEN),)),
    ("download", ((0, re.compile(r"download(?:[ \t]*\(|[ \t]+(?=[^\s-]))"), TOKEN),)),
    ("repo_id", ((0, re.compile(r"repo_id[\"']?[ \t]*[:=]"), TOKEN),)),
    ("llm", ((-1, re.compile(r"vllm[ \t]+serve[ \t]"), TOKEN), (0, re.compile(r"llm[ \t]*\("), TOKEN))),
    ("hf", ((-1, re.compile(r"-hf(?:-repo|-model)?(?:=|[ \t]+(?=[^\s-]))"), TOKEN), (0, re.compile(r"hf\.co/"), URL),
            (0, re.compile(r"hf://"), URL))),
    ("dataset", ((0, re.compile(r"dataset[\w-]{0,40}[\"']?[ \t]*[:=(]"), TOKEN),)),
    ("tokenizer", ((0, re.compile(r"tokenizer[\w-]{0,40}[\"']?[ \t]*[:=]"), TOKEN),)),
    ("reward_funcs", ((0, re.compile(r"reward_funcs[ \t]*[:=]"), TOKEN),)),
    ("huggingface.co/", ((0, None, URL),)),
    ("add_argument", ((0, re.compile(r"add_argument[ \t]*\("), OPTION),)),  # argparse and click option defaults
    ("option", ((0, re.compile(r"option[ \t]*\([ \t\n]*[rbu]?[\"']-"), OPTION),)),
)
# a call whose first argument is a literal org/name: LLM("…"), pipeline("…"), a wrapper of the project's own
LITERAL_CALL = re.compile(r"\([ \t]*[rbuf]?(?P<q>[\"'])[\w.-]{1,96}/[\w.-]{1,96}[\"']")
# Ollama API payloads: "from": / "source": keys, from_= / source= arguments (looked for only where Ollama is named)
OLLAMA_QUOTED_KEY = re.compile(r"[\"'](?:from|source)[\"'][ \t]*:")
OLLAMA_ARGUMENT = re.compile(r"(?<!\w)(?:from_|source)[ \t]*=")
IDENT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
IDENT_BACK = frozenset(IDENT_CHARS)


def ident_start(text: str, pos: int, reach: int = 80) -> int:
    """Where the run of identifier characters (and ``.``, ``-``) ending at ``pos`` starts, at most ``reach`` back:
    one ``str.rstrip`` in C, not a Python loop over characters."""
    floor = max(0, pos - reach)
    segment = text[floor:pos]
    return pos - (len(segment) - len(segment.rstrip(IDENT_CHARS)))


def ascii_lower(text: str) -> str:
    """``text`` with A-Z lowered and every other non-ASCII character as ``?``: the same length and offsets, for
    finding the (ASCII) anchors case-insensitively. Done on bytes, several times faster than ``str.lower``,
    which also changes the length of a few strings ("İ")."""
    return text.encode("ascii", "replace").lower().decode("ascii")


def candidates(low: str, kind: str, ollama: bool) -> list[tuple[int, int]]:
    """(position, kind) of every spot that may start a model-taking position, in file order."""
    found: list[tuple[int, int]] = []
    append = found.append
    find = low.find
    for literal, tests in ANCHORS:
        i = find(literal)
        if i < 0:
            continue
        size = len(literal)
        flag = literal in ("model", "tokenizer")
        while i >= 0:
            for shift, pattern, what in tests:
                at = i + shift
                if at >= 0 and (pattern is None or pattern.match(low, at)):
                    append((at, what))
            if flag and i > 1 and low[i - 1] in "-_":  # --model X, --teacher-model=X, --tokenizer_name X
                j = low.rfind("--", max(0, i - 42), i)
                if j >= 0 and FLAG_AT.match(low, j):
                    append((j, TOKEN))
            i = find(literal, i + size)
    if kind in ("python", "js", "markdown"):
        found.extend((m.start("q"), WRAPPER) for m in LITERAL_CALL.finditer(low))
    if ollama:  # "ollama run X": the word is in the text (or a notebook's other cell)
        i = find("ollama")
        while i >= 0:
            if OLLAMA_AT.match(low, i):
                append((i, TOKEN))
            i = find("ollama", i + 6)
        for literal in ("from", "source"):
            i = find(literal)
            while i >= 0:
                if i and OLLAMA_QUOTED_KEY.match(low, i - 1):
                    append((i - 1, TOKEN))
                elif OLLAMA_ARGUMENT.match(low, i):
                    append((i, TOKEN))
                i = find(literal, i + 4)
    found.sort()
    return found


MODEL_KEYS = {"model", "model_id", "model_name", "model_name_or_path", "pretrained_model_name_or_path", "pretrained",
              "base_model", "base_model_id", "model_path", "model_repo", "hf_model", "hf_model_id", "modelname",
              "modelid", "repo_id", "tokenizer_name", "tokenizer_name_or_path", "tokenizer", "reward_funcs",
              "model_repo_id", "model_or_path", "tokenizer_path"}
DATASET_KEYS = {"dataset_mixer", "dataset_name", "dataset_id", "dataset", "datasets", "dataset_path", "dataset_repo", "dataset_name_or_path"}
NOT_MODEL_NAMES = re.compile(r"^(?:hub|push|output|save|saved|export|served)_|(?:^|_)(?:dir|dirs|root|cache|home|folder|type|class|kwargs|args|config|cls|max|len|"
                             r"size|port|prefix|version|revision|dtype|parallel|parallelism|impl|format|mode|"
                             r"template|family|arch|url|host|file|files|suffix|key|token|seed|list|map|cards?)$",
                             re.IGNORECASE)
MODEL_SUFFIXES = ("_model", "_model_id", "_model_name", "_model_name_or_path", "_model_path", "_model_repo")
PLURAL = re.compile(r"(?:^|_)(?:models|model_names|model_ids|model_list)$")
SERVED = re.compile(r"served|alias|output|save|local|cache|dir", re.IGNORECASE)


def takes_model(name: str, raw: str, *, flag: bool = False) -> bool:
    """Whether a key, keyword argument, variable or flag (``name`` lower case, underscores) takes a model."""
    key = (name, raw.isupper(), flag)
    known = _MODEL_NAMES.get(key)
    if known is None:
        if len(_MODEL_NAMES) > 20_000:
            _MODEL_NAMES.clear()
        known = _MODEL_NAMES[key] = _decide(name, raw, flag)
    return known


_MODEL_NAMES: dict[tuple[str, bool, bool], bool] = {}


def _decide(name: str, raw: str, flag: bool) -> bool:
    if flag and SERVED.search(name):
        return False
    if name in MODEL_KEYS:
        return True
    if "model" not in name or NOT_MODEL_NAMES.search(name):
        return False
    if PLURAL.search(name):  # a list of models: models=( "org/a" "org/b" ), MODEL_NAMES=[…]
        return True
    if raw.isupper() and not flag:  # an environment-style variable: MODEL, LLM_MODEL, MODEL_ID (not MODELSCOPE)
        return "model" in name.split("_")
    return name.endswith(MODEL_SUFFIXES)
