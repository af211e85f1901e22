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
