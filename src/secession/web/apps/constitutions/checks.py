"""Constitution versions against the log: each version's community, number and text hash."""

from __future__ import annotations

import hashlib

from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.constitutions import events
from secession.web.apps.constitutions.models import ConstitutionVersion

VERSIONS = ConstitutionVersion._meta.db_table


class ConstitutionCheck(TableCheck):
    actions = frozenset({events.ADOPTED})

    def __init__(self) -> None:
        self.adopted: dict[int, tuple[int, int | None, dict]] = {}

    def entry(self, e):
        if e.target_pk is not None:
            self.adopted[e.target_pk] = (e.seq, e.community_id, e.data)
        return ()

    def finish(self):
        rows = ConstitutionVersion.objects.order_by("id").values_list(
            "id", "community_id", "number", "text"
        )
        for vid, community, number, text in rows.iterator(chunk_size=500):
            logged = self.adopted.pop(vid, None)
            if logged is None:
                yield Disagreement(VERSIONS, str(vid), "no constitution.adopted entry for it")
                continue
            seq, logged_community, data = logged
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if digest != data.get("text_sha256"):
                yield Disagreement(
                    VERSIONS,
                    str(vid),
                    "its text's SHA-256 differs from the one "
                    "the log recorded at adoption (the text was edited)",
                    seq,
                )
            elif (community, number) != (logged_community, data.get("number")):
                yield Disagreement(
                    VERSIONS,
                    str(vid),
                    f"community {community}, number {number} "
                    f"in the table; {logged_community}, {data.get('number')} in "
                    "the log",
                    seq,
                )
        for vid, (seq, _, _) in sorted(self.adopted.items()):
            yield Disagreement(VERSIONS, str(vid), "adopted in the log; not in the table", seq)
