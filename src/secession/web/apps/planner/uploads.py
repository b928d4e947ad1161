"""Uploaded datasets on disk: checked, stored per person, never executed.

A file is kept under ``settings.PLANNER_UPLOADS_DIR/<person id>/<upload id>/`` with a name
chosen here (``units``/``results``/``boundaries`` and a known suffix), never the sender's.
Only data formats are accepted (CSV, GeoJSON/TopoJSON, GeoPackage, a zipped shapefile);
nothing is unpickled or evaluated. A zip is never extracted: its members are checked
(no absolute or ``..`` names, no links, a bounded unpacked size) and the loaders read it
in place. Every refusal is an :class:`UploadRefused` naming the file and what is wrong.
"""

from __future__ import annotations

import csv
import io
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from secession.exceptions import DataError

# the roles a file plays, with the suffixes each may have
TABLE_SUFFIXES = (".csv",)
GEO_SUFFIXES = (".zip", ".geojson", ".json", ".topojson", ".gpkg")
ROLES = {"units": GEO_SUFFIXES, "results": TABLE_SUFFIXES, "boundaries": GEO_SUFFIXES}
MAX_ZIP_MEMBERS = 100
# a role in words, for refusals (read when a refusal is made, in the request's language)
ROLE_WORDS = {
    "units": lambda: pgettext("upload role", "one file with geometry and votes"),
    "results": lambda: pgettext("upload role", "a results table"),
    "boundaries": lambda: pgettext("upload role", "boundaries"),
}


class UploadRefused(DataError):
    """An uploaded file that cannot be kept (its name says which and why)."""


def uploads_root() -> Path:
    if not settings.PLANNER_UPLOADS_DIR:
        raise ImproperlyConfigured("PLANNER_UPLOADS_DIR is not set")
    return Path(settings.PLANNER_UPLOADS_DIR)


def folder(owner_id: int, upload_id) -> Path:
    return uploads_root() / str(int(owner_id)) / str(upload_id)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def suffix_of(role: str, name: str) -> str:
    """The accepted suffix of ``name`` for ``role``, or :class:`UploadRefused`."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ROLES[role]:
        raise UploadRefused(
            _(
                "{name}: not a file this site reads as {role} (accepted: {accepted}; "
                "a shapefile must be zipped with its .dbf, .shx and .prj)"
            ).format(name=name, role=ROLE_WORDS[role](), accepted=", ".join(ROLES[role]))
        )
    return suffix


def check_size(name: str, size: int) -> None:
    most = int(settings.PLANNER_UPLOAD_MAX_BYTES)
    if size > most:
        raise UploadRefused(
            _("{name}: {size} is larger than this site's limit of {most}").format(
                name=name, size=_mb(size), most=_mb(most)
            )
        )
    if size == 0:
        raise UploadRefused(_("{name}: the file is empty").format(name=name))


def check_zip(name: str, path: Path) -> None:
    """Refuse a zip with unsafe member names, links, too many members or too much inside."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(_("{name}: not a zip archive").format(name=name)) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UploadRefused(
                _("{name}: {n} files inside, more than {most}").format(
                    name=name, n=len(members), most=MAX_ZIP_MEMBERS
                )
            )
        total = 0
        for m in members:
            p = PurePosixPath(m.filename.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or ":" in m.filename:
                raise UploadRefused(
                    _("{name}: member {member} points outside the archive").format(
                        name=name, member=repr(m.filename)
                    )
                )
            if stat.S_ISLNK(m.external_attr >> 16):
                raise UploadRefused(
                    _("{name}: member {member} is a link").format(
                        name=name, member=repr(m.filename)
                    )
                )
            total += m.file_size
        most = int(settings.PLANNER_UPLOAD_MAX_UNZIPPED)
        if total > most:
            raise UploadRefused(
                _("{name}: {size} once unpacked, more than this site's limit of {most}").format(
                    name=name, size=_mb(total), most=_mb(most)
                )
            )
        if not any(
            PurePosixPath(m.filename).suffix.lower() in (".shp", ".gpkg", ".geojson")
            for m in members
        ):
            raise UploadRefused(
                _("{name}: no shapefile (.shp), GeoPackage or GeoJSON inside").format(name=name)
            )


def store(owner_id: int, upload_id, files: dict[str, Any]) -> dict[str, str]:
    """Write ``files`` (role -> Django ``UploadedFile``) into the upload's folder after the
    checks; return role -> stored file name. Nothing is kept if one file is refused."""
    target = folder(owner_id, upload_id)
    target.mkdir(parents=True, exist_ok=False)
    stored: dict[str, str] = {}
    try:
        for role, upload in files.items():
            suffix = suffix_of(role, upload.name)
            check_size(upload.name, upload.size)
            path = target / f"{role}{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            if suffix == ".zip":
                check_zip(upload.name, path)
            stored[role] = path.name
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return stored


def header(path: Path, shown_as: str) -> list[str]:
    """The column names of a stored file (a CSV's first row; a vector file's fields)."""
    if path.suffix == ".csv":
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = next(csv.reader(io.StringIO(fh.readline())), [])
        columns = [c.strip() for c in first if c.strip()]
        if not columns:
            raise UploadRefused(
                _("{name}: no header row (the first line names the columns)").format(name=shown_as)
            )
        return columns
    from secession.geo.boundaries import read_vector

    try:
        frame = read_vector(path)
    except DataError as exc:
        raise UploadRefused(str(exc).replace(str(path), shown_as)) from None
    return [str(c) for c in frame.columns if c != "geometry"]


def remove(owner_id: int, upload_id) -> None:
    shutil.rmtree(folder(owner_id, upload_id), ignore_errors=True)
