"""One Django app per concept: accounts, communities, proposals, constitutions, audit."""
