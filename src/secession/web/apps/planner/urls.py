from django.urls import path

from secession.web.apps.planner import optin_views, upload_views, views

app_name = "planner"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("new/place-map", views.place_map, name="place_map"),
    path("compare/", views.plan_compare, name="compare"),
    path("uploads/", upload_views.upload_list, name="uploads"),
    path("uploads/<uuid:pk>/", upload_views.upload_detail, name="upload"),
    path("uploads/<uuid:pk>/delete", upload_views.upload_delete, name="upload_delete"),
    path("referendum/<int:pk>/", optin_views.optin_page, name="optin"),
    path("referendum/<int:pk>/results", optin_views.optin_upload, name="optin_upload"),
    path("<uuid:pk>/", views.plan_detail, name="detail"),
    path("<uuid:pk>/status.json", views.plan_status, name="status"),
    path("<uuid:pk>/files/<str:name>", views.plan_file, name="file"),
    path("<uuid:pk>/check", views.plan_check, name="check"),
    path("<uuid:pk>/stop", views.plan_stop, name="stop"),
    path("<uuid:pk>/share", views.plan_share, name="share"),
    path("<uuid:pk>/delete", views.plan_delete, name="delete"),
]
