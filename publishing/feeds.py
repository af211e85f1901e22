"""RSS 2.0 and Atom feeds: all briefs, and per topic, actor and person; and the
recommendation tracker's status changes, all and per addressee.

Items are public editions (`Edition.objects.public()`), newest first by their
public date, and everything an item says comes from its edition: title,
summary, authors and topics as published, the date every surface gives
(`public_date`), and for Atom the moment this edition went out (`released_at`,
which a correction moves). Links are absolute under SITE_URL so that
aggregators cite the canonical address.

Titles and summaries are text, escaped once for what each element holds:

- Atom says what its elements hold: titles and summaries are `type="text"`,
  so the text is only XML-escaped.
- An RSS `<description>` is HTML by convention (every reader renders it), so
  the summary is HTML-escaped and then, like any element, XML-escaped: a
  summary "a < b" reaches the reader as the HTML `a &lt; b` and shows as
  "a < b"; markup in a summary is shown, never rendered. RSS titles are
  plain text by convention and are only XML-escaped.

Every feed speaks the active language: /feeds/… in English, /sr/feeds/… in
Serbian Cyrillic, /sr-latn/feeds/… in Serbian Latin (the public site's
prefixes). Its own title and description are translated (gettext), RSS
`<language>` and Atom's `xml:lang` give the BCP 47 tag (en, sr-Cyrl,
sr-Latn), names of people, topics and actors are in the language's script,
and a Serbian brief's title and summary in the feed's script (written once,
served in both: `publishing.editions.text_in`); an English brief keeps its
English text. Links lead to the pages in the same language.

No full content is offered: the brief's page (with its corrections, citation
and version notices) is where the text is read, and an item stays small.

A topic, actor or person feed exists only while a public edition references
that record, like the record's page; otherwise it is a 404, so a feed cannot
reveal a person credited only on an unpublished brief.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Model, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from actors.models import Actor
from briefs.models import Assessment, AssessmentSource, Person, Role, Topic
from languages.codes import public_language
from publishing.editions import snapshot_name, text_in
from publishing.models import Edition, EditionQuerySet, EditionRecommendation
from publishing.pages import absolute_url
from publishing.tracker import NOT_ASSESSED, STATUS_LABELS, public_assessments

FEED_SIZE = 30


def day_as_moment(day: datetime.date) -> datetime.datetime:
    """A calendar date in a field that wants a moment: noon UTC that day.

    The public date is a date, not an instant. Noon UTC falls on the same
    calendar day in every time zone from UTC-11 to UTC+11, so a reader shows
    the date the brief carries wherever it runs.
    """
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


class _TextSummaries:
    """Passes elements through to the XML writer; entry summaries become text."""

    def __init__(self, handler: Any) -> None:
        self._handler = handler

    def addQuickElement(  # the XML writer's name
        self, name: str, contents: str | None = None, attrs: dict | None = None
    ) -> None:
        if name == "summary":
            attrs = {"type": "text"}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handler, name)


# The date an empty feed carries (RSS lastBuildDate, Atom updated).
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class _DatedByItems:
    """A feed's own date is its newest item's, and a fixed one when it has none.

    Django dates an empty feed by the clock, so the same archive would answer
    different bytes from one second to the next: an empty feed would never
    match its own ETag, and a restored archive would not answer what it
    answered before (tests/test_backups.py).
    """

    def latest_post_date(self) -> datetime.datetime:
        if not self.items:
            return EMPTY_FEED_DATE
        return super().latest_post_date()


class TextRss201rev2Feed(_DatedByItems, Rss201rev2Feed):
    """RSS 2.0, dated by its items."""


class TextAtom1Feed(_DatedByItems, Atom1Feed):
    """Atom whose entry summaries are text (Django writes `type="html"`),
    dated by its items."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(_TextSummaries(handler), item)


def feed_language() -> str:
    """The BCP 47 tag of the active language: RSS <language>, Atom xml:lang.

    (Django's default is its own code, "sr-latn", which is not the tag.)
    """
    return public_language(get_language()).tag


def publisher() -> str:
    return settings.PUBLISHER["name"]


class _Localized:
    """What every feed says of its own language."""

    @property
    def language(self) -> str:
        return feed_language()


