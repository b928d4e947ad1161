"""An election's public state for pages and the API (one place, so both say the same),
counted in SQL: its cost does not grow with the number of ballots."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from secession.web.apps.proposals.models import Choice, Status
from secession.web.apps.verifiable.models import Election


def phase(election: Election) -> str:
    """setup (the trustees are making the key), voting, counting (waiting for the
    trustees' decryption) or decided."""
    status = election.proposal.status
    if status == Status.CLOSED:
        return "decided"
    if status == Status.COUNTING:
        return "counting"
    ready = election.entries.filter(kind="key").exists() and election.shares.count() == len(
        election.trustees
    )
    return "voting" if ready else "setup"


def election_summary(election: Election, user=None) -> dict:
    entries = election.entries
    recorded = set(entries.filter(kind="trustee").values_list("data__index", flat=True))
    shared = set(election.shares.values_list("trustee", flat=True))
    decrypted = set(entries.filter(kind="decryption").values_list("data__trustee", flat=True))
    names = dict(
        get_user_model().objects.filter(pk__in=election.trustees).values_list("pk", "username")
    )
    manifest = entries.get(kind="manifest").data
    trustees = [
        {
            "index": i,
            "name": names.get(pk, _("removed account #{pk}").format(pk=pk)),
            "record": i in recorded,
            "shares": i in shared,
            "decrypted": i in decrypted,
        }
        for i, pk in enumerate(election.trustees, start=1)
    ]
    result = entries.filter(kind="result").first()
    counts = dict(zip(manifest["options"], result.data["counts"], strict=True)) if result else None
    me = getattr(user, "pk", None)
    return {
        "proposal": election.proposal_id,
        "election": manifest["election"],
        "question": manifest["question"],
        "options": manifest["options"],
        "phase": phase(election),
        "threshold": manifest["threshold"],
        "trustees": trustees,
        "ballots": entries.filter(kind="ballot").count(),
        "audits": entries.filter(kind="audit").count(),
        "entries": election.length,
        "counts": counts,
        "labels": [_label(option) for option in manifest["options"]],
        "counted": ", ".join(f"{_label(o).lower()} {n}" for o, n in (counts or {}).items()),
        "my_trustee_index": election.trustees.index(me) + 1 if me in election.trustees else None,
        "can_vote": bool(user is not None and user.has_perm("verifiable.vote", election)),
        "has_voted": bool(
            me is not None and election.proposal.ballots.filter(voter_id=me).exists()
        ),
    }


def _label(option: str) -> str:
    """An option's name in the active language ("yes" is "Sí" in Spanish)."""
    return str(Choice(option).label) if option in Choice.values else option
