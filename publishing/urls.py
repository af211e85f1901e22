"""The public site's addresses: a public contract, keep them stable."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from publishing import feeds, views
from publishing.sitemaps import SITEMAPS

# The namespace stays "briefs" although these views now live in publishing:
# URL names (briefs:detail, briefs:person-detail ...) are used by templates,
# get_absolute_url(), editorial checks and tests, and are a stable contract.
app_name = "briefs"

urlpatterns = [
    path("briefs/", views.BriefListView.as_view(), name="list"),
    path("briefs/<slug:slug>/", views.BriefDetailView.as_view(), name="detail"),
    path(
        "briefs/<slug:slug>/v<int:number>/",
        views.edition_detail,
        name="edition",
    ),
    path(
        "briefs/<slug:slug>/v<int:number>/cite.<str:ext>",
        views.edition_citation,
        name="edition-cite",
    ),
    path("briefs/<slug:slug>/v<int:number>.pdf", views.edition_pdf, name="edition-pdf"),
    path("briefs/<slug:slug>/cite.<str:ext>", views.brief_citation, name="cite"),
    path("briefs/<slug:slug>.pdf", views.brief_pdf, name="pdf"),
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("topics/", views.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    # Before actors/<slug>/: "network" is a reserved actor slug (actors.models).
    path("actors/network/", views.alliance_network, name="actor-network"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path(
        "agreements/<slug:slug>/",
        views.AgreementDetailView.as_view(),
        name="agreement-detail",
    ),
    path(
        "recommendations/",
        views.RecommendationListView.as_view(),
        name="recommendation-list",
    ),
    # Feeds: all briefs, and per topic, actor and person, each in RSS and Atom.
    path("feeds/briefs.rss", feeds.BriefFeed(), name="feed-rss"),
    path("feeds/briefs.atom", feeds.BriefAtomFeed(), name="feed-atom"),
    path("topics/<slug:slug>/feed.rss", feeds.TopicFeed(), name="topic-feed-rss"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicAtomFeed(), name="topic-feed-atom"),
    path("actors/<slug:slug>/feed.rss", feeds.ActorFeed(), name="actor-feed-rss"),
    path("actors/<slug:slug>/feed.atom", feeds.ActorAtomFeed(), name="actor-feed-atom"),
    path("people/<slug:slug>/feed.rss", feeds.PersonFeed(), name="person-feed-rss"),
    path(
        "people/<slug:slug>/feed.atom", feeds.PersonAtomFeed(), name="person-feed-atom"
    ),
    # The recommendation tracker's status changes: all, and per addressee.
    path(
        "feeds/recommendation-status.rss",
        feeds.StatusChangeFeed(),
        name="status-feed-rss",
    ),
    path(
        "feeds/recommendation-status.atom",
        feeds.StatusChangeAtomFeed(),
        name="status-feed-atom",
    ),
    path(
        "actors/<slug:slug>/recommendation-status.rss",
        feeds.AddresseeStatusFeed(),
        name="addressee-status-feed-rss",
    ),
    path(
        "actors/<slug:slug>/recommendation-status.atom",
        feeds.AddresseeStatusAtomFeed(),
        name="addressee-status-feed-atom",
    ),
]

# Outside the namespace: `/sitemap.xml` is site-wide and robots.txt reverses it.
sitemap_patterns = [
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
