"""`secession serve --production`: the platform behind gunicorn, as it runs for real.

Before serving: the production settings load (unsafe values are refused), migrations are
applied, static files are collected into ``STATIC_ROOT`` (served by WhiteNoise), and
``manage.py check --deploy`` must pass with no warning. Then gunicorn's arbiter runs
``workers`` processes of ``threads`` threads each; it restarts a worker that dies.
"""

from __future__ import annotations

import ipaddress
import os

import typer

from secession.exceptions import SecessionError

PRODUCTION_SETTINGS = "secession.web.config.settings_production"


class UnsafeSettingsError(SecessionError):
    """Production settings that would make the site unsafe (the message says which)."""

    exit_code = 8


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_note(host: str, port: int, production: bool) -> str:
    """What to say about who can reach the server ("" when only this machine can)."""
    if is_loopback(host):
        return ""
    note = (
        f"note: listening on {host}:{port} is beyond this machine: anyone who can reach "
        "this address on the network can open the platform"
    )
    if not production:
        note += (
            ". This is Django's development server, not made for that: use "
            "`secession serve --production` behind a TLS proxy"
        )
    return note + "."


def deploy_check() -> None:
    """``manage.py check --deploy``; any warning refuses the start (named in the error)."""
    from django.core import checks

    issues = [
        issue
        for issue in checks.run_checks(include_deployment_checks=True)
        if issue.level >= checks.WARNING and not issue.is_silenced()
    ]
    if issues:
        lines = "; ".join(f"{i.id}: {str(i.msg).splitlines()[0]}" for i in issues)
        raise UnsafeSettingsError(f"manage.py check --deploy is not clean: {lines}")


def collect_static() -> str:
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return str(settings.STATIC_ROOT)


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn's arbiter in this process until it is stopped (SIGTERM/SIGINT)."""
    from gunicorn.app.base import BaseApplication

    from secession.web.config.wsgi import application

    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "backlog": 2048,
        # access log: stdout by default; SECESSION_ACCESS_LOG names a file, or "" for none
        "accesslog": os.environ.get("SECESSION_ACCESS_LOG", "-") or None,
        "errorlog": "-",
        "forwarded_allow_ips": os.environ.get("SECESSION_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "proc_name": "secession",
    }

    class Platform(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Platform().run()


def serve_production(host: str, port: int, workers: int, threads: int) -> None:
    """Collect static files, check the deployment, serve (migrations already applied)."""
    static_root = collect_static()
    from django.conf import settings

    db = settings.DATABASES["default"]
    typer.echo(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}")
    typer.echo(f"static files: {static_root}")
    typer.echo(
        f"serving (production, gunicorn: {workers} workers x {threads} threads) on "
        f"http://{host}:{port}/ for {', '.join(settings.ALLOWED_HOSTS)}; HTTPS is expected "
        "from a proxy (X-Forwarded-Proto: https)"
    )
    run_gunicorn(host, port, workers, threads)
