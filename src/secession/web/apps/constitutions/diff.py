"""The difference between two constitution texts (difflib), as rows for a template."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap" (unchanged lines left out)
    text: str


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """Line diff of ``old`` -> ``new`` with ``context`` unchanged lines around changes.

    Unchanged lines left out are marked by one ``gap`` row saying where the text goes on
    (a plain sentence, not the ``@@`` header of a unified diff).
    """
    out: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            match = _HUNK.match(line)
            start = int(match.group(1)) if match else 0
            if start > 1:
                out.append(DiffLine("gap", f"… unchanged lines left out; line {start}:"))
        elif line.startswith("+"):
            out.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("removed", line[1:]))
        else:
            out.append(DiffLine("same", line[1:]))
    return out
