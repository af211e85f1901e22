"""The content layer: briefs, the people who write them and what they recommend."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Agreement
from briefs.markdown import render_markdown
from kernel.limits import max_chars
from languages.models import SerbianName
from library.models import Image, new_token
from library.uploads import ATTACHMENT_TYPES

# -- Limits on what editors type (README, *Limits*) -----------------------------
# One constant per kind of text. Forms, the importer and `full_clean` all
# enforce them through the fields below. Rendering is linear in the input (see
# briefs/markdown.py), and these bounds keep the slowest input we know of
# (bench/pathological.py) well under a second per save.
TITLE_MAX_CHARS = 300  # brief and recommendation titles
BODY_MAX_CHARS = 60_000  # a brief's Markdown body: 2.5 times the seed brief
SUMMARY_MAX_CHARS = 2_000  # "two or three sentences", with room to spare
RECOMMENDATION_BODY_MAX_CHARS = 5_000
BIO_MAX_CHARS = 5_000
TOPIC_DESCRIPTION_MAX_CHARS = 2_000
# A correction's public note and a withdrawal's public reason (typed with the
# workflow move; editorial.workflow.TransitionForm holds them to it too).
PUBLIC_NOTE_MAX_CHARS = 5_000
# An assessment of a recommendation: "a short justification", a paragraph.
JUSTIFICATION_MAX_CHARS = 1_000


def validate_orcid(value: str) -> None:
    """ORCID iDs are 16 characters in groups of four; the last is an ISO 7064 check."""
    digits = value.replace("-", "")
    if len(value) != 19 or len(digits) != 16 or value.count("-") != 3:
        raise ValidationError(_("Write an ORCID iD as 0000-0000-0000-0000."))
    if not digits[:15].isdigit() or not (digits[15].isdigit() or digits[15] == "X"):
        raise ValidationError(_("An ORCID iD has 15 digits and a final digit or X."))
    total = 0
    for char in digits[:15]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[15] != expected:
        raise ValidationError(
            gettext("%(value)s is not a valid ORCID iD (checksum fails).")
            % {"value": value}
        )


class Institution(SerbianName):
    """An affiliation shared by many people (one record per institution)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    local_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The name in its own language and script."),
    )
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, q: str) -> "PersonQuerySet":
        """People whose name or affiliation matches `q`; see `archive.search`."""
        from archive import search

        return search.search_queryset(self, search.PEOPLE, q)


