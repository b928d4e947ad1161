"""Where the platform keeps its files: ``SECESSION_WEB_DIR`` or the XDG data folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

WEB_DIR_ENV = "SECESSION_WEB_DIR"


def web_dir() -> Path:
    """Return (and create) the data folder holding the SQLite database and the secret key."""
    explicit = os.environ.get(WEB_DIR_ENV)
    if explicit:
        path = Path(explicit).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "secession"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_secret_key(folder: Path) -> str:
    """Read the secret key kept in ``folder``, generating it on first use (mode 0600)."""
    path = folder / "secret_key.txt"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
