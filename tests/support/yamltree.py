"""Every string in a parsed YAML document, for the checks that no record copies a licence text."""
from __future__ import annotations

from collections.abc import Iterator


def strings(node) -> Iterator[str]:
    """The strings of ``node`` (a value of ``yaml.safe_load``), depth first: mapping values and list items."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