class Person(SerbianName):
    """An author, researcher, editor or translator of briefs."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    affiliation = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    bio = models.TextField(
        blank=True, validators=[max_chars(BIO_MAX_CHARS, _("A biography"))]
    )
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="0000-0000-0000-0000",
    )
    # From the media library, with its alt text and credit (moved there from
    # the former `photo` file field by migration briefs 0019).
    portrait = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="person_unique_orcid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("briefs:person-detail", kwargs={"slug": self.slug})

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


class Topic(SerbianName):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True,
        validators=[max_chars(TOPIC_DESCRIPTION_MAX_CHARS, _("A topic's description"))],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("briefs:topic-detail", kwargs={"slug": self.slug})


class BriefKind(models.TextChoices):
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    ANALYSIS = "analysis", _("Analysis")
    COMMENTARY = "commentary", _("Commentary")
    REPORT = "report", _("Report")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses whose content nobody changes in place: approved text is what was
# reviewed, public text changes only through a correction (working copy).
# Checked by the editorial workflow and by the importer.
CONTENT_FROZEN = frozenset({Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN})


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SERBIAN_LATIN = "sr-Latn", _("Serbian (Latin)")
    SERBIAN_CYRILLIC = "sr-Cyrl", _("Serbian (Cyrillic)")


def base_language(language: str) -> str:
    """The language of a brief's `language`, its script aside ("sr-Cyrl" → "sr").

    Serbian in Cyrillic and in Latin is one text in two scripts (served in
    both), never a translation of each other.
    """
    return language.split("-")[0].lower()


class Licence(models.TextChoices):
    """The terms a brief is published under: what its source states.

    "All rights reserved" is the default, because it is what copyright law
    gives when nothing else is said; a Creative Commons licence is recorded
    only when the brief's source (its footer, briefs/importers.py) or an
    editor grants one. Every surface that names a licence links the
    licence's text from LICENCE_URLS, so a brief with all rights reserved
    links none.
    """

    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("Creative Commons Attribution-NonCommercial 4.0")
    CC_BY_NC_SA = (
        "CC-BY-NC-SA-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0"),
    )
    CC_BY_ND = "CC-BY-ND-4.0", _("Creative Commons Attribution-NoDerivatives 4.0")
    CC_BY_NC_ND = (
        "CC-BY-NC-ND-4.0",
        _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0"),
    )


LICENCE_URLS = {
    Licence.ALL_RIGHTS_RESERVED: "",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


class BriefQuerySet(models.QuerySet["Brief"]):
    def published(self, at: datetime.datetime | None = None) -> "BriefQuerySet":
        """Briefs whose editorial state is published and released, not trashed.

        The editorial view (dashboard, workflow, checks). No public surface
        reads it: what the public sees is the brief's edition, and the one
        public gate is `publishing.models.Edition.objects.public()`, kept in
        step with this state by the workflow's write functions.
        """
        at = at or timezone.now()
        return self.filter(
            status=Status.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=at,
            deleted_at__isnull=True,
        )

    def not_in_trash(self) -> "BriefQuerySet":
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> "BriefQuerySet":
        return self.filter(deleted_at__isnull=False)

    def scheduled(self, at: datetime.datetime | None = None) -> "BriefQuerySet":
        """Published briefs whose release time is still to come (not yet public)."""
        return self.filter(
            status=Status.PUBLISHED,
            published_at__gt=at or timezone.now(),
            deleted_at__isnull=True,
        )

    def for_actor(self, actor: Actor) -> "BriefQuerySet":
        """Briefs whose confirmed links include `actor`."""
        return self.filter(
            actor_links__actor=actor, actor_links__state=MentionState.CONFIRMED
        ).distinct()


class Brief(models.Model):
    title = models.CharField(max_length=TITLE_MAX_CHARS)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_("Part of the public address; keep stable."),
    )
    kind = models.CharField(
        max_length=20, choices=BriefKind.choices, default=BriefKind.POLICY_BRIEF
    )
    summary = models.TextField(
        blank=True,
        help_text=_("Two or three sentences."),
        validators=[max_chars(SUMMARY_MAX_CHARS, _("A summary"))],
    )
    body = models.TextField(
        help_text=_(
            "Markdown: ## headings are sections; pipe tables; footnotes as [^1]."
        ),
        validators=[max_chars(BODY_MAX_CHARS, _("A brief's body"))],
    )
    # Rendered once per save, never per request: sanitised HTML and its contents.
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    language = models.CharField(
        max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="briefs")
    publication_date = models.DateField(
        null=True, blank=True, help_text=_("The date printed on the brief.")
    )
    licence = models.CharField(
        max_length=30,
        choices=Licence.choices,
        default=Licence.ALL_RIGHTS_RESERVED,
        help_text=_(
            "What the brief's source states; a Creative Commons licence "
            "only if the institute grants one."
        ),
    )
    featured = models.BooleanField(default=False)
    doi = models.CharField("DOI", max_length=200, blank=True)
    cover = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
        help_text=_("From the media library; frozen into the edition at publication."),
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the brief becomes public; a future time schedules it."),
    )
    withdrawn_reason = models.TextField(
        blank=True,
        validators=[max_chars(PUBLIC_NOTE_MAX_CHARS, _("A withdrawal's reason"))],
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when moved to the trash."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Stable publication (editorial/workflow.py): a published brief is never edited
    # in place. A correction is prepared on a working copy, a separate row that
    # points here and can never be published itself; publishing it copies its
    # content onto this row in one transaction and records a Correction.
    draft_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_copies",
        verbose_name="correction of",
    )
    # A translation names the brief it translates and the version (edition
    # number) of it that it was made from: when the original is corrected
    # past that version, the translation is stale (publishing/translations.py
    # tells the readers and the editors). PROTECT: purging an original would
    # leave its translations claiming a source nobody can read; unlink or
    # purge them first.
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name="translation of",
        help_text=_(
            "The brief this one translates (in another language; "
            "itself no translation). Credit the translator under contributors."
        ),
    )
    translated_from_number = models.PositiveSmallIntegerField(
        "made from version",
        null=True,
        blank=True,
        help_text=_(
            "The version of the original this translation renders. Left "
            "empty, it is the original's current public version. Raise it when the "
            "translation is brought up to a correction of the original."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    actors = models.ManyToManyField(
        Actor, through="BriefActor", related_name="briefs", blank=True
    )
    agreements = models.ManyToManyField(
        Agreement, through="BriefAgreement", related_name="briefs", blank=True
    )

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="brief_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BriefKind.values), name="brief_kind_valid"
            ),
            # A published brief always knows when it became (or becomes) public.
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="brief_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="brief_withdrawn_has_reason",
            ),
            # A working copy is published by copying it onto its live brief,
            # never by itself: it must not pass `published()`.
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True)
                | ~Q(status__in=[Status.PUBLISHED, Status.WITHDRAWN]),
                name="brief_working_copy_never_public",
            ),
            models.CheckConstraint(
                condition=Q(translation_of__isnull=True)
                | ~Q(translation_of=models.F("id")),
                name="brief_not_translation_of_itself",
            ),
            # A translation always says which version it was made from; a
            # brief that translates nothing has no such number.
            models.CheckConstraint(
                condition=Q(translation_of__isnull=True, translated_from_number=None)
                | Q(
                    translation_of__isnull=False,
                    translated_from_number__isnull=False,
                    translated_from_number__gte=1,
                ),
                name="brief_translation_has_version",
            ),
        ]
        # Checked by editorial/workflow.py on every transition, whatever the caller.
        permissions = [
            ("edit_any_brief", "Can see and edit every brief, not only own"),
            ("submit_brief", "Can submit briefs for review"),
            ("review_brief", "Can comment on, request changes to and approve briefs"),
            ("publish_brief", "Can publish, schedule, withdraw and correct briefs"),
        ]
        indexes = [
            # Used by the public list: published, newest first.
            models.Index(
                fields=["status", "-publication_date"], name="brief_public_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Derived state, not business logic: the stored HTML is always the
        # rendering of the stored Markdown, whoever saves (admin, importer,
        # shell), so no caller can forget it.
        self.body_html, self.toc = render_markdown(self.body)
        if (
            kwargs.get("update_fields") is not None
            and "body" in kwargs["update_fields"]
        ):
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "toc"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("briefs:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        self.clean_translation()

    def clean_translation(self) -> None:
        """A translation links a live original in another language, one level deep.

        Fills in the version it was made from, when none is given, with the
        original's current public version (1 for an original not public
        yet: its first edition is what is being translated).
        """
        if self.translation_of_id is None:
            if self.translated_from_number is not None:
                raise ValidationError(
                    {"translated_from_number": _("Only a translation has this number.")}
                )
            return
        original = self.translation_of
        own = self.draft_of_id or self.pk
        if original.pk in {self.pk, self.draft_of_id}:
            raise ValidationError(
                {"translation_of": _("A brief cannot be a translation of itself.")}
            )
        if original.draft_of_id is not None:
            raise ValidationError(
                {
                    "translation_of": _(
                        "Link the published brief, not a correction draft of it."
                    )
                }
            )
        if original.translation_of_id is not None:
            raise ValidationError(
                {
                    "translation_of": gettext(
                        "“%(original)s” is itself a translation: link the brief "
                        "it translates."
                    )
                    % {"original": original}
                }
            )
        if base_language(original.language) == base_language(self.language):
            raise ValidationError(
                {
                    "translation_of": gettext(
                        "A translation is in another language than its "
                        "original (%(language)s)."
                    )
                    % {"language": original.get_language_display()}
                }
            )
        siblings = Brief.objects.filter(
            translation_of=original, draft_of__isnull=True
        ).exclude(pk__in=[pk for pk in (own,) if pk is not None])
        for sibling in siblings.only("title", "language"):
            if base_language(sibling.language) == base_language(self.language):
                raise ValidationError(
                    {
                        "translation_of": gettext(
                            "“%(original)s” has a translation into this "
                            "language already: “%(title)s”."
                        )
                        % {"original": original, "title": sibling.title}
                    }
                )
        if own is not None and Brief.objects.filter(translation_of=own).exists():
            raise ValidationError(
                {
                    "translation_of": _(
                        "This brief has translations of its own, so it cannot "
                        "be a translation."
                    )
                }
            )
        if self.translated_from_number is None:
            from briefs.hooks import public_record

            numbers = public_record().current_numbers([original.pk])
            self.translated_from_number = numbers.get(original.pk, 1)

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self.deleted_at is None
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def version(self) -> int:
        """1, plus one per published correction: the number citations give too.

        Reads `corrections` through the prefetch cache when there is one.
        """
        return 1 + len(self.corrections.all())

    @property
    def is_working_copy(self) -> bool:
        return self.draft_of_id is not None

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


class Role(models.TextChoices):
    AUTHOR = "author", _("Author")
    RESEARCHER = "researcher", _("Researcher")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")


class Contribution(models.Model):
    """A person's part in a brief, in the order the brief credits them."""

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="contributions"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contributions"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "person", "role"],
                name="contribution_unique_person_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="contribution_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class MentionState(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class BriefActor(models.Model):
    """An actor a brief discusses.

    Links an editor adds by hand are confirmed at once; links found by scanning
    the text start as suggestions. Only confirmed links appear publicly, and a
    rejected link is remembered so that the next scan does not suggest it again.
    """

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="actor_links"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="brief_links"
    )
    state = models.CharField(
        max_length=12, choices=MentionState.choices, default=MentionState.CONFIRMED
    )
    mention_count = models.PositiveIntegerField(default=0)
    first_position = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["first_position", "actor__name"]
        verbose_name = "actor discussed"
        verbose_name_plural = "actors discussed"
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "actor"], name="briefactor_unique_actor"
            ),
        ]
        indexes = [
            # Used by an actor's page: the briefs that discuss it.
            models.Index(fields=["actor", "state"], name="briefactor_actor_state"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} in {self.brief}"


class BriefAgreement(models.Model):
    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="agreement_links"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="brief_links"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "agreement discussed"
        verbose_name_plural = "agreements discussed"
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "agreement"], name="briefagreement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} in {self.brief}"


