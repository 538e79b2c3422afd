"""The ``compliance`` command line: the group, the registration of the commands and ``main()``.

Every command lives in ``compliance/commands/<noun>.py`` (listed in :data:`COMMAND_MODULES`) and keeps its heavy
imports (weasyprint, huggingface_hub, spdx_tools, the pydantic models) inside the command body, so
``compliance --help`` and the pre-commit hook start fast. Every error a user can cause ends as one line on stderr
and exit code 2; a bug ends as one line and exit code 3 (``COMPLIANCE_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

import errno
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


SIGPIPE_EXIT = 141  #: 128 + SIGPIPE: the reader closed the pipe before the command finished (as `yes | head`)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and, as a console script, exit with) the exit code."""
    code: int | None = None
    _tolerant_stdout()
    try:
        try:
            code = cli.main(args=argv, prog_name="compliance", standalone_mode=False)
        except SystemExit:  # click turns EPIPE on standard output into exit(1), wrapping the streams
            if type(sys.stdout).__name__ != "_PacifyFlushWrapper":
                raise
            sys.stdout = getattr(sys.stdout, "wrapped", sys.stdout)
            sys.stderr = getattr(sys.stderr, "wrapped", sys.stderr)
            raise BrokenPipeError(errno.EPIPE, "Broken pipe") from None
        sys.stdout.flush()  # a full disk or a closed pipe surfaces here, once the exit code is decided
    except click.exceptions.Abort:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.INPUT
    except ComplianceError as exc:
        click.echo(f"compliance: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:  # `compliance … | head`: quiet, as Unix tools are
        _silence_stdout()
        code = code if code is not None else SIGPIPE_EXIT
    except KeyboardInterrupt:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except OSError as exc:
        if code is None and not _from_stdout(exc):
            code = _internal(exc)
        else:  # a full disk, a device error: the output is cut short, so the run failed
            _silence_stdout()
            click.echo(f"compliance: cannot write to standard output: {exc.strerror or exc}", err=True)
            code = ExitCode.INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into exit code 3
        code = _internal(exc)
    code = int(code or 0)
    if argv is None:
        sys.exit(code)
    return code


def _tolerant_stdout() -> None:
    """A file name that is not UTF-8 (a lone surrogate in Python) prints as U+FFFD instead of crashing."""
    from .fileio import UNENCODABLE

    for stream in (sys.stdout, sys.stderr):
        try:
            if (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8":
                stream.reconfigure(errors=UNENCODABLE)
        except (AttributeError, ValueError, OSError):
            pass


def _internal(exc: Exception) -> int:
    if os.environ.get("COMPLIANCE_DEBUG"):
        raise exc
    click.echo(f"compliance: internal error: {type(exc).__name__}: {exc} (set COMPLIANCE_DEBUG=1 for details)",
               err=True)
    return ExitCode.INTERNAL


def _from_stdout(exc: BaseException) -> bool:
    """Whether an OSError was raised while writing standard output (click's echo or our write_stdout)."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if (code.co_name == "echo" and code.co_filename.replace("\\", "/").endswith("click/utils.py")) or \
                (code.co_name == "write_stdout" and code.co_filename.endswith("fileio.py")):
            return True
        tb = tb.tb_next
    return False


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the interpreter's final flush of what is still buffered cannot fail
    again (which would print a traceback-like warning and change the exit code to 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
