"""Translation permissions: anyone reads them; whose text it is may add one (a member of
the community for its constitution and declarations; for an alliance's charter, a member
of one of its member communities)."""

from __future__ import annotations

import rules

from secession.web.apps.translations.kinds import kind_of


@rules.predicate
def may_translate(user, obj) -> bool:
    kind = kind_of(obj) if obj is not None else None
    return kind is not None and kind.may_translate(user, obj)


rules.add_perm("translations.view_translation", rules.always_allow)
rules.add_perm("translations.add_translation", rules.is_authenticated & may_translate)
