"""The reference layer: the actors briefs discuss and the agreements between them.

This app never imports from `briefs`: briefs point at actors, not the reverse.
"""

import datetime
import decimal
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.limits import max_chars
from languages.models import SerbianName
from library.models import Image

# -- Limits on what staff type (README, *Limits and security*) ------------------
# Plain text, escaped by the templates: work is linear in the length.
ACTOR_DESCRIPTION_MAX_CHARS = 2_000  # "one or two sentences", with room to spare
STATUS_NOTE_MAX_CHARS = 1_000
AGREEMENT_SUMMARY_MAX_CHARS = 5_000
KEY_TERMS_MAX_CHARS = 5_000  # one term per line
INDICATOR_NOTE_MAX_CHARS = 2_000


class ActorKind(models.TextChoices):
    STATE = "state", _("State")
    DISPUTED_STATE = "disputed_state", _("State with disputed recognition")
    ORGANIZATION = "organization", _("International organization or alliance")
    MISSION = "mission", _("Military mission or force")
    SUBNATIONAL = "subnational", _("Sub-national entity")
    PERSON = "person", _("Person")
    INSTITUTION = "institution", _("Institution")


class ActorQuerySet(models.QuerySet["Actor"]):
    def people(self) -> "ActorQuerySet":
        return self.filter(kind=ActorKind.PERSON)

    def organizations(self) -> "ActorQuerySet":
        return self.filter(kind__in=[ActorKind.ORGANIZATION, ActorKind.MISSION])

    def search(self, q: str) -> "ActorQuerySet":
        """Actors whose name, alias or description matches `q`, best first.

        In any script: "Вучић" finds Aleksandar Vučić. See `archive.search`
        (which raises `InvalidQuery` for a query the reader must change).
        """
        from archive import search

        return search.search_queryset(self, search.ACTORS, q)

    def members_of(self, organization: "Actor", on: datetime.date | None = None):
        """Actors that were members of `organization` on date `on` (default today)."""
        return self.filter(
            memberships__in=Membership.objects.of(organization).active_on(on)
        ).distinct()


# Addresses under /actors/ that are site pages, never an actor's slug.
RESERVED_ACTOR_SLUGS = ["network"]


