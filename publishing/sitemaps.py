"""`/sitemap.xml`: public briefs and every page that cross-links them, with lastmod.

Addresses are absolute under SITE_URL (not the request's host), like every
other canonical link on the site.

- Briefs are their public editions (`Edition.objects.public()`), at the
  current address, with `lastmod` = the current edition's release (a
  correction moves it; nothing else changes what a published brief shows).
- Earlier editions (`/briefs/<slug>/v<N>/`) are left out on purpose. They are
  stable addresses for whoever cited that version, and stay readable, but a
  sitemap asks search engines to send readers to a page: a superseded version
  is the text a correction fixed, and its content is the current page's
  almost word for word. Readers reach them from the current page's history.
- Each page in each public language, with its alternates (hreflang).
- People and topics are listed only while a public edition references them,
  like their pages; actors and agreements are reference records with pages of
  their own and are always listed.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from actors.models import Actor, Agreement
from briefs.models import Person, Topic
from languages.codes import public_language
from publishing.models import Edition, EditionCredit


class SiteSitemap(Sitemap):
    """Builds locations from SITE_URL rather than the Sites framework.

    Every page is listed in each public language (English unprefixed, /sr/,
    /sr-latn/), each entry with its hreflang alternates and x-default (the
    English address), as languages.alternates.alternates gives them on the page.
    """

    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, *args, **kwargs) -> list[dict]:
        urls = super().get_urls(*args, **kwargs)
        # hreflang is the BCP 47 tag (sr-Cyrl, sr-Latn), not Django's code.
        for url in urls:
            for alternate in url["alternates"]:
                if alternate["lang_code"] != "x-default":
                    alternate["lang_code"] = public_language(alternate["lang_code"]).tag
        return urls

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: object = None) -> str:
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
            "briefs:person-list",
            "briefs:topic-list",
            "about",
            "accessibility",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime | None:
        # The lists change when a public brief does; asked once per sitemap.
        if not hasattr(self, "_latest"):
            self._latest = Edition.objects.public().aggregate(
                latest=Max("released_at")
            )["latest"]
        return self._latest


class BriefSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Edition]:
        return (
            Edition.objects.public()
            .only("slug", "number", "is_current", "released_at")
            .order_by("-public_date", "-published_at", "brief_id")
        )

    def lastmod(self, item: Edition) -> datetime.datetime:
        return item.released_at


class ActorSitemap(SiteSitemap):
    def items(self) -> QuerySet[Actor]:
        return Actor.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Actor) -> datetime.datetime | None:
        return item.updated_at


class AgreementSitemap(SiteSitemap):
    def items(self) -> QuerySet[Agreement]:
        return Agreement.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Agreement) -> datetime.datetime | None:
        return item.updated_at


class TopicSitemap(SiteSitemap):
    def items(self) -> QuerySet[Topic]:
        return (
            Topic.objects.filter(editions__in=Edition.objects.public().values("pk"))
            .distinct()
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Topic) -> datetime.datetime | None:
        return item.updated_at


class PersonSitemap(SiteSitemap):
    def items(self) -> QuerySet[Person]:
        # Only people a public edition credits.
        credited = EditionCredit.objects.filter(
            edition__in=Edition.objects.public().values("pk")
        )
        return (
            Person.objects.filter(pk__in=credited.values("person_id"))
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Person) -> datetime.datetime | None:
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "briefs": BriefSitemap,
    "actors": ActorSitemap,
    "agreements": AgreementSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
}
