from django.urls import path

from secession.web.apps.audit import views

app_name = "audit"
urlpatterns = [path("", views.log, name="log")]
