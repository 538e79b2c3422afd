"""The matcher: model and dataset references in one file's text, in one pass over cheap literal anchors.

``str.find`` locates a few literal anchors ("model", "pretrained", "download", "hf.co/", …) in the lower-cased
text; at each hit a small regular expression anchored at that spot (never a search to the end of the line)
decides whether it is a model-taking position: a call (``from_pretrained(…)``, ``snapshot_download(…)``, a
wrapper whose literal argument is a known model id), a key or keyword argument (``model_name_or_path:``,
``base_model=``, ``*_model``, ``*_model_id``, ``pretrained=`` in ``--model_args``), a flag (``--model X``,
``--model_name_or_path X``), a command (``vllm serve``, ``ollama run``, ``hf download``), a Hub URL. Every step
reads a bounded window, so no line, however long, makes the work more than linear.

Values: a quoted or bare literal, a list (``[…]`` or YAML ``- item`` lines), a YAML value on the next line, or a
variable bound to its nearest preceding assignment in scope (never the first one in the file; nothing when the
value cannot be known). Comments, docstrings and Hub URLs in them are mentions, not findings.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate

from .scan_types import InlineWaiver, ModelReference
from .scan_values import HUB_ID, LEGACY_HUB_IDS, NOT_ORGS, classify, classify_dataset, known_model_id

WINDOW = 400  # how far back a comment or line start is looked for
MAX_PER_LINE = 64  # candidate positions examined on one line (real files: at most 6)
MAX_PER_FILE = 20_000  # and in one file (real files: at most ~750)
# One regular expression per literal anchor, run over the lower-cased text: each starts with its literal (the
# regex engine's fast prefix search) and rejects, in C, the hits that cannot start a model-taking position, so
# Python sees a few candidates per file, not every "model" of a training framework.
CANDIDATES = (
    ("token", re.compile(r"model[\w-]{0,60}[\"'`]?[ \t]*(?::[ \t]*[a-z_][\w\[\], .|]{0,40})?[:=](?![=:])")),
    ("token", re.compile(r"--(?:[\w-]{0,40}[-_])?(?:model|tokenizer)[\w-]{0,40}(?:=|[ \t]+(?=[^\s-]))")),
    ("token", re.compile(r"pretrained[\w-]{0,60}[\"']?[ \t]*[:=(]")),
    ("token", re.compile(r"download(?:[ \t]*\(|[ \t]+(?=[^\s-]))")),
    ("token", re.compile(r"repo_id[\"']?[ \t]*[:=]")),
    ("token", re.compile(r"ollama[ \t]+(?:run|pull|show|cp|push)[ \t]")),
    ("token", re.compile(r"vllm[ \t]+serve[ \t]")),
    ("token", re.compile(r"-hf(?:-repo|-model)?(?:=|[ \t]+(?=[^\s-]))")),
    ("token", re.compile(r"dataset[\w-]{0,40}[\"']?[ \t]*[:=(]")),
    ("token", re.compile(r"tokenizer[\w-]{0,40}[\"']?[ \t]*[:=]")),
    ("token", re.compile(r"reward_funcs[ \t]*[:=]")),
    ("token", re.compile(r"llm[ \t]*\(")),
    ("url", re.compile(r"huggingface\.co/")),
    ("url", re.compile(r"hf\.co/")),
    ("url", re.compile(r"hf://")),
)
# a call whose first argument is a literal org/name: LLM("…"), pipeline("…"), a wrapper of the project's own
LITERAL_CALL = re.compile(r"\([ \t]*[rbuf]?(?P<q>[\"'])[\w.-]{1,96}/[\w.-]{1,96}[\"']")
OLLAMA_KEYS = re.compile(r"[\"']from[\"'][ \t]*:|[\"']source[\"'][ \t]*:|\bfrom_[ \t]*=|\bsource[ \t]*=")
WORD_END = re.compile(r"[\w-]*")
IDENT_BACK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
HEAD = re.compile(
    r"(?P<cmd>(?:vllm[ \t]+serve|ollama[ \t]+(?:run|pull|show|cp|push)|(?:hf|huggingface-cli)[ \t]+download)[ \t]+)"
    r"|(?P<call>(?P<fn>[A-Za-z_][\w.]{0,80})[ \t]*\()"
    r"|(?P<flag>(?P<dashes>--?)(?P<flagname>[A-Za-z][\w-]{0,60})(?:=|[ \t]+(?=[^\s-])))"
    r"|(?P<key>(?P<q>[\"']?)(?P<name>[A-Za-z_][\w.-]{0,60})(?P=q)[ \t]*(?::[ \t]*[A-Za-z_][\w\[\], .|]{0,40})?"
    r"(?P<sep>[:=])(?![=:]))")
MODEL_CALLS = {"from_pretrained", "snapshot_download", "hf_hub_download", "pipeline", "LLM", "SentenceTransformer",
               "AsyncLLMEngine", "completion", "acompletion", "ChatOllama", "OllamaLLM", "OllamaEmbeddings",
               "HuggingFaceEndpoint", "from_model_id", "CrossEncoder", "AutoPeftModelForCausalLM"}
DATASET_CALLS = {"load_dataset"}
# loaders whose literal org/name argument is a model whatever the organization (mlx_lm.load, unsloth, …)
LOADERS = {"load", "load_model", "load_pretrained", "from_hub", "get_model", "load_tokenizer", "load_config"}
NOT_CALLS = {"get_kernel", "push_to_hub", "create_repo", "upload_folder", "upload_file", "delete_repo", "print", "format", "join", "get", "startswith", "endswith", "split", "replace", "open",
             "Path", "join_path", "logger", "info", "warning", "error", "debug", "exists", "isinstance", "str"}
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
VARIABLE = re.compile(r"^\$\{?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}?$")
IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")
WAIVER = re.compile(r"(?:#|//|--)\s*compliance:\s*allow\s+(?P<model>\S+)(?:\s+(?P<ticket>[A-Za-z][\w.-]*-?\d[\w.-]*))?",
                    re.IGNORECASE)
BARE = re.compile(r"[^\s\"',;)\]}\\`]{1,300}")
SHELL_ITEM = re.compile(r"[\"']([^\"'\n]{1,300})[\"']|(?<![\w$])([A-Za-z0-9][\w.-]*/[\w.-]+)")
NEXT_ITEM = re.compile(r"(?:-[ \t]+(?:(?:id|path|name|model|model_id|repo_id|dataset)[ \t]*:[ \t]*)?|(?=[\w.-]+/[\w.-]+[ \t]*:))"
                       r"[\"']?(?P<v>[A-Za-z0-9./~_-][^\s\"'#:,]{0,300})")
QUOTED_ITEM = re.compile(r"[\"']([^\"'\n]{1,300})[\"']")
KWARG = re.compile(r"\b(?P<k>pretrained_model_name_or_path|repo_id|model|model_name|model_id|model_name_or_path|path"
                   r"|dataset_name|reward_model|ref_model)[ \t]*=[ \t]*(?:[\"'](?P<s>[^\"'\n]{1,300})[\"']"
                   r"|(?P<id>[A-Za-z_][\w.]{0,80}))")
FIRST_ARG = re.compile(r"\s*(?:[rfbu]?[\"'](?P<s>[^\"'\n]{1,300})[\"']|(?P<id>[A-Za-z_][\w.]{0,80})\s*(?:[,)]|$))")
REPO_TYPE = re.compile(r"repo_type[ \t]*=[ \t]*[\"'](?P<t>\w+)[\"']|--repo-type[ =](?P<c>\w+)")
ASSIGN_TAIL = re.compile(r"[ \t]*(?::[^=\n]{0,40})?=(?!=)[ \t]*(?P<rest>[^\n]{0,400})")
LITERAL = re.compile(r"(?:os\.environ\.get\(\s*[\"']\w+[\"']\s*,\s*|os\.getenv\(\s*[\"']\w+[\"']\s*,\s*)?"
                     r"[rfbu]?[\"'](?P<v>[^\"'\n]{1,300})[\"']")
SHELL_WORD = re.compile(r"(?P<v>[^\s\"'#;&|]{1,300})")
DEF_LINE = re.compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+\w+[ \t]*\((?P<params>[^)]{0,1200})")
HUB_URL_TAIL = re.compile(r"(?P<id>[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})")


class Matcher:
    """One file's text. ``kind`` routes comment syntax and which anchors apply."""

    def __init__(self, text: str, path: str, kind: str, *, ollama_context: bool | None = None):
        self.text = text
        self.path = path
        self.kind = kind
        lowered = text.lower()
        self.lowered = lowered if len(lowered) == len(text) else None
        self.ollama = ("ollama" in lowered or ":11434" in text) if ollama_context is None else ollama_context
        self.litellm = "litellm_params" in text
        self.partial: str | None = None
        self.refs: list[ModelReference] = []
        self.datasets: list[ModelReference] = []
        self._lines: list[int] | None = None
        self._docstrings: list[tuple[int, int]] | None = None
        self._defs: list[tuple[int, int, str]] | None = None
        self._assignments: dict[str, list[tuple[int, int, str | None]]] = {}
        self._by_scope: dict[str, dict[int, tuple[list[int], list[str | None]]]] = {}
        self._seen: set[tuple[int, str]] = set()
        self._done: set[int] = set()
        self._lines_models: set[tuple[int, str]] = set()

    # --- positions -----------------------------------------------------------------------------------------------

    @property
    def lines(self) -> list[int]:
        if self._lines is None:
            self._lines = [0, *accumulate(map((1).__add__, map(len, self.text.split("\n"))))][:-1]
        return self._lines

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1

    def line_text(self, line: int) -> str:
        starts = self.lines
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end]

    def _line_start(self, pos: int) -> int:
        floor = max(0, pos - WINDOW)
        return self.text.rfind("\n", floor, pos) + 1 or floor

    # --- what is not code ----------------------------------------------------------------------------------------

    def in_comment(self, pos: int) -> bool:
        start = self._line_start(pos)
        segment = self.text[start:pos]
        marks = ("#",) if self.kind in ("python", "yaml", "shell", "toml", "env", "modelfile", "other", "markdown") else ()
        if self.kind in ("js", "markdown"):
            marks = (*marks, "//")
        for mark in marks:
            i = segment.find(mark)
            while i >= 0:
                before = segment[:i]
                if mark == "//" and before.endswith(":"):
                    i = segment.find(mark, i + 2)
                    continue
                if (before.count('"') % 2 == 0 and before.count("'") % 2 == 0
                        and (not before.strip() or before[-1] in " \t")):
                    return True
                i = segment.find(mark, i + 1)
        return False

    def in_docstring(self, pos: int) -> bool:
        if self.kind != "python":
            return False
        if self._docstrings is None:
            self._docstrings = []
            text = self.text
            if '"""' in text or "'''" in text:
                opener = re.compile(r'"""|\'\'\'')
                i = 0
                while True:
                    m = opener.search(text, i)
                    if not m:
                        break
                    end = text.find(m.group(), m.end())
                    end = len(text) if end < 0 else end
                    start = self._line_start(m.start())
                    if text[start:m.start()].strip() in ("", "r", "u", "b", "f", "rb", "br", "R"):
                        self._docstrings.append((m.start(), end))
                    i = end + 3
        k = bisect.bisect_right(self._docstrings, (pos, len(self.text) + 1)) - 1
        return k >= 0 and self._docstrings[k][0] <= pos <= self._docstrings[k][1]

    # --- the pass ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        low = self.lowered
        if low is None:  # a few characters change length in lower case: match case-sensitively instead
            low = self.text
        found: list[tuple[int, int]] = []
        for n, (_, pattern) in enumerate(CANDIDATES):
            found.extend((m.start(), n) for m in pattern.finditer(low))
        if self.kind in ("python", "js", "markdown"):
            found.extend((m.start("q"), -1) for m in LITERAL_CALL.finditer(low))
        if self.ollama:
            found.extend((m.start(), 0) for m in OLLAMA_KEYS.finditer(low))
        found.sort()
        done = self._done
        text = self.text
        on_line, previous, examined, crowded = 0, 0, 0, 0
        for pos, n in found:
            # bounded work: no real line holds more than a handful of candidates, no real file thousands
            if low.find("\n", previous, pos) >= 0:
                on_line = 0
            previous, on_line = pos, on_line + 1
            if on_line > MAX_PER_LINE:
                crowded += 1
                continue
            examined += 1
            if examined > MAX_PER_FILE:
                self.partial = f"more than {MAX_PER_FILE:,} candidate positions: the rest of the file was not examined"
                break
            if n == -1:
                self._wrapper(pos)
                continue
            if CANDIDATES[n][0] == "url":
                if low.startswith("hf://", pos):
                    self._url(pos, pos + 5)
                else:
                    self._url(pos, low.find("/", pos) + 1)
                continue
            start = pos
            floor = max(0, pos - 80)
            while start > floor and text[start - 1] in IDENT_BACK:
                start -= 1
            if start > 0 and text[start - 1] in "\"'":
                start -= 1
            elif start == pos and low.startswith("download", pos):  # hf download / huggingface-cli download
                j = pos
                while j > 0 and text[j - 1] in " \t":
                    j -= 1
                k = j
                while k > max(0, j - 20) and text[k - 1] in IDENT_BACK:
                    k -= 1
                if text[k:j] in ("hf", "huggingface-cli"):
                    start = k
            if start in done:
                continue
            done.add(start)
            m = HEAD.match(text, start)
            if m is None and text[start] in "\"'":  # pretrained=… inside a string ("pretrained=org/x,dtype=…")
                m = HEAD.match(text, start + 1)
            if m is None or self.in_comment(start) or self.in_docstring(start):
                continue
            group = m.lastgroup
            if group == "cmd":
                self._command(m)
            elif group == "call":
                self._call(m)
            elif group == "flag":
                self._flag(m)
            else:
                self._key(m)
        if crowded and self.partial is None:
            self.partial = (f"{crowded:,} candidate positions beyond {MAX_PER_LINE} on one line were not examined "
                            "(a generated or crafted line)")

    # --- recognizers ---------------------------------------------------------------------------------------------

    def _command(self, m: re.Match) -> None:
        words = m.group("cmd").split()
        how = " ".join(words)
        got = self.value_at(m.end())
        if not got:
            return
        value, offset = got
        if words[-1] == "download":
            tail = self.text[offset:offset + 300].split("\n", 1)[0]
            kind = REPO_TYPE.search(tail)
            if kind and (kind.group("c") or kind.group("t")) in ("dataset", "space"):
                if (kind.group("c") or kind.group("t")) == "dataset":
                    self.add_dataset(value, offset, how)
                return
        self.add(value, offset, how, legacy=words[0] != "ollama", ollama=words[0] == "ollama")

    def _call(self, m: re.Match) -> None:
        fn = m.group("fn").rsplit(".", 1)[-1]
        if fn in NOT_CALLS:
            return
        args = self._call_args(m.end())
        repo_type = REPO_TYPE.search(args)
        kind = repo_type.group("t") if repo_type else None
        if fn in DATASET_CALLS:
            got = self._argument(args, m.end(), keys=("path", "dataset_name"))
            if got and not got[2]:
                self.add_dataset(got[0], got[1], fn)
            return
        if fn not in MODEL_CALLS:
            return
        if kind in ("dataset", "space"):
            if kind == "dataset":
                got = self._argument(args, m.end(), keys=("repo_id",))
                if got and not got[2]:
                    self.add_dataset(got[0], got[1], fn)
            return
        got = self._argument(args, m.end())
        if not got:
            return
        value, offset, is_identifier = got
        how = fn
        if is_identifier:
            bound = self.binding(value, offset)
            if bound is None:
                return
            how, value = f"{fn} via {value}", bound
        self.add(value, offset, how, legacy=True)

    def _wrapper(self, pos: int) -> None:
        """``load_model("meta-llama/Llama-3.1-8B")``: any call whose first literal argument is a known model id."""
        quote = self.text[pos]
        end = self.text.find(quote, pos + 1, pos + 200)
        if end < 0:
            return
        value = self.text[pos + 1:end]
        start = pos - 1
        floor = max(0, start - 80)
        while start > floor and self.text[start - 1] in IDENT_BACK:
            start -= 1
        fn = self.text[start:pos - 1].rsplit(".", 1)[-1]
        if fn in MODEL_CALLS or fn in DATASET_CALLS:
            if start not in self._done:
                self._done.add(start)
                m = HEAD.match(self.text, start)
                if m and m.lastgroup == "call" and not (self.in_comment(start) or self.in_docstring(start)):
                    self._call(m)
            return
        if not fn or fn in NOT_CALLS or not (fn[0].isalpha() or fn[0] == "_") or not HUB_ID.match(value) \
                or not (fn in LOADERS or known_model_id(value)):
            return
        if self.in_comment(pos) or self.in_docstring(pos):
            return
        args = self._call_args(pos)
        if REPO_TYPE.search(args):
            return
        self.add(value, pos + 1, f"{fn} (literal)")

    def _flag(self, m: re.Match) -> None:
        name = m.group("flagname").lower().replace("-", "_")
        how = m.group("dashes") + m.group("flagname")
        if name in ("hf", "hf_repo", "hf_model"):
            how = how
        elif not self._model_name(name, m.group("flagname"), flag=True):
            return
        got = self.value_at(m.end())
        if not got:
            return
        value, offset = got
        self.add(value, offset, how, legacy=True)

    def _key(self, m: re.Match) -> None:
        raw = m.group("name").rsplit(".", 1)[-1]
        if not raw:
            return
        name = raw.lower()
        quoted = bool(m.group("q"))
        if name in ("from", "source", "from_"):
            if not (quoted or m.group("sep") == "=") or not self.ollama:
                return
            how = f"key {raw}"
        elif name in DATASET_KEYS:
            for value, offset in self.values_at(m.end()):
                self.add_dataset(value, offset, f"key {raw}")
            return
        elif not self._model_name(name, raw):
            return
        elif name == "model_name" and self.litellm:
            return  # LiteLLM's model_list: model_name is the alias clients ask for, litellm_params.model the model
        env = raw.isupper()
        how = f"env {raw}" if env else f"key {raw}"
        if m.group("sep") == "=" and self.kind in ("python", "js", "markdown", "notebook") and not env:
            call, args = self._enclosing_call(m.start())
            repo_type = REPO_TYPE.search(args) if args else None
            if repo_type and repo_type.group("t") in ("dataset", "space"):
                if repo_type.group("t") == "dataset":
                    for value, offset in self.values_at(m.end()):
                        self.add_dataset(value, offset, f"key {raw}")
                return  # a dataset or a Space named where the call takes a repository id
            if call in MODEL_CALLS:
                how = call
        for value, offset in self.values_at(m.end()):
            if m.group("sep") == "=" and "," in value and name in ("pretrained", "model", "tokenizer"):
                value = value.split(",", 1)[0]  # --model_args "pretrained=org/x,tokenizer=org/y,dtype=…"
            if self.kind == "python" and IDENTIFIER.fullmatch(value) and not quoted_at(self.text, offset):
                bound = self.binding(value, offset)
                if bound is None:
                    continue
                self.add(bound, offset, f"{how} via {value}", legacy=name not in ("model",) or env)
                continue
            var = VARIABLE.match(value)
            if var:
                bound = self.binding(var.group("name"), offset, shell=True)
                if bound is None or any(r.model == bound for r in self.refs):
                    continue  # not knowable here, or the definition was already reported
                self.add(bound, offset, f"{how} via ${var.group('name')}")
                continue
            self.add(value, offset, how, legacy=name != "model" or self.kind in ("python", "shell"))

    def _enclosing_call(self, pos: int) -> tuple[str | None, str]:
        """(the function whose argument list holds ``pos``, its arguments), looked for a few lines back."""
        text, floor, end = self.text, max(0, pos - 400), pos
        for _ in range(6):
            i = text.rfind("(", floor, end)
            if i < 0:
                return None, ""
            if text.count(")", i, pos) < text.count("(", i + 1, pos) + 1:
                start = i
                while start > max(0, i - 80) and text[start - 1] in IDENT_BACK:
                    start -= 1
                return text[start:i].rsplit(".", 1)[-1] or None, self._call_args(i + 1)
            end = i
        return None, ""

    @staticmethod
    def _model_name(name: str, raw: str, *, flag: bool = False) -> bool:
        """Whether a key, keyword argument, variable or flag (``name`` lower case, underscores) takes a model."""
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

    def _url(self, pos: int, start: int) -> None:
        """A Hub URL that is a value (``"https://huggingface.co/org/x/resolve/…"``, ``chat: https://hf.co/…``);
        one inside prose (``"for example, https://…"``), a comment or a docstring is a mention."""
        text, u = self.text, pos
        if text[max(0, u - 4):u].lower() == "www.":
            u -= 4
        for scheme in ("https://", "http://"):
            if text[max(0, u - len(scheme)):u].lower() == scheme:
                u -= len(scheme)
                break
        prev = text[u - 1] if u > 0 else "\n"
        if prev in " \t":
            line = text[self._line_start(u):u].rstrip()
            if line and line[-1] not in ":=-":
                return
        elif prev not in "\n\"'`=(<[":
            return
        if self.in_comment(pos) or self.in_docstring(pos):
            return
        tail = HUB_URL_TAIL.match(self.text, start, start + 200)
        if not tail:
            return
        value = tail.group("id")
        org = value.split("/")[0].lower()
        if org == "datasets":
            rest = HUB_URL_TAIL.match(self.text, start + len("datasets/"), start + 200)
            if rest:
                self.add_dataset(rest.group("id"), rest.start(), "hub-url")
            return
        if org in NOT_ORGS:
            return
        self.add(value, start, "hub-url", strict=False)

    # --- values --------------------------------------------------------------------------------------------------

    def value_at(self, start: int) -> tuple[str, int] | None:
        got = self.values_at(start, lists=False)
        return got[0] if got else None

    def values_at(self, start: int, *, lists: bool = True) -> list[tuple[str, int]]:
        """The literal(s) after a key or flag: quoted or bare, a ``[…]`` list, or YAML on the following lines."""
        text, n, i = self.text, len(self.text), start
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return []
        ch = text[i]
        if ch in "\"'`":
            end = text.find(ch, i + 1, i + 302)
            return [(text[i + 1:end], i + 1)] if end > i + 1 else []
        if ch == "(" and lists and self.kind in ("shell", "markdown"):
            close = text.find(")", i, i + 4000)
            body = text[i + 1:close if close > 0 else i + 4000]
            return [(q.group(1) or q.group(2), i + 1 + q.start(q.lastindex or 1))
                    for q in SHELL_ITEM.finditer(body)][:200]
        if ch == "[" and lists:
            close = text.find("]", i, i + 1200)
            body = text[i + 1:close if close > 0 else i + 1200]
            return [(q.group(1), i + 1 + q.start(1)) for q in QUOTED_ITEM.finditer(body)][:50]
        if ch in "\r\n" or (ch == "#" and self.kind == "yaml"):
            return self._next_lines(i) if lists and self.kind in ("yaml", "markdown") else []
        m = BARE.match(text, i)
        return [(m.group(0), i)] if m else []

    def _next_lines(self, eol: int) -> list[tuple[str, int]]:
        """YAML values below a key with nothing after it: ``- item`` lines (``- id: org/x`` too), ``org/x: 1.0``
        mapping keys (a dataset mixer), or one more-indented scalar. Stops where the key's block ends."""
        text = self.text
        start = self._line_start(eol)
        indent = len(text[start:eol]) - len(text[start:eol].lstrip(" "))
        found: list[tuple[str, int]] = []
        pos = text.find("\n", eol) + 1
        for _ in range(200):
            if pos <= 0 or pos >= len(text):
                break
            end = text.find("\n", pos, pos + 2000)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            stripped = line.lstrip(" ")
            depth = len(line) - len(stripped)
            if not stripped.strip() or stripped.startswith("#"):
                pos = end + 1
                continue
            if depth < indent or (depth == indent and not stripped.startswith("- ")):
                break
            m = NEXT_ITEM.match(stripped)
            if m:
                found.append((m.group("v"), pos + depth + m.start("v")))
            elif not found and ":" not in stripped and not stripped.startswith("- "):
                found.append((stripped.split()[0].strip("\"'"), pos + depth + (1 if stripped[0] in "\"'" else 0)))
                break
            pos = end + 1
        return found[:100]

    def _call_args(self, start: int) -> str:
        text = self.text
        close = text.find(")", start, start + 600)
        if close >= 0 and "(" not in text[start:close] and "[" not in text[start:close] and "{" not in text[start:close]:
            return text[start:close]
        depth, i, end = 1, start, min(len(text), start + 600)
        while i < end and depth:
            ch = text[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            i += 1
        return text[start:i - 1] if depth == 0 else text[start:end]

    def _argument(self, args: str, start: int, keys: tuple[str, ...] | None = None):
        for kw in KWARG.finditer(args):
            if keys is not None and kw.group("k") not in keys:
                continue
            if keys is None and kw.group("k") in ("path", "dataset_name"):
                continue
            if kw.group("s") is not None:
                return kw.group("s"), start + kw.start("s"), False
            return kw.group("id"), start + kw.start("id"), True
        first = FIRST_ARG.match(args)
        if first:
            if first.group("s") is not None:
                return first.group("s"), start + first.start("s"), False
            if first.group("id") and first.group("id") not in ("None", "True", "False"):
                return first.group("id"), start + first.start("id"), True
        return None

    # --- bindings ------------------------------------------------------------------------------------------------

    def _def_scopes(self) -> list[tuple[int, int, str, int]]:
        """(start, indentation, parameter text, end of the parameter list) of every ``def``."""
        if self._defs is None:
            self._defs = []
            text, find = self.text, self.text.find
            i = find("def ")
            while i >= 0:
                start = self._line_start(i)
                lead = text[start:i]
                if not lead.strip() or lead.strip() == "async":
                    m = DEF_LINE.match(text, start)
                    if m:
                        self._defs.append((start, len(m.group(1).expandtabs()), m.group("params"), m.end()))
                i = find("def ", i + 4)
        return self._defs

    def _in_parameters(self, pos: int) -> bool:
        defs = self._def_scopes()
        k = bisect.bisect_right(defs, (pos,)) - 1
        return k >= 0 and defs[k][0] <= pos <= defs[k][3]

    def _scope(self, pos: int) -> int:
        """The start of the innermost ``def`` enclosing ``pos`` (-1: module level), by indentation."""
        start = self._line_start(pos)
        line = self.text[start:pos]
        indent = len(line) - len(line.lstrip(" \t"))
        defs = self._def_scopes()
        k = bisect.bisect_right(defs, (pos,)) - 1
        while k >= 0:
            d_start, d_indent = defs[k][0], defs[k][1]
            if d_indent < indent:
                return d_start
            k -= 1
        return -1

    def assignments(self, name: str, shell: bool = False) -> list[tuple[int, int, str | None]]:
        """(offset, scope, literal value or None when not a literal) of every ``name = …`` line."""
        if name in self._assignments:
            return self._assignments[name]
        found: list[tuple[int, int, str | None]] = []
        if len(self._assignments) > 200:  # a bound on the work per file: more names than any real file binds
            return found
        text, find, i, size = self.text, self.text.find, self.text.find(name), len(name)
        while i >= 0:
            start = self._line_start(i)
            lead = text[start:i].strip()
            after = text[i + size:i + size + 1]
            if lead in ("", "export", "-", "self.") and not (after.isalnum() or after == "_"):
                m = ASSIGN_TAIL.match(text, i + size)
                if m and self.kind == "python" and self._in_parameters(i):
                    m = None  # a parameter's default: the value when the caller passes none, not a binding
                if m is not None:
                    rest = m.group("rest")
                    lit = LITERAL.match(rest) or (SHELL_WORD.match(rest) if shell else None)
                    found.append((i, self._scope(i) if self.kind == "python" else -1, lit.group("v") if lit else None))
            i = find(name, i + size)
        self._assignments[name] = found
        return found

    def binding(self, name: str, use: int, *, shell: bool = False) -> str | None:
        """The value ``name`` holds at ``use``: the nearest preceding assignment in the same scope, else at module
        level; None when that assignment is not a literal, or when there is none to know."""
        name = name.split(".")[-1] if name.startswith("self.") else name
        if "." in name:
            return None
        found = self.assignments(name, shell=shell or self.kind != "python")
        if not found:
            return None
        scope = self._scope(use) if self.kind == "python" else -1
        by_scope = self._by_scope.get(name)
        if by_scope is None:
            by_scope = {}
            for offset, where, value in found:  # found is in file order
                by_scope.setdefault(where, ([], []))
                by_scope[where][0].append(offset)
                by_scope[where][1].append(value)
            self._by_scope[name] = by_scope
        for wanted in ((scope, -1) if scope != -1 else (-1,)):
            offsets, values = by_scope.get(wanted, ((), ()))
            k = bisect.bisect_left(offsets, use)
            if k:
                return values[k - 1]
            if wanted != -1 and self._is_parameter(scope, name):
                return None  # a parameter: whatever the caller passes
        module = by_scope.get(-1, ((), ()))[1]
        if scope != -1 and len(module) == 1:  # a module constant assigned after the function that uses it
            return module[0]
        return None

    def _is_parameter(self, scope: int, name: str) -> bool:
        for start, _, params, _end in self._def_scopes():
            if start == scope:
                return re.search(rf"(?:^|[\s,(*]){re.escape(name)}\b", params) is not None
        return False

    # --- results -------------------------------------------------------------------------------------------------

    def add(self, value: str, offset: int, how: str, *, strict: bool = True, legacy: bool = False,
            ollama: bool = False) -> None:
        # an unknown bare name ("gemma3") counts only for a plain model key, variable or Ollama command
        plain = how.split(" via")[0]
        bare_ok = (ollama or "ollama" in how or plain in ("key model", "key from", "key source", "key from_")
                   or (plain.startswith("env ") and plain.endswith("MODEL")))
        model = classify(value, ollama_context=(self.ollama or ollama) and bare_ok, strict=strict, legacy=legacy)
        if model is None:
            return
        key = (offset, model)
        if key in self._seen:
            return
        self._seen.add(key)
        line, column = self.position(offset)
        if (line, model) in self._lines_models:
            return
        self._lines_models.add((line, model))
        self.refs.append(ModelReference(self.path, line, column, value.strip(), model, how, self.waiver(line)))

    def add_dataset(self, value: str, offset: int, how: str) -> None:
        dataset = classify_dataset(value)
        if dataset is None or (offset, dataset) in self._seen:
            return
        self._seen.add((offset, dataset))
        line, column = self.position(offset)
        self.datasets.append(ModelReference(self.path, line, column, value.strip(), dataset, how))

    def waiver(self, line: int) -> InlineWaiver | None:
        for candidate in (line, line - 1):
            if candidate >= 1:
                m = WAIVER.search(self.line_text(candidate)[:2000])
                if m:
                    return InlineWaiver(m.group("model"), m.group("ticket"), candidate)
        return None


def quoted_at(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1] in "\"'`"


def legacy_or_none(value: str) -> str | None:
    return LEGACY_HUB_IDS.get(value.lower())
