"""Verifiable ballot actions: the election's setup when a verifiable proposal opens, the
trustees' records and sealed shares, casting and auditing encrypted ballots, the tally at
close, the trustees' decryption shares and the result.

Every action runs in one transaction that posts its board entry (under a lock of the
election row, so positions follow one another) and writes its audit row. Each step checks
its input with :mod:`secession.ballots` before posting, so the board always passes
``secession ballots verify``. Casting costs the same whatever the number of ballots: it
reads the key entries only, and the database's unique constraints refuse a second ballot
of a voter, a copied ballot or a cast audited one.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from secession.ballots.ballot import Ballot, check_audit, check_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.elgamal import Ciphertext
from secession.ballots.hashing import canonical_json
from secession.ballots.manifest import Manifest
from secession.ballots.tally import DecryptionShare, check_share, combine, encrypted_tally
from secession.ballots.trustees import TrusteePublic
from secession.ballots.verify import key_entry
from secession.web.apps.audit.log import record
from secession.web.apps.proposals import events as proposal_events
from secession.web.apps.proposals.actions import (
    close_if_everyone_voted,
    finish_counting,
    lock_for_voting,
    register_voter,
)
from secession.web.apps.proposals.models import Choice, Proposal, Status
from secession.web.apps.verifiable import events
from secession.web.apps.verifiable.models import Election, Entry, SealedShares
from secession.web.errors import Refused

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User

#: the options of a platform ballot, in board order
OPTIONS = tuple(Choice.values)
SETUP_KINDS = ("manifest", "trustee", "key")


class NotReady(Refused):
    """The election is not in the phase this step needs (HTTP 409)."""


def election_id(proposal: Proposal) -> str:
    return f"{proposal.community.slug}/proposal-{proposal.pk}"


def create_election(proposal: Proposal, rule) -> Election | None:
    """Set up the election of a proposal opened under a verifiable rule: its manifest
    (question, options, trustees, threshold, electorate size) is the board's first entry."""
    if not proposal.verifiable:
        return None
    ids = list(rule.trustees)
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    if not ids or not 1 <= rule.trustee_threshold <= len(ids) or set(ids) - set(names):
        raise ValidationError(
            _(
                "this kind's verifiable rule has no valid trustees (every trustee must still "
                "have an account); change the rule first"
            )
        )
    manifest = Manifest(
        election=election_id(proposal),
        question=proposal.title,
        options=OPTIONS,
        trustees=tuple(names[i] for i in ids),
        threshold=rule.trustee_threshold,
        eligible=proposal.eligible_count,
    )
    election = Election.objects.create(proposal=proposal, trustees=ids)
    _post(election, "manifest", manifest.to_json(), actor=proposal.author)
    return election


def _post(
    election: Election,
    kind: str,
    data: dict,
    *,
    actor=None,
    tracker: str | None = None,
    ballot_id: str | None = None,
) -> Entry:
    """Append one entry under the election's lock; audit it (its position, type and the
    SHA-256 of its canonical bytes, which the board's verifier can match)."""
    locked = Election.objects.select_for_update().get(pk=election.pk)
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                election=locked,
                position=locked.length,
                kind=kind,
                tracker=tracker,
                ballot_id=ballot_id,
                data=data,
            )
    except IntegrityError:
        raise Refused(_("this ballot (or its id) is already on the board")) from None
    locked.length += 1
    locked.save(update_fields=["length"])
    election.length = locked.length
    record(
        events.ENTRY_POSTED,
        actor=actor,
        community=locked.proposal.community,
        target=locked.proposal,
        data={
            "position": entry.position,
            "type": kind,
            "sha256": hashlib.sha256(canonical_json(data)).hexdigest(),
        },
    )
    return entry


# --- reading the board --------------------------------------------------------------------


def board_of(election: Election) -> Board:
    """The whole board (for downloads and the verifier; cast and decrypt never need it)."""
    return Board(list(election.entries.order_by("position").values_list("data", flat=True)))


def entries_of(election: Election, *kinds: str) -> list[dict]:
    return list(
        election.entries.filter(kind__in=kinds).order_by("position").values_list("data", flat=True)
    )


def manifest_of(election: Election) -> Manifest:
    return Manifest.from_json(entries_of(election, "manifest")[0])