class PolicyArea(models.TextChoices):
    SECURITY = "security", _("Security and defense")
    DIPLOMACY = "diplomacy", _("Diplomacy and dialogue")
    INTEGRATION = "integration", _("EU and Euro-Atlantic integration")
    ECONOMY = "economy", _("Economy and connectivity")
    GOVERNANCE = "governance", _("Governance and rule of law")
    OTHER = "other", _("Other")


class Recommendation(models.Model):
    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="recommendations"
    )
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX_CHARS)
    body = models.TextField(
        validators=[
            max_chars(RECOMMENDATION_BODY_MAX_CHARS, _("A recommendation's text"))
        ]
    )
    addressees = models.ManyToManyField(
        Actor, blank=True, related_name="recommendations_received"
    )
    policy_area = models.CharField(
        max_length=20, choices=PolicyArea.choices, default=PolicyArea.OTHER
    )
    # The recommendation's identity across versions. Rows come and go (a
    # published correction moves the working copy's rows onto the live
    # brief; restoring a revision writes new rows), but every snapshot
    # carries the key and every write puts it back, so the assessments of a
    # recommendation (keyed by brief and key) survive corrections.
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["brief", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "order"], name="recommendation_unique_order"
            ),
            # Used by the tracker: a brief's recommendation by its identity.
            models.UniqueConstraint(
                fields=["brief", "key"], name="recommendation_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(policy_area__in=PolicyArea.values),
                name="recommendation_policy_area_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class ImplementationStatus(models.TextChoices):
    """What became of a recommendation, as an assessment finds it."""

    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    NO_ACTION = "no_action", _("No action")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTLY_IMPLEMENTED = "partly_implemented", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")
    OVERTAKEN = "overtaken", _("Overtaken by events")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def published(self) -> "AssessmentQuerySet":
        """Published assessments: the editorial state only.

        What the public sees is narrower still: a published assessment of a
        recommendation that a public edition makes (publishing/tracker.py).
        """
        return self.filter(state=AssessmentState.PUBLISHED)

    def newest_first(self) -> "AssessmentQuerySet":
        """The order of a recommendation's history: its latest status first."""
        return self.order_by("-assessed_on", "-published_at", "-id")


class Assessment(models.Model):
    """A dated finding on what became of one recommendation, with its evidence.

    Recommendations are frozen in their editions; assessments are live facts
    about them, like an actor's record. An assessment belongs to the live
    brief and to the recommendation's `key`, not to a recommendation row:
    rows are replaced when a correction is published, keys are not. Written
    and reviewed in the admin (editorial/assessments.py): a draft becomes
    public only when someone with `publish_assessment` publishes it.
    """

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="assessments"
    )
    recommendation_key = models.UUIDField()
    status = models.CharField(max_length=20, choices=ImplementationStatus.choices)
    assessed_on = models.DateField(help_text=_("The day the status is stated as of."))
    justification = models.TextField(
        validators=[max_chars(JUSTIFICATION_MAX_CHARS, _("A justification"))],
        help_text=format_lazy(
            _("Why this status, in at most {} characters of plain text."),
            f"{JUSTIFICATION_MAX_CHARS:,}",
        ),
    )
    state = models.CharField(
        max_length=12,
        choices=AssessmentState.choices,
        default=AssessmentState.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=AssessmentState.values),
                name="assessment_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=AssessmentState.PUBLISHED)
                | Q(published_at__isnull=False),
                name="assessment_published_has_time",
            ),
        ]
        indexes = [
            # Used by every public reader: a recommendation's published
            # history, newest first (current status = the first row).
            models.Index(
                fields=["brief", "recommendation_key", "state", "-assessed_on"],
                name="assessment_history",
            ),
            # Used by the status feeds: newest publications first.
            models.Index(fields=["state", "-published_at"], name="assessment_feed"),
        ]
        permissions = [
            (
                "publish_assessment",
                "Can publish and unpublish assessments of recommendations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} as of {self.assessed_on:%Y-%m-%d}"


def validate_web_url(value: str) -> None:
    """Evidence is a web page: http or https only (no javascript:, data:, ftp:)."""
    URLValidator(
        schemes=["http", "https"], message="Give an http:// or https:// address."
    )(value)


class AssessmentSource(models.Model):
    """A public source an assessment rests on: where, what, of when."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField("address", max_length=500, validators=[validate_web_url])
    title = models.CharField(max_length=TITLE_MAX_CHARS)
    published_on = models.DateField("date", help_text=_("The source's own date."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "evidence source"

    def __str__(self) -> str:
        return self.title


class Correction(models.Model):
    """A published correction: each one makes a new version of the brief.

    Citations name the version ("version 2, updated 2025-06-02") so that a
    reader can tell which text an author quoted.
    """

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="corrections"
    )
    published_on = models.DateField()
    # Optional: every published correction is a version, with or without a
    # public word on what changed (editorial.workflow._publish_correction).
    note = models.TextField(
        blank=True,
        validators=[max_chars(PUBLIC_NOTE_MAX_CHARS, _("A correction's note"))],
    )

    class Meta:
        ordering = ["published_on", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.published_on:%Y-%m-%d} to {self.brief}"


class BriefSlugHistory(models.Model):
    """A slug a brief used to have, so that its old address answers 301, not 404.

    Recorded by `briefs.services.change_brief_slug`; an old slug belongs to one
    brief for ever, and no brief may take a slug that another one used before.
    """

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="old_slugs")
    old_slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "old slug"
        verbose_name_plural = "old slugs"

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.brief.slug}"


# -- A brief's content in one pass ----------------------------------------------


def content_prefetches() -> list[models.Prefetch]:
    """The prefetches that load every related row a snapshot reads (7 queries).

    One shape serves both snapshots (editorial revisions and published
    editions), so publishing a correction loads the content once and derives
    both from it. The orderings are the revision's; an edition re-sorts in
    Python what it orders differently (publishing/editions.py).
    """
    return [
        models.Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related(
                "person", "person__affiliation", "person__portrait"
            ).order_by("order", "id"),
        ),
        models.Prefetch("topics", queryset=Topic.objects.order_by("name", "pk")),
        models.Prefetch(
            "actor_links",
            queryset=BriefActor.objects.select_related("actor")
            .prefetch_related("actor__aliases")
            .order_by("actor__name", "actor_id"),
        ),
        models.Prefetch(
            "agreement_links",
            queryset=BriefAgreement.objects.select_related("agreement").order_by(
                "agreement__title", "agreement_id"
            ),
        ),
        models.Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                models.Prefetch("addressees", queryset=Actor.objects.order_by("name"))
            ).order_by("order"),
        ),
    ]


CONTENT_RELATIONS = (
    "contributions",
    "topics",
    "actor_links",
    "agreement_links",
    "recommendations",
)


def content_loaded(brief: Brief) -> bool:
    """Has `brief` its content in hand (`content_prefetches`), so reading it is free?"""
    cache = getattr(brief, "_prefetched_objects_cache", {})
    return all(name in cache for name in CONTENT_RELATIONS)


def load_content(*briefs: Brief) -> list[Brief]:
    """Instances of `briefs` with their content loaded, in one set of queries.

    Fresh instances (their field values and already-read foreign keys
    copied), so that no caller's instance carries a prefetch cache that its
    later writes would leave stale. One brief or two (a correction and its
    live brief) cost the same 7 queries.
    """
    holders = []
    for brief in briefs:
        if content_loaded(brief):
            holders.append(brief)
            continue
        holder = Brief(
            **{
                f.attname: getattr(brief, f.attname)
                for f in Brief._meta.concrete_fields
            }
        )
        holder._state.adding = False
        holder._state.db = brief._state.db
        holder._state.fields_cache = dict(brief._state.fields_cache)
        holders.append(holder)
    models.prefetch_related_objects(
        [h for h in holders if not content_loaded(h)], *content_prefetches()
    )
    return holders


class Attachment(models.Model):
    """An annex or data file offered with a brief (PDF, spreadsheet, text).

    The file is stored through the storage API under an unguessable folder;
    the public learns its address only from a published edition, which lists
    the attachments the brief had when it was published.
    """

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="attachments"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.CharField(_("description"), max_length=500, blank=True)
    # Set from the sniffed content (library.uploads.sniff_attachment).
    file = models.CharField(max_length=400, editable=False)
    kind = models.CharField(
        max_length=10,
        editable=False,
        choices=[(code, t.label) for code, t in ATTACHMENT_TYPES.items()],
    )
    size = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.file.rsplit("/", 1)[-1]

    def frozen(self) -> dict:
        """What an edition keeps of it (the file's name, not its URL)."""
        return {
            "id": self.pk,
            "title": self.title,
            "description": self.description,
            "kind": self.kind,
            "size": self.size,
            "file": self.file,
        }


def attachment_name(filename: str) -> str:
    """A storage name under a fresh random folder, keeping a safe file name."""
    from django.utils.text import get_valid_filename

    base = get_valid_filename(filename.rsplit("/", 1)[-1])[:120] or "file"
    return f"attachments/{new_token()}/{base}"
