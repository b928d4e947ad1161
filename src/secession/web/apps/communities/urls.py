from django.urls import path

from secession.web.apps.communities import mapassets, views

app_name = "communities"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.found, name="found"),
    path("map-files/<str:name>", mapassets.asset, name="map_file"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/parent/ask/", views.request_parent, name="request_parent"),
    path("<slug:slug>/parent/withdraw/", views.withdraw_request, name="withdraw_request"),
    path("<slug:slug>/parent/leave/", views.leave_parent, name="leave_parent"),
]
