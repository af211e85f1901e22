"""Test-wide fixtures. Test-only setting overrides live here, not in settings.py."""

from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import translation

from tests import factories

# Two kinds of tests run in one process, after the rest has run on two
# workers (`make test`): a test that commits empties the database when it
# ends (groups and permissions written by migrations included), and
# pytest-xdist tells tests apart by node id, so of the tests that share one
# (Schemathesis' cases, one per API operation) it would run only the first.
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--serial",
        choices=["all", "only", "skip"],
        default="all",
        help="run all tests, only those that must run in one process, or the rest",
    )


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("--serial")
    if wanted == "all":
        return
    ids = Counter(item.nodeid for item in items)

    def serial(item) -> bool:
        return ids[item.nodeid] > 1 or _commits(item)

    keep, dropped = [], []
    for item in items:
        (keep if serial(item) == (wanted == "only") else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # MD5 makes creating users cheap; never used outside tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server():
    # `live_server` is session-scoped and loads its middleware once, before any
    # function fixture runs; it too must answer plain HTTP, not redirect to TLS.
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def no_background_pdfs(settings):
    # A test that commits must not leave a thread rendering a PDF behind it.
    settings.EDITION_PDF_AFTER_PUBLISH = False
    # Nor draw a social card (PNG encoding was half of every publication's
    # time in tests); tests/publishing/test_cards.py turns it back on.
    settings.EDITION_CARDS_AFTER_PUBLISH = False


@pytest.fixture(autouse=True)
def english_until_asked():
    # A Serbian request leaves Serbian active in the thread that served it (as
    # Django's own LocaleMiddleware does); each test starts in the default.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def plain_http(settings):
    # The test client speaks plain HTTP; production redirects it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session")
def suite_media_root(tmp_path_factory) -> Path:
    """Uploaded and generated files of the test run, outside the project's
    own media/ folder (a developer's `make run` files are never touched)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def own_media_root(settings, suite_media_root):
    settings.MEDIA_ROOT = suite_media_root


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def second_factor_optional(settings):
    # Tests sign staff in with force_login, which gives no second-factor code;
    # tests/editorial/test_second_factor.py turns the production rule back on.
    settings.OTP_REQUIRED = False


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.org", password="x"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def actor():
    return factories.make_actor()


@pytest.fixture
def published_brief():
    return factories.make_brief()


@pytest.fixture(autouse=True)
def clear_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()
    _forget_generation()
    yield
    cache.clear()
    _forget_generation()


def _forget_generation() -> None:
    # Each process keeps its copy of the content generation for up to a second
    # and the pages prepared for it; the database is rolled back between tests
    # without a content change, so both must be forgotten with the cache.
    from kernel import pagecache
    from publishing import pictures, views

    pagecache._seen["value"] = None
    views._list_shells.clear()
    views._agreement_pages.clear()
    views._recommendation_shells.clear()
    pictures.forget()


@pytest.fixture(autouse=True)
def prepared_lists(settings):
    # Tests run in one process, so the local cache is as good as a shared one:
    # exercise the prepared brief list everywhere (production: with REDIS_URL).
    settings.PREPARED_LISTS = True


SEED_FILE = "000_2d2030587047e4a1.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The real brief the archive was built for, kept outside the repository."""
    path = django_settings.BASE_DIR.parent / "shared" / "seeds" / SEED_FILE
    if not path.is_file():
        pytest.skip(f"seed file not found at {path}")
    return path


@pytest.fixture
def model_counts():
    """A callable returning the row count of every model, to prove nothing changed."""

    def counts() -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
        }

    return counts
