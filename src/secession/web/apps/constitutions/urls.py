from django.urls import path

from secession.web.apps.constitutions import views

app_name = "constitutions"
urlpatterns = [
    path("<slug:slug>/", views.current, name="current"),
    path("<slug:slug>/v/<int:number>/", views.version, name="version"),
]
