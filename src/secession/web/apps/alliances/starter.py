"""The starter charter offered when a community proposes to found an alliance."""

STARTER_CHARTER = """Charter of the alliance

1. Purpose. The member communities stand together for mutual aid and for the independence
   of each of them.
2. Members. A community joins by the vote of its own members and, unless this charter
   opens admission, by the consent of the member communities.
3. Exit. Any member community may leave at any time by the vote of its own members.
   No alliance vote, notice period or open vote can block it.
4. Decisions. The member communities decide by the rule the alliance chose, and can change
   that rule by their own vote. Each community decides for itself how it casts its vote.
5. Mutual aid. Members post what they offer and what they ask for on the alliance's public
   board, and say when it was fulfilled.
6. Amendments. This charter is amended by the alliance's own rule for amendments.
"""