def key_of(election: Election) -> ElectionKey:
    """The election key from the trustee records (raises NotReady before they are all in)."""
    entries = entries_of(election, *SETUP_KINDS)
    if not any(e["type"] == "key" for e in entries):
        raise NotReady(_("the trustees have not all posted their records yet"))
    manifest = Manifest.from_json(entries[0])
    publics = [TrusteePublic.from_json(e, manifest) for e in entries if e["type"] == "trustee"]
    return ElectionKey(manifest, tuple(sorted(publics, key=lambda p: p.index)))


def is_ready(election: Election) -> bool:
    """Ballots may be cast: the key is posted and every trustee has sent its shares."""
    n = len(election.trustees)
    return election.entries.filter(kind="key").exists() and election.shares.count() == n


def trustee_index(election: Election, person: User) -> int:
    if not person.has_perm("verifiable.act_as_trustee", election):
        raise PermissionDenied(_("only this vote's trustees can do this"))
    return election.trustees.index(person.pk) + 1


# --- trustees -------------------------------------------------------------------------


def post_trustee_record(election: Election, *, person: User, data: object) -> Entry:
    """Post a trustee's public record (its proofs checked); the last one posts the key."""
    index = trustee_index(election, person)
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        manifest = manifest_of(locked)
        public = TrusteePublic.from_json(data, manifest, "trustee record")
        if public.index != index:
            raise PermissionDenied(
                _("you are trustee {index}; this record is trustee {other}'s").format(
                    index=index, other=public.index
                )
            )
        public.check(manifest)
        posted = entries_of(locked, "trustee", "key")
        if any(e["type"] == "key" for e in posted) or any(e["index"] == index for e in posted):
            raise NotReady(
                _("trustee {index}'s record is already on the board").format(index=index)
            )
        entry = _post(locked, "trustee", public.to_json(), actor=person)
        records = [*posted, public.to_json()]
        if len(records) == manifest.n:
            publics = sorted(
                (TrusteePublic.from_json(e, manifest) for e in records), key=lambda p: p.index
            )
            _post(locked, "key", key_entry(ElectionKey(manifest, tuple(publics))), actor=person)
    return entry


def post_shares(election: Election, *, person: User, data: object) -> SealedShares:
    """Keep a trustee's sealed shares for the others (after every record is posted)."""
    index = trustee_index(election, person)
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        key = key_of(locked)
        others = {i for i in range(1, key.manifest.n + 1) if i != index}
        if (
            not isinstance(data, dict)
            or data.get("type") != "trustee-shares"
            or data.get("from") != index
            or data.get("election") != key.manifest.election
            or not isinstance(data.get("shares"), list)
            or {s.get("to") for s in data["shares"] if isinstance(s, dict)} != others
            or len(data["shares"]) != len(others)
            or not all(_is_hex(s.get("sealed")) for s in data["shares"])
        ):
            raise ValidationError(
                _(
                    "expected trustee {index}'s shares file (secession trustee shares) with "
                    "one sealed share for each of trustees {others}"
                ).format(index=index, others=", ".join(map(str, sorted(others))))
            )
        try:
            with transaction.atomic():
                shares = SealedShares.objects.create(election=locked, trustee=index, data=data)
        except IntegrityError:
            raise NotReady(
                _("trustee {index}'s shares are already posted").format(index=index)
            ) from None
        record(
            events.SHARES_POSTED,
            actor=person,
            community=locked.proposal.community,
            target=locked.proposal,
            data={"trustee": index, "sha256": hashlib.sha256(canonical_json(data)).hexdigest()},
        )
    return shares


def _is_hex(text: object) -> bool:
    if not isinstance(text, str) or not text or len(text) % 2 or len(text) > 4096:
        return False
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


# --- voters -----------------------------------------------------------------------------


