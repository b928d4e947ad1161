"""Messages shown to people never name a file on the server.

:func:`public_message` replaces the server's own folders (the data folder, the platform's
data folder, the installed package, Python's prefix, the home and temporary folders) in a
message with a neutral word; the full message stays in the server's log.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

SHOWN = "[server file]"


@lru_cache(maxsize=1)
def _roots() -> tuple[str, ...]:
    import secession

    roots = {
        os.environ.get("SECESSION_DATA", ""),
        os.environ.get("SECESSION_WEB_DIR", ""),
        os.environ.get("SECESSION_CACHE", ""),
        str(Path(secession.__file__).resolve().parents[1]),
        sys.prefix,
        sys.base_prefix,
        tempfile.gettempdir(),
        str(Path.home()),
        os.getcwd(),
    }
    # longest first, so a folder inside another is replaced whole
    return tuple(sorted((r.rstrip("/") for r in roots if len(r) > 1), key=len, reverse=True))


def public_message(text: str) -> str:
    """``text`` with every path under a server folder replaced by ``[server file]``."""
    for root in _roots():
        if root in text:
            text = re.sub(re.escape(root) + r"(/[^\s'\"),;]*)?", SHOWN, text)
    return text
