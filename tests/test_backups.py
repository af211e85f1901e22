"""Backups round-trip: every public byte comes back, and search finds it again.

A varied archive (the seed brief in three versions, a correction, a
withdrawn brief, a renamed one, a scheduled one, a draft that must stay
invisible, actors, agreements, people, topics, recommendations) is crawled:
every URL of tests/site_world.py's list, every page the leak crawler reaches
from the home page and the sitemap, and every item of every API list. Then
the database is emptied as a fresh one is (every record gone, the search
index tables empty, another MEDIA_ROOT so PDFs are made again) and the
archive comes back, by `restore` from a backup, or by `import_archive` from
an export; the same crawl must give the same status, type, redirect and body,
byte for byte, timestamps included.

Normalised, and only these: the CSP nonce and the CSRF token, which are
per request by design, and OAI-PMH's `responseDate`, the time of the answer.
"""

import datetime
import hashlib
import io
import json
import re
import zoneinfo

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from archive import search
from briefs.models import Brief, Status
from publishing import backups, pdf
from tests import factories
from tests.site_world import SEED_SLUG, build_archive, public_urls
from tests.test_leaks import _crawl

pytestmark = pytest.mark.django_db

DRAFT_MARKER = "zqxbackupdraft"
BELGRADE = zoneinfo.ZoneInfo("Europe/Belgrade")
SEARCHES = [
    "/search/?q=serbia",
    "/search/?q=velebit",
    "/search/?q=kosovo",
    "/search/?q=Вучић",
    "/api/v1/briefs/?q=hungary",
    "/api/v1/people/?q=velebit",
    "/api/v1/actors/?q=kosovo",
    "/api/v1/agreements/?q=declaration",
]
API_LISTS = ["briefs", "people", "actors", "agreements", "topics", "recommendations"]

_PER_REQUEST = [
    (re.compile(rb'nonce="[^"]*"'), b'nonce="N"'),
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b"csrf"),
    (re.compile(rb'(\["[^"]*csrf[^"]*"\] = )"[^"]*"', re.IGNORECASE), rb'\1"csrf"'),
    (re.compile(rb"<responseDate>[^<]*</responseDate>"), b"<responseDate/>"),
]


def _fake_pdf(html: str) -> bytes:
    # WeasyPrint is not under test: a PDF that is equal exactly when the
    # HTML it is made from is.
    return b"%PDF-1.7 " + hashlib.sha256(html.encode()).hexdigest().encode()


@pytest.fixture
def site(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_ANON_RATE = "100000/min"  # the crawls are one busy client
    settings.SEARCH_RATE = "100000/min"
    monkeypatch.setattr(pdf, "render_pdf", _fake_pdf)
    archive = build_archive()
    world = archive[0]
    # Published with a local time, read back from the database in UTC: the
    # rendering must not depend on the zone a value arrives in.
    factories.make_brief(
        title="Published at a Belgrade hour",
        published_at=datetime.datetime(2025, 6, 3, 11, 30, tzinfo=BELGRADE),
        authors=[world.people["petar-ivic"]],
        actors=[world.hungary],
        recommendations=2,
    )
    factories.make_brief(
        title=f"Draft {DRAFT_MARKER}",
        summary=f"{DRAFT_MARKER} summary",
        status=Status.DRAFT,
        authors=[world.people["vuk-velebit"]],
        actors=[world.serbia],
        topics=list(world.brief.topics.all()),
    )
    return archive


def _answer(response) -> tuple:
    body = b"".join(response) if response.streaming else response.content
    for pattern, replacement in _PER_REQUEST:
        body = pattern.sub(replacement, body)
    return (
        response.status_code,
        response.get("Content-Type"),
        response.get("Location"),
        body,
    )


def _first_visit(client, url: str) -> tuple:
    client.cookies.clear()  # no language chosen by an earlier answer
    return _answer(client.get(url))


def crawl(client, archive) -> dict[str, tuple]:
    """{url: (status, content type, location, body)} of every public answer."""
    client.raise_request_exception = False
    pages = _crawl(client, ["/", "/sitemap.xml", "/briefs/", "/recommendations/"])
    urls = [*public_urls(*archive), *pages, *SEARCHES]
    for name in API_LISTS:
        listing = client.get(f"/api/v1/{name}/", {"page_size": 100}).json()
        urls.append(f"/api/v1/{name}/?page_size=100")
        urls += [item["url"] for item in listing["results"] if "url" in item]
    answers = {url: _first_visit(client, url) for url in dict.fromkeys(urls)}
    assert len(answers) > 100  # the crawl really went round the site
    return answers


def _make_fresh(tmp_path, settings) -> None:
    """What a freshly migrated database holds: no record, empty search tables."""
    backups.empty_database()
    for index in search.INDEXES:
        search.get_engine().clear(index)
    settings.MEDIA_ROOT = tmp_path / "media-after"  # PDFs are made again


def _first_difference(before: tuple, after: tuple) -> str:
    if before[:3] != after[:3]:
        return f"{before[:3]} became {after[:3]}"
    at = next(
        (
            i
            for i, (a, b) in enumerate(zip(before[3], after[3], strict=False))
            if a != b
        ),
        min(len(before[3]), len(after[3])),
    )
    return f"{before[3][at - 80 : at + 80]!r} became {after[3][at - 80 : at + 80]!r}"


def _check_round_trip(before: dict, after: dict) -> None:
    assert after.keys() == before.keys()
    changed = [url for url in before if after[url] != before[url]]
    assert changed == [], _first_difference(before[changed[0]], after[changed[0]])
    # Search finds what it found (the issue: after loaddata it found nothing).
    serbia = after["/search/?q=serbia"][3].decode()
    assert f'href="/briefs/{SEED_SLUG}/"' in serbia
    assert json.loads(after["/api/v1/briefs/?q=hungary"][3])["count"] >= 2
    assert json.loads(after["/api/v1/people/?q=velebit"][3])["count"] == 1
    for url, (_, _, _, body) in after.items():
        assert DRAFT_MARKER.encode() not in body, url
    assert after[f"/briefs/{SEED_SLUG}/v1/"][0] == 200
    assert after[f"/briefs/{SEED_SLUG}.pdf"][0] == 200


def test_restore_into_a_fresh_database_gives_back_every_public_byte(
    client, site, tmp_path, settings
):
    before = crawl(client, site)
    path = tmp_path / "archive.backup.jsonl"
    call_command("backup", path, stdout=io.StringIO())
    _make_fresh(tmp_path, settings)
    empty = client.get("/search/?q=serbia").content.decode()
    assert f'href="/briefs/{SEED_SLUG}/"' not in empty
    call_command("restore", path, stdout=io.StringIO())
    _check_round_trip(before, crawl(client, site))
    # The draft is back too, still a draft: a backup holds every record.
    assert Brief.objects.filter(title__contains=DRAFT_MARKER, status="draft").exists()


def test_import_of_an_export_gives_back_every_public_byte(
    client, site, tmp_path, settings
):
    before = crawl(client, site)
    out = tmp_path / "export"
    call_command("export_archive", out, stdout=io.StringIO())
    _make_fresh(tmp_path, settings)
    call_command("import_archive", out, stdout=io.StringIO())
    _check_round_trip(before, crawl(client, site))
    # An export holds the public archive only: the draft is not in it.
    assert not Brief.objects.filter(title__contains=DRAFT_MARKER).exists()


def _small_backup(tmp_path) -> tuple:
    factories.make_brief(title="Kept")
    path = tmp_path / "small.jsonl"
    backups.write_backup(path)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    return path, path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: lines[: len(lines) // 2], "end line is missing"),
        (lambda lines: ["".join(lines)[:-40]], "cut short"),
        (
            lambda lines: [lines[0].replace("backup/1", "backup/9"), *lines[1:]],
            "format 'pupin-archive-backup/9'",
        ),
        (
            lambda lines: [lines[0], lines[1].replace("Kept", "Kapt"), *lines[2:]],
            "do not match the count and SHA-256",
        ),
        (lambda lines: ["{not json\n"], "not JSON"),
    ],
    ids=["truncated", "cut-mid-line", "wrong-version", "tampered", "not-json"],
)
def test_a_bad_backup_is_refused_and_nothing_is_written(
    tmp_path, model_counts, damage, message
):
    path, lines = _small_backup(tmp_path)
    path.write_text("".join(damage(lines)), encoding="utf-8")
    counts = model_counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("restore", path, "--force")
    assert model_counts() == counts


