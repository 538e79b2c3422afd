"""A file's text as the matcher reads it: positions (offset -> line and column), what is not code (comments,
docstrings), the literal value after a key or flag (quoted, bare, a list, YAML below), call arguments, and
variable bindings (the nearest preceding assignment in scope). Every read is bounded by a window, so the work
stays linear however long a line is."""
from __future__ import annotations

import bisect
import re
from itertools import accumulate

WINDOW = 400  # how far back a comment or line start is looked for
BARE = re.compile(r"[^\s\"',;)\]}\\`]{1,300}")
SHELL_ITEM = re.compile(r"[\"']([^\"'\n]{1,300})[\"']|(?<![\w$])([A-Za-z0-9][\w.-]*/[\w.-]+)")
NEXT_ITEM = re.compile(r"(?:-[ \t]+(?:(?:id|path|name|model|model_id|repo_id|dataset)[ \t]*:[ \t]*)?|(?=[\w.-]+/[\w.-]+[ \t]*:))"
                       r"[\"']?(?P<v>[A-Za-z0-9./~_-][^\s\"'#:,]{0,300})")
QUOTED_ITEM = re.compile(r"[\"']([^\"'\n]{1,300})[\"']")
KWARG = re.compile(r"\b(?P<k>pretrained_model_name_or_path|repo_id|model|model_name|model_id|model_name_or_path|path"
                   r"|dataset_name|reward_model|ref_model)[ \t]*=[ \t]*(?:[\"'](?P<s>[^\"'\n]{1,300})[\"']"
                   r"|(?P<id>[A-Za-z_][\w.]{0,80}))")
FIRST_ARG = re.compile(r"\s*(?:[rfbu]?[\"'](?P<s>[^\"'\n]{1,300})[\"']|(?P<id>[A-Za-z_][\w.]{0,80})\s*(?:[,)]|$))")
ASSIGN_TAIL = re.compile(r"[ \t]*(?::[^=\n]{0,40})?=(?!=)[ \t]*(?P<rest>[^\n]{0,400})")
LITERAL = re.compile(r"(?:os\.environ\.get\(\s*[\"']\w+[\"']\s*,\s*|os\.getenv\(\s*[\"']\w+[\"']\s*,\s*)?"
                     r"[rfbu]?[\"'](?P<v>[^\"'\n]{1,300})[\"']")
SHELL_WORD = re.compile(r"(?P<v>[^\s\"'#;&|]{1,300})")
FIELD_CALL = re.compile(r"(?:dataclasses\.|pydantic\.)?(?P<fn>field|Field)[ \t]*\(")
FIELD_DEFAULT = re.compile(r"(?<![\w.])default[ \t]*=[ \t]*(?:[rbu]?[\"'](?P<s>[^\"'\n]{1,300})[\"']|(?P<id>[A-Za-z_][\w.]{0,80})\s*(?:[,)]|$))"
                           r"|(?<![\w.])default_factory[ \t]*=[ \t]*lambda[ \t]*:[ \t]*[rbu]?[\"'](?P<f>[^\"'\n]{1,300})[\"']")
BRACKETS = re.compile(r"[()\[\]{}]")
DEF_LINE = re.compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+\w+[ \t]*\((?P<params>[^)]{0,1200})")


