"""The browser files of the ballot module, for any page that encrypts ballots.

:func:`module_files` maps each URL name to its file: the module ``ballot.js`` of this
package and libsodium's ES modules from the installed npm package (never a CDN).
:func:`import_map` is the ``<script type="importmap">`` that lets ``ballot.js`` import
``libsodium-wrappers-sumo`` by its package name from wherever the files are served.
"""

from __future__ import annotations

import json
from pathlib import Path

from secession.assets import npm_file

MODULE = Path(__file__).with_name("js") / "ballot.js"


def module_files() -> dict[str, Path]:
    """URL name -> file, for the ballot module and the libsodium modules it imports."""
    return {
        "ballot.js": MODULE,
        "libsodium-wrappers.mjs": npm_file(
            "libsodium-wrappers-sumo", "dist/modules-sumo-esm/libsodium-wrappers.mjs"
        ),
        "libsodium-sumo.mjs": npm_file(
            "libsodium-sumo", "dist/modules-sumo-esm/libsodium-sumo.mjs"
        ),
    }


def import_map(prefix: str) -> str:
    """The import map for files served under ``prefix`` (e.g. ``/static/ballots/``)."""
    return json.dumps(
        {
            "imports": {
                "libsodium-wrappers-sumo": f"{prefix}libsodium-wrappers.mjs",
                "libsodium-sumo": f"{prefix}libsodium-sumo.mjs",
            }
        }
    )
