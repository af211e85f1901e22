"""Editions: what the public sees of a brief, built once when it is published.

An edition is an immutable record of one published version of a brief: a
snapshot of its content as published (text, credits with the names and
affiliations of that day, actors, agreements, topics, recommendations) and
everything rendered from it (the article and head HTML, the list card, the
citation record, the API representations, the feed item and the search
document). Every public surface reads editions; none re-derives a published
fact from the working models (briefs.models), which editors keep changing.

- Publishing builds edition 1; publishing a correction builds edition N+1 and
  marks N superseded. Superseded editions stay readable at /briefs/<slug>/vN/.
- What is public is decided here, once: `Edition.objects.public()`. A brief's
  editorial state (briefs.models.Status) is copied onto its editions by the
  write functions in publishing/editions.py when it changes (released,
  withdrawn, trashed), so reading the public archive never joins the working
  tables.
- Linked records change on their own (an actor renamed, a person's affiliation
  corrected). An edition keeps them as they were when it was published, like
  the printed PDF does; the linked record's own page shows it as it is now,
  and the brief's next edition takes the change. Only the address of the
  brief itself is re-rendered into existing editions (a renamed slug), because
  an old address must keep working and the new one must be the one shown.
- The link tables (credits, actors, agreements, topics, recommendations) hold
  the current edition's links only: they are what filters, facets, counts and
  "is this person public" read. A superseded edition keeps its links in its
  snapshot.
"""

import datetime
from collections.abc import Iterator

from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone, translation

from actors.models import Actor, Agreement
from briefs.models import (
    Brief,
    BriefKind,
    Language,
    Person,
    PolicyArea,
    Role,
    Topic,
)
from languages import codes

# The parts rendered per public language (publishing/editions.py,
# render_edition), in the order the rows store them. English ones are
# Edition's own columns; the other languages' are EditionRendering rows.
RENDERED_PARTS = (
    "related_item_html",
    "card_html",
    "api_item",
    "citation",
    "head_html",
    "article_html",
    "api_detail",
    "body_html",
)
# The languages rendered besides English, each an EditionRendering row.
RENDERED_LANGUAGES = _SERBIAN = (codes.SERBIAN_CYRILLIC, codes.SERBIAN_LATIN)


def rendered(part: str) -> str:
    """The name under which `rendered_in` gives a part, for `values_list`."""
    return f"rendered_{part}"


def rendering_language(language: str | None = None) -> str:
    """The public language code whose rendering a reader gets (default: active)."""
    return codes.public_language(language or translation.get_language()).code


class _RenderedIterable(ModelIterable):
    """Model rows whose rendered parts are the language's, under their own names.

    `rendered_in` loads a part as the annotation `rendered_<part>` (the
    field itself is deferred: an annotation may not take a field's name);
    this puts it back as `edition.<part>`, so templates and code written for
    editions (`edition.card_html`) read the language's part unchanged.
    """

    def __iter__(self) -> Iterator[models.Model]:
        parts = self.queryset._rendered_parts
        for obj in super().__iter__():
            values = obj.__dict__
            for part in parts:
                values[part] = values.pop(rendered(part))
            yield obj