class BriefFeed(_Localized, Feed):
    feed_type = TextRss201rev2Feed
    url_name = "briefs:feed-rss"

    def title(self, obj: Model | None = None) -> str:
        return _("%(publisher)s: briefs") % {"publisher": publisher()}

    def description(self, obj: Model | None = None) -> str:
        return _("The latest published briefs.")

    def link(self, obj: Model | None = None) -> str:
        return absolute_url(reverse("briefs:list"))

    def feed_url(self, obj: Model | None = None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute_url(reverse(self.url_name, kwargs=kwargs))

    def editions(self, obj: Model | None = None) -> EditionQuerySet:
        return Edition.objects.public()

    def items(self, obj: Model | None = None) -> list[Edition]:
        # One query however many items: what an item shows is read from the
        # edition's snapshot by key, without loading its body.
        return list(
            self.editions(obj)
            .only(
                "brief_id",
                "number",
                "is_current",
                "slug",
                "title",
                "language",
                "public_date",
                "published_at",
                "released_at",
            )
            .annotate(
                summary=KT("content__brief__summary"),
                contributors=F("content__contributors"),
                topic_list=F("content__topics"),
            )
            .order_by("-public_date", "-published_at", "brief_id")[:FEED_SIZE]
        )

    def item_title(self, item: Edition) -> str:
        return text_in(item.title, item.language)

    def summary(self, item: Edition) -> str:
        """The brief's summary in the feed's script (a Serbian brief's)."""
        return text_in(item.summary or "", item.language)

    def item_description(self, item: Edition) -> str:
        # RSS descriptions are HTML: the text is escaped to show as text.
        return escape(self.summary(item))

    def item_link(self, item: Edition) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Edition) -> str:
        # The permanent link: it survives a renamed address, so a reader does
        # not show the brief again as a new item.
        return absolute_url(reverse("permalink", kwargs={"pk": item.brief_id}))

    def item_pubdate(self, item: Edition) -> datetime.datetime:
        return day_as_moment(item.public_date)

    def item_updateddate(self, item: Edition) -> datetime.datetime:
        return item.released_at

    def item_author_name(self, item: Edition) -> str:
        language = get_language()
        return ", ".join(
            snapshot_name(c["person"], language)
            for c in item.contributors or []
            if c["role"] == Role.AUTHOR
        )

    def item_categories(self, item: Edition) -> list[str]:
        language = get_language()
        return [snapshot_name(topic, language) for topic in item.topic_list or []]


class BriefAtomFeed(BriefFeed):
    url_name = "briefs:feed-atom"
    feed_type = TextAtom1Feed

    def subtitle(self, obj: Model | None = None) -> str:
        return self.description(obj)

    def item_description(self, item: Edition) -> str:
        # `type="text"` (TextAtom1Feed): only the XML layer escapes it.
        return self.summary(item)


def _public_or_404(editions: EditionQuerySet) -> None:
    if not editions.exists():
        raise Http404("No published brief refers to this record.")


class TopicFeed(BriefFeed):
    url_name = "briefs:topic-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        topic = get_object_or_404(Topic, slug=slug)
        _public_or_404(self.editions(topic))
        return topic

    def title(self, obj: Topic) -> str:
        return _("%(publisher)s: briefs on %(name)s") % {
            "publisher": publisher(),
            "name": obj.name_in(get_language()),
        }

    def link(self, obj: Topic) -> str:
        return absolute_url(obj.get_absolute_url())

    def editions(self, obj: Topic) -> EditionQuerySet:
        return Edition.objects.public().filter(topics=obj)


class TopicAtomFeed(TopicFeed, BriefAtomFeed):
    url_name = "briefs:topic-feed-atom"


class ActorFeed(BriefFeed):
    url_name = "briefs:actor-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Actor:
        actor = get_object_or_404(Actor, slug=slug)
        _public_or_404(self.editions(actor))
        return actor

    def title(self, obj: Actor) -> str:
        return _("%(publisher)s: briefs on %(name)s") % {
            "publisher": publisher(),
            "name": obj.name_in(get_language()),
        }

    def link(self, obj: Actor) -> str:
        return absolute_url(obj.get_absolute_url())

    def editions(self, obj: Actor) -> EditionQuerySet:
        return Edition.objects.public().for_actor(obj)


class ActorAtomFeed(ActorFeed, BriefAtomFeed):
    url_name = "briefs:actor-feed-atom"


class PersonFeed(BriefFeed):
    url_name = "briefs:person-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Person:
        person = get_object_or_404(Person, slug=slug)
        _public_or_404(self.editions(person))
        return person

    def title(self, obj: Person) -> str:
        return _("%(publisher)s: briefs by %(name)s") % {
            "publisher": publisher(),
            "name": obj.name_in(get_language()),
        }

    def link(self, obj: Person) -> str:
        return absolute_url(obj.get_absolute_url())

    def editions(self, obj: Person) -> EditionQuerySet:
        return Edition.objects.public().by_person(obj)


class PersonAtomFeed(PersonFeed, BriefAtomFeed):
    url_name = "briefs:person-feed-atom"


# --- The recommendation tracker: status changes -----------------------------------


