"""`secession data ...` (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Mount this module's commands on the root app."""
