"""The ``secession`` command line (Typer)."""

from secession.cli.app import app, main

__all__ = ["app", "main"]
