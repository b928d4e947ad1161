"""URL map: pages of each app, and the JSON API under /api/."""

from django.urls import include, path

from secession.web.apps.accounts import views as accounts_views
from secession.web.apps.proposals.feeds import CommunityProposalsFeed
from secession.web.config.api import api
from secession.web.config.views import home

urlpatterns = [
    path("", home, name="home"),
    # the header's switcher: Django's set_language, keeping a person's choice for emails
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("accounts/", include("secession.web.apps.accounts.urls")),
    path("communities/<slug:slug>/feed.atom", CommunityProposalsFeed(), name="community-feed"),
    path("communities/", include("secession.web.apps.communities.urls")),
    path("proposals/", include("secession.web.apps.proposals.urls")),
    path("constitutions/", include("secession.web.apps.constitutions.urls")),
    path("notices/", include("secession.web.apps.notifications.urls")),
    path("alliances/", include("secession.web.apps.alliances.urls")),
    path("plans/", include("secession.web.apps.planner.urls")),
    path("audit/", include("secession.web.apps.audit.urls")),
    path("verifiable/", include("secession.web.apps.verifiable.urls")),
    path("registry/", include("secession.web.apps.registry.urls")),
    path("translations/", include("secession.web.apps.translations.urls")),
    path("data/", include("secession.web.apps.opendata.urls")),
    path("api/", api.urls),
]

handler400 = "secession.web.config.errorpages.bad_request"
handler403 = "secession.web.config.errorpages.forbidden"
handler404 = "secession.web.config.errorpages.not_found"
handler500 = "secession.web.config.errorpages.server_error"
