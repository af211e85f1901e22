from django.urls import path

from briefs import views

app_name = "briefs"

urlpatterns = [
    path("briefs/", views.BriefListView.as_view(), name="list"),
    path("briefs/<slug:slug>/", views.BriefDetailView.as_view(), name="detail"),
    path("briefs/<slug:slug>/cite.<str:ext>", views.brief_citation, name="cite"),
    path("briefs/<slug:slug>.pdf", views.brief_pdf, name="pdf"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path(
        "agreements/<slug:slug>/",
        views.AgreementDetailView.as_view(),
        name="agreement-detail",
    ),
]
