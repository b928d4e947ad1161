"""`secession serve --production`: the real gunicorn server on a free port, with the
production settings, static files served, `check --deploy` clean, and unsafe settings
refused; a worker killed with SIGKILL is replaced and requests go on."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .factories import PASSWORD
from .test_cli_web import CLI, clean_env, free_port

pytestmark = pytest.mark.xdist_group("production-server")


def production_env(web_dir: Path, **extra: str) -> dict[str, str]:
    from secession.web.apps.audit.keys import write_key_file

    key = web_dir / "audit-signing-key.pem"
    if not key.exists():
        write_key_file(key)
    env = clean_env(web_dir)
    env.update(
        SECESSION_AUDIT_SIGNING_KEY_FILE=str(key),
        SECESSION_SECRET_KEY=secrets.token_urlsafe(50),
        SECESSION_ALLOWED_HOSTS="127.0.0.1",
        SECESSION_STATIC_ROOT=str(web_dir / "static"),
        SECESSION_ACCESS_LOG="",
    )
    env.update(extra)
    return env


def fetch(url: str, body: dict | None = None, token: str = "", https: bool = True):
    """(status, headers, body bytes); HTTPS as a TLS proxy in front would say."""
    headers = {"Content-Type": "application/json"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=20) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read()}")
        try:
            if fetch(base + "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("the production server did not answer in time")


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def test_production_server_serves_pages_api_and_static_files(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [*CLI, "serve", "--production", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=production_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_ready(base, proc)
        status, headers, page = fetch(base + "/")
        assert status == 200 and b"Self-governing communities" in page
        assert headers["Server"] == "gunicorn"
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        # plain HTTP is sent to HTTPS
        status, headers, _ = fetch(base + "/", https=False)
        assert status == 301 and headers["Location"].startswith("https://127.0.0.1")
        # static files: Swagger UI for /api/docs, under hashed names, cached for long
        status, _, docs = fetch(base + "/api/docs")
        assert status == 200
        css = next(p for p in docs.decode().split('"') if p.endswith(".css"))
        status, headers, body = fetch(base + css)
        assert (
            status == 200
            and b"swagger" in body
            and "max-age=315360000" in headers.get("Cache-Control", "")
        )
        # the API, as a client would use it
        status, _, _ = fetch(
            base + "/api/accounts/register", {"username": "ada", "password": PASSWORD}
        )
        assert status == 201
        status, _, body = fetch(
            base + "/api/accounts/token", {"username": "ada", "password": PASSWORD}
        )
        token = json.loads(body)["token"]
        status, _, body = fetch(base + "/api/communities", {"name": "Served Town"}, token)
        assert status == 201 and json.loads(body)["members"] == 1
        status, _, body = fetch(base + "/api/communities/no-such-town")
        assert status == 404 and json.loads(body)["detail"]

        # a worker killed with SIGKILL: the arbiter starts another; requests go on
        first = workers_of(proc.pid)
        assert len(first) == 2
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = workers_of(proc.pid)
            if len(now) == 2 and first[0] not in now:
                break
            time.sleep(0.2)
        assert first[0] not in workers_of(proc.pid) and len(workers_of(proc.pid)) == 2
        for _ in range(6):
            assert fetch(base + "/api/communities/served-town")[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert "serving (production, gunicorn: 2 workers x 2 threads)" in out
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ({"SECESSION_SECRET_KEY": ""}, "SECESSION_SECRET_KEY must be a random string"),
        ({"SECESSION_ALLOWED_HOSTS": "*"}, "wildcard"),
        ({"SECESSION_AUDIT_SIGNING_KEY_FILE": "/nonexistent/key.pem"}, "signing key"),
        ({"SECESSION_SSL_REDIRECT": "0"}, "check --deploy is not clean: security.W008"),
    ],
)
def test_unsafe_production_settings_are_refused(tmp_path, extra, said):
    r = subprocess.run(
        [*CLI, "serve", "--production", "--port", str(free_port())],
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 8, (r.stdout, r.stderr)
    assert said in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was written


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="secession.web.config.settings_production"
    )
    r = subprocess.run(
        ["python", "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and "no issues" in r.stdout, r.stderr


def test_serve_says_when_it_is_reachable_beyond_this_machine():
    from secession.cli.production import exposure_note, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert exposure_note("127.0.0.1", 8000, production=False) == ""
    note = exposure_note("0.0.0.0", 8000, production=False)
    assert "beyond this machine" in note and "development server" in note
    assert "development server" not in exposure_note("0.0.0.0", 8000, production=True)


@pytest.mark.parametrize(
    ("check", "value", "said"),
    [
        ("check_secret", "", "at least 50 characters"),
        ("check_secret", "short", "at least 50 characters"),
        ("check_secret", "a" * 60, "at least 50 characters"),  # one character repeated
        ("check_secret", "test-only-not-secret-" + "x1y2z" * 10, "development key"),
        ("check_hosts", [], "must name the site's host names"),
        ("check_hosts", ["vote.example.org", "*.example.org"], "wildcard"),
        ("check_debug", "1", "SECESSION_DEBUG is set"),
    ],
)
def test_each_unsafe_value_is_named(check, value, said):
    from secession.web.config import safety

    with pytest.raises(safety.UnsafeSettings, match=said):
        getattr(safety, check)(value)
    safety.check_secret(secrets.token_urlsafe(50))
    safety.check_hosts(["vote.example.org"])
    safety.check_debug("")
