"""Finding model references in code, configuration and docs: what a pre-commit hook and CI look at.

Discovery (folders walked, VCS/virtualenv/build folders and ``exclude:`` globs left out), reading (UTF-8, UTF-8
with BOM and UTF-16 decoded; binary files, FIFOs and other non-regular files skipped with a reason, never read),
routing by file kind (code, configs, Modelfiles, Ollama manifests, notebooks' code cells, the code blocks of
Markdown / MDX / Quarto / reStructuredText, which are scanned by default), and the matcher (``scan_match``).

Recognized, each with file, line, column, the text found and how: transformers / huggingface_hub / vLLM / SGLang
/ TRL calls, keys and keyword arguments that take a model (``model``, ``model_name_or_path``, ``base_model``,
``*_model``, ``*_model_id``, ``tokenizer_name``, ``reward_funcs``, ``pretrained=`` in ``--model_args``), command
lines (``vllm serve``, ``--model X``, ``ollama run|pull``, ``hf download``, ``huggingface-cli download``),
Modelfiles (``FROM``; a ``LICENSE`` directive is kept as evidence), environment variables (``MODEL=…``,
``*_MODEL=…``), Hub URLs (``huggingface.co/…``, ``hf.co/…``, ``hf://…``) and Ollama manifests. Datasets
(``load_dataset``, ``repo_type="dataset"``, ``datasets:``) are listed apart: they are not judged.
"""
from __future__ import annotations

import codecs
import fnmatch
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .references import HUB_ID
from .scan_docs import markdown_code, notebook_cells
from .scan_match import Matcher
from .scan_pool import scan_many
from .scan_types import FileResult, InlineWaiver, ModelReference
from .scan_values import API_MODELS, API_PROVIDERS, WEIGHTS, classify  # noqa: F401 - public names

__all__ = ["FileResult", "InlineWaiver", "ModelReference", "classify", "iter_files", "scan_file", "scan_paths",
           "scan_text", "scan_all"]

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
             ".pytest_cache", "dist", "build", ".eggs", "site-packages", ".cache", ".ruff_cache"}
SCAN_SUFFIXES = {".py", ".ipynb", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".yaml", ".yml", ".json", ".toml", ".sh",
                 ".bash", ".zsh", ".env", ".cfg", ".ini", ".conf", ".modelfile", ".dockerfile", ".tf", ".hcl",
                 ".slurm", ".md", ".mdx", ".qmd", ".rst"}
SCAN_NAMES = re.compile(r"^(?:modelfile.*|.*\.modelfile|dockerfile.*|\.env.*|compose.*|docker-compose.*|makefile|procfile)$",
                        re.IGNORECASE)
MAX_FILE_BYTES = 2_000_000  # larger files are read and scanned in parts of this size, up to MAX_PARTS of them
MAX_PARTS = 32
POLICY_FILE = re.compile(r"(?m)^(?:rules|licenses|organization):")
HEREDOC = re.compile(r"<<-?\s*[\"']?(?P<end>\w+)[\"']?")
MODELFILE_FROM = re.compile(r"^[ \t]*from[ \t]+(?P<value>\S+)", re.IGNORECASE | re.MULTILINE)
MODELFILE_LICENSE = re.compile(r'^[ \t]*license[ \t]+(?:"""(?P<block>.*?)"""|"(?P<quoted>[^"\n]*)"|(?P<bare>[^\n]+))',
                               re.IGNORECASE | re.MULTILINE | re.DOTALL)


# --- discovery ------------------------------------------------------------------------------------------------


def wanted(path: Path) -> bool:
    return _wanted_name(path.name)


