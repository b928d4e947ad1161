from django.urls import path

from secession.web.apps.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("declarations/<int:pk>/", views.declaration, name="declaration"),
    path("declarations/<int:pk>.json", views.declaration_file, name="declaration_json"),
    path("peoples/<slug:slug>/", views.people, name="people"),
    path("graph/", views.graph, name="graph"),
    path("recognitions.json", views.recognitions_json, name="recognitions_json"),
    path("recognitions.csv", views.recognitions_csv, name="recognitions_csv"),
    path("map/", views.world_map, name="map"),
    path("map.html", views.world_map_file, name="map_file"),
    path("world.json", views.world_json, name="world_json"),
    path("assets/<str:name>", views.asset, name="asset"),
]
