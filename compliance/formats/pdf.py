"""The audit report as PDF: the HTML report laid out by WeasyPrint. The only module that imports weasyprint.

Card and license content is untrusted, so WeasyPrint gets a URL fetcher that refuses every scheme but ``data:``:
an ``<img src="file:///etc/passwd">`` or a remote stylesheet that slipped into the HTML reads and fetches
nothing. The PDF is tagged (PDF/UA-1: structure a screen reader can follow, document title and language),
its fonts are embedded subsets, and it is deterministic: the only dates in it are the evaluation date
(``dcterms.created``) and the file identifier is a hash of the HTML, so the same inputs give the same bytes.
"""
from __future__ import annotations

import gc
import hashlib
import logging


class RefusedURL(ValueError):
    """A URL the report renderer will not fetch."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """Fetches ``data:`` URLs and refuses everything else (no network, no ``file://``).

        Each refusal is recorded in ``refused`` so tests (and a curious user) can see what was asked for.
        """

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
            if scheme != "data":
                self.refused.append(url)
                raise RefusedURL(f"the report renderer fetches only data: URLs, not {url[:80]!r}")
            return super().fetch(url, headers)

    return DataOnlyFetcher


def make_fetcher():
    return _fetcher_class()()


def html_to_pdf(html: str, *, fetcher=None) -> bytes:
    """Lay out a self-contained HTML document as a tagged, deterministic PDF."""
    import weasyprint

    fetcher = fetcher or make_fetcher()
    logger = logging.getLogger("weasyprint")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # refused URLs and unsupported CSS are warnings, not the user's problem
    collecting = gc.isenabled()
    gc.disable()  # layout makes millions of short-lived objects; the cycle collector would re-scan them (~30 %)
    try:
        document = weasyprint.HTML(string=html, base_url="data:,", url_fetcher=fetcher).render(
            pdf_variant="pdf/ua-1")
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier.encode(), uncompressed_pdf=False)
    finally:
        logger.setLevel(previous)
        if collecting:
            gc.enable()


def render_pdf(report, *, paper: str | None = None) -> bytes:
    from .html import render_html

    return html_to_pdf(render_html(report, paper=paper))
