"""Files of the npm packages the project installs (``package.json``), found offline.

The browser libraries and the world base map come from npm packages installed beside the
project by ``scripts/setup.sh`` (``npm ci``). They are read from disk at run time, never
fetched: :func:`npm_file` names the package to install when a file is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from secession.exceptions import DataMissingError

NODE_MODULES_ENV = "SECESSION_NODE_MODULES"
_PROJECT = Path(__file__).resolve().parents[2]


def node_modules_dirs() -> list[Path]:
    """Where npm packages are looked for, in order: ``$SECESSION_NODE_MODULES``, the
    project's own ``node_modules`` (a source checkout), ``./node_modules``."""
    found: list[Path] = []
    if os.environ.get(NODE_MODULES_ENV):
        found.append(Path(os.environ[NODE_MODULES_ENV]).expanduser())
    found += [_PROJECT / "node_modules", Path.cwd() / "node_modules"]
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def npm_file(package: str, relative: str) -> Path:
    """Return ``relative`` inside the installed npm ``package``.

    Raises :class:`DataMissingError` naming the package and how to install it."""
    for base in node_modules_dirs():
        path = base / package / relative
        if path.is_file():
            return path
    looked = ", ".join(str(p) for p in node_modules_dirs())
    raise DataMissingError(
        f"{relative} of the npm package {package!r} not found (looked in {looked}). "
        f"Install it with `npm ci` in the project folder (or `npm install {package}`), "
        f"or point {NODE_MODULES_ENV} at a node_modules folder that holds it."
    )
