"""Reading YAML files the way users need when something is wrong: one line naming the file, the line and the key.

Files are parsed with the C loader when PyYAML has it (it is the hot path of the pre-commit hook). Line numbers
are only worked out after a validation error, by composing the document again and walking its nodes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from . import inputs
from .errors import ComplianceError, InputError
from .yamlbounds import BoundedLoader

SafeLoader: type = BoundedLoader  # the C loader when PyYAML has it, with bounds (see compliance.yamlbounds)
MAX_BYTES = inputs.DEFAULT_LIMIT

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path, *, what: str = "file", max_bytes: int | None = None) -> str:
    """A text file through the one reading path (:mod:`compliance.inputs`): regular files only, bounded by
    ``max_bytes`` (default: the limit for ``what``), decoded by byte-order mark."""
    return inputs.read_text(path, what=what, max_bytes=max_bytes)


def parse_yaml(text: str, *, file: str | Path) -> Any:
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise InputError(_yaml_problem(exc), file=file, line=_yaml_line(exc)) from None


def load_yaml(path: Path, *, what: str = "YAML file") -> Any:
    return parse_yaml(read_text(path, what=what), file=path)


def _yaml_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    return f"invalid YAML: {context + ', ' if context else ''}{problem}"


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map each key path (``("rules", "territory")``, ``("exceptions", 0, "expires")``) to its 1-based line."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (getattr(key, "value", None),)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                sub = path + (index,)
                lines[sub] = item.start_mark.line + 1
                walk(item, sub)

    if root is not None:
        lines[()] = root.start_mark.line + 1
        walk(root, ())
    return lines


def locate(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest known prefix of a pydantic error location."""
    loc = tuple(part for part in loc if not (isinstance(part, str) and part.startswith("function-")))
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def describe(error: dict[str, Any]) -> str:
    """One readable phrase for one pydantic error."""
    loc = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {loc!r}"
    if kind == "missing":
        return f"missing required key {loc!r}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def validate(model: type[M], data: Any, *, file: str | Path, text: str | None = None,
             error: type[ComplianceError] = InputError) -> M:
    """Validate ``data`` as ``model``; on failure raise ``error`` naming the file, line and key of the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # An unknown key usually explains the "missing" errors next to it (a typo): report it first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        line = locate(key_lines(text), tuple(first["loc"])) if text is not None else None
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise error(describe(first) + suffix, file=file, line=line) from None
