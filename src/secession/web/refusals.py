"""Why a permission was refused, in plain words of the active language: the 403 page and
the API's JSON ``detail`` both say it (never the permission's code name)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

#: what a refused person reads, per permission (the rules live in each app's rules.py)
REFUSALS = {
    "accounts.view_own_data": gettext_lazy("Only the account's owner can read its data."),
    "alliances.view_alliance": gettext_lazy("You may not see this alliance."),
    "audit.view_log": gettext_lazy("You may not read this log."),
    "communities.edit_community": gettext_lazy(
        "Only the community's office holders can edit its description (every member, in "
        "an assembly)."
    ),
    "communities.view_community": gettext_lazy("You may not see this community."),
    "constitutions.view_constitution": gettext_lazy("You may not read this constitution."),
    "proposals.add_proposal": gettext_lazy(
        "Only members of the community can make proposals: join it first (anyone can)."
    ),
    "proposals.view_proposal": gettext_lazy("You may not see this proposal."),
    "proposals.vote": gettext_lazy(
        "You are not in this proposal's electorate (fixed when voting opened), or voting "
        "has closed."
    ),
    "registry.view_registry": gettext_lazy("You may not see the registry."),
    "translations.add_translation": gettext_lazy(
        "Only members of the community whose text it is can add a translation (for an "
        "alliance's charter, members of its member communities)."
    ),
    "translations.view_translation": gettext_lazy("You may not read this translation."),
    "verifiable.act_as_trustee": gettext_lazy(
        "Only this vote's trustees, chosen by the community, post key material and "
        "decryption shares."
    ),
    "verifiable.view_election": gettext_lazy("You may not see this vote."),
}


def refusal(perm: str) -> str:
    """The sentence for a refused ``perm``; a plain one for a permission not listed."""
    text = REFUSALS.get(perm)
    return str(text) if text is not None else gettext("You may not do this.")
