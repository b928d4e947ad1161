"""Actions on uploaded datasets: upload (step 1), choose the columns (step 2), delete.

Step 2 reads the files with the command line's own loader (``load_graph``), so an upload
is refused for the same reasons and in the same words as ``secession plan --units F``;
the stored path in a message is replaced by the name the file was sent with.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secession.exceptions import DataError
from secession.geo.load import load_graph
from secession.web.apps.audit.log import record
from secession.web.apps.planner import events, uploads
from secession.web.apps.planner.datasets import upload_kwargs
from secession.web.apps.planner.models import DataUpload

COLUMNS = ("id_col", "leave_col", "stay_col", "population_col", "name_col")
REQUIRED = ("id_col", "leave_col", "stay_col")


def create_upload(*, person, title: str, files: dict[str, Any]) -> DataUpload:
    """Keep ``files`` (role -> uploaded file: ``units``, or ``results`` and ``boundaries``)
    for ``person`` and read their header; :class:`ValidationError` keyed by role if refused."""
    if not person.has_perm("planner.upload_dataset"):
        raise PermissionDenied(_("log in to upload a dataset"))
    files = {role: f for role, f in files.items() if f}
    if set(files) == {"units"}:
        kind = DataUpload.Kind.UNITS
    elif set(files) == {"results", "boundaries"}:
        kind = DataUpload.Kind.RESULTS
    else:
        raise ValidationError(
            _("send one file with geometry and votes, or a results CSV with a boundary file")
        )
    upload_id = uuid.uuid4()
    stored: dict[str, str] = {}
    try:
        stored = uploads.store(person.pk, upload_id, files)
        where = uploads.folder(person.pk, upload_id)
        table = "units" if kind == DataUpload.Kind.UNITS else "results"
        columns = uploads.header(where / stored[table], files[table].name)
        with transaction.atomic():
            upload = DataUpload.objects.create(
                id=upload_id,
                owner=person,
                title=(title.strip() or files[table].name)[:200],
                kind=kind,
                files=stored,
                names={role: f.name for role, f in files.items()},
                size=sum(f.size for f in files.values()),
                header=columns,
            )
            record(
                events.UPLOAD_CREATED,
                actor=person,
                target=upload,
                data={"kind": kind, "names": upload.names, "size": upload.size},
            )
    except uploads.UploadRefused as exc:
        uploads.remove(person.pk, upload_id)
        role = next((r for r, f in files.items() if str(exc).startswith(f.name)), None)
        raise ValidationError({role: [str(exc)]} if role else str(exc)) from None
    except BaseException:
        uploads.remove(person.pk, upload_id)
        raise
    return upload


def choose_columns(upload: DataUpload, *, person, columns: dict[str, str | None]) -> DataUpload:
    """Read ``upload`` with ``columns`` (see :data:`COLUMNS`) as the command line would; on
    success the upload is ready. A :class:`ValidationError` keyed by column field says why
    not (the loader's message: file, row, id)."""
    if not person.has_perm("planner.use_upload", upload):
        raise PermissionDenied(_("this dataset is someone else's"))
    chosen = {k: (columns.get(k) or None) for k in COLUMNS}
    unknown = {
        k: [f"{v!r} is not a column of this file"]
        for k, v in chosen.items()
        if v is not None and v not in upload.header
    }
    missing = {k: [_("choose a column")] for k in REQUIRED if not chosen[k]}
    if unknown or missing:
        raise ValidationError({**missing, **unknown})
    try:
        loaded = load_graph(**upload_kwargs(upload, chosen))
    except DataError as exc:
        raise ValidationError(_at_field(_shown(str(exc), upload), chosen)) from None
    with transaction.atomic():
        DataUpload.objects.filter(pk=upload.pk).update(
            columns=chosen, ready=True, n_units=loaded.graph.n_units
        )
        record(
            events.UPLOAD_READY,
            actor=person,
            target=upload,
            data={"columns": chosen, "units": loaded.graph.n_units},
        )
    upload.refresh_from_db()
    return upload


def delete_upload(upload: DataUpload, *, person) -> None:
    """Delete ``upload`` and its files (plans made from it keep their results)."""
    if not person.has_perm("planner.delete_upload", upload):
        raise PermissionDenied(_("this dataset is someone else's"))
    owner, pk = upload.owner_id, upload.pk
    with transaction.atomic():
        record(events.UPLOAD_DELETED, actor=person, target=upload, data={"title": upload.title})
        upload.delete()
        transaction.on_commit(lambda: uploads.remove(owner, pk))


def _shown(message: str, upload: DataUpload) -> str:
    """``message`` with the stored paths replaced by the names the files were sent with."""
    where = uploads.folder(upload.owner_id, upload.pk)
    for role, name in upload.files.items():
        message = message.replace(str(where / name), upload.names.get(role, name))
    return message


def _at_field(message: str, chosen: dict[str, str | None]) -> dict[str, list[str]]:
    """The loader's message under the column field it is about (else the file's)."""
    for field, column in chosen.items():
        if f"`{field}`" in message or (column and f"{column} =" in message):
            return {field: [message]}
    if "no boundary" in message or "no result" in message or "duplicate" in message:
        return {"id_col": [message]}
    return {"__all__": [message]}
