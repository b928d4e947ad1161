"""``secession --help`` and every ``secession <cmd> --help`` import no heavy library.

Run in a fresh interpreter: the test process itself has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("matplotlib", "geopandas", "pyscipopt", "numba", "dask", "django")

_PROBE = r"""
import contextlib, io, json, sys

import typer
from secession.cli.app import app, run

def paths(cmd, prefix):
    yield prefix
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from paths(sub, [*prefix, name])

root = typer.main.get_command(app)
helped, codes = [], []
for path in paths(root, []):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        codes.append(run([*path, "--help"]))
    helped.append([" ".join(path), "Usage" in out.getvalue()])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
print(json.dumps({"helped": helped, "codes": codes, "heavy": heavy}))
"""


def _run_probe() -> dict:
    code = f"HEAVY = {HEAVY!r}\n{_PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_of_every_command_imports_no_heavy_library():
    probe = _run_probe()
    helped = dict(probe["helped"])
    # The walk really reached the commands (root, groups and leaves), each printed its usage.
    expected = {"", "plan", "scenario", "referendum", "map", "serve", "data inspect", "trustee"}
    assert expected <= set(helped)
    assert all(helped.values()), [p for p, ok in helped.items() if not ok]
    assert set(probe["codes"]) == {0}
    assert probe["heavy"] == [], probe["heavy"]
