"""Create the folder a command writes its results to, or say plainly why it cannot."""

from __future__ import annotations

from pathlib import Path

from secession.exceptions import DataError


def make_output_dir(out_dir: str | Path) -> Path:
    """Create ``out_dir`` (and its parents) if needed and return it as a :class:`Path`.

    Raises :class:`DataError` naming the folder when it cannot be created (a file in the
    way, no permission, a read-only disk).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataError(f"{out}: cannot write the output folder ({reason})") from None
    return out
