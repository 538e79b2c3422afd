"""SPDX license expressions where a license is declared: a card's ``license:``, a file's
``SPDX-License-Identifier:`` header, an SBOM's declared license.

``MIT AND CC-BY-4.0``: both apply. ``Apache-2.0 OR MIT``: the licensee may choose; the evaluation takes the
most favourable option the policy allows and says which. ``GPL-2.0-only WITH Classpath-exception-2.0``: the
license with an exception that only grants more; the license's terms are kept and the exception is named.

:func:`options` flattens an expression into its choices, each a conjunction of licenses: ``(A AND B) OR C``
gives ``[(A, B), (C,)]``. Parsing uses the maintained ``license-expression`` package, imported only when a
declared value contains an operator.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import InputError

_OPERATOR = re.compile(r"\s(?:AND|OR|WITH)\s|[()]", re.IGNORECASE)
_HEADER = re.compile(r"SPDX-License-Identifier:\s*(?P<expr>[^\n\r*]+?)\s*(?:\*/|-->|#}|$)", re.MULTILINE)
MAX_OPTIONS = 16


@dataclass(frozen=True)
class Term:
    """One license of an expression: its key as written and the exception it is granted ``WITH``."""

    key: str
    exception: str | None = None

    def __str__(self) -> str:
        return self.key + (f" WITH {self.exception}" if self.exception else "")


def is_expression(value: str) -> bool:
    return bool(_OPERATOR.search(f" {value} "))


def header(text: str) -> str | None:
    """The expression of the first ``SPDX-License-Identifier:`` line in the first 40 lines of a file."""
    m = _HEADER.search("\n".join(text.splitlines()[:40]))
    return m.group("expr").strip() if m else None


@functools.cache
def licensing():
    """license_expression's SPDX licensing, built once: building it reads the whole license index (~0.2 s)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def options(expression: str) -> list[tuple[Term, ...]]:
    """The choices an expression offers, each the licenses that all apply together."""
    from license_expression import AND, OR, ExpressionError, LicenseWithExceptionSymbol

    try:
        tree = licensing().parse(expression, validate=False)
    except ExpressionError as exc:
        raise InputError(f"not a valid SPDX license expression: {expression!r} ({exc})") from None
    if tree is None:
        raise InputError(f"empty SPDX license expression: {expression!r}")

    def walk(node) -> list[tuple[Term, ...]]:
        if isinstance(node, OR):
            out = [opt for arg in node.args for opt in walk(arg)]
        elif isinstance(node, AND):
            out = [()]
            for arg in node.args:
                out = [a + b for a in out for b in walk(arg)]
        elif isinstance(node, LicenseWithExceptionSymbol):
            out = [(Term(node.license_symbol.key, node.exception_symbol.key),)]
        else:
            out = [(Term(node.key),)]
        if len(out) > MAX_OPTIONS:
            raise InputError(f"SPDX license expression {expression!r} has more than {MAX_OPTIONS} choices")
        return out

    return [tuple(dict.fromkeys(opt)) for opt in walk(tree)]


def known_options(opts: list[tuple[Term, ...]], lookup) -> tuple[list[tuple[str, ...]], list[str]]:
    """(each option's knowledge-base ids, in order and without repeats, for the options whose every term
    ``lookup`` knows; the first unknown term of each other option). ``lookup(key)`` gives a record or None."""
    resolved: list[tuple[str, ...]] = []
    unresolved: list[str] = []
    for opt in opts:
        ids = []
        for term in opt:
            lic = lookup(term.key)
            if lic is None:
                unresolved.append(term.key)
                break
            ids.append(lic.id)
        else:
            resolved.append(tuple(dict.fromkeys(ids)))
    return resolved, unresolved
