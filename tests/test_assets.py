"""npm assets are found on disk, and a missing one names its package."""

from __future__ import annotations

import pytest

from secession.assets import npm_file
from secession.exceptions import DataMissingError


def test_installed_package_file_is_found():
    path = npm_file("world-atlas", "package.json")
    assert path.is_file()
    assert '"name": "world-atlas"' in path.read_text()


def test_missing_package_names_it_and_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("SECESSION_NODE_MODULES", str(tmp_path))
    with pytest.raises(DataMissingError) as err:
        npm_file("no-such-package-xyz", "index.js")
    text = str(err.value)
    assert "'no-such-package-xyz'" in text and "npm ci" in text and str(tmp_path) in text
