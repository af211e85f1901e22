"""The partner API's one router: /api/v1/<resource>/ for each app's viewsets.

Included under /api/v1/ with the namespace "api" (`api:brief-list`). A new
version would get its own router module and path, and v1 stays as it is.
"""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from actors.api import ActorViewSet, AgreementViewSet, IndicatorViewSet
from publishing.api import (
    BriefViewSet,
    PersonViewSet,
    RecommendationViewSet,
    TopicViewSet,
)

app_name = "api"


class Router(DefaultRouter):
    # JSON only: no `.json` suffix routes (and no `?format=`, see settings).
    include_format_suffixes = False


router = Router()
router.register("briefs", BriefViewSet, basename="brief")
router.register("people", PersonViewSet, basename="person")
router.register("actors", ActorViewSet, basename="actor")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = [
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    *router.urls,
]
