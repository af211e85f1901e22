"""Public pages of the reference layer that list no briefs: the comparison."""

from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("compare/", views.compare, name="compare"),
]
