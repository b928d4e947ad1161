from django.urls import path

from secession.web.apps.alliances import views

app_name = "alliances"
urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("pledges/<int:pk>/close/", views.close_pledge, name="close_pledge"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/charter/", views.charter, name="charter"),
    path("<slug:slug>/charter/v/<int:number>/", views.charter_version, name="charter_version"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/pledges/new/", views.new_pledge, name="new_pledge"),
]