class StatusChangeFeed(_Localized, Feed):
    """Published assessments, newest publication first: a recommendation's
    status as of a date, why, and the status it had before.

    Items pass the tracker's gate (publishing/tracker.py): published, and
    about a recommendation a public edition makes. What an item names of
    the recommendation (number, title, brief) is the public edition's. A
    justification is text: HTML-escaped in RSS descriptions, plain in Atom.
    """

    feed_type = TextRss201rev2Feed
    url_name = "briefs:status-feed-rss"

    def title(self, obj: Actor | None = None) -> str:
        if obj is None:
            return _("%(publisher)s: status of recommendations") % {
                "publisher": publisher()
            }
        return _("%(publisher)s: status of recommendations addressed to %(name)s") % {
            "publisher": publisher(),
            "name": obj.name_in(get_language()),
        }

    def description(self, obj: Actor | None = None) -> str:
        return _("New assessments of what became of the recommendations in our briefs.")

    def link(self, obj: Actor | None = None) -> str:
        query = f"?addressee={obj.slug}" if obj is not None else ""
        return absolute_url(reverse("briefs:recommendation-list") + query)

    def feed_url(self, obj: Actor | None = None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute_url(reverse(self.url_name, kwargs=kwargs))

    def items(self, obj: Actor | None = None) -> list[dict]:
        """Three queries whatever the number of items: the assessments (with
        the status before each), the recommendations they are about, the
        sources."""
        before = (
            Assessment.objects.published()
            .filter(
                brief_id=OuterRef("brief_id"),
                recommendation_key=OuterRef("recommendation_key"),
            )
            .filter(
                Q(assessed_on__lt=OuterRef("assessed_on"))
                | Q(assessed_on=OuterRef("assessed_on"), pk__lt=OuterRef("pk"))
            )
            .newest_first()
            .values("status")[:1]
        )
        assessments = list(
            public_assessments(addressed_to=obj)
            .annotate(before=Subquery(before))
            .order_by("-published_at", "-id")
            .values(
                "pk",
                "brief_id",
                "recommendation_key",
                "status",
                "before",
                "assessed_on",
                "justification",
                "published_at",
            )[:FEED_SIZE]
        )
        pairs = {(a["brief_id"], a["recommendation_key"]) for a in assessments}
        about = {
            (row["edition__brief_id"], row["key"]): row
            for row in EditionRecommendation.objects.filter(
                edition__in=Edition.objects.public().order_by().values("pk"),
                key__in={key for _, key in pairs},
            ).values(
                "edition__brief_id",
                "key",
                "order",
                "title",
                "edition__slug",
                "edition__title",
                "edition__language",
            )
        }
        sources = {}
        for row in (
            AssessmentSource.objects.filter(
                assessment_id__in=[a["pk"] for a in assessments]
            )
            .order_by("order", "id")
            .values("assessment_id", "title", "url")
        ):
            sources.setdefault(row["assessment_id"], []).append(row)
        for a in assessments:
            a["recommendation"] = about[a["brief_id"], a["recommendation_key"]]
            a["sources"] = sources.get(a["pk"], [])
        return assessments

    def item_title(self, item: dict) -> str:
        rec = item["recommendation"]
        language = rec["edition__language"]
        return _("%(status)s: %(title)s (%(brief)s, recommendation %(number)s)") % {
            "status": STATUS_LABELS[item["status"]],
            "title": text_in(rec["title"], language),
            "brief": text_in(rec["edition__title"], language),
            "number": rec["order"],
        }

    def _text(self, item: dict) -> str:
        before = item["before"] or NOT_ASSESSED
        was = str(STATUS_LABELS[before]).lower()
        change = (
            pgettext("status", "unchanged, %(status)s") % {"status": was}
            if before == item["status"]
            else pgettext("status", "was %(status)s") % {"status": was}
        )
        evidence = "; ".join(f"{s['title']} <{s['url']}>" for s in item["sources"])
        return _(
            "As of %(date)s: %(status)s (%(change)s). %(justification)s "
            "Evidence: %(evidence)s"
        ) % {
            "date": f"{item['assessed_on']:%Y-%m-%d}",
            "status": STATUS_LABELS[item["status"]],
            "change": change,
            "justification": item["justification"],
            "evidence": evidence,
        }

    def item_description(self, item: dict) -> str:
        return escape(self._text(item))

    def item_link(self, item: dict) -> str:
        rec = item["recommendation"]
        url = reverse("briefs:detail", kwargs={"slug": rec["edition__slug"]})
        return absolute_url(f"{url}#recommendation-{rec['order']}")

    def item_guid(self, item: dict) -> str:
        return absolute_url(reverse("permalink", kwargs={"pk": item["brief_id"]})) + (
            f"#assessment-{item['pk']}"
        )

    def item_pubdate(self, item: dict) -> datetime.datetime:
        return item["published_at"]

    def item_updateddate(self, item: dict) -> datetime.datetime:
        return item["published_at"]


class StatusChangeAtomFeed(StatusChangeFeed):
    url_name = "briefs:status-feed-atom"
    feed_type = TextAtom1Feed

    def subtitle(self, obj: Actor | None = None) -> str:
        return self.description(obj)

    def item_description(self, item: dict) -> str:
        return self._text(item)


class AddresseeStatusFeed(StatusChangeFeed):
    url_name = "briefs:addressee-status-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Actor:
        actor = get_object_or_404(Actor, slug=slug)
        addressed = EditionRecommendation.objects.filter(
            edition__in=Edition.objects.public().order_by().values("pk"),
            addressees=actor,
        )
        if not addressed.exists():
            raise Http404("No published recommendation is addressed to this actor.")
        return actor


class AddresseeStatusAtomFeed(AddresseeStatusFeed, StatusChangeAtomFeed):
    url_name = "briefs:addressee-status-feed-atom"
