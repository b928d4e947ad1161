"""The browser files of the ballot module, for any page that encrypts ballots.

:func:`served_files` gives each file a page serves, by name, from this package
(``ballot.js``) and from the installed npm packages (libsodium's ES modules; never a CDN).
The modules import each other by package name (``libsodium-wrappers-sumo``,
``libsodium-sumo``); served side by side under one prefix, those imports are rewritten to
the neighbouring files, so a page needs no import map and no inline script (a strict
Content-Security-Policy stays possible).
"""

from __future__ import annotations

from pathlib import Path

from secession.assets import npm_file

MODULE = Path(__file__).with_name("js") / "ballot.js"
WRAPPERS = ("libsodium-wrappers-sumo", "dist/modules-sumo-esm/libsodium-wrappers.mjs")
SUMO = ("libsodium-sumo", "dist/modules-sumo-esm/libsodium-sumo.mjs")
#: served name -> (where the file is, the bare imports in it and what they become)
_FILES = {
    "ballot.js": (None, {'from "libsodium-wrappers-sumo"': 'from "./libsodium-wrappers.mjs"'}),
    "libsodium-wrappers.mjs": (WRAPPERS, {'from"libsodium-sumo"': 'from"./libsodium-sumo.mjs"'}),
    "libsodium-sumo.mjs": (SUMO, {}),
}


def module_files() -> dict[str, Path]:
    """Served name -> file on disk (names the npm package to install when missing)."""
    return {
        name: MODULE if where is None else npm_file(*where) for name, (where, _) in _FILES.items()
    }


def served_files() -> dict[str, bytes]:
    """Served name -> content, its package imports pointing at the neighbouring files."""
    out = {}
    for name, path in module_files().items():
        text = path.read_text(encoding="utf-8")
        for bare, relative in _FILES[name][1].items():
            if bare not in text:
                raise RuntimeError(f"{path}: expected the import {bare!r} (package changed?)")
            text = text.replace(bare, relative)
        out[name] = text.encode("utf-8")
    return out
