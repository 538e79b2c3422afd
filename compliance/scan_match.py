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

import re

from .scan_anchors import (DATASET_KEYS, IDENT_BACK, OPTION, URL, WRAPPER, ascii_lower, candidates, ident_start,
                           takes_model)
from .scan_options import option_default
from .scan_source import Source
from .scan_types import InlineWaiver, ModelReference
from .scan_values import HUB_ID, LEGACY_HUB_IDS, NOT_ORGS, classify, classify_dataset, known_model_id

MAX_PER_LINE = 64  # candidate positions examined on one line (real files: at most 6)
MAX_PER_FILE = 20_000  # and in one file (real files: at most ~750)
WORD_END = re.compile(r"[\w-]*")
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
VARIABLE = re.compile(r"^\$\{?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}?$")
IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")
WAIVER = re.compile(r"(?:#|//|--)\s*compliance:\s*allow\s+(?P<model>\S+)(?:\s+(?P<ticket>[A-Za-z][\w.-]*-?\d[\w.-]*))?",
                    re.IGNORECASE)
REPO_TYPE = re.compile(r"repo_type[ \t]*=[ \t]*[\"'](?P<t>\w+)[\"']|--repo-type[ =](?P<c>\w+)")
HUB_URL_TAIL = re.compile(r"(?P<id>[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})")


