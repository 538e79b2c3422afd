"""The ``compliance`` command line's entry point, ``main()``.

The pre-commit hook's invocation (``compliance scan [--policy P] [--date D] FILE...``) is answered by
:mod:`compliance.hook` from the precomputed verdicts without importing click, yaml or the validated models; when
it cannot answer (another command or option, a cold cache, any doubt) the click group in :mod:`compliance.cli_group`
runs, whose commands are imported only when invoked. Every error a user can cause ends as one line on stderr and
exit code 2; a bug ends as one line and exit code 3 (``COMPLIANCE_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

import sys

from .stdio import SIGPIPE_EXIT, tolerant_stdout  # noqa: F401 - SIGPIPE_EXIT: public name, as before


def __getattr__(name: str):
    """``compliance.cli.cli`` (the click group) and ``COMMAND_MODULES``, imported on first use."""
    if name in ("cli", "COMMAND_MODULES", "COMMANDS"):
        from . import cli_group

        return getattr(cli_group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and, as a console script, exit with) the exit code."""
    tolerant_stdout()
    from .hook import fast_scan

    code = fast_scan(sys.argv[1:] if argv is None else list(argv))
    if code is None:
        from .cli_group import invoke

        code = invoke(argv)
    if argv is None:
        sys.exit(code)
    return code
