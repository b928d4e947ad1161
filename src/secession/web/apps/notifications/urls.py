from django.urls import path

from secession.web.apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
