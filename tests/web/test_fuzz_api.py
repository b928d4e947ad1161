"""Schema-based fuzzing of the whole API: schemathesis reads /api/openapi.json and sends
generated requests (valid and invalid) to every operation, through the real WSGI app and
the real database, logged in with a bearer token. Each response must not be a server
error, must have a status code and a body the schema declares.

Path parameters name real objects half of the time (a community with members, open public
and secret proposals, a closed one, a constitution; an alliance with its charter, an
alliance proposal with its community votes and a pledge; a registered people's
declaration; a plan), so generated bodies reach the actions instead of stopping at 404.
Bounded: ``FUZZ_EXAMPLES`` examples per operation and phase
(environment ``SECESSION_FUZZ_EXAMPLES``), derandomized so a run repeats.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from secession.web.config.wsgi import application

FUZZ_EXAMPLES = int(os.environ.get("SECESSION_FUZZ_EXAMPLES", "60"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
REAL: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the cases keep the generated values; the others name real objects."""
    if not path_parameters or not REAL:
        return st.just(path_parameters)
    real = {
        name: st.sampled_from(REAL[name]) if name in REAL else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(real))


@pytest.fixture
def open_connection():
    """Keep the test's database connection across requests, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, open_connection):
    """A token, and real objects for the path parameters."""
    from secession.web.apps.accounts.tokens import create_token
    from secession.web.apps.alliances.actions import post_pledge
    from secession.web.apps.alliances.decisions import make_alliance_proposal
    from secession.web.apps.planner.actions import start_plan
    from secession.web.apps.planner.tasks import constraints_from
    from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal
    from secession.web.apps.proposals.actions import set_rule as _set_rule
    from secession.web.apps.registry.actions import current_declaration

    from .factories import (
        CommunityFactory,
        UserFactory,
        add_member,
        found_alliance_by_vote,
        pass_by_vote,
    )
    from .test_registry import box, people

    fuzzer = UserFactory(username="fuzzer")
    other = UserFactory(username="other")
    valley = CommunityFactory(name="Free Valley", founder=fuzzer)
    add_member(valley, other)
    council = CommunityFactory(name="Council Hill", governance="council", founder=other)
    league = found_alliance_by_vote(valley, fuzzer, name="Fuzz League")
    charter_vote = make_alliance_proposal(
        league,
        person=fuzzer,
        community=valley,
        kind="amend_charter",
        title="Harvests",
        payload={"text": "1. Members share their harvests.\n", "admission": "open"},
    )
    pledge = post_pledge(
        league, person=fuzzer, community=valley, kind="offer", title="Seeds", details="Rye"
    )
    isle, isle_voters = people("Free Isle", box(125, -28, 135, -20))
    pass_by_vote(isle, isle_voters[0], "declare_independence", {"from_name": "Australia"})
    public = make_proposal(valley, person=other, kind="resolution", title="Open public")
    secret_rule = valley.voting_rules.get(kind="declare_independence")
    _set_rule(valley, "resolution", rule=secret_rule.rule, window_minutes=60, secret=True)
    secret = make_proposal(valley, person=other, kind="resolution", title="Open secret")
    closed = make_proposal(valley, person=other, kind="resolution", title="Closed")
    cast_vote(closed, person=other, choice="yes")
    close_proposal(closed, force=True)
    plan = start_plan(
        person=fuzzer,
        dataset={"kind": "us-counties", "year": 2020, "water_links": None},
        place=["IA"],
        direction="dem",
        constraints=constraints_from({}),
        time_limit=1.0,
    )
    REAL.clear()
    REAL.update(
        slug=[valley.slug, council.slug, league.slug, isle.slug],
        proposal_id=[public.pk, secret.pk, closed.pk, charter_vote.pk],
        number=[1],
        pledge_id=[pledge.pk],
        pk=[current_declaration(isle).pk],
        plan_id=[str(plan.pk)],
    )
    yield create_token(fuzzer)
    REAL.clear()


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_api_fuzz(case, world):
    case.call_and_validate(headers={"Authorization": f"Bearer {world}"}, checks=CHECKS)