def cast_ballot(election: Election, *, person: User, data: object) -> Entry:
    """Check an encrypted ballot's proofs and post it; record that ``person`` voted (one
    counted ballot each, by the database). Closes when the whole electorate has voted."""
    if not person.is_authenticated:
        raise PermissionDenied(_("log in to vote"))
    with transaction.atomic():
        proposal, now = lock_for_voting(election.proposal, person=person)
        if not is_ready(election):
            raise NotReady(
                _(
                    "the trustees have not finished setting up the election key; voting "
                    "starts when they have"
                )
            )
        key = key_of(election)
        ballot = Ballot.from_json(data, key)
        check_ballot(key, ballot)
        voter = register_voter(proposal, person=person, now=now)
        entry = _post(
            election,
            "ballot",
            {"type": "ballot", "voter": f"voter-{voter.pk}", "ballot": ballot.to_json()},
            actor=person,
            tracker=ballot.tracker.hex(),
            ballot_id=ballot.ballot_id,
        )
        record(
            proposal_events.VOTE_CAST,
            actor=person,
            community=proposal.community,
            target=proposal,
            data={"tracker": ballot.tracker.hex()},
        )
        close_if_everyone_voted(proposal)
    return entry


def audit_ballot(election: Election, *, person: User, data: object) -> tuple[int, ...]:
    """Check a Benaloh reveal and post it: that ballot is then never counted."""
    if not person.has_perm("verifiable.vote", election):
        raise PermissionDenied(_("only this vote's electorate can audit ballots while it is open"))
    with transaction.atomic():
        key = key_of(election)
        ballot, choices = check_audit(key, data)
        _post(
            election,
            "audit",
            data,
            actor=person,
            tracker=ballot.tracker.hex(),
            ballot_id=ballot.ballot_id,
        )
    return choices


# --- counting ---------------------------------------------------------------------------


def post_tally(proposal: Proposal) -> None:
    """At close: post the recorded voters (from the proposals app's ballots, not from the
    board) and the product of the ballots' encryptions. An election whose key was never
    set up is decided at once with no votes."""
    election = Election.objects.filter(proposal=proposal).first()
    if election is None:
        return
    if not is_ready(election):
        finish_counting(proposal, found={c: 0 for c in OPTIONS})
        return
    key = key_of(election)
    ballots = [
        Ballot.from_json(d["ballot"], key)
        for d in election.entries.filter(kind="ballot").values_list("data", flat=True)
    ]
    voters = sorted(f"voter-{pk}" for pk in proposal.ballots.values_list("pk", flat=True))
    tally = encrypted_tally(ballots, len(OPTIONS))
    _post(
        election,
        "tally",
        {
            "type": "tally",
            "ballots": len(ballots),
            "voters": voters,
            "ciphertexts": [ct.to_json() for ct in tally],
        },
    )


def post_decryption(election: Election, *, person: User, data: object) -> Entry:
    """Check a trustee's decryption share of the tally and post it; with ``k`` shares,
    combine them, post the result and decide the proposal."""
    index = trustee_index(election, person)
    with transaction.atomic():
        # the proposal first, then the election: the order every action takes them in
        proposal = Proposal.objects.select_for_update().get(pk=election.proposal_id)
        locked = Election.objects.select_for_update().get(pk=election.pk)
        tallies = entries_of(locked, "tally")
        if proposal.status != Status.COUNTING or not tallies:
            raise NotReady(
                _("decryption shares are taken once voting has closed, until the result")
            )
        key = key_of(locked)
        tally = tuple(
            Ciphertext.from_json(ct, f"tally, option {i + 1}")
            for i, ct in enumerate(tallies[0]["ciphertexts"])
        )
        share = DecryptionShare.from_json(data, key)
        if share.trustee != index:
            raise PermissionDenied(
                _("you are trustee {index}; this share is trustee {other}'s").format(
                    index=index, other=share.trustee
                )
            )
        check_share(key, tally, share)
        posted = [DecryptionShare.from_json(e, key) for e in entries_of(locked, "decryption")]
        if any(s.trustee == index for s in posted):
            raise NotReady(
                _("trustee {index}'s decryption share is already on the board").format(index=index)
            )
        entry = _post(locked, "decryption", share.to_json(), actor=person)
        shares = [*posted, share]
        if len(shares) >= key.manifest.k:
            counts = combine(key, tally, shares, tallies[0]["ballots"])
            _post(
                locked,
                "result",
                {
                    "type": "result",
                    "counts": list(counts),
                    "trustees": sorted(s.trustee for s in shares),
                },
                actor=person,
            )
            finish_counting(proposal, found=dict(zip(OPTIONS, counts, strict=True)), person=person)
    return entry
