from django.urls import path

from secession.web.apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.account, name="account"),
    path("me/votes/", views.votes, name="votes"),
    path("me/password/", views.password, name="password"),
    path("me/export.json", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
]
