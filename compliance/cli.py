"""The ``compliance`` command line: the group, the registration of the commands and ``main()``.

Every command lives in ``compliance/commands/<noun>.py`` (listed in :data:`COMMAND_MODULES`) and keeps its heavy
imports (weasyprint, huggingface_hub, spdx_tools, the pydantic models) inside the command body, so
``compliance --help`` and the pre-commit hook start fast. Every error a user can cause ends as one line on stderr
and exit code 2; a bug ends as one line and exit code 3 (``COMPLIANCE_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from . import __version__
from .errors import ComplianceError, ExitCode

#: Command modules, each exposing ``COMMANDS`` (click commands or groups); the order is the help's order.
COMMAND_MODULES = ("licenses", "models", "check", "policy", "report", "sbom", "scan")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="compliance")
def cli() -> None:
    """License and procurement compliance for open-weight AI models.

    Exit codes: 0 ok, 1 policy violation, 2 usage or input error, 3 internal error.
    """


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__package__}.commands.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and, as a console script, exit with) the exit code."""
    try:
        code = cli.main(args=argv, prog_name="compliance", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.INPUT
    except ComplianceError as exc:
        click.echo(f"compliance: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        code = ExitCode.OK
    except KeyboardInterrupt:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into exit code 3
        if os.environ.get("COMPLIANCE_DEBUG"):
            raise
        click.echo(f"compliance: internal error: {type(exc).__name__}: {exc} (set COMPLIANCE_DEBUG=1 for details)",
                   err=True)
        code = ExitCode.INTERNAL
    code = int(code or 0)
    if argv is None:
        sys.stdout.flush()
        sys.exit(code)
    return code