class Actor(SerbianName):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    description = models.TextField(
        blank=True,
        help_text=_("One or two sentences."),
        validators=[
            max_chars(ACTOR_DESCRIPTION_MAX_CHARS, _("An actor's description"))
        ],
    )
    iso_code = models.CharField(
        "ISO 3166 code",
        max_length=2,
        blank=True,
        help_text=_(
            "Alpha-2 code where one applies; Kosovo uses the user-assigned XK."
        ),
    )
    # From the media library; shown on the actor's page only when the image
    # is cleared for public display (an emblem's licence may not allow it).
    emblem = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An emblem, flag or logo from the media library.",
    )
    status_note = models.TextField(
        blank=True,
        help_text=_("Shown to readers, e.g. that a state's recognition is disputed."),
        validators=[max_chars(STATUS_NOTE_MAX_CHARS, _("A status note"))],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # The actor's public page, prepared by publishing (publishing/pages.py,
    # which knows the briefs that discuss it) after each commit that changed
    # what it shows: everything but the lists of public briefs and
    # recommendations, which are read per request. The parts are current while
    # `rendered_version` equals `page_version`.
    page_version = models.PositiveIntegerField(default=1, editable=False)
    rendered_version = models.PositiveIntegerField(
        null=True, blank=True, editable=False
    )
    # In English; the other public languages' in `rendered_languages`,
    # {language code: {"head": …, "parts": […]}}, prepared with them.
    rendered_head = models.TextField(editable=False, blank=True)
    rendered_parts = models.JSONField(editable=False, default=list, blank=True)
    rendered_languages = models.JSONField(editable=False, default=dict, blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        # Case-insensitive on every database ("eulex" among the E's, not after
        # "Zagreb" as SQLite's and PostgreSQL's C collation would put it).
        ordering = [Lower("name"), "id"]
        constraints = [
            # Two actors may not share a country code; blank means "none applies".
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~Q(iso_code=""),
                name="actor_unique_iso_code",
            ),
            models.CheckConstraint(
                condition=Q(iso_code="") | Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="actor_iso_code_two_capitals",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"
            ),
            # /actors/network/ is the alliance map, not an actor's page.
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_ACTOR_SLUGS),
                name="actor_slug_not_reserved",
                violation_error_message="This address is reserved for a site page.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The actor's page lists the briefs that discuss it, so it is served by
        # the briefs app (which knows both); this is a URL name, not an import.
        return reverse("briefs:actor-detail", kwargs={"slug": self.slug})

    @property
    def page_is_current(self) -> bool:
        return self.rendered_version == self.page_version

    @property
    def is_person(self) -> bool:
        return self.kind == ActorKind.PERSON


class ActorAlias(models.Model):
    """Another name for an actor, in any script, used to detect mentions in text.

    `Belgrade` for Serbia's government, `Вучић` for Aleksandar Vučić. Short
    all-capital acronyms are matched case-sensitively so that "EU" is not found
    in "eu-" prefixed words; `case_sensitive` makes that explicit per alias.
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    case_sensitive = models.BooleanField(
        default=False, help_text=_("Match only with exactly this capitalisation.")
    )

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "alias"], name="actoralias_unique_per_actor"
            ),
        ]

    def __str__(self) -> str:
        return self.alias


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of(self, organization: Actor) -> "MembershipQuerySet":
        return self.filter(organization=organization)

    def active_on(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Memberships in force on a date: started on or before it, not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(since__isnull=True) | Q(since__lte=on)).filter(
            Q(until__isnull=True) | Q(until__gt=on)
        )


class Membership(models.Model):
    """An actor's membership in an organization (Croatia in NATO since 2009)."""

    member = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="member_records"
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(
        null=True,
        blank=True,
        help_text=_("The day the membership ended; blank if current."),
    )
    note = models.CharField(max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "since"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(member=models.F("organization")),
                name="membership_not_self",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["member", "organization", "since"],
                name="membership_unique_start",
            ),
        ]
        indexes = [
            # Used by "who was a member of X on date D".
            models.Index(
                fields=["organization", "since", "until"], name="membership_org_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.organization}"


class Office(models.Model):
    """A person holding a title for a state or organization (Orbán, PM of Hungary)."""

    holder = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="offices",
        limit_choices_to={"kind": ActorKind.PERSON},
    )
    title = models.CharField(max_length=200)
    of_actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="office_holders",
        verbose_name="of",
        help_text=_("The state or organization the office belongs to."),
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="office_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["holder", "title", "of_actor", "since"],
                name="office_unique_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder}, {self.title} of {self.of_actor}"


class AgreementKind(models.TextChoices):
    TREATY = "treaty", _("Treaty")
    JOINT_DECLARATION = "joint_declaration", _("Joint declaration")
    MOU = "mou", _("Memorandum of understanding")
    DEFENSE_COOPERATION_PLAN = "defense_cooperation_plan", _("Defense cooperation plan")
    STRATEGIC_PARTNERSHIP = "strategic_partnership", _("Strategic partnership")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MutualDefense(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_STATED = "not_stated", _("Not stated")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def search(self, q: str) -> "AgreementQuerySet":
        """Agreements matching `q` by title, parties or terms; see `archive.search`."""
        from archive import search

        return search.search_queryset(self, search.AGREEMENTS, q)

    def in_effect_on(self, on: datetime.date | None = None) -> "AgreementQuerySet":
        """Agreements that bound their parties on date `on` (default today).

        From the day it entered into force, else the day it was signed, to its
        last day (`expires_on`, inclusive). A proposal never signed, and an
        agreement expired or withdrawn on a day not recorded, bind nobody: a
        link is drawn only where the record says when it held. An agreement
        with no date at all but signed or in force counts as always in effect,
        as an undated membership does.
        """
        on = on or timezone.localdate()
        started = Q(in_force_on__lte=on) | Q(
            in_force_on__isnull=True, signed_on__lte=on
        )
        undated = Q(
            in_force_on__isnull=True,
            signed_on__isnull=True,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE],
        )
        not_ended = Q(expires_on__gte=on) | Q(
            expires_on__isnull=True,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE],
        )
        return self.filter((started | undated) & not_ended)

    def with_all_parties(self, actors) -> "AgreementQuerySet":
        """Agreements to which every one of `actors` is a party."""
        qs = self
        for actor in actors:
            qs = qs.filter(parties__actor=actor)
        return qs.distinct()


