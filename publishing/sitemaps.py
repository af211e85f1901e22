"""`/sitemap.xml`: public briefs and every page that cross-links them, with lastmod.

Addresses are absolute under SITE_URL (not the request's host), like every
other canonical link on the site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from actors.models import Actor, Agreement
from briefs.models import Brief, Person, Topic


class SiteSitemap(Sitemap):
    """Builds locations from SITE_URL rather than the Sites framework."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class StaticPagesSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "home",
            "briefs:list",
            "briefs:actor-list",
            "briefs:agreement-list",
            "briefs:recommendation-list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):
        # The lists change when a public brief does; asked once per sitemap.
        if not hasattr(self, "_latest"):
            self._latest = Brief.objects.published().aggregate(
                latest=Max("updated_at")
            )["latest"]
        return self._latest


class BriefSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Brief]:
        return (
            Brief.objects.published()
            .only("slug", "updated_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, item: Brief):
        return item.updated_at


class ActorSitemap(SiteSitemap):
    def items(self) -> QuerySet[Actor]:
        return Actor.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Actor):
        return item.updated_at


class AgreementSitemap(SiteSitemap):
    def items(self) -> QuerySet[Agreement]:
        return Agreement.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Agreement):
        return item.updated_at


class TopicSitemap(SiteSitemap):
    def items(self) -> QuerySet[Topic]:
        return (
            Topic.objects.filter(briefs__in=Brief.objects.published().values("pk"))
            .distinct()
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Topic):
        return item.updated_at


class PersonSitemap(SiteSitemap):
    def items(self) -> QuerySet[Person]:
        # Only people credited on a public brief.
        return (
            Person.objects.filter(
                contributions__brief__in=Brief.objects.published().values("pk")
            )
            .distinct()
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Person):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "briefs": BriefSitemap,
    "actors": ActorSitemap,
    "agreements": AgreementSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
}