class Source:
    """The text of one file (or notebook cell, or document's code) and its ``kind``."""

    text: str
    kind: str

    def _init_source(self) -> None:
        self._lines: list[int] | None = None
        self._counted = 0
        self._docstrings: list[tuple[int, int]] | None = None
        self._defs: list[tuple[int, int, str, int]] | None = None
        self._assignments: dict[str, list[tuple[int, int, str | None]]] = {}
        self._by_scope: dict[str, dict[int, tuple[list[int], list[str | None]]]] = {}

    # --- positions -----------------------------------------------------------------------------------------------

    @property
    def lines(self) -> list[int]:
        if self._lines is None:
            self._lines = [0, *accumulate(map((1).__add__, map(len, self.text.split("\n"))))][:-1]
        return self._lines

    def position(self, offset: int) -> tuple[int, int]:
        if self._lines is None and self._counted < 16:  # a few positions: count newlines instead of indexing all
            self._counted += 1
            start = self.text.rfind("\n", 0, offset) + 1
            return self.text.count("\n", 0, start) + 1, offset - start + 1
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1

    def line_text(self, line: int) -> str:
        starts = self.lines
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end]

    def line_around(self, offset: int, before: int = 0) -> str:
        """The text of the line holding ``offset`` (or of the line ``before`` lines above it; "" above the first)."""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        for _ in range(before):
            if start == 0:
                return ""
            start = text.rfind("\n", 0, start - 1) + 1
        end = text.find("\n", start)
        return text[start:end if end >= 0 else len(text)]

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
            find = text.find
            double, single = find('"""'), find("'''")  # two str.find searches, not a regex alternation
            while double >= 0 or single >= 0:
                at = double if single < 0 or 0 <= double < single else single
                mark = text[at:at + 3]
                end = find(mark, at + 3)
                end = len(text) if end < 0 else end
                start = self._line_start(at)
                if text[start:at].strip() in ("", "r", "u", "b", "f", "rb", "br", "R"):
                    self._docstrings.append((at, end))
                i = end + 3
                if double >= 0 and double < i:
                    double = find('"""', i)
                if single >= 0 and single < i:
                    single = find("'''", i)
        k = bisect.bisect_right(self._docstrings, (pos, len(self.text) + 1)) - 1
        return k >= 0 and self._docstrings[k][0] <= pos <= self._docstrings[k][1]

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
        if self.kind == "python" and ch in "dfFp":
            got = self._field_default(i)
            if got is not None:
                return got
        m = BARE.match(text, i)
        return [(m.group(0), i)] if m else []

    def _field_default(self, i: int) -> list[tuple[str, int]] | None:
        """A dataclass or pydantic field's default: ``field(default="org/x")``, ``field(default_factory=lambda:
        "org/x")``, ``Field("org/x", ...)``; [] when the default is not a literal or a name; None: not a field."""
        m = FIELD_CALL.match(self.text, i)
        if m is None:
            return None
        args = self._call_args(m.end())
        d = FIELD_DEFAULT.search(args)
        if d is None and m.group("fn") == "Field":
            d = FIRST_ARG.match(args)
        if d is None:
            return []
        group = next((g for g in ("s", "f", "id") if d.group(g) is not None), None)
        if group is None or d.group(group) in ("None", "True", "False"):
            return []
        return [(d.group(group), m.end() + d.start(group))]

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
        end = min(len(text), start + 600)
        depth = 1
        for bracket in BRACKETS.finditer(text, start, end):  # only the brackets, not every character
            depth += 1 if bracket.group() in "([{" else -1
            if not depth:
                return text[start:bracket.start()]
        return text[start:end]

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
        # one C-level search for the places ``name`` is followed by ``=`` (not ``==``), instead of a look at every
        # occurrence of the name; then what precedes it on its line: nothing, ``export``, ``-`` or ``self.``
        text = self.text
        pattern = re.compile(rf"{re.escape(name)}(?=[ \t]*(?::[^=\n]{{0,40}})?=(?!=))")
        for hit in pattern.finditer(text):
            i = hit.start()
            if text[self._line_start(i):i].strip() not in ("", "export", "-", "self."):
                continue
            m = ASSIGN_TAIL.match(text, hit.end())
            if m and self.kind == "python" and self._in_parameters(i):
                m = None  # a parameter's default: the value when the caller passes none, not a binding
            if m is not None:
                rest = m.group("rest")
                lit = LITERAL.match(rest) or (SHELL_WORD.match(rest) if shell else None)
                found.append((i, self._scope(i) if self.kind == "python" else -1, lit.group("v") if lit else None))
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
