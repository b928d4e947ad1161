"""The proposals' tables against the log: each proposal as opened, who voted (ballots),
public choices, secret tallies (papers), results (recomputed from the log's votes with the
rule fixed at opening), and the voting rules in force."""

from __future__ import annotations

import hashlib
from collections import Counter

from django.contrib.auth import get_user_model

from secession.exceptions import RuleError
from secession.web.apps.accounts import events as account_events
from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.proposals import events
from secession.web.apps.proposals.models import (
    Ballot,
    Choice,
    Eligibility,
    Proposal,
    SecretBallotPaper,
    Status,
    VotingRule,
)
from secession.web.apps.proposals.voting import tally

PROPOSALS = Proposal._meta.db_table
BALLOTS = Ballot._meta.db_table
PAPERS = SecretBallotPaper._meta.db_table
ELIGIBLE = Eligibility._meta.db_table
RULES = VotingRule._meta.db_table


def _opened_count(data: dict) -> int | None:
    """How many were eligible, as the opening recorded it (a list of ids, or a count)."""
    if isinstance(data.get("eligible"), list):
        return len(data["eligible"])
    count = data.get("eligible_count")
    return count if isinstance(count, int) else None


def _digest(person_ids) -> str:
    digest = hashlib.sha256()
    for pid in person_ids:
        digest.update(f"{pid}\n".encode("ascii"))
    return digest.hexdigest()


class _Proposal:
    __slots__ = ("closed", "community", "counting", "data", "effect", "opened", "votes")

    def __init__(self, e):
        self.opened, self.community, self.data = e.seq, e.community_id, e.data
        self.votes: dict[int, tuple[str, int]] = {}  # voter -> (choice, seq)
        self.counting: tuple[int, dict] | None = None  # a verifiable vote closed to ballots
        self.closed: tuple[int, dict] | None = None  # (seq, data)
        self.effect: str | None = None

    @property
    def secret(self) -> bool:
        return bool(self.data.get("secret"))

    @property
    def verifiable(self) -> bool:
        """Counted by its trustees from encrypted ballots (its board checks the count)."""
        return bool(self.data.get("verifiable"))


