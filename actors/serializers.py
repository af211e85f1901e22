"""API shapes for actors and agreements (read-only; see kernel/rest.py).

Linked items appear as small summaries (slug, name or title, API address).
Summaries are plain dicts built by the `*_summary` functions: a nested
serializer per link costs more than the rest of the item, and a page carries
hundreds of links. The `*SummarySerializer` classes document the same shapes
in the OpenAPI schema.
"""

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import Actor, Agreement, Indicator, IndicatorStatus, Metric
from kernel.rest import absolute_list_url, absolute_url

NO_DATA = "no data"


@extend_schema_field(OpenApiTypes.STR)
class NameField(serializers.Field):
    """A record's name in the answer's language: English, or Serbian in the
    script asked for (languages.models.SerbianName.name_in)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return value.name_in(get_language())


def _plain(value) -> str | None:
    from actors.models import _plain_number

    return None if value is None else _plain_number(value)


def indicator_data(indicator: Indicator, context: dict) -> dict:
    """One indicator as the API shows it (nested in an actor, or listed).

    Values are decimal strings ("250"), a range stays a range (`value` and
    `value_max`, never a midpoint) and an unknown figure is `known: false`
    with `value: null` and `display: "no data"`.
    """
    info = indicator.info
    known = indicator.value is not None or (
        info.qualitative and bool(indicator.note.strip())
    )
    if indicator.value is not None:
        display = indicator.display_value
    elif known:
        display = indicator.note.strip()
    else:
        display = NO_DATA
    return {
        "id": indicator.pk,
        "metric": indicator.metric,
        "metric_label": indicator.get_metric_display(),
        "additive": info.additive,
        "qualitative": info.qualitative,
        "known": known,
        "value": _plain(indicator.value),
        "value_max": _plain(indicator.value_max),
        "unit": indicator.unit,
        "display": display,
        "year": indicator.year,
        "status": indicator.status,
        "status_year": indicator.status_year,
        "source": {"title": indicator.source, "url": indicator.source_url},
        "note": indicator.note,
    }


def actor_summary(actor: Actor, context: dict) -> dict[str, str]:
    return {
        "slug": actor.slug,
        "name": actor.name_in(get_language()),
        "api_url": absolute_url(context, "api:actor-detail", actor.slug),
    }


def agreement_summary(agreement: Agreement, context: dict) -> dict[str, str]:
    return {
        "slug": agreement.slug,
        "title": agreement.name_in(get_language()),
        "api_url": absolute_url(context, "api:agreement-detail", agreement.slug),
    }


class ActorSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = serializers.URLField()


class AgreementSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    api_url = serializers.URLField()


class MembershipSerializer(serializers.Serializer):
    organization = ActorSummarySerializer()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True, help_text="Null while current.")
    note = serializers.CharField()


class OfficeSerializer(serializers.Serializer):
    title = serializers.CharField()
    of = ActorSummarySerializer(help_text="The state or organization.")
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class PartySerializer(serializers.Serializer):
    actor = ActorSummarySerializer()
    signatory = ActorSummarySerializer(allow_null=True)
    signatory_capacity = serializers.CharField()


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="May be empty.")


class IndicatorSourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="May be empty.")


class IndicatorSerializer(serializers.Serializer):
    """Documents `indicator_data` (the schema); items are built as dicts."""

    id = serializers.IntegerField()
    metric = serializers.ChoiceField(choices=Metric.choices)
    metric_label = serializers.CharField()
    additive = serializers.BooleanField(
        help_text="Whether figures of several actors add up (troops yes, "
        "GDP per capita no)."
    )
    qualitative = serializers.BooleanField(
        help_text="The entry is words (in `display` and `note`), not a number."
    )
    known = serializers.BooleanField(help_text="False: no data.")
    value = serializers.CharField(
        allow_null=True, help_text="Decimal string; null when unknown."
    )
    value_max = serializers.CharField(
        allow_null=True, help_text="Upper bound of a range (value–value_max)."
    )
    unit = serializers.CharField()
    display = serializers.CharField(
        help_text='As the page shows it: "250–300 tanks", or "no data".'
    )
    year = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(
        choices=IndicatorStatus.choices,
        help_text='"ordered" or "planned" is not in service; "" when not stated.',
    )
    status_year = serializers.IntegerField(allow_null=True)
    source = IndicatorSourceSerializer()
    note = serializers.CharField()


class IndicatorItemSerializer(serializers.Serializer):
    """An item of /api/v1/indicators/: the indicator and its actor."""

    def to_representation(self, indicator: Indicator) -> dict:
        return {
            **indicator_data(indicator, self.context),
            "actor": actor_summary(indicator.actor, self.context),
        }


class IndicatorListItemSerializer(IndicatorSerializer):
    actor = ActorSummarySerializer()


class ItemLinksMixin(serializers.Serializer):
    """`url`: the public page; `api_url`: this item in the API."""

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    page_view_name: str = ""
    api_view_name: str = ""

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj: Any) -> str:
        return absolute_url(self.context, self.page_view_name, obj.slug)

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, obj: Any) -> str:
        return absolute_url(self.context, self.api_view_name, obj.slug)


class ActorSerializer(ItemLinksMixin, serializers.ModelSerializer):
    page_view_name = "briefs:actor-detail"
    api_view_name = "api:actor-detail"

    name = NameField()
    memberships = serializers.SerializerMethodField()
    offices = serializers.SerializerMethodField()
    agreement_count = serializers.IntegerField(
        read_only=True, help_text="Agreements to which the actor is a party."
    )
    indicators = serializers.SerializerMethodField()
    briefs_url = serializers.SerializerMethodField()
    agreements_url = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = (
            "id",
            "slug",
            "url",
            "api_url",
            "name",
            "kind",
            "iso_code",
            "description",
            "status_note",
            "memberships",
            "offices",
            "indicators",
            "agreement_count",
            "briefs_url",
            "agreements_url",
        )
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, actor: Actor) -> list[dict]:
        return [
            {
                "organization": actor_summary(m.organization, self.context),
                "since": m.since.isoformat() if m.since else None,
                "until": m.until.isoformat() if m.until else None,
                "note": m.note,
            }
            for m in actor.memberships.all()
        ]

    @extend_schema_field(OfficeSerializer(many=True))
    def get_offices(self, actor: Actor) -> list[dict]:
        return [
            {
                "title": office.title,
                "of": actor_summary(office.of_actor, self.context),
                "since": office.since.isoformat() if office.since else None,
                "until": office.until.isoformat() if office.until else None,
            }
            for office in actor.offices.all()
        ]

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, actor: Actor) -> list[dict]:
        return [indicator_data(i, self.context) for i in actor.indicators.all()]

    @extend_schema_field(serializers.URLField(help_text="Briefs that discuss it."))
    def get_briefs_url(self, actor: Actor) -> str:
        return absolute_list_url(self.context, "api:brief-list", actor=actor.slug)

    @extend_schema_field(serializers.URLField(help_text="Agreements it is party to."))
    def get_agreements_url(self, actor: Actor) -> str:
        return absolute_list_url(self.context, "api:agreement-list", party=actor.slug)


class AgreementListSerializer(ItemLinksMixin, serializers.ModelSerializer):
    page_view_name = "briefs:agreement-detail"
    api_view_name = "api:agreement-detail"

    title = NameField()
    parties = serializers.SerializerMethodField()
    briefs_url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = (
            "id",
            "slug",
            "url",
            "api_url",
            "title",
            "kind",
            "status",
            "proposed_on",
            "signed_on",
            "signed_at",
            "in_force_on",
            "expires_on",
            "mutual_defense",
            "summary",
            "parties",
            "briefs_url",
        )
        read_only_fields = fields

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, agreement: Agreement) -> list[dict]:
        return [
            {
                "actor": actor_summary(party.actor, self.context),
                "signatory": (
                    actor_summary(party.signatory, self.context)
                    if party.signatory
                    else None
                ),
                "signatory_capacity": party.signatory_capacity,
            }
            for party in agreement.parties.all()
        ]

    @extend_schema_field(serializers.URLField(help_text="Briefs that discuss it."))
    def get_briefs_url(self, agreement: Agreement) -> str:
        return absolute_list_url(
            self.context, "api:brief-list", agreement=agreement.slug
        )


class AgreementDetailSerializer(AgreementListSerializer):
    key_terms = serializers.ListField(
        source="key_terms_list", child=serializers.CharField(), read_only=True
    )
    sources = SourceSerializer(many=True, read_only=True)

    class Meta(AgreementListSerializer.Meta):
        fields = (*AgreementListSerializer.Meta.fields, "key_terms", "sources")
        read_only_fields = fields
