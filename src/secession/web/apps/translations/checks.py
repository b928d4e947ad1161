"""Translations against the log: each row's original, language and text hash."""

from __future__ import annotations

from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.translations import events
from secession.web.apps.translations.actions import text_sha256
from secession.web.apps.translations.models import Translation

TABLE = Translation._meta.db_table


class TranslationCheck(TableCheck):
    actions = frozenset({events.ADDED})

    def __init__(self) -> None:
        self.added: dict[int, tuple[int, dict]] = {}

    def entry(self, e):
        if e.target_pk is not None:
            self.added[e.target_pk] = (e.seq, e.data)
        return ()

    def finish(self):
        rows = Translation.objects.order_by("id").values_list(
            "id", "kind", "object_id", "language", "text"
        )
        for tid, kind, object_id, language, text in rows.iterator(chunk_size=500):
            logged = self.added.pop(tid, None)
            if logged is None:
                yield Disagreement(TABLE, str(tid), "no translation.added entry for it")
                continue
            seq, data = logged
            if text_sha256(text) != data.get("text_sha256"):
                yield Disagreement(
                    TABLE, str(tid), "its text's SHA-256 differs from the one logged", seq
                )
            elif (kind, object_id, language) != (
                data.get("kind"),
                data.get("object_id"),
                data.get("language"),
            ):
                yield Disagreement(
                    TABLE,
                    str(tid),
                    f"{kind} {object_id} in {language} in the table; {data.get('kind')} "
                    f"{data.get('object_id')} in {data.get('language')} in the log",
                    seq,
                )
        for tid, (seq, _) in sorted(self.added.items()):
            yield Disagreement(TABLE, str(tid), "added in the log; not in the table", seq)
