from django.urls import path

from editorial import views

app_name = "editorial"

urlpatterns = [
    path("share/<str:token>/", views.shared_preview, name="share"),
]
