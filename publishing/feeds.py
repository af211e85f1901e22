"""RSS 2.0 and Atom feeds: all briefs, and per topic, actor and person.

Every feed starts from `Brief.objects.published()`; links are absolute under
SITE_URL so that aggregators cite the canonical address.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from actors.models import Actor
from briefs.models import Brief, Person, Role, Topic
from publishing.pages import absolute_url

FEED_SIZE = 30


class BriefFeed(Feed):
    feed_type = Rss201rev2Feed
    url_name = "briefs:feed-rss"

    def title(self, obj=None) -> str:
        return f"{settings.PUBLISHER['name']}: briefs"

    def description(self, obj=None) -> str:
        return "The latest published briefs."

    def link(self, obj=None) -> str:
        return absolute_url(reverse("briefs:list"))

    def feed_url(self, obj=None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute_url(reverse(self.url_name, kwargs=kwargs))

    def briefs(self, obj=None) -> QuerySet[Brief]:
        return Brief.objects.published()

    def items(self, obj=None) -> QuerySet[Brief]:
        # Newest release first; with_cards prefetches authors and topics, so
        # the feed costs three queries however many items it has.
        return self.briefs(obj).with_cards().order_by("-published_at")[:FEED_SIZE]

    def item_title(self, item: Brief) -> str:
        return item.title

    def item_description(self, item: Brief) -> str:
        return item.summary

    def item_link(self, item: Brief) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Brief) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Brief):
        return item.published_at

    def item_updateddate(self, item: Brief):
        return item.updated_at

    def item_author_name(self, item: Brief) -> str:
        return ", ".join(
            c.person.name for c in item.contributions.all() if c.role == Role.AUTHOR
        )

    def item_categories(self, item: Brief) -> list[str]:
        return [topic.name for topic in item.topics.all()]


class BriefAtomFeed(BriefFeed):
    url_name = "briefs:feed-atom"
    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)


class TopicFeed(BriefFeed):
    url_name = "briefs:topic-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return f"{settings.PUBLISHER['name']}: briefs on {obj.name}"

    def link(self, obj: Topic) -> str:
        return absolute_url(obj.get_absolute_url())

    def briefs(self, obj: Topic) -> QuerySet[Brief]:
        return Brief.objects.published().filter(topics=obj)


class TopicAtomFeed(TopicFeed):
    url_name = "briefs:topic-feed-atom"
    feed_type = Atom1Feed


class ActorFeed(BriefFeed):
    url_name = "briefs:actor-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Actor:
        return get_object_or_404(Actor, slug=slug)

    def title(self, obj: Actor) -> str:
        return f"{settings.PUBLISHER['name']}: briefs on {obj.name}"

    def link(self, obj: Actor) -> str:
        return absolute_url(obj.get_absolute_url())

    def briefs(self, obj: Actor) -> QuerySet[Brief]:
        return Brief.objects.published().for_actor(obj)


class ActorAtomFeed(ActorFeed):
    url_name = "briefs:actor-feed-atom"
    feed_type = Atom1Feed


class PersonFeed(BriefFeed):
    url_name = "briefs:person-feed-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def title(self, obj: Person) -> str:
        return f"{settings.PUBLISHER['name']}: briefs by {obj.name}"

    def link(self, obj: Person) -> str:
        return absolute_url(obj.get_absolute_url())

    def briefs(self, obj: Person) -> QuerySet[Brief]:
        return Brief.objects.published().by_person(obj)


class PersonAtomFeed(PersonFeed):
    url_name = "briefs:person-feed-atom"
    feed_type = Atom1Feed
