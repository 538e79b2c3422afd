"""Finding model references in code and configuration: what a pre-commit hook and CI look at.

Recognized, each with file, line, column, the text found and how: transformers / huggingface_hub / vLLM / SGLang
calls (``from_pretrained("org/name")``, ``hf_hub_download(repo_id=…)``, ``pipeline(model=…)``, ``LLM(model=…)``),
command lines (``vllm serve``, ``--model``, ``--model-path``, ``ollama run|pull``), Modelfiles (``FROM``, any case;
a ``LICENSE`` directive is kept as evidence), LiteLLM / AutoGen / BentoML / gateway configs (``model:``,
``"model":``, ``model_id:``), environment variables (``MODEL=…``, ``*_MODEL=…``; ``${MODEL}`` resolved within the
file), Hub URLs (``huggingface.co/org/name``, ``hf.co/…``) and Ollama manifests.

Precision matters as much as recall: an ``org/name``-looking string counts only in a model-taking context, bare
names only when they are known Ollama names or the file talks to Ollama, commented-out lines are skipped, and
hosted API models (``gpt-4o``, ``anthropic/…``) are not open-weight references.
"""
from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .inputs import read_bytes
from .references import HUB_ID, parse_reference

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
             ".pytest_cache", "dist", "build", ".eggs", "site-packages", ".cache", ".ruff_cache"}
SCAN_SUFFIXES = {".py", ".ipynb", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".yaml", ".yml", ".json", ".toml", ".sh",
                 ".bash", ".zsh", ".env", ".cfg", ".ini", ".conf", ".modelfile", ".dockerfile", ".tf", ".hcl"}
SCAN_NAMES = re.compile(r"^(?:modelfile.*|.*\.modelfile|dockerfile.*|\.env.*|compose.*|docker-compose.*|makefile|procfile)$",
                        re.IGNORECASE)
MAX_FILE_BYTES = 2_000_000

OLLAMA_TAG = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)?:[A-Za-z0-9._-]+$")
BARE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,60}$")
API_MODELS = re.compile(r"^(?:gpt-|o\d|chatgpt|text-(?:davinci|embedding)|claude|gemini|command-r|dall-e|whisper-1|tts-)",
                        re.IGNORECASE)
API_PROVIDERS = ("anthropic/", "azure/", "bedrock/", "vertex_ai/", "gemini/", "openai/gpt", "openai/o1", "openai/o3",
                 "cohere/", "mistral/", "perplexity/", "xai/", "deepseek/", "groq/")
NOT_ORGS = {"datasets", "spaces", "docs", "blog", "papers", "settings", "api", "join", "login", "pricing", "models",
            "new", "organizations", "collections", "learn", "tasks"}
# Placeholder ids in documentation and examples ("org/name", "your-org/your-model") are not references.
PLACEHOLDER_ORGS = {"org", "orga", "owner", "user", "username", "your-org", "yourorg", "your-username", "my-org",
                    "myorg", "organization", "namespace", "example", "foo", "acme-example", "<org>", "{org}"}
POLICY_FILE = re.compile(r"(?m)^(?:rules|licenses|organization):")
WEIGHTS = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ggml")

