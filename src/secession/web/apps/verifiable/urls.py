from django.urls import path

from secession.web.apps.verifiable import views

app_name = "verifiable"
urlpatterns = [
    path("assets/<str:name>", views.asset, name="asset"),
    path("<int:pk>/", views.election, name="election"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board.json", views.board_json, name="board_json"),
    path("<int:pk>/upload/<str:what>/", views.trustee_post, name="upload"),
]
