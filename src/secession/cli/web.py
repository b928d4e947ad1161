"""`secession serve` (run the platform), and the Django set-up the web commands share.

Mounted only when Django is installed (the ``web`` extra). Both pick the database from
``--database-url``, else ``SECESSION_DATABASE_URL``, else SQLite in the data folder
(``SECESSION_WEB_DIR`` or ``~/.local/share/secession``).
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from typing import Annotated

import typer

from secession.exceptions import SecessionError

DEFAULT_SETTINGS = "secession.web.config.settings_dev"

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Database URL (e.g. postgres://user:pass@host:5432/db); default: SQLite in "
        "the data folder, or $SECESSION_DATABASE_URL.",
    ),
]


class DatabaseUnavailableError(SecessionError):
    """The database URL is malformed or the database cannot be reached."""

    exit_code = 7


def check_database_url(url: str) -> None:
    """Raise :class:`DatabaseUnavailableError` if dj-database-url cannot read ``url``."""
    import dj_database_url

    shown = _without_password(url)
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises ValueError or others
        detail = str(exc).replace(url, shown)
        raise DatabaseUnavailableError(f"cannot read database URL {shown!r}: {detail}") from None
    if not config.get("ENGINE"):
        raise DatabaseUnavailableError(f"cannot read database URL {shown!r}: no engine")


def _without_password(url: str) -> str:
    """The URL with any password replaced by ``***``, for error messages."""
    import re

    return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)


def setup_django(database_url: str | None = None, settings_module: str = DEFAULT_SETTINGS) -> None:
    """Configure Django once (settings from ``DJANGO_SETTINGS_MODULE``, else
    ``settings_module``); unsafe production settings are refused (exit 8)."""
    from django.conf import settings

    from secession.cli.production import UnsafeSettingsError

    if database_url or os.environ.get("SECESSION_DATABASE_URL"):
        check_database_url(database_url or os.environ["SECESSION_DATABASE_URL"])
    if settings.configured:
        return
    if database_url:
        os.environ["SECESSION_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.core.exceptions import ImproperlyConfigured

    from secession.web.config.safety import UnsafeSettings

    try:
        django.setup()
    except UnsafeSettings as exc:
        raise UnsafeSettingsError(f"refusing to start in production: {exc}") from None
    except ImproperlyConfigured as exc:  # e.g. mysql:// without its driver installed
        raise DatabaseUnavailableError(f"cannot set up the database: {exc}") from None
    except OSError as exc:  # the data folder (SECESSION_WEB_DIR) cannot be created
        raise SecessionError(f"cannot prepare the data folder: {exc}") from None


@contextmanager
def _database_errors():
    from django.db import DatabaseError

    try:
        yield
    except DatabaseError as exc:
        raise DatabaseUnavailableError(f"database error: {exc}".strip()) from None


def _check_listen(host: str, port: int) -> None:
    """Fail before any work when ``host:port`` cannot be listened on (bad name, port taken)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except (OSError, UnicodeError) as exc:
        raise SecessionError(f"cannot serve on {host}:{port}: {exc}") from None


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    database_url: DatabaseUrl = None,
    production: Annotated[
        bool,
        typer.Option(
            "--production",
            help="Run gunicorn with the production settings (SECESSION_SECRET_KEY and "
            "SECESSION_ALLOWED_HOSTS required; static files collected and served; "
            "`check --deploy` must be clean).",
        ),
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Production: processes.")] = 3,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Production: threads each.")] = 8,
) -> None:
    """Apply database migrations, then run the web platform (pages and JSON API)."""
    from secession.cli.production import (
        PRODUCTION_SETTINGS,
        deploy_check,
        exposure_note,
        serve_production,
    )

    _check_listen(host, port)
    setup_django(database_url, PRODUCTION_SETTINGS if production else DEFAULT_SETTINGS)
    from django.conf import settings
    from django.core.management import CommandError, call_command

    if not production and host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append(host)
    if production:
        deploy_check()  # before anything is written
    with _database_errors():
        call_command("migrate", interactive=False, verbosity=1)
    if note := exposure_note(host, port, production):
        typer.echo(note, err=True)
    if production:
        serve_production(host, port, workers, threads)
        return
    db = settings.DATABASES["default"]
    typer.echo(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}")
    typer.echo(f"serving on http://{host}:{port}/  (API schema: /api/openapi.json)")
    try:
        call_command(
            "runserver",
            f"{host}:{port}",
            use_reloader=False,
            use_threading=True,
            insecure_serving=True,  # Swagger UI's static files for /api/docs
        )
    except CommandError as exc:  # e.g. a --host runserver cannot parse
        raise SecessionError(f"cannot serve: {exc}") from None


def registry_document(database_url: str | None, as_people: str | None, base: str) -> dict:
    """The registry of the platform's database as a world-map document (``secession
    world-map`` with no --plan or --peoples); ``as_people``: a registered people's slug."""
    setup_django(database_url)
    from secession.web.apps.communities.models import Community
    from secession.web.apps.registry.actions import current_declaration
    from secession.web.apps.registry.present import world_document

    with _database_errors():
        viewer = None
        if as_people:
            viewer = Community.objects.filter(slug=as_people).first()
            if viewer is None or current_declaration(viewer) is None:
                raise SecessionError(
                    f"--as {as_people}: no registered people with that slug (a point of view "
                    "is a people that published a declaration)"
                )
        return world_document(as_people=viewer, base=base)


def register(app: typer.Typer) -> None:
    """Mount ``serve`` on the root app (``audit`` and ``backup`` have modules of their own)."""
    app.command("serve")(serve)
