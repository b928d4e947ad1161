"""Account permissions: a person manages only their own account."""

import rules


@rules.predicate
def is_self(user, target) -> bool:
    return target is not None and user.pk == target.pk


rules.add_perm("accounts.view_own_data", rules.is_authenticated & is_self)
rules.add_perm("accounts.delete_account", rules.is_authenticated & is_self)
rules.add_perm("accounts.change_password", rules.is_authenticated & is_self)
rules.add_perm("accounts.manage_tokens", rules.is_authenticated & is_self)