class Matcher(Source):
    def __init__(self, text: str, path: str, kind: str, *, ollama_context: bool | None = None):
        self.text = text
        self.path = path
        self.kind = kind
        lowered = ascii_lower(text)
        self.lowered: str | None = lowered
        self.ollama = ("ollama" in lowered or ":11434" in text) if ollama_context is None else ollama_context
        self._litellm: bool | None = None
        self.partial: str | None = None
        self.refs: list[ModelReference] = []
        self.datasets: list[ModelReference] = []
        self._init_source()
        self._seen: set[tuple[int, str]] = set()
        self._done: set[int] = set()
        self._lines_models: set[tuple[int, str]] = set()

    # --- the pass ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        low = self.lowered
        if low is None:  # a few characters change length in lower case: match case-sensitively instead
            low = self.text
        found = candidates(low, self.kind, self.ollama)
        done = self._done
        text = self.text
        on_line, previous, examined, crowded = 0, 0, 0, 0
        for pos, kind in found:
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
            if kind == WRAPPER:
                self._wrapper(pos)
                continue
            if kind == OPTION:
                self._option(pos)
                continue
            if kind == URL:
                if low.startswith("hf://", pos):
                    self._url(pos, pos + 5)
                else:
                    self._url(pos, low.find("/", pos) + 1)
                continue
            start = ident_start(text, pos)
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
            if m is None:
                continue
            # each recognizer rejects what is not its kind first, then asks whether ``start`` is in a comment or
            # a docstring (the costlier question)
            group = m.lastgroup
            if group == "cmd":
                self._command(m, start)
            elif group == "call":
                self._call(m, start)
            elif group == "flag":
                self._flag(m, start)
            else:
                self._key(m, start)
        if crowded and self.partial is None:
            self.partial = (f"{crowded:,} candidate positions beyond {MAX_PER_LINE} on one line were not examined "
                            "(a generated or crafted line)")

    @property
    def litellm(self) -> bool:
        """A LiteLLM proxy config (its ``model_list``), looked for only when a ``model_name`` key is met."""
        if self._litellm is None:
            self._litellm = "litellm_params" in self.text
        return self._litellm

    def _not_code(self, pos: int) -> bool:
        return self.in_comment(pos) or self.in_docstring(pos)

    # --- recognizers ---------------------------------------------------------------------------------------------

    def _command(self, m: re.Match, start: int) -> None:
        if self._not_code(start):
            return
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

    def _call(self, m: re.Match, start: int | None = None) -> None:
        fn = m.group("fn").rsplit(".", 1)[-1]
        if fn not in MODEL_CALLS and fn not in DATASET_CALLS:
            return
        if start is not None and self._not_code(start):
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
        self._add_value(value, offset, fn, is_identifier)

    def _add_value(self, value: str, offset: int, how: str, identifier: bool) -> None:
        """A literal argument, or the value a bare identifier is bound to (nothing when it cannot be known)."""
        if identifier:
            bound = self.binding(value, offset)
            if bound is None:
                return
            how, value = f"{how} via {value}", bound
        self.add(value, offset, how, legacy=True)

    def _wrapper(self, pos: int) -> None:
        """``load_model("meta-llama/Llama-3.1-8B")``: any call whose first literal argument is a known model id."""
        quote = self.text[pos]
        end = self.text.find(quote, pos + 1, pos + 200)
        if end < 0:
            return
        value = self.text[pos + 1:end]
        start = ident_start(self.text, pos - 1)
        fn = self.text[start:pos - 1].rsplit(".", 1)[-1]
        if fn in MODEL_CALLS or fn in DATASET_CALLS:
            if start not in self._done:
                self._done.add(start)
                m = HEAD.match(self.text, start)
                if m and m.lastgroup == "call":
                    self._call(m, start)
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

    def _option(self, pos: int) -> None:
        """``add_argument("--model", default="org/x")``, ``@click.option("--model-id", default=NAME)``."""
        if self.kind not in ("python", "notebook", "markdown"):
            return
        got = option_default(self.text, pos, self._call_args)
        if got is None or not any(takes_model(n.lower(), n, flag=True) for n in got[1]) or self._not_code(pos):
            return
        flag, _, value, offset, identifier = got
        self._add_value(value, offset, f"{flag} default", identifier)

    def _flag(self, m: re.Match, start: int) -> None:
        name = m.group("flagname").lower().replace("-", "_")
        how = m.group("dashes") + m.group("flagname")
        if name in ("hf", "hf_repo", "hf_model"):
            how = how
        elif not takes_model(name, m.group("flagname"), flag=True):
            return
        if self._not_code(start):
            return
        got = self.value_at(m.end())
        if not got:
            return
        value, offset = got
        self.add(value, offset, how, legacy=True)

    def _key(self, m: re.Match, start: int) -> None:
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
            if self._not_code(start):
                return
            for value, offset in self.values_at(m.end()):
                self.add_dataset(value, offset, f"key {raw}")
            return
        elif not takes_model(name, raw):
            return
        elif name == "model_name" and self.litellm:
            return  # LiteLLM's model_list: model_name is the alias clients ask for, litellm_params.model the model
        if self._not_code(start):
            return
        env = raw.isupper()
        how = f"env {raw}" if env else f"key {raw}"
        values = self.values_at(m.end())
        if not values:
            return
        sep = m.group("sep")
        # (value to classify, offset, " via NAME" or "", legacy, a shell variable whose definition may be reported)
        items: list[tuple[str, int, str, bool, bool]] = []
        for value, offset in values:
            if sep == "=" and "," in value and name in ("pretrained", "model", "tokenizer"):
                value = value.split(",", 1)[0]  # --model_args "pretrained=org/x,tokenizer=org/y,dtype=…"
            if self.kind == "python" and IDENTIFIER.fullmatch(value) and not quoted_at(self.text, offset):
                bound = self.binding(value, offset)
                if bound is not None:
                    items.append((bound, offset, f" via {value}", name not in ("model",) or env, False))
                continue
            var = VARIABLE.match(value)
            if var:
                bound = self.binding(var.group("name"), offset, shell=True)
                if bound is not None:
                    items.append((bound, offset, f" via ${var.group('name')}", False, True))
                continue
            items.append((value, offset, "", name != "model" or self.kind in ("python", "shell"), False))
        if sep == "=" and self.kind in ("python", "js", "markdown", "notebook") and not env:
            # the enclosing call decides (a dataset or Space repository; how the model is taken); look for it only
            # when something here could be a model or a dataset (classify is monotone in its context and legacy)
            if not any(classify(v, ollama_context=self.ollama, legacy=True) for v, *_ in items) \
                    and not any(classify_dataset(v) for v, _ in values):
                return
            call, args = self._enclosing_call(m.start())
            repo_type = REPO_TYPE.search(args) if args else None
            if repo_type and repo_type.group("t") in ("dataset", "space"):
                if repo_type.group("t") == "dataset":
                    for value, offset in values:
                        self.add_dataset(value, offset, f"key {raw}")
                return  # a dataset or a Space named where the call takes a repository id
            if call in MODEL_CALLS:
                how = call
        for value, offset, via, legacy, shell_var in items:
            if shell_var and any(r.model == value for r in self.refs):
                continue  # the definition was already reported
            self.add(value, offset, how + via, legacy=legacy)

    def _enclosing_call(self, pos: int) -> tuple[str | None, str]:
        """(the function whose argument list holds ``pos``, its arguments), looked for a few lines back."""
        text, floor, end = self.text, max(0, pos - 400), pos
        for _ in range(6):
            i = text.rfind("(", floor, end)
            if i < 0:
                return None, ""
            if text.count(")", i, pos) < text.count("(", i + 1, pos) + 1:
                start = ident_start(text, i)
                return text[start:i].rsplit(".", 1)[-1] or None, self._call_args(i + 1)
            end = i
        return None, ""

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
        self.refs.append(ModelReference(self.path, line, column, value.strip(), model, how, self.waiver(line, offset)))

    def add_dataset(self, value: str, offset: int, how: str) -> None:
        dataset = classify_dataset(value)
        if dataset is None or (offset, dataset) in self._seen:
            return
        self._seen.add((offset, dataset))
        line, column = self.position(offset)
        self.datasets.append(ModelReference(self.path, line, column, value.strip(), dataset, how))

    def waiver(self, line: int, offset: int | None = None) -> InlineWaiver | None:
        """The inline waiver on ``line`` or the line above (``offset``: a position on ``line``, a cheaper lookup)."""
        for back, candidate in enumerate((line, line - 1)):
            if candidate >= 1:
                text = self.line_text(candidate) if offset is None else self.line_around(offset, back)
                m = WAIVER.search(text[:2000])
                if m:
                    return InlineWaiver(m.group("model"), m.group("ticket"), candidate)
        return None


def quoted_at(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1] in "\"'`"


def legacy_or_none(value: str) -> str | None:
    return LEGACY_HUB_IDS.get(value.lower())