class EditionQuerySet(models.QuerySet["Edition"]):
    _rendered_parts: tuple[str, ...] = ()

    def _clone(self) -> "EditionQuerySet":
        clone = super()._clone()
        clone._rendered_parts = self._rendered_parts
        return clone

    def rendered_in(self, language: str | None, *parts: str) -> "EditionQuerySet":
        """These editions with `parts` as rendered for `language`: the one accessor.

        `language` is a Django language code (en, sr, sr-latn; None: the
        active one, `translation.get_language()`). Rows (model instances)
        carry the language's parts under their own names (`edition.card_html`);
        `values_list(rendered("card_html"))` reads them too. No query more
        than without it: English parts are the edition's own columns, the
        Serbian ones one LEFT JOIN on EditionRendering's (edition, language)
        key. An edition not rendered in that language yet (made by an older
        release, until `build_editions` or `rebuild_editions` runs) falls back
        to its English parts rather than show nothing.
        """
        code = rendering_language(language)
        parts = parts or RENDERED_PARTS
        queryset = self.defer(*parts)
        if code == codes.ENGLISH:
            values = {rendered(part): F(part) for part in parts}
        else:
            queryset = queryset.alias(
                rendering=FilteredRelation(
                    "renderings", condition=Q(renderings__language=code)
                )
            )
            values = {
                rendered(part): Coalesce(F(f"rendering__{part}"), F(part))
                for part in parts
            }
        queryset = queryset.annotate(**values)
        queryset._rendered_parts = tuple(dict.fromkeys((*self._rendered_parts, *parts)))
        if queryset._iterable_class is ModelIterable:
            queryset._iterable_class = _RenderedIterable
        return queryset

    def public(self, at: datetime.datetime | None = None) -> "EditionQuerySet":
        """The single gate of every public surface: the current, released editions.

        An edition is public when it is its brief's current edition, its
        release time has come (a scheduled brief turns public on its own) and
        the brief is neither withdrawn nor in the trash.
        """
        return self.filter(
            is_current=True,
            released_at__lte=at or timezone.now(),
            withdrawn_at__isnull=True,
            in_trash=False,
        )

    def next_release_at(self) -> datetime.datetime | None:
        """When the next scheduled edition becomes public (the page cache turns then).

        Read from editions, like everything public: `public()` lets an
        edition through from its `released_at`.
        """
        return (
            self.filter(
                is_current=True,
                withdrawn_at__isnull=True,
                in_trash=False,
                released_at__gt=timezone.now(),
            )
            .order_by("released_at")
            .values_list("released_at", flat=True)
            .first()
        )

    def citable(self, at: datetime.datetime | None = None) -> "EditionQuerySet":
        """Current editions that were released, withdrawn ones included.

        A withdrawn brief keeps its citation metadata (tombstone page, citation
        files, OAI deleted record): whoever cited it can still say what it was.
        """
        return self.filter(
            is_current=True, released_at__lte=at or timezone.now(), in_trash=False
        )

    def withdrawn(self) -> "EditionQuerySet":
        """Current editions of withdrawn briefs that had been public: tombstones."""
        return self.filter(
            is_current=True,
            withdrawn_at__isnull=False,
            released_at__lte=models.F("withdrawn_at"),
            in_trash=False,
        )

    def for_actor(self, actor: Actor) -> "EditionQuerySet":
        return self.filter(actor_links__actor=actor)

    def for_agreement(self, agreement: Agreement) -> "EditionQuerySet":
        return self.filter(agreements=agreement)

    def by_person(self, person: Person) -> "EditionQuerySet":
        return self.filter(credits__person=person).distinct()

    def links_of(self, links: models.QuerySet) -> models.QuerySet:
        """The link rows (credits, topics …) whose edition is one of these.

        Each row's edition is looked up by its key (EXISTS), so the database
        reads an item's links by the item's index; with `edition__in`
        SQLite walked every public edition once per person or topic.
        """
        return links.filter(
            models.Exists(self.order_by().filter(pk=models.OuterRef("edition_id")))
        )

    def credited_people(self) -> models.QuerySet[Person]:
        """The people these editions credit.

        `Edition.objects.public().credited_people()` is the public people:
        a person is public exactly when a public edition credits them (the
        site and the API alike).
        """
        credits = EditionCredit.objects.filter(person=models.OuterRef("pk"))
        return Person.objects.filter(models.Exists(self.links_of(credits)))

    def linked_topics(self) -> models.QuerySet[Topic]:
        """The topics of these editions (of public ones: the public topics)."""
        links = Edition.topics.through.objects.filter(topic=models.OuterRef("pk"))
        return Topic.objects.filter(models.Exists(self.links_of(links)))

    def search(self, q: str) -> "EditionQuerySet":
        """Public editions matching `q`, best first; see `archive.search`.

        Applies `public()` itself: search never returns anything else.
        """
        from archive import search
        from publishing.search import BRIEFS

        return search.search_queryset(self.public(), BRIEFS, q)


