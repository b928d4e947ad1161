"""Root Typer app: mounts each command group and turns package errors into clean exits."""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from secession.exceptions import SecessionError

app = typer.Typer(
    name="secession",
    help="Plan borders from real election results, hold referendums, run self-governing "
    "communities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, attribute) pairs; each module owns its commands. Web commands mount only when
# Django is installed (the ``web`` extra).
_COMMAND_MODULES = [
    "secession.cli.data",
    "secession.cli.plan",
    "secession.cli.scenario",
    "secession.cli.referendum",
    "secession.cli.maps",
    "secession.cli.audit",  # checking a published log needs no Django (--url)
    "secession.cli.ballots",
]
_WEB_MODULES = ["secession.cli.web", "secession.cli.backup"]


def _mount() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(app)
    for name in _WEB_MODULES:
        try:
            import django  # noqa: F401
        except ImportError:
            continue
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

    A :class:`SecessionError` becomes a one-line message on stderr and its exit code;
    usage errors print Click's usage message. Anything else is a bug and propagates.
    """
    err_console = Console(stderr=True)
    try:
        result = app(args=argv, standalone_mode=False, prog_name="secession")
    except SecessionError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
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
