"""What each command can write, by name: the one list ``--format`` choices are built from.

Imports nothing but the standard library, so building the command line (``compliance --help``, the pre-commit
hook) loads no renderer. Each entry names the module and function that renders it; :func:`load` imports them.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    module: str  #: absolute module path of the renderer
    function: str
    suffixes: tuple[str, ...] = ()
    binary: bool = False  #: renders bytes (written to a file, never to a terminal)
    namespaced: bool = True  #: SBOM only: takes namespace_base


def _table(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


TEXT_JSON = _table(  # licenses, explain, identify, inspect, check, query
    Format("text", "Text", "", ""),
    Format("json", "JSON", "", ""),
)

REPORT = _table(
    Format("pdf", "PDF", "compliance.formats.pdf", "render_pdf", (".pdf",), binary=True),
    Format("html", "HTML", "compliance.formats.html", "render_html", (".html", ".htm")),
    Format("markdown", "Markdown", "compliance.formats.markdown", "render_markdown", (".md", ".markdown")),
    Format("json", "JSON", "compliance.report", "report_json", (".json",)),
)

SCAN = _table(
    Format("text", "Text", "compliance.formats.scan", "scan_text"),
    Format("json", "JSON", "compliance.formats.scan", "scan_json", (".json",)),
    Format("sarif", "SARIF 2.1.0", "compliance.formats.scan", "scan_sarif", (".sarif", ".sarif.json")),
    Format("github", "GitHub workflow commands", "compliance.formats.scan", "scan_github"),
)

SBOM = _table(
    Format("spdx-json", "SPDX 2.3 JSON", "compliance.sbom.spdx2", "render_json", (".spdx.json",)),
    Format("spdx-tv", "SPDX 2.3 tag-value", "compliance.sbom.spdx2", "render_tagvalue", (".spdx", ".spdx.tv")),
    Format("spdx3-jsonld", "SPDX 3.0.1 JSON-LD (AI profile)", "compliance.sbom.spdx3", "render",
           (".spdx3.json", ".jsonld", ".spdx3.jsonld")),
    Format("cyclonedx-json", "CycloneDX 1.6 JSON", "compliance.sbom.cyclonedx", "render", (".cdx.json", ".bom.json"),
           namespaced=False),
)

REGISTRIES: dict[str, dict[str, Format]] = {"text-json": TEXT_JSON, "report": REPORT, "scan": SCAN, "sbom": SBOM}


def names(registry: dict[str, Format]) -> list[str]:
    return list(registry)


def load(fmt: Format) -> Callable[..., Any]:
    """The renderer function of ``fmt`` (imported now, not when the command line is built)."""
    if not fmt.module:
        raise LookupError(f"format {fmt.name!r} is rendered by its command, not by a registered function")
    return getattr(importlib.import_module(fmt.module), fmt.function)


def for_path(registry: dict[str, Format], path: str) -> str | None:
    """The format a file name asks for by its suffix (longest suffix wins), or None."""
    lower = str(path).lower()
    best = None
    for fmt in registry.values():
        for suffix in fmt.suffixes:
            if lower.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), fmt.name)
    return best[1] if best else None
