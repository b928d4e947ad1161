"""The front page."""

from django.shortcuts import render

from secession.web.apps.communities.models import Community


def home(request):
    roots = Community.objects.filter(parent__isnull=True).order_by("name")[:50]
    mine = []
    if request.user.is_authenticated:
        mine = Community.objects.filter(
            memberships__person=request.user, memberships__left_at__isnull=True
        ).order_by("name")
    return render(request, "home.html", {"roots": roots, "mine": mine})
