"""The audit report as GitHub Flavored Markdown, from ``reports/report.md.j2``.

Rendered in the same Jinja2 environment as the HTML report (see :mod:`compliance.formats.html`), where every
value written into a ``*.md.j2`` template is escaped by :func:`~compliance.formats.html.md_escape`. The output is
deterministic: the same report gives the same text (golden-file tests hold it).
"""
from __future__ import annotations

import re

from .html import environment, md_escape

__all__ = ["md_escape", "render_markdown"]


def render_markdown(report) -> str:
    text = environment().get_template("report.md.j2").render(r=report)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text)  # templates leave blank runs where optional parts are absent
    return text.strip() + "\n"
