"""The starter constitution offered when a community is founded.

One line per article (no hard wrapping), so the text reads well in a form, on a phone,
and in the line-by-line difference shown for amendments.
"""

from __future__ import annotations

STARTER_CONSTITUTION = """\
Constitution of {name}

1. Membership. Anyone may join {name}. Any member may leave at any time, and nothing may prevent a member from leaving.

2. Equality. Every member has one vote. Votes are cast freely, and secret where the rule for a kind of decision says so.

3. Decisions. Members decide by proposals. Each kind of proposal follows a published rule (threshold, quorum, voting window) that the members may change by a proposal.

4. Government. {name} governs itself as {governance}. The members may change this by a proposal.

5. This constitution. This text may be amended or replaced by a proposal adopted by two thirds of the votes cast, unless the members set another rule for it by a proposal.
"""  # noqa: E501

GOVERNANCE_PHRASES = {
    "assembly": "an assembly of all its members, with no leader and no capital",
    "council": "an elected council",
    "leader": "a leader with a capital",
}

NAME_PLACEHOLDER = "[name]"
GOVERNANCE_PLACEHOLDER = "[governance]"


def starter_text(name: str, governance: str) -> str:
    """The starter constitution for a community called ``name`` under ``governance``."""
    phrase = GOVERNANCE_PHRASES.get(governance, governance)
    return STARTER_CONSTITUTION.format(name=name.strip(), governance=phrase)


def fill_placeholders(text: str, name: str, governance: str) -> str:
    """Replace ``[name]`` and ``[governance]`` in a (possibly edited) starter text."""
    phrase = GOVERNANCE_PHRASES.get(governance, governance)
    return text.replace(NAME_PLACEHOLDER, name.strip()).replace(GOVERNANCE_PLACEHOLDER, phrase)
