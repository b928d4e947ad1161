"""Progress shown with rich on stderr: a spinner per step, a bar for sweeps, quiet in tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class Steps:
    """Report long steps: ``with steps.step("solving"):`` and ``with steps.bar(...) as tick:``.

    Each finished step prints one line with its time, so a log keeps the story even when
    the terminal cannot animate.
    """

    def __init__(self, console: Console | None = None, *, quiet: bool = False) -> None:
        if console is None:
            console = Console(stderr=True)
            if not console.is_terminal:  # a log file: no need to wrap at 80 columns
                console = Console(stderr=True, width=120)
        self.console = console
        self.quiet = quiet

    def _progress(self, *bar: object) -> Progress:
        return Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            *bar,
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )

    @contextmanager
    def step(self, text: str) -> Iterator[None]:
        if self.quiet:
            yield
            return
        start = time.perf_counter()
        with self._progress() as prog:
            prog.add_task(text, total=None)
            yield
        self.console.print(f"[green]✓[/] {text} [dim]({time.perf_counter() - start:.1f} s)[/]")

    @contextmanager
    def bar(self, text: str, total: int) -> Iterator[Callable[[], None]]:
        if self.quiet:
            yield lambda: None
            return
        start = time.perf_counter()
        with self._progress(BarColumn(), MofNCompleteColumn()) as prog:
            task = prog.add_task(text, total=total)
            yield lambda: prog.advance(task)
        self.console.print(f"[green]✓[/] {text} [dim]({time.perf_counter() - start:.1f} s)[/]")
