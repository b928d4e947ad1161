"""The alliances' tables against the log (``secession audit verify``): every alliance,
membership, charter version, rule, community ballot, proposal, casting rule and pledge as
the log recorded it; and every alliance proposal's result recomputed from the ballots the
log recorded, under the method and rule fixed when it opened."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from secession.exceptions import RuleError
from secession.referendum import GroupVote, decide_weighted
from secession.web.apps.alliances import events
from secession.web.apps.alliances.models import (
    REFERENDUM_METHOD,
    Alliance,
    AllianceEligibility,
    AllianceMembership,
    AllianceProposal,
    AllianceRule,
    CastingRule,
    CharterVersion,
    CommunityBallot,
    Method,
    Pledge,
)
from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.proposals.voting import rule_from_json

ALLIANCES, MEMBERS, CHARTER, RULES = (
    m._meta.db_table for m in (Alliance, AllianceMembership, CharterVersion, AllianceRule)
)
PROPOSALS, ELIGIBLE, BALLOTS = (
    m._meta.db_table for m in (AllianceProposal, AllianceEligibility, CommunityBallot)
)
CASTING, PLEDGES = CastingRule._meta.db_table, Pledge._meta.db_table


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Proposal:
    seq: int
    data: dict
    ballots: dict[int, dict] = field(default_factory=dict)  # community -> ballot data
    closed: dict | None = None

    @property
    def eligible(self) -> dict[int, int]:
        return {int(e["community"]): int(e["weight"]) for e in self.data.get("eligible", [])}


class AllianceCheck(TableCheck):
    actions = frozenset(
        {
            events.FOUNDED,
            events.CHARTER_ADOPTED,
            events.MEMBER_JOINED,
            events.MEMBER_LEFT,
            events.RULES_INSTALLED,
            events.RULE_CHANGED,
            events.PROPOSAL_OPENED,
            events.COMMUNITY_VOTED,
            events.PROPOSAL_CLOSED,
            events.CASTING_CHANGED,
            events.PLEDGE_POSTED,
            events.PLEDGE_CLOSED,
        }
    )

    def __init__(self) -> None:
        self.alliances: dict[int, tuple[int, dict]] = {}
        self.members: dict[int, dict[str, Any]] = {}
        self.active: dict[tuple[int, int], int] = {}  # (alliance, community) -> membership
        self.charter: dict[int, tuple[int, dict]] = {}
        self.rules: dict[tuple[int, str], tuple[int, dict]] = {}
        self.proposals: dict[int, _Proposal] = {}
        self.ballots: dict[int, tuple[int, int | None, dict]] = {}
        self.casting: dict[int, tuple[int, str]] = {}
        self.pledges: dict[int, dict[str, Any]] = {}

    def entry(self, e):
        handler = getattr(self, "_" + e.action.replace(".", "_"), None)
        return (handler(e) or ()) if handler else ()

    # -- replay ---------------------------------------------------------------------
    def _alliance_founded(self, e):
        self.alliances[e.target_pk or -1] = (e.seq, e.data)

    def _alliance_charter_adopted(self, e):
        self.charter[e.target_pk or -1] = (e.seq, e.data)

    def _alliance_member_joined(self, e):
        alliance = e.data.get("alliance")
        self.members[e.target_pk or -1] = {
            "seq": e.seq,
            "alliance": alliance,
            "community": e.community_id,
            "founder": bool(e.data.get("founder")),
            "left": None,
        }
        self.active[(alliance, e.community_id)] = e.target_pk or -1

    def _alliance_member_left(self, e):
        member = self.members.get(e.target_pk or -1)
        if member is None or member["left"] is not None:
            why = "never joined" if member is None else "already left"
            return [Disagreement(MEMBERS, e.target_id, f"the log has it leave but it {why}", e.seq)]
        member["left"] = e.seq
        self.active.pop((member["alliance"], member["community"]), None)
        return None

    def _alliance_rules_installed(self, e):
        rule = {k: e.data.get(k) for k in ("method", "rule", "window_minutes")}
        for kind in e.data.get("kinds", []):
            self.rules[(e.data.get("alliance"), kind)] = (e.seq, rule)

    def _alliance_rule_changed(self, e):
        self.rules[(e.data.get("alliance"), e.data.get("kind"))] = (e.seq, e.data.get("after"))

    def _alliance_proposal_opened(self, e):
        self.proposals[e.target_pk or -1] = _Proposal(e.seq, e.data)

    def _alliance_community_voted(self, e):
        pid = e.data.get("alliance_proposal")
        self.ballots[e.target_pk or -1] = (e.seq, e.community_id, e.data)
        p = self.proposals.get(pid)
        if p is None or p.closed is not None:
            why = "never opened" if p is None else "already closed"
            return [Disagreement(BALLOTS, e.target_id, f"a ballot on a proposal {why}", e.seq)]
        if e.community_id in p.ballots or e.community_id not in p.eligible:
            why = "a second ballot" if e.community_id in p.ballots else "a ballot from outside"
            return [Disagreement(BALLOTS, e.target_id, f"{why} of its electorate", e.seq)]
        p.ballots[e.community_id] = e.data
        return None

    def _alliance_proposal_closed(self, e):
        p = self.proposals.get(e.target_pk or -1)
        if p is None or p.closed is not None:
            return [Disagreement(PROPOSALS, e.target_id, "closed in the log but not open", e.seq)]
        p.closed = {"seq": e.seq, **e.data}
        recomputed = self._recompute(p)
        if recomputed is not None and recomputed != bool(e.data.get("passed")):
            return [
                Disagreement(
                    PROPOSALS,
                    e.target_id,
                    f"the ballots in the log give {'passed' if recomputed else 'failed'} under "
                    f"its rule, but its close recorded {e.data.get('passed')}",
                    e.seq,
                )
            ]
        return None

    def _recompute(self, p: _Proposal) -> bool | None:
        """The result from the log alone: the ballots, less those of communities that left
        while it was open (unless the charter kept them), by the method and rule."""
        alliance = p.data.get("alliance")
        keep = bool(p.data.get("leavers_keep_vote"))
        weighted = p.data.get("method") == Method.WEIGHTED
        votes = []
        for community, weight in p.eligible.items():
            if not keep and (alliance, community) not in self.active:
                continue  # left during the vote: no longer counts
            b = p.ballots.get(community)
            choice = None if b is None or b.get("choice") == "none" else b.get("choice")
            split = None
            if b is not None and weighted and b.get("decided_by") == "members":
                split = (int(b.get("yes", 0)), int(b.get("no", 0)))
            votes.append(GroupVote(str(community), weight, choice, split))
        try:
            rule = rule_from_json(p.data.get("rule") or {})
            method = REFERENDUM_METHOD[p.data.get("method")]
            return decide_weighted(rule, votes, method=method).passed
        except (RuleError, KeyError, ValueError):
            return None  # a rule that cannot apply closes as failed: compared as stored

    def _alliance_casting_changed(self, e):
        self.casting[e.community_id or -1] = (e.seq, e.data.get("after"))

    def _pledge_posted(self, e):
        self.pledges[e.target_pk or -1] = {"seq": e.seq, "community": e.community_id, **e.data}

    def _pledge_closed(self, e):
        pledge = self.pledges.get(e.target_pk or -1)
        if pledge is None:
            return [Disagreement(PLEDGES, e.target_id, "closed in the log, never posted", e.seq)]
        pledge["status"] = e.data.get("status")
        return None

    # -- the tables -------------------------------------------------------------------
    def finish(self):
        yield from self._alliances()
        yield from self._memberships()
        yield from self._charter()
        yield from self._rules()
        yield from self._proposals()
        yield from self._ballots()
        yield from self._casting()
        yield from self._pledges()

    @staticmethod
    def _compare(table, row, seq, pairs):
        for name, have, logged in pairs:
            if have != logged:
                yield Disagreement(
                    table, str(row), f"{name} {have!r} in the table, {logged!r} in the log", seq
                )

    def _alliances(self):
        for aid, name, slug in Alliance.objects.order_by("id").values_list("id", "name", "slug"):
            logged = self.alliances.pop(aid, None)
            if logged is None:
                yield Disagreement(ALLIANCES, str(aid), "no alliance.founded entry for it")
                continue
            seq, data = logged
            yield from self._compare(
                ALLIANCES,
                aid,
                seq,
                [("name", name, data.get("name")), ("slug", slug, data.get("slug"))],
            )
        for aid, (seq, _) in sorted(self.alliances.items()):
            yield Disagreement(ALLIANCES, str(aid), "founded in the log; not in the table", seq)

    def _memberships(self):
        rows = AllianceMembership.objects.order_by("id").values_list(
            "id", "alliance_id", "community_id", "founder", "left_at"
        )
        for mid, alliance, community, founder, left_at in rows.iterator(chunk_size=5000):
            m = self.members.pop(mid, None)
            if m is None:
                yield Disagreement(MEMBERS, str(mid), "no alliance.member_joined entry for it")
                continue
            yield from self._compare(
                MEMBERS,
                mid,
                m["seq"],
                [
                    ("alliance", alliance, m["alliance"]),
                    ("community", community, m["community"]),
                    ("founder", founder, m["founder"]),
                    ("left", left_at is not None, m["left"] is not None),
                ],
            )
        for mid, m in sorted(self.members.items()):
            yield Disagreement(MEMBERS, str(mid), "joined in the log; not in the table", m["seq"])

    def _charter(self):
        rows = CharterVersion.objects.order_by("id").values_list(
            "id", "alliance_id", "number", "text", "admission", "leavers_keep_vote"
        )
        for vid, alliance, number, text, admission, keep in rows.iterator(chunk_size=500):
            logged = self.charter.pop(vid, None)
            if logged is None:
                yield Disagreement(CHARTER, str(vid), "no alliance.charter_adopted entry for it")
                continue
            seq, data = logged
            if _sha(text) != data.get("text_sha256"):
                yield Disagreement(
                    CHARTER,
                    str(vid),
                    "its text's SHA-256 differs from the one the log recorded at adoption "
                    "(the text was edited)",
                    seq,
                )
            yield from self._compare(
                CHARTER,
                vid,
                seq,
                [
                    ("alliance", alliance, data.get("alliance")),
                    ("number", number, data.get("number")),
                    ("admission", admission, data.get("admission")),
                    ("leavers_keep_vote", keep, data.get("leavers_keep_vote")),
                ],
            )
        for vid, (seq, _) in sorted(self.charter.items()):
            yield Disagreement(CHARTER, str(vid), "adopted in the log; not in the table", seq)

    def _rules(self):
        rows = AllianceRule.objects.order_by("id").values_list(
            "id", "alliance_id", "kind", "method", "rule", "window_minutes"
        )
        for rid, alliance, kind, method, rule, window in rows.iterator(chunk_size=5000):
            logged = self.rules.get((alliance, kind))
            if logged is None:
                yield Disagreement(RULES, str(rid), "no entry installed or changed this rule")
                continue
            seq, data = logged
            yield from self._compare(
                RULES,
                rid,
                seq,
                [
                    ("method", method, data.get("method")),
                    ("rule", rule, data.get("rule")),
                    ("window_minutes", window, data.get("window_minutes")),
                ],
            )

    def _proposals(self):
        rows = AllianceProposal.objects.order_by("id").values_list(
            "id", "kind", "method", "rule", "status", "passed"
        )
        eligible: dict[int, dict[int, int]] = {}
        for pid, community, weight in AllianceEligibility.objects.values_list(
            "proposal_id", "community_id", "weight"
        ).iterator(chunk_size=5000):
            eligible.setdefault(pid, {})[community] = weight
        for pid, kind, method, rule, status, passed in rows.iterator(chunk_size=2000):
            p = self.proposals.pop(pid, None)
            if p is None:
                yield Disagreement(PROPOSALS, str(pid), "no alliance.proposal_opened entry")
                continue
            closed = p.closed is not None
            yield from self._compare(
                PROPOSALS,
                pid,
                p.seq,
                [
                    ("kind", kind, p.data.get("kind")),
                    ("method", method, p.data.get("method")),
                    ("rule", rule, p.data.get("rule")),
                    ("status", status, "closed" if closed else "open"),
                    ("passed", passed, p.closed.get("passed") if closed else None),
                ],
            )
            if eligible.get(pid, {}) != p.eligible:
                yield Disagreement(
                    ELIGIBLE,
                    str(pid),
                    "the member communities and weights that vote on it differ from those "
                    "its opening recorded",
                    p.seq,
                )
        for pid, p in sorted(self.proposals.items()):
            yield Disagreement(PROPOSALS, str(pid), "opened in the log; not in the table", p.seq)

    def _ballots(self):
        rows = CommunityBallot.objects.order_by("id").values_list(
            "id", "proposal_id", "community_id", "choice", "decided_by", "yes", "no", "abstain"
        )
        for bid, pid, community, choice, by, yes, no, abstain in rows.iterator(chunk_size=5000):
            logged = self.ballots.pop(bid, None)
            if logged is None:
                yield Disagreement(BALLOTS, str(bid), "no alliance.community_voted entry for it")
                continue
            seq, logged_community, data = logged
            yield from self._compare(
                BALLOTS,
                bid,
                seq,
                [
                    ("proposal", pid, data.get("alliance_proposal")),
                    ("community", community, logged_community),
                    ("choice", choice, data.get("choice")),
                    ("decided_by", by, data.get("decided_by")),
                    (
                        "counts",
                        (yes, no, abstain),
                        (data.get("yes"), data.get("no"), data.get("abstain")),
                    ),
                ],
            )
        for bid, (seq, _, _) in sorted(self.ballots.items()):
            yield Disagreement(BALLOTS, str(bid), "cast in the log; not in the table", seq)

    def _casting(self):
        for cid, community, by in CastingRule.objects.order_by("id").values_list(
            "id", "community_id", "by"
        ):
            logged = self.casting.get(community)
            if logged is None:
                yield Disagreement(CASTING, str(cid), "no alliance.casting_changed entry for it")
            elif logged[1] != by:
                yield Disagreement(
                    CASTING,
                    str(cid),
                    f"by {by!r} in the table, {logged[1]!r} in the log",
                    logged[0],
                )

    def _pledges(self):
        rows = Pledge.objects.order_by("id").values_list(
            "id", "alliance_id", "community_id", "kind", "title", "status"
        )
        for pid, alliance, community, kind, title, status in rows.iterator(chunk_size=5000):
            logged = self.pledges.pop(pid, None)
            if logged is None:
                yield Disagreement(PLEDGES, str(pid), "no pledge.posted entry for it")
                continue
            yield from self._compare(
                PLEDGES,
                pid,
                logged["seq"],
                [
                    ("alliance", alliance, logged.get("alliance")),
                    ("community", community, logged.get("community")),
                    ("kind", kind, logged.get("kind")),
                    ("title", title, logged.get("title")),
                    ("status", status, logged.get("status", "open")),
                ],
            )
        for pid, logged in sorted(self.pledges.items()):
            yield Disagreement(
                PLEDGES, str(pid), "posted in the log; not in the table", logged["seq"]
            )
