"""API shapes for briefs, people, topics and recommendations (read-only).

Briefs are serialised once, when an edition is built
(`publishing.editions.render_edition` runs `BriefListSerializer` and
`BriefDetailSerializer` over the brief the edition restores from its
snapshot); the API serves the stored result (publishing/api.py). These classes
are what that result is made of and what the OpenAPI schema documents, as is
`RecommendationSerializer` for the recommendation items the API assembles
from editions. People and topics are serialised per request. Serializers never
query. Linked items are summaries built by plain functions, as in
actors/serializers.py, for the same reason: speed.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.serializers import (
    ActorSummarySerializer,
    AgreementSummarySerializer,
    ItemLinksMixin,
    NameField,
    actor_summary,
    agreement_summary,
)
from briefs.models import (
    Brief,
    ImplementationStatus,
    Person,
    Recommendation,
    Topic,
)
from kernel.rest import absolute_list_url, absolute_url
from library.uploads import ATTACHMENT_TYPES


def person_summary(person: Person, context: dict) -> dict[str, str]:
    return {
        "slug": person.slug,
        "name": person.name_in(get_language()),
        "api_url": absolute_url(context, "api:person-detail", person.slug),
    }


def topic_summary(topic: Topic, context: dict) -> dict[str, str]:
    return {
        "slug": topic.slug,
        "name": topic.name_in(get_language()),
        "api_url": absolute_url(context, "api:topic-detail", topic.slug),
    }


def brief_summary(brief: Brief, context: dict) -> dict[str, str]:
    return {
        "slug": brief.slug,
        "title": brief.title,
        "api_url": absolute_url(context, "api:brief-detail", brief.slug),
    }


def recommendation_slug(recommendation: Recommendation) -> str:
    """A recommendation's address: its brief's slug and its number in it."""
    return f"{recommendation.brief.slug}-{recommendation.order}"


class TopicSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = serializers.URLField()


class BriefSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    api_url = serializers.URLField()


class ContributorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = serializers.URLField()
    role = serializers.ChoiceField(
        choices=["author", "researcher", "editor", "translator"]
    )


class RecommendationInBriefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    api_url = serializers.URLField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    policy_area = serializers.CharField()
    addressees = ActorSummarySerializer(many=True)


class TocEntrySerializer(serializers.Serializer):
    level = serializers.IntegerField(help_text="Heading level, 2 for a section.")
    id = serializers.CharField(help_text="Anchor in body_html.")
    title = serializers.CharField()


class BriefListSerializer(ItemLinksMixin, serializers.ModelSerializer):
    page_view_name = "briefs:detail"
    api_view_name = "api:brief-detail"

    version = serializers.SerializerMethodField()
    contributors = serializers.SerializerMethodField()
    actors = serializers.SerializerMethodField()
    agreements = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()

    class Meta:
        model = Brief
        fields = (
            "id",
            "slug",
            "url",
            "api_url",
            "title",
            "kind",
            "language",
            "summary",
            "publication_date",
            "published_at",
            "updated_at",
            "version",
            "featured",
            "doi",
            "licence",
            "contributors",
            "actors",
            "agreements",
            "topics",
        )
        read_only_fields = fields
        extra_kwargs = {
            "published_at": {"help_text": "When the brief first became public."},
            "publication_date": {
                "help_text": "The brief's date: the date printed on it, else the "
                "day it first became public (Belgrade time)."
            },
            "updated_at": {"help_text": "When this version became public."},
        }

    @extend_schema_field(
        serializers.IntegerField(
            min_value=1,
            help_text="The version (edition): 1, then one more per published "
            "correction; the number citations give.",
        )
    )
    def get_version(self, brief: Brief) -> int:
        # Serialised only by render_edition, which passes the edition.
        return self.context["edition"].number

    @extend_schema_field(ContributorSerializer(many=True))
    def get_contributors(self, brief: Brief) -> list[dict]:
        return [
            {**person_summary(c.person, self.context), "role": c.role}
            for c in brief.public_contributions
        ]

    @extend_schema_field(ActorSummarySerializer(many=True))
    def get_actors(self, brief: Brief) -> list[dict]:
        # Confirmed links only (prefetched as `public_actor_links`).
        return [
            actor_summary(link.actor, self.context) for link in brief.public_actor_links
        ]

    @extend_schema_field(AgreementSummarySerializer(many=True))
    def get_agreements(self, brief: Brief) -> list[dict]:
        return [
            agreement_summary(link.agreement, self.context)
            for link in brief.public_agreement_links
        ]

    @extend_schema_field(TopicSummarySerializer(many=True))
    def get_topics(self, brief: Brief) -> list[dict]:
        return [topic_summary(topic, self.context) for topic in brief.public_topics]


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    type = serializers.CharField(help_text="pdf, xlsx, docx, ods, odt, csv or txt.")
    media_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    url = serializers.URLField()


class ImageSizeSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField()


class CoverSerializer(serializers.Serializer):
    alt = serializers.CharField(help_text="Empty for a decorative image.")
    credit = serializers.CharField()
    licence = serializers.CharField()
    focal_point = serializers.ListField(
        child=serializers.IntegerField(), help_text="[x, y] in % of the image."
    )
    sizes = ImageSizeSerializer(many=True, help_text="WebP, narrowest first.")


def _media_url(context: dict, name: str) -> str:
    url = default_storage.url(name)
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class BriefDetailSerializer(BriefListSerializer):
    body_markdown = serializers.CharField(source="body", read_only=True)
    body_html = serializers.CharField(
        read_only=True, help_text="Rendered from body_markdown and sanitised."
    )
    toc = TocEntrySerializer(many=True, read_only=True)
    licence_url = serializers.CharField(
        read_only=True, help_text="The licence text; empty for all rights reserved."
    )
    recommendations = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(BriefListSerializer.Meta):
        fields = (
            *BriefListSerializer.Meta.fields,
            "licence_url",
            "toc",
            "body_markdown",
            "body_html",
            "recommendations",
            "cover",
            "attachments",
        )

    @extend_schema_field(CoverSerializer(allow_null=True))
    def get_cover(self, brief: Brief) -> dict | None:
        # Frozen in the edition (publishing/editions.py restore_brief).
        image = getattr(brief, "cover_image", None)
        if not image:
            return None
        return {
            "alt": image["alt"],
            "credit": image["credit"],
            "licence": image["licence"],
            "focal_point": image["focal"],
            "sizes": [
                {
                    "width": r["width"],
                    "height": r["height"],
                    "url": _media_url(self.context, r["name"]),
                }
                for r in image["renditions"]
            ],
        }

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, brief: Brief) -> list[dict]:
        return [
            {
                "title": a["title"],
                "description": a["description"],
                "type": a["kind"],
                "media_type": (
                    ATTACHMENT_TYPES[a["kind"]].content_type
                    if a["kind"] in ATTACHMENT_TYPES
                    else "application/octet-stream"
                ),
                "size": a["size"],
                "url": _media_url(self.context, a["file"]),
            }
            for a in getattr(brief, "public_attachments", [])
        ]

    @extend_schema_field(RecommendationInBriefSerializer(many=True))
    def get_recommendations(self, brief: Brief) -> list[dict]:
        return [
            {
                "slug": recommendation_slug(r),
                "api_url": absolute_url(
                    self.context, "api:recommendation-detail", recommendation_slug(r)
                ),
                "order": r.order,
                "title": r.title,
                "body": r.body,
                "policy_area": r.policy_area,
                "addressees": [
                    actor_summary(actor, self.context) for actor in r.addressees.all()
                ],
            }
            for r in brief.recommendations.all()
        ]


class InstitutionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    local_name = serializers.CharField()
    url = serializers.CharField(help_text="The institution's own site; may be empty.")


class PersonListSerializer(ItemLinksMixin, serializers.ModelSerializer):
    page_view_name = "briefs:person-detail"
    api_view_name = "api:person-detail"

    name = NameField()
    affiliation = InstitutionSerializer(read_only=True, allow_null=True)
    orcid_url = serializers.CharField(read_only=True)
    brief_count = serializers.IntegerField(
        read_only=True, help_text="Published briefs the person contributed to."
    )
    briefs_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = (
            "id",
            "slug",
            "url",
            "api_url",
            "name",
            "affiliation",
            "orcid",
            "orcid_url",
            "brief_count",
            "briefs_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(help_text="Briefs they wrote."))
    def get_briefs_url(self, person: Person) -> str:
        return absolute_list_url(self.context, "api:brief-list", author=person.slug)


class PersonDetailSerializer(PersonListSerializer):
    photo = serializers.SerializerMethodField()

    class Meta(PersonListSerializer.Meta):
        fields = (*PersonListSerializer.Meta.fields, "bio", "photo")
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, person: Person) -> str | None:
        """The largest size of their library portrait, if cleared for display."""
        image = person.portrait
        if image is None or not image.cleared or not image.renditions:
            return None
        return _media_url(self.context, image.renditions[-1]["name"])


class TopicSerializer(ItemLinksMixin, serializers.ModelSerializer):
    page_view_name = "briefs:topic-detail"
    api_view_name = "api:topic-detail"

    name = NameField()
    brief_count = serializers.IntegerField(
        read_only=True, help_text="Published briefs on the topic."
    )
    briefs_url = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = (
            "id",
            "slug",
            "url",
            "api_url",
            "name",
            "description",
            "brief_count",
            "briefs_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(help_text="Briefs on the topic."))
    def get_briefs_url(self, topic: Topic) -> str:
        return absolute_list_url(self.context, "api:brief-list", topic=topic.slug)


class EvidenceSourceSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="An http(s) address.")
    title = serializers.CharField()
    date = serializers.DateField(help_text="The source's own date.")


class AssessmentSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    assessed_on = serializers.DateField(help_text="The day the status is stated as of.")
    justification = serializers.CharField(
        help_text="Plain text, at most 1,000 characters."
    )
    published_at = serializers.DateTimeField()
    sources = EvidenceSourceSerializer(many=True)


class RecommendationSerializer(serializers.ModelSerializer):
    slug = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    brief = serializers.SerializerMethodField()
    addressees = serializers.SerializerMethodField()
    # The tracker: live facts about the recommendation, not part of its edition.
    status = serializers.ChoiceField(
        choices=ImplementationStatus.choices,
        read_only=True,
        help_text="The current status: the newest published assessment's, else "
        "`not_assessed`.",
    )
    assessments = AssessmentSerializer(
        many=True,
        read_only=True,
        help_text="Published assessments, newest first, with their evidence.",
    )

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "slug",
            "api_url",
            "brief",
            "order",
            "title",
            "body",
            "policy_area",
            "addressees",
            "status",
            "assessments",
        )
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(help_text="The brief's slug, a hyphen, the number.")
    )
    def get_slug(self, r: Recommendation) -> str:
        return recommendation_slug(r)

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, r: Recommendation) -> str:
        return absolute_url(
            self.context, "api:recommendation-detail", recommendation_slug(r)
        )

    @extend_schema_field(BriefSummarySerializer())
    def get_brief(self, r: Recommendation) -> dict[str, Any]:
        return brief_summary(r.brief, self.context)

    @extend_schema_field(ActorSummarySerializer(many=True))
    def get_addressees(self, r: Recommendation) -> list[dict]:
        return [actor_summary(actor, self.context) for actor in r.addressees.all()]


class TranslationLinkSerializer(serializers.Serializer):
    """A public brief of the same family: the original or another translation."""

    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the answer's language's script.")
    language = serializers.CharField(
        help_text="Its own language: en, sr-Cyrl or sr-Latn (the script written)."
    )
    is_original = serializers.BooleanField(
        help_text="True for the brief the others translate."
    )
    url = serializers.URLField(help_text="Its page, in its own language.")
    api_url = serializers.URLField()


class _WithTranslations(serializers.Serializer):
    translations = TranslationLinkSerializer(
        many=True,
        read_only=True,
        help_text="The same brief in other languages: its original, if it is a "
        "translation, and the published translations (added per request: a "
        "translation published later shows at once).",
    )


class BriefListDocSerializer(BriefListSerializer, _WithTranslations):
    """The list item as served (documentation: the API serves stored JSON)."""

    class Meta(BriefListSerializer.Meta):
        fields = (*BriefListSerializer.Meta.fields, "translations")
        read_only_fields = fields


class BriefDetailDocSerializer(BriefDetailSerializer, _WithTranslations):
    """The detail as served (documentation: the API serves stored JSON)."""

    class Meta(BriefDetailSerializer.Meta):
        fields = (*BriefDetailSerializer.Meta.fields, "translations")
        read_only_fields = fields
