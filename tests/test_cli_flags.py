"""Library messages name parameters; the command line turns them into its flags.

The analysis packages must not know the command line: no string of theirs (docstrings
aside) names a ``--flag``. Every parameter they quote in backquotes is in the CLI's table,
so the user still reads the flag they typed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from secession.cli.app import run
from secession.cli.flags import FLAGS, to_flags

SRC = Path(__file__).resolve().parents[1] / "src" / "secession"
LIBRARY = ("geo", "scenario", "referendum", "maps")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*[a-z]")
QUOTED = re.compile(r"`([a-z][a-z0-9_]*)`")


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module except docstrings (any string standing alone as a
    statement: module, class, function and attribute docstrings), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _library_strings() -> list[tuple[str, int, str]]:
    found = []
    for pkg in LIBRARY:
        for path in sorted((SRC / pkg).rglob("*.py")):
            found += [(str(path.relative_to(SRC)), line, s) for line, s in _strings(path)]
    return found


def test_no_library_string_names_a_command_line_flag():
    strings = _library_strings()
    assert len(strings) > 500  # the walk really read the packages
    named = [(f, line, s) for f, line, s in strings if FLAG.search(s)]
    assert named == []


def test_the_scan_finds_a_flag_in_a_message(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Doc with --doc."""\nraise ValueError(f"--adjacency {x}: bad")\n')
    assert [s for _, s in _strings(module) if FLAG.search(s)] == ["--adjacency "]


def test_every_quoted_parameter_has_a_flag():
    quoted = {name for _, _, s in _library_strings() for name in QUOTED.findall(s)}
    assert {"adjacency", "id_col", "states", "link_islands"} <= quoted
    assert quoted - set(FLAGS) == set()


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("`adjacency` must be rook or queen, not 'hex'", "--adjacency must be rook or queen"),
        ("x.csv: column 'no' (given by `stay_col`) not found", "(given by --stay-col)"),
        ("`states` needs a state column", "--state needs a state column"),
        ("run `secession map DIR` again", "run `secession map DIR` again"),
    ],
)
def test_to_flags(message, shown):
    assert shown in to_flags(message)


def test_the_command_line_prints_the_flag(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    code = run(["data", "inspect", "--results", str(bad), "--id-col", "a"])
    err = capsys.readouterr().err.replace("\n", "")
    assert code != 0
    assert "--leave-col, --stay-col" in err and "`" not in err
