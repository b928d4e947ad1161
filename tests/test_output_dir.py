"""The one place that creates output folders: created when missing, clear error otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from secession.exceptions import DataError
from secession.output_dir import make_output_dir


def test_creates_missing_parents_and_returns_the_path(tmp_path: Path) -> None:
    out = make_output_dir(str(tmp_path / "a" / "b"))
    assert out == tmp_path / "a" / "b" and out.is_dir()
    assert make_output_dir(out) == out  # an existing folder is fine


def test_a_file_in_the_way_names_the_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataError) as err:
        make_output_dir(tmp_path / "file" / "out")
    assert str(tmp_path / "file" / "out") in str(err.value)
    assert "cannot write the output folder" in str(err.value)
    assert (tmp_path / "file").read_text() == "x"