def test_restore_refuses_a_database_that_holds_records_unless_forced(
    tmp_path, model_counts
):
    path, _ = _small_backup(tmp_path)
    factories.make_brief(title="Written after the backup")
    counts = model_counts()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", path)
    assert model_counts() == counts
    call_command("restore", path, "--force")
    assert list(Brief.objects.values_list("title", flat=True).order_by("pk")) == [
        "Kept"
    ]


def _small_export(tmp_path):
    factories.make_brief(title="Kept", recommendations=1)
    out = tmp_path / "small-export"
    call_command("export_archive", out, "--no-pdf", stdout=io.StringIO())
    return out


def _rewrite_manifest(out, change) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _tamper(out) -> None:
    records = out / "records.jsonl"
    records.write_text(records.read_text().replace("Kept", "Kapt"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_tamper, "records.jsonl does not match its SHA-256"),
        (lambda out: (out / "briefs.jsonl").unlink(), "briefs.jsonl is missing"),
        (lambda out: (out / "manifest.json").unlink(), "has no manifest.json"),
        (
            lambda out: _rewrite_manifest(
                out, lambda m: m.update(format="pupin-archive-export/2")
            ),
            "format 'pupin-archive-export/2'",
        ),
        (lambda out: None, "not empty"),  # a whole export, an occupied database
    ],
    ids=["tampered", "partial", "no-manifest", "old-format", "occupied"],
)
def test_a_changed_or_partial_export_is_refused_and_nothing_is_written(
    tmp_path, model_counts, damage, message
):
    out = _small_export(tmp_path)
    damage(out)
    counts = model_counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_archive", out)
    assert model_counts() == counts


def test_an_export_that_brings_an_account_is_refused_even_with_a_matching_manifest(
    tmp_path, model_counts
):
    # A mirror imports exports written elsewhere: the manifest only shows the
    # files match each other, so what records.jsonl may hold is checked too.
    out = _small_export(tmp_path)
    records = out / "records.jsonl"
    intruder = {
        "model": "auth.user",
        "pk": 999,
        "fields": {"username": "intruder", "password": "x", "is_superuser": True},
    }
    with records.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(intruder) + "\n")
    data = records.read_bytes()

    def matching(manifest):
        for entry in manifest["files"]:
            if entry["path"] == "records.jsonl":
                entry["bytes"] = len(data)
                entry["sha256"] = hashlib.sha256(data).hexdigest()

    _rewrite_manifest(out, matching)
    counts = model_counts()

    with pytest.raises(CommandError, match="auth.User, which this file may not hold"):
        call_command("import_archive", out, "--force")
    assert model_counts() == counts
    assert not User.objects.filter(username="intruder").exists()
