"""Documents and notebooks as the matcher sees them: only their code.

Markdown, MDX, Quarto and reStructuredText: fenced code blocks (and reStructuredText ``code-block`` / ``::``
literal blocks) are code, because users copy them; front matter (a model card's ``base_model:``, ``datasets:``)
is YAML; prose, inline code and links are mentions, not findings. Everything that is not code becomes an empty
line, so line and column numbers stay those of the file.

Notebooks: the source of code cells (``!`` shell lines included); never outputs, never Markdown cells.
"""
from __future__ import annotations

import json
import re

FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
RST_DIRECTIVE = re.compile(r"^[ \t]*\.\.[ \t]+(?:code-block|code|sourcecode|highlight)::")


def markdown_code(text: str, *, rst: bool = False) -> str:
    """``text`` with every line that is not code (or front matter) blanked."""
    lines = text.split("\n")
    out = [""] * len(lines)
    i = 0
    if lines and lines[0].strip() == "---":  # front matter
        for j in range(1, min(len(lines), 2000)):
            if lines[j].strip() in ("---", "..."):
                out[1:j] = lines[1:j]
                i = j + 1
                break
    fence = None
    literal_indent = None
    pending_literal = False
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip()[len(fence):].strip():
                fence = None
            else:
                out[i] = line
        elif literal_indent is not None:
            if not line.strip():
                pass
            elif len(line) - len(line.lstrip()) > literal_indent:
                out[i] = line
            else:
                literal_indent = None
                continue
        else:
            m = FENCE.match(line)
            if m and not rst:
                fence = m.group("fence")
            elif rst and (RST_DIRECTIVE.match(line) or (line.rstrip().endswith("::") and not line.lstrip().startswith(".."))):
                pending_literal = True
                literal_indent = len(line) - len(line.lstrip())
                if RST_DIRECTIVE.match(line):
                    i += 1
                    while i < len(lines) and lines[i].strip().startswith(":"):  # directive options
                        i += 1
                    continue
        i += 1
    del pending_literal
    return "\n".join(out)


def notebook_cells(raw: str) -> list[tuple[str, list[int]]] | None:
    """(source, raw line of each source line) for every code cell; None when ``raw`` is not a notebook."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    found = []
    cursor = 0
    key = re.compile(r'(?<!\\)"source"\s*:')
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        m = key.search(raw, cursor)
        source_line = raw.count("\n", 0, m.start()) + 1 if m else 1
        if m:
            cursor = m.end()
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            parts = [s for s in source if isinstance(s, str)]
            text = "".join(parts)
            # nbformat writes one list element per line after '"source": ['
            lines = []
            for n, part in enumerate(parts):
                lines.extend([source_line + 1 + n] * max(1, part.count("\n") + (0 if part.endswith("\n") else 1)))
            if not parts:
                continue
        elif isinstance(source, str):
            text = source
            lines = [source_line] * (source.count("\n") + 1)
        else:
            continue
        found.append((text, lines))
    return found
