"""Permissions of the registry, declared once; views and the API only name them.

Everything the registry publishes is public. Declaring and recognising are decided by each
people's own passed proposals (the proposals app's permissions); only the site's
administrators set the recognition rule the published map applies."""

from __future__ import annotations

import rules


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


rules.add_perm("registry.view_registry", rules.always_allow)
rules.add_perm("registry.set_recognition_rule", rules.is_authenticated & is_site_admin)
