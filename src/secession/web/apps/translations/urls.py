from django.urls import path

from secession.web.apps.translations import views

app_name = "translations"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<slug:kind>/<int:object_id>/", views.of_text, name="of_text"),
]