class Edition(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField(help_text="The version citations give.")
    is_current = models.BooleanField(default=True)

    # When the public may see it: the release time of a first publication
    # (possibly in the future: scheduled), the moment a correction went out.
    released_at = models.DateTimeField()
    # When the brief first became public: edition 1's release, on every edition.
    published_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    in_trash = models.BooleanField(default=False)

    # Facts of this edition, each computed once (publishing/editions.py).
    slug = models.SlugField(max_length=200, help_text="The brief's current address.")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=BriefKind.choices)
    language = models.CharField(max_length=10, choices=Language.choices)
    featured = models.BooleanField(default=False)
    # The date the brief carries everywhere (page, API, feeds, OAI, citations,
    # PDF, export): its printed date, else the day of its first release in
    # the archive's time zone.
    public_date = models.DateField()
    # The day this edition was published, for a correction (edition 2 on).
    updated_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The correction's public note.")
    # A translation's source, as published (the snapshot has it too): the
    # original brief and the version of it this text renders. No database
    # constraint and nothing cascades: an edition is a record of what was
    # published, and outlives the link (publishing/translations.py reads it).
    translation_of = models.ForeignKey(
        Brief,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # edition_translations below leads with it
        null=True,
        blank=True,
        related_name="+",
    )
    translated_from_number = models.PositiveSmallIntegerField(null=True, blank=True)

    # Rendered parts: a pure function of the content below, the number, the
    # slug and the edition history (publishing/editions.py, render_edition).
    # These columns hold the English rendering; the Serbian ones are
    # EditionRendering rows (RENDERED_PARTS; read them with `rendered_in`).
    #
    # Column order matters on SQLite: a row is one record, and reading a
    # column means stepping over every column stored before it (a 40 kB
    # snapshot spills into overflow pages). So the parts that lists and pages
    # read on every request come first, smallest first, and the snapshot and
    # the large one-per-request parts last. Measured at 1,000 briefs: 20 cards
    # read in 0.05 ms this way against 0.95 ms behind the snapshot.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # [brief id, score] of the closest briefs, best first (publishing/
    # rendering.py); each request shows the ones that are public then.
    related = models.JSONField(default=list)
    related_item_html = models.TextField(blank=True)
    card_html = models.TextField(blank=True)
    api_item = models.JSONField(default=dict)
    citation = models.JSONField(default=dict)
    head_html = models.TextField(blank=True)
    article_html = models.TextField(blank=True)
    api_detail = models.JSONField(default=dict)
    body_html = models.TextField(blank=True)
    # The content as published, from which every rendered part is made.
    content = models.JSONField()

    # The PDF is a file in storage named after the edition (publishing/pdfs.py),
    # rendered after the publishing transaction commits.

    people = models.ManyToManyField(Person, through="EditionCredit", related_name="+")
    actors = models.ManyToManyField(Actor, through="EditionActor", related_name="+")
    agreements = models.ManyToManyField(Agreement, related_name="editions", blank=True)
    topics = models.ManyToManyField(Topic, related_name="editions", blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-public_date", "-published_at", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "number"], name="edition_unique_number"
            ),
            models.UniqueConstraint(
                fields=["brief"],
                condition=Q(is_current=True),
                name="edition_one_current_per_brief",
            ),
            # Used by every page and API lookup of a brief by its address.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(is_current=True),
                name="edition_unique_current_slug",
            ),
            models.CheckConstraint(
                condition=Q(is_current=True) | Q(superseded_at__isnull=False),
                name="edition_superseded_has_time",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="edition_withdrawn_has_reason",
            ),
        ]
        indexes = [
            # Used by the public lists, feeds and sitemap: current, newest first
            # (the API's tie-break, brief_id, included). The gate's columns
            # follow so that counting the public editions reads the index
            # alone: on SQLite, reading the rows (large: they hold the
            # rendered parts) made the API list's count cost more than the
            # rest of the request.
            models.Index(
                fields=[
                    "is_current",
                    "-public_date",
                    "-published_at",
                    "-brief_id",
                    "in_trash",
                    "withdrawn_at",
                    "released_at",
                ],
                name="edition_public_order",
            ),
            # Used by the recommendations page (publishing/recommendation_rows.py),
            # ordered by its brief's date and title: the first page walks this
            # index newest first and stops after 50 rows, where it sorted every
            # public recommendation per request.
            models.Index(
                fields=["is_current", "-public_date", "title"],
                name="edition_public_title",
            ),
            # Used by old edition pages: /briefs/<slug>/v<number>/.
            models.Index(fields=["slug", "number"], name="edition_slug_number"),
            # Used by "has it a public translation?" on every API brief and
            # by a brief page's family of translations. Partial: almost every
            # row is NULL, and an index over them all told SQLite's planner
            # (which keeps no per-value statistics) that a lookup finds every
            # row, so it scanned the current editions instead: 14 ms of the
            # 1,000-brief API list, 0.4 ms of each brief page.
            models.Index(
                fields=["translation_of", "is_current"],
                name="edition_translations",
                condition=Q(translation_of__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def get_absolute_url(self) -> str:
        """The current edition at the brief's address; an older one at its own."""
        if self.is_current:
            return reverse("briefs:detail", kwargs={"slug": self.slug})
        return reverse(
            "briefs:edition", kwargs={"slug": self.slug, "number": self.number}
        )

    @property
    def is_public(self) -> bool:
        return (
            self.is_current
            and self.released_at <= timezone.now()
            and self.withdrawn_at is None
            and not self.in_trash
        )


class EditionRendering(models.Model):
    """An edition's parts rendered for a public language other than English.

    The same parts as Edition's rendered columns (RENDERED_PARTS), made by
    the same code under `translation.override(language)`: the interface in
    the language, names of people and actors in its script, dates in its
    form, links to its pages, and a Serbian brief's text in the script of the
    language (written once, served in both). English stays in Edition's own
    columns, whose layout was measured; read any language through
    `EditionQuerySet.rendered_in`. Rendered in the publishing transaction
    with the English parts, and again with them (`rerender_editions`).
    Derived: a backup leaves the table out and a restore renders it again.

    Column order as on Edition, for the same reason (SQLite steps over every
    column stored before the one it reads): the parts lists and pages read
    on every request first, smallest first, the large ones last.
    """

    # Indexed by the unique constraint below (edition first).
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="renderings", db_index=False
    )
    language = models.CharField(
        max_length=10,
        choices=[
            (code, codes.PUBLIC_LANGUAGES[code].name) for code in RENDERED_LANGUAGES
        ],
    )
    related_item_html = models.TextField(blank=True)
    card_html = models.TextField(blank=True)
    api_item = models.JSONField(default=dict)
    citation = models.JSONField(default=dict)
    head_html = models.TextField(blank=True)
    article_html = models.TextField(blank=True)
    api_detail = models.JSONField(default=dict)
    body_html = models.TextField(blank=True)

    class Meta:
        constraints = [
            # Used by every reader of a Serbian page: the join of rendered_in.
            models.UniqueConstraint(
                fields=["edition", "language"], name="editionrendering_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"edition {self.edition_id} in {self.language}"


class EditionCredit(models.Model):
    """A person credited on a current edition, as the edition credits them."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="credits"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "person", "role"], name="editioncredit_unique"
            ),
        ]
        indexes = [
            # Used by a person's page and "is this person public".
            models.Index(fields=["person", "role"], name="editioncredit_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role}) in edition {self.edition_id}"


class EditionActor(models.Model):
    """An actor a current edition discusses (confirmed links only)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="actor_links"
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "actor"], name="editionactor_unique"
            ),
        ]
        indexes = [
            # Used by an actor's page: the briefs that discuss it.
            models.Index(fields=["actor"], name="editionactor_actor"),
        ]

    def __str__(self) -> str:
        return f"actor {self.actor_id} in edition {self.edition_id}"


class EditionRecommendation(models.Model):
    """A recommendation as a current edition makes it."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="recommendations"
    )
    # The recommendation's identity (briefs.models.Recommendation.key): with
    # the edition's brief, what its assessments are keyed by.
    key = models.UUIDField()
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField()
    policy_area = models.CharField(max_length=20, choices=PolicyArea.choices)
    addressees = models.ManyToManyField(Actor, related_name="+", blank=True)

    class Meta:
        ordering = ["edition_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "order"], name="editionrecommendation_unique"
            ),
        ]
        indexes = [
            # Used by the tracker's gate: is this assessed recommendation in
            # a public edition?
            models.Index(fields=["key"], name="editionrecommendation_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def slug(self) -> str:
        """A recommendation's address: its brief's slug and its number in it."""
        return f"{self.edition.slug}-{self.order}"