class ProposalCheck(TableCheck):
    actions = frozenset(
        {
            events.PROPOSAL_OPENED,
            events.VOTE_CAST,
            events.PROPOSAL_CLOSED,
            events.PROPOSAL_COUNTING,
            events.EFFECT_SKIPPED,
            events.RULES_INSTALLED,
            events.RULE_CHANGED,
            account_events.DELETED,
        }
    )

    def __init__(self) -> None:
        self.proposals: dict[int, _Proposal] = {}
        self.done: dict[int, _Proposal] = {}  # closed and checked (votes released)
        self.rules: dict[tuple[int, str], tuple[int, dict]] = {}  # (community, kind) -> rule
        self.deleted: set[int] = set()
        self.unlinked: list[tuple] = []  # ballots and votes to match once deletions are known
        self._existing: set[int] | None = None

    def entry(self, e):
        if e.action == events.PROPOSAL_OPENED and e.target_pk is not None:
            self.proposals[e.target_pk] = _Proposal(e)
        elif e.action == events.VOTE_CAST:
            p = self.proposals.get(e.target_pk or -1)
            if p is None:
                return [
                    Disagreement(
                        PROPOSALS,
                        e.target_id,
                        "a vote on a proposal the log never opened (or already closed)",
                        e.seq,
                    )
                ]
            if e.actor_id in p.votes:
                return [
                    Disagreement(
                        BALLOTS,
                        "",
                        f"the log has account #{e.actor_id} vote twice on proposal {e.target_id}",
                        e.seq,
                    )
                ]
            p.votes[e.actor_id] = (e.data.get("choice", ""), e.seq)
        elif e.action == events.PROPOSAL_CLOSED:
            p = self.proposals.pop(e.target_pk or -1, None)
            if p is None:
                return [
                    Disagreement(
                        PROPOSALS, e.target_id, "closed in the log but never opened", e.seq
                    )
                ]
            p.closed = (e.seq, e.data)
            found = list(self._closed(e.target_pk, p))
            p.votes = {}  # checked: keep memory to what is still open
            self.done[e.target_pk] = p
            return found
        elif e.action == events.PROPOSAL_COUNTING:
            p = self.proposals.get(e.target_pk or -1)
            if p is not None:
                p.counting = (e.seq, e.data)
        elif e.action == events.EFFECT_SKIPPED:
            p = self.done.get(e.target_pk or -1)
            if p is not None:
                p.effect = e.data.get("reason")
        elif e.action == events.RULES_INSTALLED:
            for kind, name in e.data.items():
                self.rules[(e.community_id, kind)] = (e.seq, {"name": name})
        elif e.action == events.RULE_CHANGED:
            after = e.data.get("after") or {}
            self.rules[(e.community_id, e.data.get("kind"))] = (e.seq, after)
        elif e.action == account_events.DELETED:
            self.deleted.add(e.actor_id)
        return ()

    # -- one proposal's ballots, papers and result -------------------------------------

    def _closed(self, pid: int, p: _Proposal):
        seq, data = p.closed
        yield from self._ballots(pid, p)
        result = data.get("result") or {}
        if p.verifiable:  # the trustees' decrypted counts, checked against its board
            stored = (
                Proposal.objects.filter(pk=pid).values_list("result", flat=True).first() or {}
            ).get("counts") or {}
            counts = {c: int(stored.get(c) or 0) for c in Choice.values}
        elif p.secret:
            counts = self._paper_counts(pid)
            logged = {c: (result.get("totals") or {}).get(c) for c in Choice.values}
            if counts != logged:
                yield Disagreement(
                    PAPERS,
                    "",
                    f"proposal {pid}: the papers count {counts}, the log's result {logged}",
                    seq,
                )
        else:
            counts = {c: 0 for c in Choice.values}
            for choice, _ in p.votes.values():
                counts[choice] = counts.get(choice, 0) + 1
        if result.get("voters") != len(p.votes):
            yield Disagreement(
                PROPOSALS,
                str(pid),
                f"the result counts {result.get('voters')} "
                f"voters, the log has {len(p.votes)} votes",
                seq,
            )
        eligible = result.get("eligible")
        opened = _opened_count(p.data)
        if opened is not None and eligible != opened:
            yield Disagreement(
                PROPOSALS,
                str(pid),
                f"the result has {eligible} eligible, the opening {opened}",
                seq,
            )
        try:
            outcome = tally(p.data.get("rule") or {}, eligible=int(eligible or 0), **counts)
            passed = outcome.passed
            totals = {k: (int(v) if v is not None else None) for k, v in outcome.totals.items()}
        except (RuleError, TypeError, ValueError):
            passed, totals = False, None
        if passed != data.get("passed") or (totals is not None and totals != result.get("totals")):
            yield Disagreement(
                PROPOSALS,
                str(pid),
                "its votes under its rule give "
                f"passed={passed}, totals {totals}; the log's result says "
                f"passed={data.get('passed')}, totals {result.get('totals')}",
                seq,
            )

    def _ballots(self, pid: int, p: _Proposal):
        rows = Ballot.objects.filter(proposal_id=pid).order_by("id")
        seen, orphans = set(), []
        for bid, voter, choice in rows.values_list("id", "voter_id", "choice").iterator(5000):
            if voter is None:
                orphans.append((bid, choice))
                continue
            logged = p.votes.get(voter)
            if logged is None:
                yield Disagreement(
                    BALLOTS,
                    str(bid),
                    f"account #{voter} has a ballot on proposal {pid} but no vote.cast entry",
                )
                continue
            seen.add(voter)
            expected = "" if p.secret else logged[0]
            if choice != expected:
                yield Disagreement(
                    BALLOTS,
                    str(bid),
                    f"choice {choice!r} in the table, {expected!r} in the log",
                    logged[1],
                )
        missing = [(v, c, s) for v, (c, s) in p.votes.items() if v not in seen]
        if missing or orphans:  # settled at the end: an account may be deleted later
            self.unlinked.append((pid, p.secret, p.opened, missing, orphans))

    def _settle_unlinked(self):
        """Ballots whose voter is gone match the log's votes of accounts it deleted."""
        for pid, secret, opened, missing, orphans in self.unlinked:
            gone = []
            for voter, choice, seq in missing:
                if voter in self.deleted and voter not in self._existing_users():
                    gone.append(choice)
                else:
                    yield Disagreement(
                        BALLOTS,
                        "",
                        f"the log has account #{voter} vote on proposal {pid}; no ballot is "
                        "in the table",
                        seq,
                    )
            expected = Counter("" if secret else c for c in gone)
            actual = Counter(choice for _, choice in orphans)
            if expected != actual:
                row = str(orphans[0][0]) if orphans else ""
                yield Disagreement(
                    BALLOTS,
                    row,
                    f"proposal {pid}: ballots of removed accounts {dict(actual)}, the log's "
                    f"votes of deleted accounts {dict(expected)}",
                    opened,
                )

    def _existing_users(self) -> set[int]:
        if self._existing is None:
            pks = get_user_model().objects.filter(pk__in=self.deleted).values_list("pk", flat=True)
            self._existing = set(pks)
        return self._existing

    @staticmethod
    def _paper_counts(pid: int) -> dict[str, int]:
        counts = {c: 0 for c in Choice.values}
        papers = SecretBallotPaper.objects.filter(proposal_id=pid).exclude(choice="")
        for choice, n in Counter(papers.values_list("choice", flat=True).iterator(5000)).items():
            counts[choice] = n
        return counts

    # -- after the last entry -------------------------------------------------------------

    def finish(self):
        for pid, p in sorted(self.proposals.items()):  # still open in the log
            yield from self._ballots(pid, p)
            if p.secret and not p.verifiable:
                filled = sum(self._paper_counts(pid).values())
                if filled != len(p.votes):
                    yield Disagreement(
                        PAPERS,
                        "",
                        f"proposal {pid}: {filled} filled papers, {len(p.votes)} votes in the log",
                        p.opened,
                    )
            yield from self._eligible(pid, p)
        for pid, p in sorted(self.done.items()):
            yield from self._eligible(pid, p)
        yield from self._settle_unlinked()
        yield from self._proposal_rows()
        yield from self._rules()

    def _eligible(self, pid: int, p: _Proposal):
        """The electorate in the table is the one the opening recorded: its list of ids, or
        its count and digest (SHA-256 of the ids, ascending, one a line)."""
        listed, count = p.data.get("eligible"), _opened_count(p.data)
        if count is None:
            return  # an opening that does not record its electorate: nothing to compare
        table = list(
            Eligibility.objects.filter(proposal_id=pid)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .iterator(chunk_size=20_000)
        )
        kept = [x for x in table if x is not None]
        if len(table) != count:
            same = False
        elif isinstance(listed, list):
            same = set(kept) <= set(listed)  # a deleted account's row keeps no person
        elif len(kept) == len(table) and p.data.get("electorate_digest"):
            same = _digest(kept) == p.data["electorate_digest"]
        else:
            same = True
        if not same:
            yield Disagreement(
                ELIGIBLE,
                "",
                f"proposal {pid}: the electorate in the table ({len(table)} rows) differs from "
                f"the one its opening recorded ({count})",
                p.opened,
            )

    def _proposal_rows(self):
        rows = Proposal.objects.order_by("id").values_list(
            "id", "community_id", "kind", "title", "secret", "status", "passed", "result"
        )
        for pid, community, kind, title, secret, status, passed, result in rows.iterator(2000):
            p = self.done.pop(pid, None) or self.proposals.pop(pid, None)
            if p is None:
                yield Disagreement(PROPOSALS, str(pid), "no proposal.opened entry for it")
                continue
            opened = {"kind": kind, "title": title, "secret": secret}
            for key, value in opened.items():
                if p.data.get(key) != value:
                    yield Disagreement(
                        PROPOSALS,
                        str(pid),
                        f"{key} {value!r} in the table, {p.data.get(key)!r} in the log",
                        p.opened,
                    )
            if community != p.community:
                yield Disagreement(
                    PROPOSALS, str(pid), "its community differs from the log's", p.opened
                )
            if p.closed is None and p.counting is not None:
                if status != getattr(Status, "COUNTING", "counting") or result != (
                    p.counting[1].get("result") or {}
                ):
                    yield Disagreement(
                        PROPOSALS,
                        str(pid),
                        f"status {status!r} in the table; the log has it "
                        "closed to ballots and counting",
                        p.counting[0],
                    )
                continue
            if p.closed is None:
                if status != Status.OPEN:
                    yield Disagreement(
                        PROPOSALS,
                        str(pid),
                        f"status {status!r} in the table, no proposal.closed entry",
                        p.opened,
                    )
                continue
            seq, data = p.closed
            logged = dict(data.get("result") or {})
            if p.effect is not None:
                logged["effect"] = p.effect
            if p.verifiable and isinstance(result, dict) and "counts" in result:
                logged["counts"] = result["counts"]  # its board's check: verifiable.checks
            if status != Status.CLOSED or passed != data.get("passed") or result != logged:
                yield Disagreement(
                    PROPOSALS,
                    str(pid),
                    f"status {status!r}, passed={passed} "
                    f"in the table; the log closed it with passed="
                    f"{data.get('passed')} and another result",
                    seq,
                )
        for pid, p in sorted({**self.done, **self.proposals}.items()):
            yield Disagreement(PROPOSALS, str(pid), "opened in the log; not in the table", p.opened)

    def _rules(self):
        rows = VotingRule.objects.order_by("id").values_list(
            "id", "community_id", "kind", "rule", "window_minutes", "secret"
        )
        for rid, community, kind, rule, window, secret in rows.iterator(2000):
            logged = self.rules.pop((community, kind), None)
            if logged is None:
                yield Disagreement(RULES, str(rid), "no rules.installed entry for it")
                continue
            seq, after = logged
            if "rule" in after:
                same = (after["rule"], after.get("window_minutes"), after.get("secret")) == (
                    rule,
                    window,
                    secret,
                )
            else:
                same = isinstance(rule, dict) and rule.get("name") == after.get("name")
            if not same:
                yield Disagreement(
                    RULES,
                    str(rid),
                    f"the rule for {kind!r} differs from the log's last installation or change",
                    seq,
                )
