"""The registry's tables against the audit log (``secession audit verify`` replays it):
every declaration and recognition row was recorded by its entry, with the same people,
recogniser (of any kind: a people, an alliance), vote and supersession, and each withdrawal
by its own entry."""

from __future__ import annotations

from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.registry import events
from secession.web.apps.registry.models import Declaration, Recognition

DECLARATIONS = "registry_declaration"
RECOGNITIONS = "registry_recognition"


class RegistryCheck(TableCheck):
    actions = frozenset(
        {events.DECLARATION_PUBLISHED, events.RECOGNISED, events.RECOGNITION_WITHDRAWN}
    )

    def __init__(self) -> None:
        self.declared: dict[int, dict] = {}  # declaration pk -> what the log says
        self.recognised: dict[int, dict] = {}  # entry seq -> what the log says
        self.withdrawn: dict[int, int] = {}  # recognition pk -> entry seq

    def entry(self, e):
        if e.action == events.DECLARATION_PUBLISHED:
            if e.target_pk is None:
                return [Disagreement(DECLARATIONS, e.target_id, "names no declaration", e.seq)]
            self.declared[e.target_pk] = {
                "seq": e.seq,
                "community": e.community_id,
                "kind": e.data.get("kind"),
                "proposal": e.data.get("proposal"),
                "supersedes": e.data.get("supersedes"),
            }
        elif e.action == events.RECOGNISED:
            self.recognised[e.seq] = {
                "recognised": e.target_pk,
                "type": e.data.get("recogniser_type"),
                "id": e.data.get("recogniser_id"),
                "proposal": e.data.get("proposal"),
                "decision": e.data.get("decision"),
            }
        else:
            pk = e.data.get("recognition")
            if isinstance(pk, int):
                self.withdrawn[pk] = e.seq
        return ()

    def finish(self):
        rows = Declaration.objects.values_list(
            "pk", "community_id", "kind", "proposal_id", "supersedes_id"
        )
        seen = set()
        for pk, community, kind, proposal, supersedes in rows.iterator(chunk_size=2000):
            seen.add(pk)
            said = self.declared.get(pk)
            if said is None:
                yield Disagreement(DECLARATIONS, str(pk), "published with no log entry")
                continue
            table = {
                "community": community,
                "kind": kind,
                "proposal": proposal,
                "supersedes": supersedes,
            }
            for key, value in table.items():
                if said[key] != value:
                    yield Disagreement(
                        DECLARATIONS,
                        str(pk),
                        f"its {key} is {value!r}, the log says {said[key]!r}",
                        said["seq"],
                    )
        for pk in sorted(set(self.declared) - seen):
            yield Disagreement(
                DECLARATIONS, str(pk), "in the log but not in the table", self.declared[pk]["seq"]
            )
        seen_seq = set()
        rows = Recognition.objects.values_list(
            "pk",
            "audit_seq",
            "recognised_id",
            "recogniser_type",
            "recogniser_id",
            "proposal_id",
            "decision",
            "withdrawn_at",
            "withdrawal_audit_seq",
        )
        for (
            pk,
            seq,
            recognised,
            kind,
            rid,
            proposal,
            decision,
            withdrawn_at,
            w_seq,
        ) in rows.iterator(chunk_size=2000):
            seen_seq.add(seq)
            said = self.recognised.get(seq)
            if said is None:
                yield Disagreement(RECOGNITIONS, str(pk), "recorded with no log entry", seq)
                continue
            table = {
                "recognised": recognised,
                "type": kind,
                "id": rid,
                "proposal": proposal,
                "decision": decision,
            }
            for key, value in table.items():
                if said[key] != value:
                    yield Disagreement(
                        RECOGNITIONS,
                        str(pk),
                        f"its {key} is {value!r}, the log says {said[key]!r}",
                        seq,
                    )
            logged = self.withdrawn.get(pk)
            if (withdrawn_at is None) != (logged is None) or (logged and logged != w_seq):
                yield Disagreement(
                    RECOGNITIONS,
                    str(pk),
                    "withdrawn in the table but not in the log, or the other way round",
                    seq,
                )
        for seq in sorted(set(self.recognised) - seen_seq):
            yield Disagreement(RECOGNITIONS, "", "a recognition in the log has no row", seq)
