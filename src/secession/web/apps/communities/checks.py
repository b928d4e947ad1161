"""The communities' tables against the log: who is a member (joined, left, role) and each
community's status, governance and independence."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from secession.web.apps.accounts import events as account_events
from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.communities import events
from secession.web.apps.communities.models import Community, Governance, Membership, Role

MEMBERSHIPS = Membership._meta.db_table
COMMUNITIES = Community._meta.db_table
OFFICE = {Governance.COUNCIL: Role.COUNCIL, Governance.LEADER: Role.LEADER}


class _Member:
    __slots__ = ("community", "joined", "left", "person", "role")

    def __init__(self, community, person, role, joined):
        self.community, self.person, self.role = community, person, role
        self.joined, self.left = joined, None


class MembershipCheck(TableCheck):
    """Every membership row was joined (and, if closed, left) in the log, by the same
    person, in the same community, with the role the log's governance changes give."""

    actions = frozenset(
        {
            events.FOUNDED,
            events.MEMBER_JOINED,
            events.MEMBER_LEFT,
            events.GOVERNANCE_CHANGED,
            events.DORMANT,
            events.REVIVED,
            events.INDEPENDENCE_DECLARED,
            account_events.DELETED,
        }
    )

    def __init__(self) -> None:
        self.members: dict[int, _Member] = {}
        self.active: dict[int, dict[int, int]] = {}  # community -> person -> membership
        self.communities: dict[int, dict] = {}
        self.deleted: set[int] = set()

    def entry(self, e):
        handler = getattr(self, "_" + e.action.replace(".", "_"), None)
        return handler(e) or () if handler else ()

    def _community_founded(self, e):
        self.communities[e.community_id] = {
            "seq": e.seq,
            "status": "active",
            "governance": e.data.get("governance"),
            "independent": False,
        }

    def _membership_joined(self, e):
        mid = e.target_pk
        if mid is None:
            return [Disagreement(MEMBERSHIPS, e.target_id, "a join names no membership", e.seq)]
        member = _Member(e.community_id, e.actor_id, e.data.get("role", Role.MEMBER), e.seq)
        self.members[mid] = member
        self.active.setdefault(e.community_id, {})[e.actor_id] = mid
        return None

    def _membership_left(self, e):
        member = self.members.get(e.target_pk or -1)
        if member is None or member.left is not None:
            why = "never joined" if member is None else "already left"
            return [
                Disagreement(MEMBERSHIPS, e.target_id, f"the log has it leave but it {why}", e.seq)
            ]
        member.left = e.seq
        self.active.get(member.community, {}).pop(member.person, None)
        return None

    def _community_governance_changed(self, e):
        role = OFFICE.get(e.data.get("governance"))
        holders = set(e.data.get("office_holders") or [])
        for person, mid in self.active.get(e.community_id, {}).items():
            self.members[mid].role = role if role and person in holders else Role.MEMBER
        if e.community_id in self.communities:
            self.communities[e.community_id]["governance"] = e.data.get("governance")

    def _community_dormant(self, e):
        self.communities.get(e.community_id, {})["status"] = "dormant"

    def _community_revived(self, e):
        self.communities.get(e.community_id, {})["status"] = "active"

    def _community_independence_declared(self, e):
        self.communities.get(e.community_id, {})["independent"] = True

    def _account_deleted(self, e):
        self.deleted.add(e.actor_id)

    def finish(self):
        yield from self._memberships()
        yield from self._communities()

    def _memberships(self):
        rows = Membership.objects.order_by("id").values_list(
            "id", "community_id", "person_id", "role", "left_at"
        )
        unlinked: list[tuple[int, _Member]] = []
        for mid, community, person, role, left_at in rows.iterator(chunk_size=5000):
            member = self.members.pop(mid, None)
            if member is None:
                yield Disagreement(MEMBERSHIPS, str(mid), "no membership.joined entry for it")
                continue
            if community != member.community:
                yield Disagreement(
                    MEMBERSHIPS,
                    str(mid),
                    f"community {community} in the table, {member.community} in the log",
                    member.joined,
                )
            if person is None:
                unlinked.append((mid, member))
            elif person != member.person:
                yield Disagreement(
                    MEMBERSHIPS,
                    str(mid),
                    f"person {person} in the table, {member.person} in the log",
                    member.joined,
                )
            if (left_at is not None) != (member.left is not None):
                said = "left" if left_at is not None else "a current member"
                log = f"left (entry {member.left})" if member.left else "no membership.left entry"
                yield Disagreement(
                    MEMBERSHIPS,
                    str(mid),
                    f"the table says {said}; the log has {log}",
                    member.left or member.joined,
                )
            elif left_at is None and role != member.role:
                yield Disagreement(
                    MEMBERSHIPS,
                    str(mid),
                    f"role {role!r} in the table, {member.role!r} by the log",
                    member.joined,
                )
        yield from self._unlinked(unlinked)
        for mid, member in sorted(self.members.items()):
            yield Disagreement(
                MEMBERSHIPS,
                str(mid),
                "the log has it joined; the table has no such row (deleted)",
                member.joined,
            )

    def _unlinked(self, unlinked):
        """A membership whose person is gone: only if the log deleted that account."""
        if not unlinked:
            return
        existing = set(
            get_user_model()
            .objects.filter(pk__in={m.person for _, m in unlinked})
            .values_list("pk", flat=True)
        )
        for mid, member in unlinked:
            if member.person in existing or member.person not in self.deleted:
                yield Disagreement(
                    MEMBERSHIPS,
                    str(mid),
                    f"its person was removed, but the log never deleted account #{member.person}",
                    member.joined,
                )

    def _communities(self):
        rows = Community.objects.order_by("id").values_list(
            "id", "status", "governance", "independent"
        )
        for cid, status, governance, independent in rows.iterator(chunk_size=5000):
            logged = self.communities.pop(cid, None)
            if logged is None:
                yield Disagreement(COMMUNITIES, str(cid), "no community.founded entry for it")
                continue
            table = {"status": status, "governance": governance, "independent": independent}
            for key, value in table.items():
                if logged[key] != value:
                    yield Disagreement(
                        COMMUNITIES,
                        str(cid),
                        f"{key} {value!r} in the table, {logged[key]!r} by the log",
                        logged["seq"],
                    )
        for cid, logged in sorted(self.communities.items()):
            yield Disagreement(
                COMMUNITIES, str(cid), "founded in the log; not in the table", logged["seq"]
            )
