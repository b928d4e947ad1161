"""`secession serve` runs with nothing to install (SQLite in the data folder, migrations
applied, secret key generated); `secession audit verify --database-url` checks that file
and names the entry someone edited."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .factories import PASSWORD

CLI = [sys.executable, "-c", "from secession.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(web_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.pop("SECESSION_DATABASE_URL", None)
    env["SECESSION_WEB_DIR"] = str(web_dir)
    return env


def request(url: str, body: dict | None = None, token: str = "", timeout: float = 60.0):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            req = urllib.request.Request(url, data=data, headers=headers)
            with urllib.request.urlopen(req, timeout=10) as reply:
                return reply.read()
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionError) or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_then_verify_and_detect_tampering(tmp_path):
    port = free_port()
    env = clean_env(tmp_path)
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert b"Self-governing communities" in request(base + "/")
        assert b'"openapi"' in request(base + "/api/openapi.json")
        request(base + "/api/accounts/register", {"username": "ada", "password": PASSWORD})
        token = json.loads(
            request(base + "/api/accounts/token", {"username": "ada", "password": PASSWORD})
        )["token"]
        request(base + "/api/communities", {"name": "Served Town"}, token=token)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    key = tmp_path / "secret_key.txt"
    db_file = tmp_path / "db.sqlite3"
    assert db_file.exists() and len(key.read_text().strip()) >= 50
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    # registered, token created, founded, joined, rules installed, constitution adopted
    verify = [*CLI, "audit", "verify", "--database-url", f"sqlite:///{db_file}"]
    ok = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "audit log ok: 6 entries" in ok.stdout, ok.stderr
    with sqlite3.connect(db_file) as con:
        con.execute("UPDATE audit_auditentry SET actor_id = 99 WHERE seq = 3")
    bad = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 6
    assert "audit log broken at entry 3" in bad.stderr and "edited" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_bad_database_url_is_a_clean_error(cli):
    r = cli("audit", "verify", "--database-url", "nonsense://x")
    assert r.exit_code == 7
    assert "cannot read database URL 'nonsense://x'" in r.stderr


def test_unreachable_database_is_a_clean_error(tmp_path):
    env = clean_env(tmp_path)
    url = "postgres://nobody:wrong@127.0.0.1:1/none"
    r = subprocess.run(
        [*CLI, "audit", "verify", "--database-url", url],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 7 and "database error" in r.stderr and "Traceback" not in r.stderr


def test_migrations_match_the_models(db):
    """`secession serve` applies migrations; they must describe the models completely."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_out_of_range_port_is_a_usage_error(cli):
    r = cli("serve", "--port", "99999")
    assert r.exit_code == 2 and "--port" in r.stderr


def test_missing_database_driver_is_a_clean_error(tmp_path):
    r = subprocess.run(
        [*CLI, "audit", "verify", "--database-url", "mysql://u:p@127.0.0.1:1/none"],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 7 and "Traceback" not in r.stderr, r.stderr
    # without mysqlclient the driver is missing; with it, the server is unreachable
    assert "cannot set up the database" in r.stderr or "database error" in r.stderr


def test_unparsable_host_is_a_clean_error(tmp_path):
    r = subprocess.run(
        [*CLI, "serve", "--host", "not..a..host", "--port", str(free_port())],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "cannot serve" in r.stderr
    assert "serving on" not in r.stdout


def test_bad_database_url_in_environment_is_a_clean_error(tmp_path):
    env = {**clean_env(tmp_path), "SECESSION_DATABASE_URL": "nonsense"}
    r = subprocess.run(
        [*CLI, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 7 and "Traceback" not in r.stderr, r.stderr
    assert "cannot read database URL 'nonsense'" in r.stderr


def test_uncreatable_data_folder_is_a_clean_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = subprocess.run(
        [*CLI, "audit", "verify"],
        env=clean_env(blocker / "web"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "cannot prepare the data folder" in r.stderr


def test_database_url_errors_hide_the_password(cli):
    r = cli("audit", "verify", "--database-url", "nosuchdb://ada:hunter2@127.0.0.1/x")
    assert r.exit_code != 0
    assert "hunter2" not in r.output
    assert "ada:***@127.0.0.1" in r.stderr
    assert "Traceback" not in r.output


def test_port_in_use_fails_before_serving(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run(
            [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=clean_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in r.stderr
    assert "serving on" not in r.stdout  # no false start message
