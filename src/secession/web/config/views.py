"""The front page."""

from django.shortcuts import render

from secession.web.apps.accounts import todo
from secession.web.apps.communities.models import Community

HOME_TODO = 5  # votes and results shown on the home page; the rest on the votes page


def home(request):
    roots = Community.objects.filter(parent__isnull=True).order_by("name")[:50]
    mine, waiting, results = [], [], []
    if request.user.is_authenticated:
        waiting = todo.waiting(request.user, limit=HOME_TODO)
        results = todo.results(request.user, limit=HOME_TODO)
        mine = Community.objects.filter(
            memberships__person=request.user, memberships__left_at__isnull=True
        ).order_by("name")
    return render(
        request,
        "home.html",
        {"roots": roots, "mine": mine, "waiting": waiting, "results": results},
    )