def _suffix(name: str) -> str:
    """``Path(name).suffix`` without a Path."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


def _wanted_name(name: str) -> bool:
    return _suffix(name) in SCAN_SUFFIXES or bool(SCAN_NAMES.match(name))


def excluded(relative: str, patterns: Iterable[str]) -> bool:
    """``relative`` (a POSIX path) matches an ``exclude:`` glob: ``tests/**``, ``vendor/``, ``*_test.py``."""
    for pattern in patterns:
        p = pattern.strip().lstrip("./") if pattern.strip() not in (".", "./") else ""
        if not p:
            continue
        if p.endswith("/"):
            p += "**"
        if fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.removesuffix("/**") + "/*") \
                or relative.startswith(p.removesuffix("**").rstrip("/") + "/") and p.endswith("**") \
                or ("/" not in p and fnmatch.fnmatch(relative.rsplit("/", 1)[-1], p)):
            return True
    return False


def iter_files(paths: Iterable[str | Path], *, exclude: Iterable[str] = (), root: Path | None = None) -> Iterator[Path]:
    """Files to scan: explicit files as given (whatever their kind); folders walked, skipping VCS, virtualenv and
    build folders and ``exclude`` globs. A path that does not exist is an error (a typo in CI must not pass)."""
    for path, _shown in discover(paths, exclude=exclude, root=root, shown=False):
        yield Path(path)


def discover(paths: Iterable[str | Path], *, exclude: Iterable[str] = (), root: Path | None = None,
             shown: bool = True) -> Iterator[tuple[str, str]]:
    """(path, path as shown: relative to ``root`` when under it, POSIX) of every file to scan, in the order of
    ``iter_files``. Strings, not Paths, and one relative path per folder: the walk of a 10,000-file tree costs
    a few milliseconds, not a second."""
    exclude = tuple(exclude)
    base_path = (root or Path.cwd()).resolve()
    base = os.path.abspath(root) if root is not None and shown else None
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            raise InputError("no such file or folder", file=path)
        if not path.is_dir():
            if not (exclude and excluded(_relative(path, base_path), exclude)):
                yield str(path), _shown_path(str(path), base)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
                             and not (exclude and excluded(_relative(Path(folder) / d, base_path), exclude)))
            prefix = None
            for name in sorted(files):
                if not _wanted_name(name):
                    continue
                full = os.path.join(folder, name)
                if exclude and excluded(_relative(Path(full), base_path), exclude):
                    continue
                if prefix is None:  # once per folder: how its files are shown
                    prefix = _shown_path(folder, base) if shown else ""
                yield full, (f"{prefix.rstrip('/')}/{name}" if prefix not in ("", ".") else name) if shown else ""


def _shown_path(path: str, base: str | None) -> str:
    if base is not None:
        relative = os.path.relpath(os.path.abspath(path), base)
        if not relative.startswith(".."):
            return relative.replace(os.sep, "/")  # relpath's answer is normalized: Path(relative).as_posix()
    return Path(path).as_posix()


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


# --- kinds and text -------------------------------------------------------------------------------------------


def _kind(path: Path) -> str:
    return _kind_of(path.name)


def _kind_of(filename: str) -> str:
    name = filename.lower()
    suffix = _suffix(filename)
    if name.startswith("modelfile") or suffix == ".modelfile":
        return "modelfile"
    if suffix == ".py":
        return "python"
    if suffix == ".ipynb":
        return "notebook"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".mdx", ".qmd", ".markdown"):
        return "markdown"
    if suffix == ".rst":
        return "rst"
    if suffix in (".sh", ".bash", ".zsh", ".slurm") or name in ("makefile", "procfile"):
        return "shell"
    if suffix in (".js", ".mjs", ".cjs", ".ts", ".tsx"):
        return "js"
    if name.startswith(".env") or suffix == ".env":
        return "env"
    if suffix == ".toml":
        return "toml"
    return "other"


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, how it was decoded when not plain UTF-8); text None for a binary file."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:8192]
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte NUL in mostly-ASCII text
        if len(head) >= 4 and head[1::2].count(0) > len(head) * 0.4 and head[0::2].count(0) == 0:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if len(head) >= 4 and head[0::2].count(0) > len(head) * 0.4 and head[1::2].count(0) == 0:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
        return None, None
    return data.decode("utf-8", errors="replace"), None


def scan_all(text: str, path: str, kind: str | None = None) -> tuple[list[ModelReference], list[ModelReference]]:
    """(model references, dataset references) in one file's text."""
    return scan_all_noted(text, path, kind)[:2]


def scan_all_noted(text: str, path: str, kind: str | None = None):
    """(model references, dataset references, why part of the text was not examined or None)."""
    kind = kind or _kind(Path(path))
    if kind == "notebook":
        return (*_notebook(text, path), None)
    if kind in ("markdown", "rst"):
        code = markdown_code(text, rst=kind == "rst")
        matcher = Matcher(code, path, "markdown", ollama_context="ollama" in code.lower())
    else:
        matcher = Matcher(text, path, kind)
    refs: list[ModelReference] = []
    if kind == "json" and '"schemaVersion"' in text and "application/vnd.ollama.image" in text:
        manifest = _ollama_manifest(text, path, matcher)
        if manifest:  # its layers' "from" fields name the same model
            return manifest, [], None
    if kind == "modelfile":
        refs.extend(_modelfile(text, path, matcher, 0))
    elif kind in ("shell", "markdown"):
        for m in HEREDOC.finditer(matcher.text):
            line_no, _ = matcher.position(m.start())
            if "modelfile" in matcher.line_text(line_no)[:2000].lower():
                end = re.search(rf"^\s*{re.escape(m.group('end'))}\s*$", matcher.text[m.end():], re.MULTILINE)
                body_end = m.end() + end.start() if end else len(matcher.text)
                refs.extend(_modelfile(matcher.text[:body_end], path, matcher, matcher.text.find("\n", m.end()) + 1))
    matcher.run()
    for ref in matcher.refs:
        ref.model = _path_tail(ref.model)
    known = {(r.line, r.model) for r in refs}
    refs.extend(r for r in matcher.refs if (r.line, r.model) not in known)
    refs.sort(key=lambda r: (r.line, r.column))
    matcher.datasets.sort(key=lambda r: (r.line, r.column))
    return refs, matcher.datasets, matcher.partial


def scan_text(text: str, path: str, kind: str | None = None) -> list[ModelReference]:
    """Every model reference in one file's text."""
    return scan_all(text, path, kind)[0]


def _notebook(raw: str, path: str) -> tuple[list[ModelReference], list[ModelReference]]:
    cells = notebook_cells(raw)
    if cells is None:
        return scan_all(raw, path, "json")
    ollama = any("ollama" in source.lower() for source, _ in cells)
    refs: list[ModelReference] = []
    datasets: list[ModelReference] = []
    for source, lines in cells:
        matcher = Matcher(source, path, "python", ollama_context=ollama)
        matcher.run()
        for ref in (*matcher.refs, *matcher.datasets):
            ref.line = lines[min(ref.line, len(lines)) - 1]
            ref.model = _path_tail(ref.model) if ref in matcher.refs else ref.model
        refs.extend(matcher.refs)
        datasets.extend(matcher.datasets)
    return refs, datasets


def _path_tail(value: str) -> str:
    """``/root/models/ZhipuAI/glm-4-9b-chat``: a local folder named like ``org/name`` is that model when the folder
    is not here (a deploy path)."""
    if not value.startswith(("/", "./", "../", "~")) or value.lower().endswith(WEIGHTS):
        return value
    parts = [p for p in value.split("/") if p]
    if len(parts) >= 2 and not Path(value).expanduser().exists():
        tail = "/".join(parts[-2:])
        if HUB_ID.match(tail):
            from .scan_values import catalog_index

            if tail.lower() in catalog_index().ids:
                return tail
    return value


def _modelfile(text: str, path: str, doc: Matcher, start: int) -> list[ModelReference]:
    refs = []
    license_match = MODELFILE_LICENSE.search(text, start)
    license_text = None
    if license_match:
        license_text = (license_match.group("block") or license_match.group("quoted") or license_match.group("bare") or "").strip()
    for m in MODELFILE_FROM.finditer(text, start):
        value = m.group("value").strip("\"'")
        line_no, column = doc.position(m.start("value"))
        ref = ModelReference(path, line_no, column, value, value, "modelfile FROM", doc.waiver(line_no),
                             license_text=license_text)
        if license_text:
            ref.notes.append(f"Modelfile LICENSE directive: {license_text[:80]}")
        refs.append(ref)
    return refs


def _ollama_manifest(text: str, path: str, doc: Matcher) -> list[ModelReference]:
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


# --- files ----------------------------------------------------------------------------------------------------


def scan_file(path: Path, display: str | None = None) -> FileResult:
    return _scan_one(str(path), display or str(path))


def _read(path: str) -> bytes | FileResult:
    """The bytes of a regular file (up to the size limit and one byte more), or the result that skips it."""
    limit = MAX_FILE_BYTES * MAX_PARTS
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO, socket or device: opening it could block the hook forever
            return FileResult("", skipped="not a regular file")
        if info.st_size > limit:
            return FileResult("", skipped=f"larger than {limit // 1_000_000} MB")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            # ask for the size the file has (and one byte more: it may have grown), never for the limit: a read
            # of the limit allocates it (64 MB) for every file
            chunks, total, want = [], 0, info.st_size + 1
            while total <= limit:
                chunk = os.read(fd, min(want, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < want:  # a short read of a regular file: its end (no second read to see it)
                    break
                want = 1 << 20
        finally:
            os.close(fd)
    except OSError as exc:
        return FileResult("", skipped=f"unreadable: {exc.strerror or exc}")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _scan_one(path: str, shown: str) -> FileResult:
    data = _read(path)
    if isinstance(data, FileResult):
        data.path = shown
        return data
    text, how = decode(data)
    if text is None:
        return FileResult(shown, skipped="binary")
    name = os.path.basename(path)
    kind = _kind_of(name)
    if kind == "yaml" and "exceptions:" in text and POLICY_FILE.search(text):
        return FileResult(shown, skipped="a compliance policy file (its exceptions name models; they are not uses)",
                          ignored=True)
    if name in ("compliance.lock", ".compliance.yaml", "compliance.yaml"):
        return FileResult(shown, skipped="the compliance lock file" if name.endswith(".lock") else
                          "the compliance policy file", ignored=True)
    if len(text) <= MAX_FILE_BYTES:
        refs, datasets, partial = scan_all_noted(text, shown, kind)
        return FileResult(shown, refs, datasets=datasets, note=how, partial=partial)
    # a large file is scanned in parts cut at line ends, so a model named in it is not a way past the gate
    refs, datasets, first_line, start = [], [], 0, 0
    parts, partial = 0, None
    while start < len(text):
        end = text.find("\n", start + MAX_FILE_BYTES)
        end = len(text) if end < 0 else end + 1
        part_refs, part_datasets, part_partial = scan_all_noted(
            text[start:end], shown, "other" if kind in ("notebook", "markdown", "rst") else kind)
        partial = partial or part_partial
        for ref in (*part_refs, *part_datasets):
            ref.line += first_line
        refs.extend(part_refs)
        datasets.extend(part_datasets)
        first_line += text.count("\n", start, end)
        start = end
        parts += 1
    note = f"scanned in {parts} parts ({len(data) / 1e6:.1f} MB)" + (f", {how}" if how else "")
    return FileResult(shown, refs, datasets=datasets, note=note, partial=partial)


def scan_paths(paths: Iterable[str | Path], *, root: Path | None = None, exclude: Iterable[str] = (),
               jobs: int | None = None) -> list[FileResult]:
    """Every file's result, in discovery order. A big tree is scanned by a pool of processes (``jobs``; by default
    one per CPU when there are more than ``scan_pool.MIN_FILES`` files, ``COMPLIANCE_SCAN_JOBS`` overriding);
    a small run, such as the pre-commit hook's, never starts one."""
    return scan_many(discover(paths, exclude=exclude, root=root), _scan_one, jobs)
