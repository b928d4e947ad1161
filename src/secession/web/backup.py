"""Backups of the platform's database, and restoring one into an empty database.

The archive is a ZIP file (format ``secession-backup``, version 1):

- ``manifest.json``: the format and version, when and from which database vendor it was
  made, the applied migrations of every app, the log's signed head at that moment, and
  one record per table: its model (``app_label.model``), table name, columns (Django
  field ``attname``s, in order), row count and the SHA-256 of its file;
- ``tables/<app_label>.<model>.jsonl``: one JSON array per row, the columns' values in the
  manifest's order (dates and times in ISO 8601 with microseconds, UUIDs as hex, JSON
  fields as JSON).

Every table of every installed app is included (sessions too), read in one snapshot; the
audit log's signing key is not (it is never in the database: copy it separately).
Restoring migrates an empty database to the archive's migrations, loads every row in one
transaction, migrates forward to this code's version, then verifies the log against the
backup's signed head (and any other kept head) and the tables against the log.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from secession.exceptions import SecessionError

FORMAT, VERSION = "secession-backup", 1
CHUNK = 2000
AUTO_CREATED = ("contenttypes.contenttype", "auth.permission")  # remade by migrate


class BackupError(SecessionError):
    """The backup or restore cannot be done (names the archive, member or table)."""

    exit_code = 9


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _state_models(executor: MigrationExecutor, nodes) -> list[type[models.Model]]:
    apps = executor.loader.project_state(nodes).apps
    found = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _applied(executor: MigrationExecutor) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(executor.recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


@contextmanager
def _snapshot():
    """Read everything in one snapshot without taking SQLite's write lock."""
    if connection.in_atomic_block:  # already inside a transaction (tests, callers)
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: int
    rows: int
    head: dict | None


def make_backup(path: Path, *, progress: Callable[[str, int], None] | None = None) -> BackupSummary:
    """Write a backup of the default database to ``path`` (refuses to overwrite a file)."""
    from secession import __version__
    from secession.web.apps.audit.keys import SigningKeyError
    from secession.web.apps.audit.log import signed_head

    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file for the backup")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        first = pending[0][0]
        raise BackupError(
            f"the database lacks migration {first.app_label}.{first.name}: run `secession "
            "serve` (or migrate) with this version first"
        )
    tables, total = [], 0
    try:
        archive = zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
    except OSError as exc:
        raise BackupError(f"cannot write {path}: {exc.strerror}") from None
    with archive, _snapshot():
        try:
            head = signed_head()
        except SigningKeyError:
            head = None
        for model in _state_models(executor, executor.loader.graph.leaf_nodes()):
            columns = [f.attname for f in model._meta.concrete_fields]
            member = f"tables/{model._meta.label_lower}.jsonl"
            digest, rows = hashlib.sha256(), 0
            with archive.open(member, "w", force_zip64=True) as out:
                query = model._base_manager.order_by("pk").values_list(*columns)
                for row in query.iterator(chunk_size=CHUNK):
                    line = json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n"
                    data = line.encode("utf-8")
                    out.write(data)
                    digest.update(data)
                    rows += 1
            tables.append(
                {
                    "model": model._meta.label_lower,
                    "table": model._meta.db_table,
                    "columns": columns,
                    "rows": rows,
                    "file": member,
                    "sha256": digest.hexdigest(),
                }
            )
            total += rows
            if progress is not None:
                progress(model._meta.label_lower, rows)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "secession_version": __version__,
            "vendor": connection.vendor,
            "migrations": _applied(executor),
            "audit_head": head,
            "tables": tables,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return BackupSummary(path, len(tables), total, head)


