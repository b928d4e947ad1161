from django.urls import path

from secession.web.apps.proposals import views

app_name = "proposals"
urlpatterns = [
    path("new/<slug:slug>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
]
