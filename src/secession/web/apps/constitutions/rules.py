"""Constitution permissions: public to read; changed only through proposals."""

import rules

rules.add_perm("constitutions.view_constitution", rules.always_allow)
