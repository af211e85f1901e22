import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # Raises SystemExit(1) when makemigrations would write something.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# The leaf migrations before briefs was split into briefs, editorial,
# publishing, demo and kernel (editorial and kernel did not exist yet).
BEFORE_THE_SPLIT = [
    ("archive", "0001_api_keys"),
    ("actors", "0003_prepared_actor_page"),
    ("briefs", "0006_public_site_pages"),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_split_migrates_forward():
    """Moved models keep their rows, and their content types follow them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from editorial.models import BriefRevision, BriefTransition
    from kernel.models import ApiKey

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([*BEFORE_THE_SPLIT, ("editorial", None), ("kernel", None)])
        executor.loader.build_graph()
        old = executor.loader.project_state(BEFORE_THE_SPLIT).apps
        Brief = old.get_model("briefs", "Brief")
        brief = Brief.objects.create(title="Before the split", slug="before-split")
        old.get_model("briefs", "BriefRevision").objects.create(
            brief=brief, kind="edit", content={"title": brief.title}, comment="old"
        )
        old.get_model("briefs", "BriefTransition").objects.create(
            brief=brief, action="submit", from_status="draft", to_status="in_review"
        )
        old.get_model("archive", "ApiKey").objects.create(
            name="Partner", prefix="0123abcd", key_hash="f" * 64
        )
        OldContentType = old.get_model("contenttypes", "ContentType")
        revision_type = OldContentType.objects.get_or_create(
            app_label="briefs", model="briefrevision"
        )[0].pk
        key_type = OldContentType.objects.get_or_create(
            app_label="archive", model="apikey"
        )[0].pk

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        revision = BriefRevision.objects.get(brief__slug="before-split")
        assert (revision.kind, revision.content, revision.comment) == (
            "edit",
            {"title": "Before the split"},
            "old",
        )
        transition = BriefTransition.objects.get(brief=revision.brief)
        assert (transition.from_status, transition.to_status) == ("draft", "in_review")
        assert ApiKey.objects.get(prefix="0123abcd").name == "Partner"
        # The same content type rows, relabelled: permissions and admin log
        # entries that point at them follow the models.
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(BriefRevision).pk == revision_type
        assert ContentType.objects.get_for_model(ApiKey).pk == key_type
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


# The leaf migrations before editions (publishing had no models yet).
BEFORE_EDITIONS = [
    ("actors", "0003_prepared_actor_page"),
    ("briefs", "0007_move_editorial_models"),
    ("publishing", None),
]


@pytest.mark.django_db(transaction=True)
def test_briefs_published_before_editions_get_them_and_stay_public(client):
    """migrate, then `build_editions` (make run and deploys run both)."""
    import datetime
    from io import StringIO

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from publishing.models import Edition

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_EDITIONS)
        executor.loader.build_graph()
        old = executor.loader.project_state(BEFORE_EDITIONS[:2]).apps
        Brief = old.get_model("briefs", "Brief")
        published = timezone.now() - datetime.timedelta(days=30)
        fields = {"status": "published", "published_at": published, "body": "Text."}
        Brief.objects.create(title="Old and public", slug="old-public", **fields)
        corrected = Brief.objects.create(
            title="Corrected once", slug="corrected", **fields
        )
        old.get_model("briefs", "Correction").objects.create(
            brief=corrected, published_on=datetime.date(2025, 6, 2), note="A date."
        )
        Brief.objects.create(title="Never published", slug="draft", status="draft")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        out = StringIO()
        call_command("build_editions", stdout=out)
        assert "2 edition(s) built." in out.getvalue()

        assert client.get("/briefs/old-public/").status_code == 200
        assert client.get("/briefs/corrected/").status_code == 200
        assert client.get("/briefs/draft/").status_code == 404
        edition = Edition.objects.get(slug="corrected")
        # The version citations gave before editions is kept.
        assert (edition.number, edition.note) == (2, "A date.")
        assert edition.updated_on == datetime.date(2025, 6, 2)
        out = StringIO()
        call_command("build_editions", stdout=out)
        assert "0 edition(s) built." in out.getvalue()
        out = StringIO()
        call_command("rebuild_editions", stdout=out)
        assert "2 edition(s)" in out.getvalue()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE_TRACKER = [
    ("briefs", "0009_text_limits"),
    ("editorial", "0002_content_types"),
    ("publishing", "0002_recommendation_order_index"),
]


@pytest.mark.django_db(transaction=True)
def test_recommendations_and_editions_get_their_keys_when_migrated():
    """Each recommendation gets its own key; a working copy shares its live
    brief's; editions' snapshots and link rows get the keys of theirs."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_TRACKER)
        executor.loader.build_graph()
        old = executor.loader.project_state(BEFORE_TRACKER).apps
        Brief = old.get_model("briefs", "Brief")
        Recommendation = old.get_model("briefs", "Recommendation")
        now = timezone.now()
        live = Brief.objects.create(
            title="Live", slug="live", status="published", published_at=now, body="."
        )
        copy = Brief.objects.create(
            title="Live", slug="live--draft-1", status="draft", body=".", draft_of=live
        )
        made = [
            Recommendation.objects.create(brief=live, order=n, title=f"R{n}", body=".")
            for n in (1, 2)
        ]
        Recommendation.objects.create(brief=copy, order=1, title="R1", body=".")
        content = {
            "recommendations": [
                {"id": r.pk, "order": r.order, "title": r.title, "body": "."}
                for r in made
            ]
        }
        edition = old.get_model("publishing", "Edition").objects.create(
            brief=live,
            number=1,
            released_at=now,
            published_at=now,
            slug="live",
            title="Live",
            kind="policy_brief",
            language="en",
            public_date=datetime.date(2025, 5, 21),
            content=content,
        )
        for r in made:
            old.get_model("publishing", "EditionRecommendation").objects.create(
                edition=edition,
                order=r.order,
                title=r.title,
                body=".",
                policy_area="other",
            )

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        from briefs.models import Recommendation as Now
        from publishing.models import Edition, EditionRecommendation

        keys = dict(Now.objects.filter(brief_id=live.pk).values_list("order", "key"))
        assert len(set(keys.values())) == 2
        assert Now.objects.get(brief_id=copy.pk).key == keys[1]
        snapshot = Edition.objects.get(pk=edition.pk).content["recommendations"]
        assert [r["key"] for r in snapshot] == [str(keys[1]), str(keys[2])]
        assert (
            dict(
                EditionRecommendation.objects.filter(edition_id=edition.pk).values_list(
                    "order", "key"
                )
            )
            == keys
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
