"""A static page that loads the ballot module, served by a tiny local HTTP server, in
Debian's chromium driven by Playwright (shared by the browser test and the benchmark)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from secession.ballots.assets import served_files

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ballot module test page</title>
<script type="module">
  import * as ballots from "/ballot.js";
  await ballots.ready();
  window.ballots = ballots;
  document.body.dataset.ready = "yes";
</script></head><body><h1>Ballot module</h1></body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@contextmanager
def serve_page(folder: Path):
    """Write the page and the module files to ``folder`` and serve it on 127.0.0.1."""
    for name, content in served_files().items():
        (folder / name).write_bytes(content)
    (folder / "index.html").write_text(PAGE)
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    return os.environ.get("SECESSION_CHROMIUM") or "/usr/bin/chromium"


@contextmanager
def ballot_page(folder: Path):
    """A chromium page with ``window.ballots`` loaded."""
    from playwright.sync_api import sync_playwright

    with serve_page(folder) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            page.wait_for_selector("body[data-ready=yes]", timeout=15000)
            page.errors = errors  # type: ignore[attr-defined]
            yield page
        finally:
            browser.close()
