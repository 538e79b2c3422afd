"""The click group of the ``compliance`` command line: commands imported only when invoked, the help listing them
without importing any, and click's errors mapped to exit codes.

Every command lives in ``compliance/commands/<module>.py`` (exposing ``COMMANDS``) and keeps its heavy imports
(weasyprint, huggingface_hub, spdx_tools, the pydantic models) inside the command body. :data:`COMMANDS` names each
command's module and the first sentence of its help, so ``compliance --help`` lists every command with its short
help and imports none of them (click's documented LazyGroup pattern; a test keeps the table equal to the commands).
``compliance.cli.main`` is the entry point; it runs :func:`invoke` for everything the hook's fast path does not answer.
"""
from __future__ import annotations

import errno
import importlib
import os
import sys

import click

from . import __version__
from .errors import ComplianceError, ExitCode
from .stdio import SIGPIPE_EXIT, from_stdout, silence_stdout

#: command name -> (its module in compliance/commands, the first sentence of its help: what ``--help`` shows)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "Judge each model against the policy: allow, review or deny, every reason traced to a clause, "
                       "and the obligations the organization must meet."),
    "explain": ("licenses", "Show a license record with every term and its clause (SUBJECT: id, SPDX id, Hugging Face "
                            "id or alias), or, with --policy, walk one model's decision rule by rule."),
    "identify": ("licenses", "Say which known license each FILE is (LICENSE, USE_POLICY, NOTICE…), how sure, why, and "
                             "the terms it states."),
    "inspect": ("models", "Resolve each model reference and print what was found: source and revision of every fact, "
                          "publisher and country, declared and identified licenses, modality, the lineage with each "
                          "ancestor's license, and inconsistencies."),
    "kb": ("licenses", "The embedded knowledge base (maintainers)."),
    "licenses": ("licenses", "List the licenses in the embedded knowledge base."),
    "lock": ("scan", "Write compliance.lock: every model referenced under PATHS (default .), its resolved revision, "
                     "license ids, SHA-256 of each license text read, and the decision with the policy's hash."),
    "policy": ("policy", "Organization policy files."),
    "query": ("check", "Which catalog models may we use, and why not: every model in the embedded catalog with its "
                       "decision under the policy and the main reason, filtered and sorted."),
    "report": ("report", "Write an audit report a legal reviewer can sign: cover with the overall result and a sign-off "
                         "block, summary table, every model with its identity, lineage, findings and clauses, waivers, "
                         "the obligations checklist deduplicated across models, and the policy and knowledge-base "
                         "records cited."),
    "sbom": ("sbom", "Export REFERENCES (models, as for 'inspect') with their lineage as an SBOM: SPDX 2.3 (JSON or "
                     "tag-value), SPDX 3.0.1 JSON-LD with the AI profile, or CycloneDX 1.6 JSON."),
    "scan": ("scan", "Find model references in code, configuration and docs' code blocks (PATHS: files or folders, "
                     "default .) and judge each like `compliance check`: grouped by model with decision, reason and "
                     "locations."),
}
#: Command modules, each exposing ``COMMANDS`` (click commands or groups).
COMMAND_MODULES = tuple(dict.fromkeys(module for module, _ in COMMANDS.values()))


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; the help's command list comes from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in COMMANDS:
                self.load(COMMANDS[cmd_name][0])
            else:  # a command a module added without a line in COMMANDS still runs (a test flags the omission)
                self.load_all()
        return self.commands.get(cmd_name)

    def load(self, module_name: str) -> None:
        module = importlib.import_module(f"{__package__}.commands.{module_name}")
        for command in module.COMMANDS:
            self.commands.setdefault(command.name, command)

    def load_all(self) -> None:
        for module_name in COMMAND_MODULES:
            self.load(module_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, with a stand-in carrying the table's summary for every command not imported yet."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="compliance")
def cli() -> None:
    """License and procurement compliance for open-weight AI models.

    Exit codes: 0 ok, 1 policy violation, 2 usage or input error, 3 internal error.
    """


def invoke(argv: list[str] | None) -> int:
    """Run the click group on ``argv`` (None: ``sys.argv``) and return the exit code; every error a user can
    cause ends as one line on stderr and exit code 2, a bug as one line and exit code 3."""
    code: int | None = None
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
        silence_stdout()
        code = code if code is not None else SIGPIPE_EXIT
    except KeyboardInterrupt:
        click.echo("compliance: interrupted", err=True)
        code = ExitCode.INPUT
    except OSError as exc:
        if code is None and not from_stdout(exc):
            code = _internal(exc)
        else:  # a full disk, a device error: the output is cut short, so the run failed
            silence_stdout()
            click.echo(f"compliance: cannot write to standard output: {exc.strerror or exc}", err=True)
            code = ExitCode.INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into exit code 3
        code = _internal(exc)
    return int(code or 0)


def _internal(exc: Exception) -> int:
    if os.environ.get("COMPLIANCE_DEBUG"):
        raise exc
    click.echo(f"compliance: internal error: {type(exc).__name__}: {exc} (set COMPLIANCE_DEBUG=1 for details)",
               err=True)
    return ExitCode.INTERNAL