# -- restore -------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    """The archive's manifest, checked (format, version, members' checksums)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path} is not a backup archive (not a ZIP file: {exc})") from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError:
            raise BackupError(f"{path} has no manifest.json: not a secession backup") from None
        except ValueError as exc:
            raise BackupError(f"{path}: manifest.json is not JSON ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is not a {FORMAT} archive")
        if manifest.get("version") != VERSION:
            raise BackupError(
                f"{path} is version {manifest.get('version')!r} of the format; this code "
                f"reads version {VERSION}"
            )
        names = set(archive.namelist())
        for table in manifest.get("tables", []):
            member = table.get("file", "")
            if member not in names:
                raise BackupError(f"{path}: {member} is listed but missing")
            digest = hashlib.sha256()
            with archive.open(member) as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != table.get("sha256"):
                raise BackupError(f"{path}: {member} does not match its checksum (altered)")
    return manifest


def _targets(executor: MigrationExecutor, manifest: dict, path: Path) -> list[tuple]:
    known = executor.loader.graph.nodes
    wanted = {}
    for app, names in manifest.get("migrations", {}).items():
        for name in names:
            if (app, name) not in known:
                raise BackupError(
                    f"{path} was made by a newer version (migration {app}.{name} is unknown "
                    "here): restore it with that version"
                )
        leaves = [
            n
            for n in names
            if not any(
                (app, n) in executor.loader.graph.node_map[(app, other)].parents for other in names
            )
        ]
        wanted[app] = leaves[0] if len(leaves) == 1 else max(names)
    apps_here = {app for app, _ in known}
    return [(app, wanted.get(app)) for app in sorted(apps_here)]


def _data_tables() -> dict[str, int]:
    """Tables of the default database holding rows (migrate's own tables aside)."""
    skip = {"django_migrations", "django_content_type", "auth_permission"}
    held = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            (count,) = cursor.fetchone()
            if count:
                held[table] = count
    return held


def _rows(archive: zipfile.ZipFile, member: str) -> Iterator[list]:
    with archive.open(member) as handle:
        for line in handle:
            yield json.loads(line)


def restore_backup(path: Path, *, progress: Callable[[str, int], None] | None = None) -> dict:
    """Load the archive into the default database, which must hold no data; returns the
    manifest (its ``audit_head`` is what the restored log must extend)."""
    manifest = read_manifest(path)
    held = _data_tables()
    if held:
        shown = ", ".join(f"{t} ({n} rows)" for t, n in sorted(held.items())[:5])
        raise BackupError(
            f"the database {connection.settings_dict.get('NAME')} already holds data ({shown}"
            f"{', ...' if len(held) > 5 else ''}): restore into an empty database (a new "
            "SQLite file or a new PostgreSQL database, with --database-url)"
        )
    executor = MigrationExecutor(connection)
    targets = _targets(executor, manifest, path)
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    archived = _state_models(executor, [(a, n) for a, n in targets if n])
    by_label = {m._meta.label_lower: m for m in archived}
    with zipfile.ZipFile(path) as archive, transaction.atomic():
        for label in AUTO_CREATED[::-1]:
            if label in by_label:
                by_label[label]._base_manager.all()._raw_delete(connection.alias)
        for table in manifest["tables"]:
            model = by_label.get(table["model"])
            if model is None:
                raise BackupError(f"{path}: table {table['model']} has no model in its migrations")
            fields = {f.attname: f for f in model._meta.concrete_fields}
            columns = table["columns"]
            unknown = [c for c in columns if c not in fields]
            if unknown:
                raise BackupError(f"{path}: {table['model']} has unknown columns {unknown}")
            batch, count = [], 0
            for row in _rows(archive, table["file"]):
                values = {c: fields[c].to_python(v) for c, v in zip(columns, row, strict=True)}
                batch.append(model(**values))
                if len(batch) >= CHUNK:
                    model._base_manager.bulk_create(batch)
                    count += len(batch)
                    batch = []
            if batch:
                model._base_manager.bulk_create(batch)
                count += len(batch)
            if count != table["rows"]:
                raise BackupError(
                    f"{path}: {table['model']} holds {count} rows, not {table['rows']}"
                )
            if progress is not None:
                progress(table["model"], count)
        statements = connection.ops.sequence_reset_sql(no_style(), archived)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    return manifest
