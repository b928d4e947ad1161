from django.test import Client
from tests.web.factories import *  # noqa
from secession.web.apps.alliances.decisions import make_alliance_proposal
from secession.web.apps.alliances.actions import post_pledge
from secession.web.apps.proposals.actions import cast_vote

def test_pages(db):
    a_f = UserFactory(username="af"); b_f = UserFactory(username="bf")
    A = CommunityFactory(name="A", founder=a_f)
    B = CommunityFactory(name="B", founder=b_f, governance="council")
    al = found_alliance_by_vote(A, a_f, method="weighted")
    pass_by_vote(B, b_f, "join_alliance", {"alliance": al.slug})
    p = make_alliance_proposal(al, person=a_f, community=A, kind="amend_charter", title="Amend", payload={"text": "New charter\n", "admission": "open"})
    post_pledge(al, person=a_f, community=A, kind="request", title="Water pumps", details="Two")
    c = Client(); c.force_login(a_f)
    for url in ["/alliances/", f"/alliances/{al.slug}/", f"/alliances/{al.slug}/members/", f"/alliances/{al.slug}/charter/", f"/alliances/{al.slug}/charter/v/1/", f"/alliances/{al.slug}/propose/", f"/alliances/{al.slug}/propose/?kind=amend_charter", f"/alliances/{al.slug}/propose/?kind=change_rule", f"/alliances/{al.slug}/propose/?kind=resolution", f"/alliances/proposals/{p.pk}/", f"/alliances/{al.slug}/pledges/new/", "/communities/a/", "/proposals/new/a/?kind=found_alliance", "/proposals/new/a/?kind=join_alliance", "/proposals/new/a/?kind=leave_alliance", "/proposals/new/a/?kind=alliance_casting", f"/proposals/{p.eligible.first().internal_id}/",
                f"/api/alliances", f"/api/alliances/{al.slug}", f"/api/alliances/{al.slug}/members?history=true", f"/api/alliances/{al.slug}/charter", f"/api/alliances/{al.slug}/rules", f"/api/alliances/{al.slug}/proposals", f"/api/alliances/proposals/{p.pk}", f"/api/alliances/{al.slug}/pledges", f"/api/alliances/{al.slug}/popolo", "/api/communities/a/alliances", f"/api/proposals/{p.eligible.first().internal_id}", "/api/openapi.json"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:3000])
    print(c.get(f"/alliances/proposals/{p.pk}/").content.decode()[-3000:])
