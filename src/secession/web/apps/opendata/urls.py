from django.urls import path

from secession.web.apps.opendata import views

app_name = "opendata"
urlpatterns = [
    path(
        "<slug:scope>/<str:key>/<slug:name>.<slug:fmt>",
        views.download,
        name="download",
    ),
]
