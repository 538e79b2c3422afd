"""The audit report as HTML, and the one Jinja2 environment every report template renders in.

Templates and CSS live in ``reports/`` (found through :func:`compliance.resources.reports_dir`). The environment
autoescapes and uses StrictUndefined, so a value a template forgets to escape is still escaped, and a missing
value is an error rather than an empty cell. Markdown templates (``*.md.j2``) get Markdown escaping instead of
HTML escaping for every value, through ``finalize``: card and license content is untrusted, and one escape
function (:func:`md_escape`) is the only place that decides how a value is written into Markdown.
"""
from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from ..report import DECISION_MARKS, DECISION_WORDS, SOURCES
from ..resources import reports_dir

# Characters that start inline Markdown/HTML constructs anywhere in a line (GitHub Flavored Markdown: tables,
# emphasis, code, links, strikethrough, autolinks, entities, raw HTML).
_MD_INLINE = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|", "~": "\\~",
              "<": "&lt;", ">": "&gt;", "&": "&amp;", "!": "\\!", "{": "\\{", "}": "\\}", "$": "\\$"}
# Block constructs only matter at the start of a value (a value may open a list item, a table cell or a line):
# headings, block quotes, bullets, thematic breaks, setext underlines, ordered-list numbers ("1." / "1)").
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d{1,9})([.)])(?=\s|$))")


def _block_start(m: re.Match) -> str:
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def md_escape(value: object) -> Markup:
    """Any value as one line of inert Markdown text: renders as the same characters on GitHub, in a table cell,
    a list item or a heading, and never as markup, a link, an image, raw HTML or a table column break."""
    if isinstance(value, Markup):
        return value
    text = re.sub(r"\s+", " ", "—" if value is None else str(value))
    text = "".join(_MD_INLINE.get(ch, ch) for ch in text)
    return Markup(_MD_BLOCK_START.sub(_block_start, text))


def md_block(value: str, info: str = "") -> Markup:
    """A fenced code block holding ``value`` verbatim, with a fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{info}\n{value.rstrip()}\n{fence}")


def css_string(value: object) -> Markup:
    """A CSS string literal for generated content (the running header): every character that is not a letter,
    digit, space or simple punctuation is a CSS hex escape, so nothing can close the string or the <style>."""
    out = []
    for ch in str(value):
        if ch.isascii() and (ch.isalnum() or ch in " .,:;-_()/+@"):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x} ")  # the space ends the escape and is consumed by it
    return Markup('"' + "".join(out) + '"')


def _finalize(context, value):
    if value is None:
        value = "—"
    if context.name and context.name.endswith(".md.j2"):
        return md_escape(value)
    return value


@functools.cache
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(reports_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=jinja2.pass_context(_finalize),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_block"] = md_block
    env.filters["css_string"] = css_string
    env.globals["clause"] = clause
    env.globals["WORDS"] = DECISION_WORDS
    env.globals["SOURCES"] = SOURCES
    env.globals["MARKS"] = DECISION_MARKS
    return env


def clause(license_id: str | None, section: str | None) -> str:
    """How a clause is cited: "llama-4 § 1.b.i"; "§ 1.b.i" when the license is already named; "publisher registry"."""
    if license_id and section:
        return f"{license_id} § {section}"
    if section and section[:1].isdigit():
        return f"§ {section}"
    return license_id or section or ""


def stylesheet() -> Markup:
    """The report's CSS (trusted, shipped in reports/), inlined so the HTML is one self-contained file."""
    return Markup((reports_dir() / "report.css").read_text(encoding="utf-8"))


def render_html(report, *, paper: str | None = None) -> str:
    """The report as one self-contained HTML document (the PDF renderer's input too)."""
    paper = paper or report.paper
    if paper not in ("A4", "letter"):
        raise ValueError(f"unknown paper size {paper!r}")
    return environment().get_template("report.html.j2").render(r=report, css=stylesheet(), paper=paper, escape=escape)
