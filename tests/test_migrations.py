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