TRIGGER = re.compile(
    r"(?P<call>\b(?:from_pretrained|snapshot_download|hf_hub_download|pipeline|LLM|SentenceTransformer|AsyncLLMEngine"
    r"|completion|acompletion|ChatOllama|OllamaLLM|OllamaEmbeddings|HuggingFaceEndpoint|from_model_id)\s*\()"
    r"|(?P<key>[\"']?\b(?:model|model_id|model_name_or_path|pretrained_model_name_or_path|model_path|repo_id|"
    r"hf_model|hf_model_id|base_model_id|model_repo|modelName|modelId)[\"']?[ \t]*[:=](?![=:]))"
    r"|(?P<cli>\bvllm\s+serve\s+|--model(?:-path|-id|_path|_id|-name-or-path)?(?:=|[ \t]+)|"
    r"\bollama\s+(?:run|pull|show|cp|push)\s+|(?<!\S)(?:-hf|--hf-repo|--hf-model)\s+)"
    r"|(?P<url>(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/)"
    r"|(?P<env>^[ \t]*(?:-[ \t]*)?[\"']?(?:export[ \t]+)?[A-Z0-9_]*MODEL[A-Z0-9_]*[\"']?[ \t]*[=:])",
    re.MULTILINE,
)
ENV_KEY = re.compile(r"[\"']?(?:export[ \t]+)?(?P<name>[A-Z0-9_]*MODEL[A-Z0-9_]*)[\"']?[ \t]*[=:]")
ASSIGN = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:os\.environ\.get\(\s*[\"'][\w]+[\"']\s*,\s*|"
    r"os\.getenv\(\s*[\"'][\w]+[\"']\s*,\s*)?[\"']?(?P<value>[^\s\"'#)]+)", re.MULTILINE)
ENV_LIST = re.compile(r"^[ \t]*-[ \t]*[\"']?(?P<name>[A-Z_][A-Z0-9_]*)=(?P<value>[^\s\"'#]+)", re.MULTILINE)
VARIABLE = re.compile(r"^\$\{?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}?$")
WAIVER = re.compile(r"(?:#|//|--)\s*compliance:\s*allow\s+(?P<model>\S+)(?:\s+(?P<ticket>[A-Za-z][\w.-]*-?\d[\w.-]*))?",
                    re.IGNORECASE)
HEREDOC = re.compile(r"<<-?\s*[\"']?(?P<end>\w+)[\"']?")
MODELFILE_FROM = re.compile(r"^[ \t]*from[ \t]+(?P<value>\S+)", re.IGNORECASE | re.MULTILINE)
MODELFILE_LICENSE = re.compile(r'^[ \t]*license[ \t]+(?:"""(?P<block>.*?)"""|"(?P<quoted>[^"\n]*)"|(?P<bare>[^\n]+))',
                               re.IGNORECASE | re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class InlineWaiver:
    model: str
    ticket: str | None
    line: int


@dataclass
class ModelReference:
    """One place a model is named. ``model`` is what to resolve (variables expanded, quotes stripped)."""

    file: str
    line: int
    column: int
    text: str
    model: str
    how: str
    waiver: InlineWaiver | None = None
    license_text: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class FileResult:
    path: str
    references: list[ModelReference] = field(default_factory=list)
    skipped: str | None = None


# --- discovery ------------------------------------------------------------------------------------------------


def wanted(path: Path) -> bool:
    name = path.name
    return path.suffix.lower() in SCAN_SUFFIXES or bool(SCAN_NAMES.match(name))


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to scan: explicit files as given; folders walked, skipping VCS, virtualenv and build folders."""
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if wanted(candidate):
                        yield candidate


# --- per file -------------------------------------------------------------------------------------------------


class _Text:
    """A file's text with cheap offset → (line, column) lookups."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]


def _is_comment(line: str, kind: str) -> bool:
    stripped = line.lstrip()
    if kind in ("python", "yaml", "shell", "toml", "env", "modelfile", "other") and stripped.startswith("#"):
        return True
    return kind in ("js",) and stripped.startswith("//")


def _kind(path: Path) -> str:
    name = path.name.lower()
    suffix = path.suffix.lower()
    if name.startswith("modelfile") or suffix == ".modelfile":
        return "modelfile"
    if suffix in (".py", ".ipynb"):
        return "python"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".sh", ".bash", ".zsh") or name in ("makefile", "procfile"):
        return "shell"
    if suffix in (".js", ".mjs", ".cjs", ".ts", ".tsx"):
        return "js"
    if name.startswith(".env") or suffix == ".env":
        return "env"
    if suffix == ".toml":
        return "toml"
    return "other"


def _variables(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in ASSIGN.finditer(text):
        found.setdefault(m.group("name"), m.group("value"))
    for m in ENV_LIST.finditer(text):
        found.setdefault(m.group("name"), m.group("value"))
    return found


def _value_after(text: str, start: int) -> tuple[str, int] | None:
    """The token after a key or flag: a quoted string or a bare word (YAML block scalars and trailing `\\` ignored)."""
    i = start
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i >= n or text[i] in "\n\r":
        return None
    if text[i] in "\"'":
        quote = text[i]
        end = text.find(quote, i + 1, i + 300)
        if end < 0:
            return None
        return text[i + 1:end], i + 1
    m = re.match(r"[^\s\"',;)\]}\\]+", text[i:i + 300])
    if not m:
        return None
    return m.group(0), i


def _call_argument(text: str, start: int) -> tuple[str, int, bool] | None:
    """The model argument of a call: a model keyword argument, else the first positional argument. Returns
    (value, offset, is_identifier)."""
    depth, i, end = 1, start, min(len(text), start + 600)
    while i < end and depth:
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    args = text[start:i - 1] if depth == 0 else text[start:end]
    kw = re.search(r"\b(?:pretrained_model_name_or_path|repo_id|model|model_name|model_id)\s*=\s*"
                   r"(?:[\"'](?P<s>[^\"'\n]+)[\"']|(?P<id>[A-Za-z_][\w.]*))", args)
    if kw:
        if kw.group("s") is not None:
            return kw.group("s"), start + kw.start("s"), False
        return kw.group("id"), start + kw.start("id"), True
    first = re.match(r"\s*(?:[\"'](?P<s>[^\"'\n]+)[\"']|(?P<id>[A-Za-z_][\w.]*)\s*[,)]?)", args)
    if first:
        if first.group("s") is not None:
            return first.group("s"), start + first.start("s"), False
        if first.group("id"):
            return first.group("id"), start + first.start("id"), True
    return None


def _known_ollama(name: str) -> bool:
    from . import catalog

    return catalog.default().by_ollama(name) is not None


def classify(value: str, *, ollama_context: bool, strict: bool) -> str | None:
    """Whether ``value`` names a model, and how to resolve it: the value to pass to the resolver, or None.

    ``strict``: a generic key such as ``model:`` (a bare unknown name there is not a finding)."""
    value = value.strip().strip("\"'").rstrip("\\").strip()
    if not value or len(value) > 300 or value.startswith(("os.environ/", "env:", "$(", "{{")):
        return None
    lowered = value.lower()
    if lowered.startswith(API_PROVIDERS) or API_MODELS.match(value.split("/")[-1]):
        return None
    if lowered.endswith(WEIGHTS) or value.startswith(("/", "./", "../", "~")):
        return value
    try:
        ref = parse_reference(value)
    except Exception:  # noqa: BLE001 - not a reference at all
        return None
    if ref.kind == "path":
        return value
    if ref.kind == "hub":
        return None if ref.target.split("/")[0].lower() in PLACEHOLDER_ORGS else value
    if ref.kind in ("ollama", "name"):
        target = ref.target
        if OLLAMA_TAG.match(target) or _known_ollama(target):
            return value
        if ref.provider and ref.provider.startswith("ollama"):
            return value
        # an unknown bare name counts only where the file talks to Ollama, and only if it looks like a model
        # name (a digit in it: "gemma3", "llama3-groq-tool-use"), not a word ("to", "base")
        if ollama_context and BARE_NAME.match(target) and re.search(r"\d", target) and not API_MODELS.match(target):
            return value
    return None


# Literal anchors (lower case): only lines holding one can hold a reference. Finding them with str.find and
# running the recognizer on those lines alone is an order of magnitude faster than a regex over the whole file.
ANCHORS = ("model", "pretrained", "snapshot_download", "hf_hub_download", "pipeline", "llm", "completion", "ollama",
           "sentencetransformer", "repo_id", "vllm", "-hf", "huggingface.co", "hf.co")


def _triggers(text: str):
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length in lower case: scan everything
        yield from TRIGGER.finditer(text)
        return
    windows: dict[int, int] = {}
    for anchor in ANCHORS:
        index = lowered.find(anchor)
        while index >= 0:
            line_start = text.rfind("\n", 0, index) + 1
            # a recognizer starts at most a few characters before its anchor ("https://www." before
            # "huggingface.co", a quote before "model"), except environment lines, which start the line
            start = line_start if index - line_start <= 40 else index - 14
            windows[start] = max(windows.get(start, 0), index + len(anchor))
            index = lowered.find(anchor, index + len(anchor))
    last = -1
    for start in sorted(windows):
        end = text.find("\n", start)
        end = end if end >= 0 else len(text)
        if end <= last:
            continue
        for m in TRIGGER.finditer(text, max(start, last), end):
            yield m
        last = end


def scan_text(text: str, path: str, kind: str | None = None) -> list[ModelReference]:
    """Every model reference in one file's text."""
    kind = kind or _kind(Path(path))
    refs: list[ModelReference] = []
    doc = _Text(text)
    if kind == "json" and '"schemaVersion"' in text and "application/vnd.ollama.image" in text:
        refs.extend(_ollama_manifest(text, path, doc))
    if kind == "modelfile":
        refs.extend(_modelfile(text, path, doc, 0))
    elif kind == "shell":
        for m in HEREDOC.finditer(text):
            line_no, _ = doc.position(m.start())
            if "modelfile" in doc.line_text(line_no).lower():
                end = re.search(rf"^\s*{re.escape(m.group('end'))}\s*$", text[m.end():], re.MULTILINE)
                body_end = m.end() + end.start() if end else len(text)
                refs.extend(_modelfile(text[:body_end], path, doc, text.find("\n", m.end()) + 1))
    ollama_ctx = "ollama" in text.lower() or ":11434" in text
    variables = None
    seen: set[tuple[int, str]] = set()
    for m in _triggers(text):
        line_no, _ = doc.position(m.start())
        line = doc.line_text(line_no)
        if _is_comment(line, kind):
            continue
        group = m.lastgroup
        how = group
        if group == "call":
            arg = _call_argument(text, m.end())
            if not arg:
                continue
            value, offset, is_identifier = arg
            how = m.group("call").rstrip("( \t")
            if is_identifier:
                variables = variables if variables is not None else _variables(text)
                if value not in variables:
                    continue
                how, value = f"{how} via {value}", variables[value]
            strict = False
        elif group == "url":
            tail = re.match(r"(?P<id>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)", text[m.end():m.end() + 200])
            if not tail or tail.group("id").split("/")[0].lower() in NOT_ORGS:
                continue
            value, offset, strict, how = tail.group("id"), m.end(), False, "hub-url"
        else:
            got = _value_after(text, m.end())
            if not got:
                continue
            value, offset = got
            strict = group in ("key", "env")
            if group == "env":
                name = ENV_KEY.search(m.group(0))
                how = f"env {name.group('name')}" if name else "env"
            elif group == "key":
                how = "key " + re.sub(r"[^\w]", "", m.group("key").split(":")[0].split("=")[0])
            else:
                how = " ".join(m.group("cli").split())
        var = VARIABLE.match(value.strip())
        if var:
            variables = variables if variables is not None else _variables(text)
            if var.group("name") not in variables:
                continue
            how, value = f"{how} via ${var.group('name')}", variables[var.group("name")]
            if any(r.model == value for r in refs):
                continue  # the definition was already reported
        model = classify(value, ollama_context=ollama_ctx or "ollama" in how, strict=strict)
        if model is None:
            continue
        model = _path_tail(model)
        key = (offset, model)
        if key in seen or any(r.line == doc.position(offset)[0] and r.model == model for r in refs):
            continue
        seen.add(key)
        line_no, column = doc.position(offset)
        refs.append(ModelReference(path, line_no, column, value, model, how, _waiver(doc, line_no)))
    refs.sort(key=lambda r: (r.line, r.column))
    return refs


def _path_tail(value: str) -> str:
    """``/root/models/ZhipuAI/glm-4-9b-chat``: a local folder named like ``org/name`` is that model when the folder
    is not here (a deploy path)."""
    if not value.startswith(("/", "./", "../", "~")) or value.lower().endswith(WEIGHTS):
        return value
    parts = [p for p in value.split("/") if p]
    if len(parts) >= 2 and not Path(value).expanduser().exists():
        tail = "/".join(parts[-2:])
        if HUB_ID.match(tail):
            from . import catalog

            if catalog.default().get(tail) is not None:
                return tail
    return value


def _waiver(doc: _Text, line: int) -> InlineWaiver | None:
    for candidate in (line, line - 1):
        if candidate >= 1:
            m = WAIVER.search(doc.line_text(candidate))
            if m:
                return InlineWaiver(m.group("model"), m.group("ticket"), candidate)
    return None


def _modelfile(text: str, path: str, doc: _Text, start: int) -> list[ModelReference]:
    refs = []
    license_match = MODELFILE_LICENSE.search(text, start)
    license_text = None
    if license_match:
        license_text = (license_match.group("block") or license_match.group("quoted") or license_match.group("bare") or "").strip()
    for m in MODELFILE_FROM.finditer(text, start):
        value = m.group("value").strip("\"'")
        line_no, column = doc.position(m.start("value"))
        ref = ModelReference(path, line_no, column, value, value, "modelfile FROM", _waiver(doc, line_no),
                             license_text=license_text)
        if license_text:
            ref.notes.append(f"Modelfile LICENSE directive: {license_text[:80]}")
        refs.append(ref)
    return refs


def _ollama_manifest(text: str, path: str, doc: _Text) -> list[ModelReference]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    layers = data.get("layers") if isinstance(data, dict) else None
    if not isinstance(layers, list):
        return []
    parts = Path(path).parts
    name = None
    if "manifests" in parts:
        tail = parts[parts.index("manifests") + 1:]
        if len(tail) >= 3:
            name = f"{tail[-2]}:{tail[-1].removesuffix('.json')}"
    if name is None:
        name = next((layer.get("from") for layer in layers if isinstance(layer, dict) and layer.get("from")), None)
    if not name:
        return []
    offset = text.find(f'"{name}"')
    line_no, column = doc.position(offset + 1) if offset >= 0 else (1, 1)
    digests = sorted({layer.get("digest") for layer in layers if isinstance(layer, dict)
                      and layer.get("mediaType") == "application/vnd.ollama.image.license" and layer.get("digest")})
    ref = ModelReference(path, line_no, column, name, name, "ollama manifest")
    ref.notes.append(f"{len(digests)} distinct license layer(s): " + ", ".join(d[:19] for d in digests))
    return [ref]


def scan_file(path: Path, display: str | None = None) -> FileResult:
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return FileResult(shown, skipped=f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
        data = read_bytes(path, what="scanned file", max_bytes=MAX_FILE_BYTES)  # regular files only: never blocks
    except OSError as exc:
        return FileResult(shown, skipped=f"unreadable: {exc.strerror}")
    except InputError as exc:  # a FIFO, device or socket in the tree, or grown past the bound while read
        return FileResult(shown, skipped=exc.message)
    if b"\x00" in data[:8192]:
        return FileResult(shown, skipped="binary")
    text = data.decode("utf-8", errors="replace")
    kind = _kind(path)
    if kind == "yaml" and "exceptions:" in text and POLICY_FILE.search(text):
        return FileResult(shown, skipped="a compliance policy file (its exceptions name models; they are not uses)")
    if path.name == "compliance.lock":
        return FileResult(shown, skipped="the compliance lock file")
    return FileResult(shown, scan_text(text, shown, kind))


def scan_paths(paths: Iterable[str | Path], *, root: Path | None = None) -> list[FileResult]:
    results = []
    for path in iter_files(paths):
        shown = path.as_posix()
        if root is not None:
            try:
                shown = path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        results.append(scan_file(path, shown))
    return results
