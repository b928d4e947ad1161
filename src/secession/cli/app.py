"""Root Typer app: mounts each command group and turns package errors into clean exits."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.console import Console

from secession.cli.flags import to_flags
from secession.exceptions import SecessionError

app = typer.Typer(
    name="secession",
    help="Plan borders from real election results, hold referendums, run self-governing "
    "communities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module owns its commands and imports heavy libraries (numpy, geopandas, matplotlib,
# the solvers, Django) only inside them, so ``--help`` stays fast; tests/test_cli_imports.py
# holds that. Web commands mount only when Django is installed (the ``web`` extra), which is
# looked up without importing it.
_COMMAND_MODULES = [
    "secession.cli.data",
    "secession.cli.plan",
    "secession.cli.scenario",
    "secession.cli.referendum",
    "secession.cli.maps",
    "secession.cli.world",
    "secession.cli.audit",  # checking a published log needs no Django (--url)
    "secession.cli.ballots",
]
_WEB_MODULES = ["secession.cli.web", "secession.cli.backup", "secession.cli.publish"]


def _mount() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(app)
    if importlib.util.find_spec("django") is None:
        return
    for name in _WEB_MODULES:
        importlib.import_module(name).register(app)


_mount()


@app.callback()
def _root() -> None:
    """Plan borders from real election results, hold referendums, run communities."""


@app.command()
def version() -> None:
    """Print the package version."""
    from secession import __version__

    typer.echo(__version__)


def run(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` and return the exit code (used by tests in-process).

    A :class:`SecessionError` becomes a one-line message on stderr (parameter names turned
    into flags by :func:`secession.cli.flags.to_flags`) and its exit code;
    usage errors print Click's usage message. Anything else is a bug and propagates.
    """
    err_console = Console(stderr=True)
    try:
        result = app(args=argv, standalone_mode=False, prog_name="secession")
    except SecessionError as exc:
        message = to_flags(str(exc))  # the library names parameters; the user typed flags
        err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 1
    except Exception as exc:
        # Click's usage errors (Typer vendors Click, so match by behaviour, not by class).
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return int(exc.exit_code)
        raise
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
