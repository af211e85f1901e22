"""`manage.py export_archive DIR`: a mirrorable copy of everything public."""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from briefs.hooks import public_record
from briefs.models import BriefActor, MentionState, Recommendation, Status
from publishing import pdf
from publishing.exports import export_archive
from tests import factories


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://archive.example.org"
    # PDFs are tested in tests/publishing/test_pdf.py; here a stand-in keeps it fast.
    monkeypatch.setattr(
        pdf, "render_pdf", lambda html: b"%PDF-1.7 " + html[:40].encode()
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def archive(db):
    serbia, hungary = (
        factories.make_actor(name="Serbia"),
        factories.make_actor(name="Hungary"),
    )
    agreement = factories.make_agreement(
        title="Defense Cooperation Plan", parties=[serbia, hungary]
    )
    author, researcher = (
        factories.make_person(name="Vuk Velebit"),
        factories.make_person(name="Petar Ivić"),
    )
    public = factories.make_brief(
        title="Do Rival Pacts Make the Balkans Safer?",
        authors=[author],
        researchers=[researcher],
        actors=[serbia],
        agreements=[agreement],
        recommendations=2,
    )
    BriefActor.objects.create(brief=public, actor=hungary, state=MentionState.SUGGESTED)
    secret_author = factories.make_person(name="Unannounced Author")
    hidden = [
        factories.make_brief(
            status=Status.DRAFT, authors=[secret_author], recommendations=1
        ),
        factories.make_brief(
            published_at=timezone.now() + datetime.timedelta(days=1), recommendations=1
        ),
        factories.make_brief(deleted_at=timezone.now(), recommendations=1),
        factories.make_brief(
            status=Status.WITHDRAWN,
            withdrawn_reason="Superseded.",
            published_at=timezone.now() - datetime.timedelta(days=3),
        ),
    ]
    return {
        "public": public,
        "hidden": hidden,
        "agreement": agreement,
        "actors": [serbia, hungary],
    }


def test_export_writes_every_public_record_with_a_manifest(archive, tmp_path):
    out = tmp_path / "export"
    call_command("export_archive", str(out))
    public = archive["public"]

    (brief,) = read_jsonl(out / "briefs.jsonl")
    assert brief["id"] == public.pk
    assert brief["title"] == "Do Rival Pacts Make the Balkans Safer?"
    assert brief["permanent_url"] == f"https://archive.example.org/b/{public.pk}/"
    assert [(c["name"], c["role"]) for c in brief["contributors"]] == [
        ("Vuk Velebit", "author"),
        ("Petar Ivić", "researcher"),
    ]
    assert brief["actors"] == [public.actor_links.get(state="confirmed").actor.slug]
    assert brief["agreements"] == [archive["agreement"].slug]
    assert brief["csl"]["type"] == "report"
    assert brief["pdf"] == f"pdf/{public.slug}.pdf"

    people = read_jsonl(out / "people.jsonl")
    assert [p["name"] for p in people] == ["Vuk Velebit", "Petar Ivić"]
    assert {a["name"] for a in read_jsonl(out / "actors.jsonl")} >= {
        "Serbia",
        "Hungary",
    }
    (agreement,) = read_jsonl(out / "agreements.jsonl")
    assert [p["actor"] for p in agreement["parties"]] == [
        actor.slug for actor in archive["actors"]
    ]
    recommendations = read_jsonl(out / "recommendations.jsonl")
    assert [(r["brief"], r["order"]) for r in recommendations] == [
        (public.slug, 1),
        (public.slug, 2),
    ]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {
        "briefs": 1,
        "people": 2,
        "actors": 2,
        "agreements": 1,
        "recommendations": 2,
        "records": manifest["counts"]["records"],
        "pdfs": 1,
        "media": 0,
    }
    assert manifest["publisher"]["local_name"] == "Пупин Иницијатива"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {
        "briefs.jsonl",
        "people.jsonl",
        "actors.jsonl",
        "agreements.jsonl",
        "recommendations.jsonl",
        "records.jsonl",
        f"pdf/{public.slug}.pdf",
    }
    for path, entry in listed.items():
        content = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["bytes"] == len(content)
    assert (out / f"pdf/{public.slug}.pdf").read_bytes().startswith(b"%PDF")


def test_nothing_unpublished_leaks_into_the_export(archive, tmp_path):
    out = tmp_path / "export"
    call_command("export_archive", str(out))
    everything = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.json*"))
    partners = "".join(
        p.read_text(encoding="utf-8")
        for p in out.glob("*.json*")
        if p.name != "records.jsonl"
    )
    *unpublished, withdrawn = archive["hidden"]
    for brief in unpublished:
        assert brief.title not in everything
        assert brief.slug not in everything
    # A withdrawn brief's notice and citation stay public (its 410 page, its
    # cite files): the records for import_archive keep them, without its text.
    assert withdrawn.title not in partners
    assert withdrawn.title in everything
    assert withdrawn.body.splitlines()[-1] not in everything
    assert "Unannounced Author" not in everything
    assert len(list((out / "pdf").iterdir())) == 1
    assert Recommendation.objects.count() == 5  # three were not exported


def test_re_export_replaces_the_previous_one(archive, tmp_path):
    out = tmp_path / "export"
    call_command("export_archive", str(out))
    first = (out / "briefs.jsonl").read_bytes()
    archive["public"].status = Status.WITHDRAWN
    archive["public"].withdrawn_reason = "Superseded."
    archive["public"].save()
    public_record().withdrawn(brief=archive["public"])
    call_command("export_archive", str(out))
    assert (out / "briefs.jsonl").read_bytes() == b"" != first
    assert list((out / "pdf").iterdir()) == []  # its PDF went with it


def test_export_refuses_a_folder_that_holds_something_else(db, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_archive", str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_export_without_pdfs(archive, tmp_path):
    out = tmp_path / "export"
    call_command("export_archive", str(out), "--no-pdf")
    (brief,) = read_jsonl(out / "briefs.jsonl")
    assert brief["pdf"] is None
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["pdfs"] == 0


def test_export_is_the_published_edition_not_the_working_copy(archive, tmp_path):
    """A brief is exported as its current edition publishes it: an edit shows
    in the export once it is published, as the next version."""
    public = archive["public"]
    public.title = "Edited, not yet published"
    public.save()
    Recommendation.objects.filter(brief=public, order=1).update(title="Unpublished")
    out = tmp_path / "export"
    call_command("export_archive", str(out), "--no-pdf")
    (brief,) = read_jsonl(out / "briefs.jsonl")
    assert brief["title"] == "Do Rival Pacts Make the Balkans Safer?"
    assert brief["version"] == 1 and brief["corrections"] == []
    assert "Unpublished" not in (out / "recommendations.jsonl").read_text()

    public.refresh_from_db()
    correction = datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC)
    factories.publish(public, at=correction, note="Retitled.")
    call_command("export_archive", str(out), "--no-pdf")
    (brief,) = read_jsonl(out / "briefs.jsonl")
    assert brief["title"] == "Edited, not yet published"
    assert brief["version"] == 2
    assert brief["corrections"] == [{"published_on": "2025-06-02", "note": "Retitled."}]
    assert brief["released_at"] == "2025-06-02T09:00:00Z"
    assert brief["csl"]["version"] == "2"
    assert brief["csl"]["issued"] == {"date-parts": [[2025, 5, 21]]}
    assert brief["publication_date"] == "2025-05-21"
    recommendations = read_jsonl(out / "recommendations.jsonl")
    assert recommendations[0]["title"] == "Unpublished"
    assert recommendations[0]["id"] == public.recommendations.get(order=1).pk


def test_export_queries_are_constant(db, tmp_path, django_assert_max_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            brief = factories.make_brief(
                authors=[factories.make_person()],
                topics=[factories.make_topic()],
                recommendations=2,
            )
            factories.make_assessment(brief.recommendations.first(), published=True)

    # 8 for the partners' files; records.jsonl: one per table (19, with the
    # tracker's assessments and their sources) and one per many-to-many (3).
    add(1)
    with django_assert_max_num_queries(30):
        export_archive(directory=tmp_path / "one", with_pdfs=False)
    add(5)
    with django_assert_max_num_queries(30):
        result = export_archive(directory=tmp_path / "six", with_pdfs=False)
    assert result.counts["briefs"] == 6 and result.counts["recommendations"] == 12


def test_the_export_carries_published_assessments_only_and_not_their_authors(
    db, tmp_path
):
    brief = factories.make_brief(recommendations=1)
    recommendation = brief.recommendations.get()
    author = factories.make_user(username="assessor-x")
    factories.make_assessment(
        recommendation, justification="Public finding.", user=author
    )
    factories.make_assessment(
        recommendation, justification="Draft finding.", published=False
    )

    export_archive(directory=tmp_path / "out", with_pdfs=False)
    records = (tmp_path / "out" / "records.jsonl").read_text()

    assert "Public finding." in records
    assert "Draft finding." not in records
    assert "assessor-x" not in records
