"""How every benchmark script ends: a user mistake (a data folder that is missing, a file
that does not parse) prints its message and exits with status 1, not a traceback."""

from __future__ import annotations

from collections.abc import Callable

from secession.exceptions import SecessionError


def run_script(main: Callable[[], int | None]) -> None:
    """Run a script's ``main`` and exit with its status."""
    try:
        status = main()
    except SecessionError as exc:
        raise SystemExit(f"error: {exc}") from None
    raise SystemExit(status)
