"""How the accounts app plugs into the audit app below it (connected in ``ready()``): its
events are private to the account, and the log's account deletions are checked."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from secession.web.apps.accounts import events
from secession.web.apps.accounts.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.audit.checks import Disagreement, TableCheck, register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.naming import register_lookup
from secession.web.apps.audit.privacy import register_private_actions

PRIVATE = (
    events.REGISTERED,
    events.PASSWORD_CHANGED,
    events.TOKEN_CREATED,
    events.TOKEN_REVOKED,
    events.DELETED,
    events.LANGUAGE_CHOSEN,
)


class AccountCheck(TableCheck):
    """An account the log says was deleted is not in the accounts table."""

    actions = frozenset({events.DELETED})

    def __init__(self) -> None:
        self.deleted: dict[int, int] = {}

    def entry(self, e):
        if e.actor_id is not None:
            self.deleted[e.actor_id] = e.seq
        return ()

    def finish(self):
        users = get_user_model()
        still = users.objects.filter(pk__in=list(self.deleted)).values_list("pk", flat=True)
        for pk in sorted(still):
            yield Disagreement(
                users._meta.db_table,
                str(pk),
                "the log says this account was deleted",
                self.deleted[pk],
            )


def _users_by_id(ids: set[int]) -> dict:
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_lookup("user", _users_by_id)
    register_private_actions(PRIVATE)
    register_check("accounts", AccountCheck)