class Agreement(SerbianName):
    english_name_field = "title"
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    # Its history, each date where known: shown on a timeline on its page and
    # used for "in effect on" (`AgreementQuerySet.in_effect_on`).
    proposed_on = models.DateField(
        null=True, blank=True, help_text=_("When the agreement was first proposed.")
    )
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField("place of signing", max_length=200, blank=True)
    in_force_on = models.DateField(
        "in force from",
        null=True,
        blank=True,
        help_text=_("The day it entered into force, if that differs from signing."),
    )
    expires_on = models.DateField(
        "last day in effect",
        null=True,
        blank=True,
        help_text=_("The last day it applied (or will apply, for a fixed term)."),
    )
    summary = models.TextField(
        blank=True,
        validators=[
            max_chars(AGREEMENT_SUMMARY_MAX_CHARS, _("An agreement's summary"))
        ],
    )
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.SIGNED
    )
    mutual_defense = models.CharField(
        "mutual-defense clause",
        max_length=12,
        choices=MutualDefense.choices,
        default=MutualDefense.NOT_STATED,
    )
    key_terms = models.TextField(
        blank=True,
        help_text=_("One term per line."),
        validators=[max_chars(KEY_TERMS_MAX_CHARS, _("Key terms"))],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(mutual_defense__in=MutualDefense.values),
                name="agreement_mutual_defense_valid",
            ),
            # Its history runs forward: proposed, signed, in force, expired.
            models.CheckConstraint(
                condition=Q(proposed_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(proposed_on__lte=models.F("signed_on")),
                name="agreement_proposed_before_signed",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | (
                    (
                        Q(signed_on__isnull=True)
                        | Q(expires_on__gte=models.F("signed_on"))
                    )
                    & (
                        Q(in_force_on__isnull=True)
                        | Q(expires_on__gte=models.F("in_force_on"))
                    )
                ),
                name="agreement_expires_after_start",
            ),
        ]
        indexes = [
            # Used by the public agreement list ordering and date filters.
            models.Index(fields=["-signed_on", "title"], name="agreement_signed_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Served by the briefs app, like the actor page: it lists briefs too.
        return reverse("briefs:agreement-detail", kwargs={"slug": self.slug})

    @property
    def key_terms_list(self) -> list[str]:
        return [line.strip() for line in self.key_terms.splitlines() if line.strip()]


class AgreementParty(models.Model):
    """A party to an agreement, with who signed for it and in what capacity."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="agreement_parties"
    )
    signatory = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="signatures",
        null=True,
        blank=True,
        limit_choices_to={"kind": ActorKind.PERSON},
        help_text=_("The person who signed for this party, if known."),
    )
    signatory_capacity = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Minister of Defence")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "actor"], name="agreementparty_unique_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} — {self.agreement}"


class AgreementSource(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="sources"
    )
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Metric(models.TextChoices):
    POPULATION = "population", _("Population")
    ACTIVE_TROOPS = "active_troops", _("Active troops")
    MAIN_BATTLE_TANKS = "main_battle_tanks", _("Main battle tanks")
    COMBAT_AIRCRAFT = "combat_aircraft", _("Main combat aircraft")
    ROCKET_LAUNCHERS = "rocket_launchers", _("Rocket launchers")
    DEFENSE_INDUSTRY = "defense_industry", _("Defense industry")
    MODERNIZATION_FOCUS = "modernization_focus", _("Modernization focus")
    PEACEKEEPERS = "peacekeepers", _("Deployed troops")
    DEFENSE_BUDGET = "defense_budget", _("Defense budget")
    GDP_PER_CAPITA = "gdp_per_capita", _("GDP per capita")
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class MetricInfo:
    """What a comparison may do with a metric's figures.

    `additive`: the figures of several actors add up to a meaningful group
    figure (troops, tanks, budgets), unlike rates and ratios (GDP per capita).
    `qualitative`: the entry is words in `note`, never a number.
    """

    additive: bool
    qualitative: bool = False


# One home for the metric rules (actors/comparisons.py applies them).
METRIC_INFO: dict[str, MetricInfo] = {
    Metric.POPULATION: MetricInfo(additive=True),
    Metric.ACTIVE_TROOPS: MetricInfo(additive=True),
    Metric.MAIN_BATTLE_TANKS: MetricInfo(additive=True),
    Metric.COMBAT_AIRCRAFT: MetricInfo(additive=True),
    Metric.ROCKET_LAUNCHERS: MetricInfo(additive=True),
    Metric.DEFENSE_INDUSTRY: MetricInfo(additive=False, qualitative=True),
    Metric.MODERNIZATION_FOCUS: MetricInfo(additive=False, qualitative=True),
    Metric.PEACEKEEPERS: MetricInfo(additive=True),
    Metric.DEFENSE_BUDGET: MetricInfo(additive=True),
    Metric.GDP_PER_CAPITA: MetricInfo(additive=False),
    Metric.OTHER: MetricInfo(additive=False),
}


class IndicatorStatus(models.TextChoices):
    """Whether a counted thing exists yet: an order is not a fleet in service."""

    NOT_STATED = "", _("Not stated")
    IN_SERVICE = "in_service", _("In service")
    ORDERED = "ordered", _("Ordered")
    PLANNED = "planned", _("Planned")


def _plain_number(value: decimal.Decimal | int) -> str:
    """250.00 -> "250", 3.50 -> "3.5": figures as a reader writes them."""
    return f"{decimal.Decimal(value).normalize():f}"


class Indicator(models.Model):
    """A sourced, dated figure about an actor.

    `value` is null when the figure is unknown: it is never invented. A range
    ("250–300 tanks") is stored as `value`..`value_max`; a qualitative entry
    ("producer of APCs, artillery, drones") lives in `note` with no value.
    """

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="indicators"
    )
    metric = models.CharField(max_length=30, choices=Metric.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Upper bound when the source gives a range."),
    )
    unit = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12,
        choices=IndicatorStatus.choices,
        default=IndicatorStatus.NOT_STATED,
        blank=True,
        help_text=_(
            "For equipment: ordered or planned is not in service. Group "
            "totals add only figures in service (or with no status stated)."
        ),
    )
    status_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Year of the order or plan, e.g. 2024.")
    )
    source = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(
        blank=True,
        validators=[max_chars(INDICATOR_NOTE_MAX_CHARS, _("An indicator's note"))],
    )

    class Meta:
        ordering = ["actor__name", "metric", "-year"]
        indexes = [
            # Used by the indicator API's filters and comparisons: per actor
            # and metric, newest year first.
            models.Index(
                fields=["actor", "metric", "year"], name="indicator_actor_metric"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IndicatorStatus.values),
                name="indicator_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(value_max__isnull=True)
                | (Q(value__isnull=False) & Q(value_max__gte=models.F("value"))),
                name="indicator_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(metric__in=Metric.values), name="indicator_metric_valid"
            ),
            models.UniqueConstraint(
                fields=["actor", "metric", "year", "source", "unit"],
                name="indicator_unique_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_metric_display()} = {self.display_value}"

    @property
    def is_known(self) -> bool:
        return self.value is not None

    @property
    def info(self) -> MetricInfo:
        return METRIC_INFO.get(self.metric, MetricInfo(additive=False))

    @property
    def source_link(self) -> str:
        """The source's address when it is a web address, else "" (never a
        `javascript:` link, whatever was stored without validation)."""
        url = self.source_url.strip()
        return url if url.lower().startswith(("https://", "http://")) else ""

    @property
    def counts_in_total(self) -> bool:
        """An order or a plan is not added to what is in service."""
        return self.status in (IndicatorStatus.NOT_STATED, IndicatorStatus.IN_SERVICE)

    @property
    def status_text(self) -> str:
        """ "ordered 2024", "in service"; empty when no status is stated."""
        if not self.status:
            return ""
        text = IndicatorStatus(self.status).label.lower()
        return f"{text} {self.status_year}" if self.status_year else text

    @property
    def display_value(self) -> str:
        if self.value is None:
            return "unknown"
        text = _plain_number(self.value)
        if self.value_max is not None:
            text += f"–{_plain_number(self.value_max)}"
        return f"{text} {self.unit}".strip()
