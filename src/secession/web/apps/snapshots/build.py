"""Write a static snapshot: data files from the export registry, pages, maps, the audit
entries behind them with their inclusion proofs, the signed head, and a manifest.

Reproducible: every byte is a function of the database (exports in their stable order, the
head signed deterministically with Ed25519, no time of publishing written anywhere), files
are named by what they hold, and the manifest lists them sorted.
The layout (``docs/snapshots.md``)::

    index.html, members.html, ...   the pages (relative links, one CSS file, no script)
    snapshot.css, territory.svg
    data/<dataset>.<json|csv|geojson>
    audit/head.json                 the signed head the proofs are against
    audit/checkpoint.txt            its signed note (C2SP checkpoint)
    audit/proofs.json               each included entry's inclusion proof
    snapshot.json                   the manifest: every file's SHA-256
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from secession.exceptions import SecessionError
from secession.web.apps.audit import log
from secession.web.apps.audit.keys import SigningKeyError
from secession.web.apps.opendata.licences import Licence
from secession.web.apps.opendata.registry import datasets, licence_of, scope
from secession.web.apps.opendata.render import export
from secession.web.apps.snapshots.publishers import Publisher

FORMAT = "secession-snapshot/1"
MANIFEST = "snapshot.json"
CSS = Path(__file__).with_name("static") / "snapshots" / "snapshot.css"
PAGE_SIZE = 100


class PublishError(SecessionError):
    """The snapshot cannot be written (the message says where and why)."""

    exit_code = 2


def _dump(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


class Snapshot:
    """A folder being written; every file goes through :meth:`write` (and the manifest)."""

    def __init__(self, root: Path, scope_name: str, subject: Any, head: dict[str, Any], lang: str):
        self.root, self.scope, self.subject, self.head = root, scope_name, subject, head
        #: the language of the pages (the data and audit files have none)
        self.lang = lang
        self.files: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.nav: list[tuple[str, str]] = []

    def write(self, name: str, content: bytes | str) -> None:
        body = content.encode() if isinstance(content, str) else content
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        self.files[name] = hashlib.sha256(body).hexdigest()

    def page(self, name: str, template: str, **context: Any) -> None:
        """Render ``template`` into ``name`` with what every page shows (title, head)."""
        html = render_to_string(
            template, {"head": self.head, "nav": self.nav, "here": name, **context}
        )
        self.write(name, html)

    def data_table(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The open data files by dataset, each titled in the pages' language."""
        return [
            (gettext(ds.title), [(f"data/{ds.name}.{fmt}", fmt.upper()) for fmt in ds.formats])
            for ds in datasets(self.scope)
        ]

    def notice(self, source: str) -> str:
        """The free-copying notice of the data files, in the pages' language; ``source``
        names the subject in that language ("the community Hill Town")."""
        return page_notice(licence_of(self.scope, self.subject), source)

    def pages_of(self, rows: list, stem: str) -> list[tuple[str, list, int]]:
        """``rows`` cut into pages ``stem.html``, ``stem-2.html``...: (file, rows, number)."""
        chunks = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)] or [[]]
        return [
            (f"{stem}.html" if n == 1 else f"{stem}-{n}.html", chunk, n)
            for n, chunk in enumerate(chunks, 1)
        ]


def page_notice(lic: Licence, source: str) -> str:
    """The notice :func:`secession.web.apps.opendata.licences.notice` writes into every data
    file, in the active language (the data files keep theirs, in English)."""
    if lic.attribution:
        return gettext(
            "Public data of {source}. Anyone may copy, share, translate, change and publish "
            "it, for any purpose, naming the source ({source}) and the licence: {licence}, "
            "{url}"
        ).format(source=source, licence=lic.name, url=lic.url)
    return gettext(
        "Public data of {source}. Anyone may copy, share, translate, change and publish it, "
        "for any purpose, without asking: {licence}, {url}"
    ).format(source=source, licence=lic.name, url=lic.url)


def languages() -> dict[str, str]:
    """The languages a snapshot's pages can be written in: code -> name (``LANGUAGES``)."""
    return dict(settings.LANGUAGES)


def check_language(lang: str) -> str:
    """``lang`` when the platform speaks it, else a :class:`PublishError` naming them."""
    known = languages()
    if lang not in known:
        offered = ", ".join(f"{code} ({name})" for code, name in known.items())
        raise PublishError(f"--lang must be one of {offered}, not {lang!r}")
    return lang


def prepare(out: Path, force: bool) -> None:
    """``out`` must be empty or absent; ``force`` replaces an earlier snapshot only (a
    folder holding a ``snapshot.json``), never other files."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"--out {out}: not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise PublishError(
                f"--out {out}: the folder is not empty (use --force to replace a snapshot)"
            )
        if not (out / MANIFEST).is_file():
            raise PublishError(
                f"--out {out}: the folder is not empty and holds no {MANIFEST}; --force "
                "replaces an earlier snapshot only: choose an empty folder"
            )
        for child in out.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"--out {out}: cannot create it: {exc.strerror}") from None


def publish(
    pub: Publisher, subject: Any, out: Path, *, force: bool = False, lang: str = "en"
) -> Snapshot:
    """Write the snapshot of ``subject`` into ``out``, read in one consistent transaction.

    The pages are in ``lang``; the data and audit files are written in the platform's own
    language whatever ``lang`` is (their texts, such as a rule in words, are data), so they
    are the same bytes in every language's snapshot."""
    check_language(lang)
    prepare(out, force)
    # the snapshot's own transaction sets its isolation; inside a caller's transaction
    # (a test, a script) the reads share that transaction's view instead
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            head = log.signed_head()
        except SigningKeyError as exc:
            raise PublishError(f"cannot sign the audit log's head: {exc}") from None
        snap = Snapshot(out, pub.scope, subject, head, lang)
        with translation.override(settings.LANGUAGE_CODE):
            _data(snap)
            _audit(snap, pub)
        snap.write("snapshot.css", CSS.read_bytes())
        with translation.override(lang):
            pub.pages(subject, snap)
    snap.write(MANIFEST, _dump(_manifest(snap)))
    return snap


def _data(snap: Snapshot) -> None:
    for ds in datasets(snap.scope):
        for fmt in ds.formats:
            body = export(snap.scope, snap.subject, ds.name, fmt)
            snap.write(f"data/{ds.name}.{fmt}", body)
            if fmt == "json":
                snap.data[ds.name] = json.loads(body)


def _audit(snap: Snapshot, pub: Publisher) -> None:
    size = snap.head["tree_size"]
    snap.write("audit/head.json", _dump(snap.head))
    snap.write("audit/checkpoint.txt", snap.head["checkpoint"])
    proofs = []
    seqs = pub.entries(snap.subject).filter(seq__lte=size).order_by("seq")
    for seq in seqs.values_list("seq", flat=True).iterator(chunk_size=1000):
        proof = log.inclusion_proof(seq, size)
        proofs.append(
            {"seq": seq, "leaf_hash": proof.leaf_hash.hex(), "path": [p.hex() for p in proof.path]}
        )
    snap.write(
        "audit/proofs.json",
        _dump({"tree_size": size, "root_hash": snap.head["root_hash"], "proofs": proofs}),
    )


def _manifest(snap: Snapshot) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "lang": snap.lang,
        "scope": snap.scope,
        "subject": scope(snap.scope).key(snap.subject),
        "tree_size": snap.head["tree_size"],
        "root_hash": snap.head["root_hash"],
        "verifier_key": snap.head["verifier_key"],
        "files": dict(sorted(snap.files.items())),
    }
