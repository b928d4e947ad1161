"""``secession data download`` against a local HTTP server laid out like the origin."""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from secession.geo.download import BASE_ENV, plan_files


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    """Serve the shared data under the origin repository's paths (links, not copies)."""
    root = tmp_path_factory.mktemp("origin")
    for remote, local in plan_files([2016, 2020]).items():
        target = root / remote
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(data_dir / local)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_download_fills_a_data_folder(cli, origin: str, tmp_path: Path, data_dir: Path) -> None:
    dest = tmp_path / "cache"
    r = cli("data", "download", "--base-url", origin, "--years", "2016,2020", "--dest", dest)
    assert r.exit_code == 0, r.output
    for local in plan_files([2016, 2020]).values():
        assert (dest / local).read_bytes() == (data_dir / local).read_bytes()
    # the downloaded folder is a complete data folder for the default county job
    r = cli("data", "inspect", "--data-dir", dest, "--json", "--water-links", "0")
    assert r.exit_code == 0, r.output
    assert '"units": 3152' in r.stdout and '"edges": 8796' in r.stdout


def test_default_cache_and_base_from_environment(
    cli, origin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASE_ENV, origin)
    monkeypatch.setenv("SECESSION_CACHE", str(tmp_path / "c"))
    monkeypatch.delenv("SECESSION_DATA", raising=False)
    r = cli("data", "download", "--years", "2020")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "c/data/us-president-county/2020.csv").is_file()
    assert not (tmp_path / "c/data/us-president-county/2016.csv").exists()
    # with SECESSION_DATA unset, the cache is the data folder
    r = cli("data", "inspect", "--state", "OR", "--json")
    assert r.exit_code == 0, r.output
    assert '"units": 36' in r.stdout


def test_missing_year_is_a_clear_error(cli, origin: str, tmp_path: Path) -> None:
    r = cli("data", "download", "--base-url", origin, "--years", "1999", "--dest", tmp_path)
    assert r.exit_code == 2
    assert "1999_US_County_Level_Presidential_Results.csv answered 404" in r.stderr
    assert "Traceback" not in r.output
    assert not list(tmp_path.rglob("*.part"))


def test_offline_is_a_clear_error(cli, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dest = tmp_path / "new" / "data"
    r = cli("data", "download", "--base-url", f"http://127.0.0.1:{port}", "--dest", dest)
    assert r.exit_code == 3
    assert "offline or the server is unreachable" in r.stderr
    assert "Traceback" not in r.output
    # nothing left behind: no half file, no empty folders; the user's folder stays
    assert list(tmp_path.iterdir()) == []


def test_wrong_content_is_refused(cli, tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "site"
    for remote in plan_files([2020]):
        (root / remote).parent.mkdir(parents=True, exist_ok=True)
        (root / remote).write_text("<html>not found</html>")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        r = cli("data", "download", "--base-url", base, "--years", "2020", "--dest", tmp_path / "d")
    finally:
        server.shutdown()
        server.server_close()
    assert r.exit_code == 2
    assert "is not the expected file" in r.stderr


def test_dest_that_is_a_file_is_a_clear_error(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = cli("data", "download", "--base-url", "http://127.0.0.1:9", "--dest", blocker)
    assert r.exit_code == 2, r.output
    assert "cannot create the folder" in r.stderr and "check --dest" in r.stderr
    assert "Traceback" not in r.output


def test_unwritable_file_is_not_called_offline(cli, origin: str, tmp_path: Path) -> None:
    dest = tmp_path / "cache"
    local = next(iter(plan_files([2020]).values()))
    blocker = dest / (local + ".part")
    blocker.mkdir(parents=True)  # the half-file path is a folder: writing it fails
    r = cli("data", "download", "--base-url", origin, "--years", "2020", "--dest", dest)
    assert r.exit_code == 2, r.output
    assert "cannot write" in r.stderr and "check --dest" in r.stderr
    assert "offline" not in r.stderr and "Traceback" not in r.output


def test_base_url_that_is_not_an_address_is_a_clear_error(cli, tmp_path: Path) -> None:
    dest = tmp_path / "cache"
    r = cli("data", "download", "--base-url", "example.org/mirror", "--dest", dest)
    assert r.exit_code == 2, r.output
    assert "'example.org/mirror' is not an address" in r.stderr
    assert not dest.exists()  # nothing created before the address was checked
