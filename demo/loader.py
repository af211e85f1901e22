"""Load the demo content: an idempotent upsert of `demo.data`.

Every object is looked up by its natural key (slugs, or the fields of its unique
constraint), so a second run finds everything in place and writes nothing.
Existing rows of each model are fetched in one query up front and compared in
Python, which keeps a no-op run to a few dozen queries; `full_clean()` runs only
on rows that are actually written.

Reference data (actors, memberships, agreements, people, ...) follows the
shipped data: a changed value is updated. Briefs are different: editors own
them once they exist. The seed brief's status, publication time and summary
are set only when this loader first imports it, and its links are only ever
added, never removed; the demo's own briefs (`demo.own_briefs`) are written
and published once, with their history, and never touched again.
"""

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from actors.models import (
    Actor,
    ActorAlias,
    Agreement,
    AgreementParty,
    AgreementSource,
    Indicator,
    Membership,
    Office,
)
from briefs.importers import import_brief_file
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    BriefSlugHistory,
    Contribution,
    Correction,
    Institution,
    MentionState,
    Person,
    PolicyArea,
    Recommendation,
    Role,
    Status,
    Topic,
)
from briefs.services import refresh_brief
from demo import data, own_briefs
from demo.assessments import load_assessments
from editorial.checks import run_checks
from editorial.models import BriefRevision, BriefTransition, RevisionKind
from editorial.revisions import record_revision
from editorial.workflow import Action
from publishing.editions import publish_edition
from publishing.models import Edition


@dataclass
class Tally:
    created: int = 0
    updated: int = 0


@dataclass
class DemoResult:
    seed_path: Path
    tallies: dict[str, Tally] = field(default_factory=dict)
    brief: Brief | None = None
    # True when this run imported the seed brief for the first time.
    brief_imported: bool = False
    # The demo's own briefs this run wrote and published (none on a re-run).
    own_briefs: list[Brief] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())

    @property
    def created(self) -> int:
        return sum(t.created for t in self.tallies.values())

    @property
    def updated(self) -> int:
        return sum(t.updated for t in self.tallies.values())


def default_seed_path() -> Path:
    """Where the seed brief lives: `../shared/seeds/` next to the repository."""
    return settings.BASE_DIR.parent / "shared" / "seeds" / data.SEED_FILENAME


@transaction.atomic
def load_demo(*, seed_path: Path | None = None) -> DemoResult:
    """Upsert the reference data, then import and link the seed brief if present."""
    result = DemoResult(seed_path=seed_path or default_seed_path())
    actors = _load_actors(result)
    _load_aliases(actors, result)
    _load_memberships(actors, result)
    _load_offices(actors, result)
    agreements = _load_agreements(actors, result)
    _load_indicators(actors, result)
    topics = _load_topics(result)
    people = _load_people(result)
    if result.seed_path.is_file():
        _load_seed_brief(actors, agreements, topics, result)
    _load_own_briefs(actors, agreements, topics, people, result)
    # The recommendation tracker's illustrative assessments (demo/assessments.py).
    created, warnings = load_assessments(seed_slug=data.SEED_BRIEF_SLUG)
    result.tally("assessments").created += created
    result.warnings.extend(warnings)
    return result


# Generic upsert ---------------------------------------------------------------


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        # Compare keys, not instances: no query to fetch the related row.
        return getattr(obj, model_field.attname) != (value.pk if value else None)
    return getattr(obj, name) != value


def _upsert[M: models.Model](
    model: type[M],
    existing: dict[Hashable, M],
    key: Hashable,
    values: dict[str, Any],
    tally: Tally,
) -> M:
    """Create the row for `key`, or update the fields of it that differ."""
    obj = existing.get(key)
    if obj is None:
        obj = model(**values)
        obj.full_clean()
        obj.save()
        existing[key] = obj
        tally.created += 1
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        tally.updated += 1
    return obj


def _by(objects: Iterable[Any], *key_fields: str) -> dict[Hashable, Any]:
    """Index rows by their natural key (attribute names, `_id` for relations)."""
    if len(key_fields) == 1:
        return {getattr(obj, key_fields[0]): obj for obj in objects}
    return {tuple(getattr(obj, f) for f in key_fields): obj for obj in objects}


# Reference data ---------------------------------------------------------------


def _load_actors(result: DemoResult) -> dict[str, Actor]:
    tally = result.tally("actors")
    slugs = [entry["slug"] for entry in data.ACTORS]
    existing = _by(Actor.objects.filter(slug__in=slugs), "slug")
    for entry in data.ACTORS:
        values = {
            "slug": entry["slug"],
            "name": entry["name"],
            # Where the Serbian name differs from the English (in Cyrillic:
            # the Latin form follows exactly); blank, the name as it is.
            "name_sr": entry.get("name_sr", ""),
            "kind": entry["kind"],
            "iso_code": entry.get("iso_code", ""),
            "description": entry.get("description", ""),
            "status_note": entry.get("status_note", ""),
        }
        _upsert(Actor, existing, entry["slug"], values, tally)
    return existing


def _load_aliases(actors: dict[str, Actor], result: DemoResult) -> None:
    tally = result.tally("aliases")
    existing = _by(
        ActorAlias.objects.filter(actor__in=actors.values()), "actor_id", "alias"
    )
    for entry in data.ACTORS:
        actor = actors[entry["slug"]]
        for alias, case_sensitive in [
            *((text, False) for text in entry.get("aliases", [])),
            *((text, True) for text in entry.get("exact_aliases", [])),
        ]:
            values = {"actor": actor, "alias": alias, "case_sensitive": case_sensitive}
            _upsert(ActorAlias, existing, (actor.pk, alias), values, tally)


def _load_memberships(actors: dict[str, Actor], result: DemoResult) -> None:
    tally = result.tally("memberships")
    existing = _by(
        Membership.objects.filter(member__in=actors.values()),
        "member_id",
        "organization_id",
        "since",
    )
    for member_slug, org_slug, since, note in data.MEMBERSHIPS:
        member, organization = actors[member_slug], actors[org_slug]
        values = {
            "member": member,
            "organization": organization,
            "since": since,
            "note": note,
        }
        key = (member.pk, organization.pk, since)
        _upsert(Membership, existing, key, values, tally)


def _load_offices(actors: dict[str, Actor], result: DemoResult) -> None:
    tally = result.tally("offices")
    existing = _by(
        Office.objects.filter(holder__in=actors.values()),
        "holder_id",
        "title",
        "of_actor_id",
        "since",
    )
    for holder_slug, title, of_slug, since, until in data.OFFICES:
        holder, of_actor = actors[holder_slug], actors[of_slug]
        values = {
            "holder": holder,
            "title": title,
            "of_actor": of_actor,
            "since": since,
            "until": until,
        }
        key = (holder.pk, title, of_actor.pk, since)
        _upsert(Office, existing, key, values, tally)


def _load_agreements(
    actors: dict[str, Actor], result: DemoResult
) -> dict[str, Agreement]:
    tally = result.tally("agreements")
    slugs = [entry["slug"] for entry in data.AGREEMENTS]
    existing = _by(Agreement.objects.filter(slug__in=slugs), "slug")
    for entry in data.AGREEMENTS:
        values = {
            "slug": entry["slug"],
            "title": entry["title"],
            "name_sr": entry.get("name_sr", ""),
            "kind": entry["kind"],
            "proposed_on": entry.get("proposed_on"),
            "signed_on": entry["signed_on"],
            "signed_at": entry["signed_at"],
            "in_force_on": entry.get("in_force_on"),
            "expires_on": entry.get("expires_on"),
            "status": entry["status"],
            "mutual_defense": entry["mutual_defense"],
            "summary": entry["summary"],
            "key_terms": "\n".join(entry["key_terms"]),
        }
        _upsert(Agreement, existing, entry["slug"], values, tally)

    party_tally, source_tally = (
        result.tally("agreement parties"),
        result.tally("agreement sources"),
    )
    parties = _by(
        AgreementParty.objects.filter(agreement__in=existing.values()),
        "agreement_id",
        "actor_id",
    )
    sources = _by(
        AgreementSource.objects.filter(agreement__in=existing.values()),
        "agreement_id",
        "title",
    )
    for entry in data.AGREEMENTS:
        agreement = existing[entry["slug"]]
        for order, (party_slug, signatory_slug) in enumerate(entry["parties"]):
            party = actors[party_slug]
            values = {
                "agreement": agreement,
                "actor": party,
                "signatory": actors[signatory_slug] if signatory_slug else None,
                "signatory_capacity": data.MINISTER_OF_DEFENCE,
                "order": order,
            }
            key = (agreement.pk, party.pk)
            _upsert(AgreementParty, parties, key, values, party_tally)
        for title in entry["sources"]:
            values = {"agreement": agreement, "title": title, "url": ""}
            key = (agreement.pk, title)
            _upsert(AgreementSource, sources, key, values, source_tally)
    return existing


def _load_indicators(actors: dict[str, Actor], result: DemoResult) -> None:
    tally = result.tally("indicators")
    existing = _by(
        Indicator.objects.filter(
            actor__in=actors.values(), source=data.SEED_BRIEF_TITLE
        ),
        "actor_id",
        "metric",
        "year",
        "source",
        "unit",
    )
    for slug, metric, value, value_max, unit, note in data.INDICATORS:
        actor = actors[slug]
        status, status_year = data.INDICATOR_STATUS.get((slug, metric), ("", None))
        values = {
            "status": status,
            "status_year": status_year,
            "actor": actor,
            "metric": metric,
            "value": value,
            "value_max": value_max,
            "unit": unit,
            "year": data.TABLE_YEAR,
            "source": data.SEED_BRIEF_TITLE,
            "source_url": "",
            "note": note,
        }
        key = (actor.pk, metric, data.TABLE_YEAR, data.SEED_BRIEF_TITLE, unit)
        _upsert(Indicator, existing, key, values, tally)


def _load_topics(result: DemoResult) -> dict[str, Topic]:
    tally = result.tally("topics")
    slugs = [entry["slug"] for entry in data.TOPICS]
    existing = _by(Topic.objects.filter(slug__in=slugs), "slug")
    for entry in data.TOPICS:
        _upsert(Topic, existing, entry["slug"], dict(entry), tally)
    return existing


def _load_people(result: DemoResult) -> dict[str, Person]:
    tally = result.tally("people")
    institutions = _by(
        Institution.objects.filter(slug=data.INSTITUTION["slug"]), "slug"
    )
    institution = _upsert(
        Institution,
        institutions,
        data.INSTITUTION["slug"],
        dict(data.INSTITUTION),
        result.tally("institutions"),
    )
    slugs = [entry["slug"] for entry in data.PEOPLE]
    existing = _by(Person.objects.filter(slug__in=slugs), "slug")
    for entry in data.PEOPLE:
        values = {**entry, "affiliation": institution}
        _upsert(Person, existing, entry["slug"], values, tally)
    return existing


# The seed brief ---------------------------------------------------------------


def _load_seed_brief(
    actors: dict[str, Actor],
    agreements: dict[str, Agreement],
    topics: dict[str, Topic],
    result: DemoResult,
) -> None:
    # The loader chooses the brief's address, so one lookup tells whether it
    # was imported before; the file is then neither parsed nor re-imported,
    # which keeps a second run fast and leaves the brief to its editors.
    brief = Brief.objects.filter(slug=data.SEED_BRIEF_SLUG).first()
    tally = result.tally("briefs")
    if brief is None:
        imported = import_brief_file(result.seed_path, slug=data.SEED_BRIEF_SLUG)
        result.warnings.extend(imported.warnings)
        brief = imported.brief
        _present_brief(brief)
        result.brief_imported = True
        tally.created += 1
    result.brief = brief
    _link_brief(brief, actors, agreements, topics, result)
    # Topics and confirmed actors are part of the search document, and the
    # scan refreshes mention counts; a second run that changed nothing skips it.
    links = result.tally("brief links")
    if result.brief_imported or links.created or links.updated:
        refresh_brief(brief=brief)
    if result.brief_imported:
        # import_brief recorded the file's text; this records what the
        # loader added (summary, links) so the history explains the brief.
        record_revision(
            brief=brief,
            user=None,
            comment=f"Demo loader: published {result.seed_path.name} with its "
            "summary and links",
        )
    if not Edition.objects.filter(brief=brief).exists():
        # Demo seeding publishes directly (no workflow), through the same
        # pipeline: the edition is what every public surface shows.
        publish_edition(brief=brief, released_at=brief.published_at)
        _log(
            brief,
            action=Action.PUBLISH,
            from_status=Status.DRAFT,
            comment="Demo loader: published, released "
            f"{timezone.localtime(brief.published_at):%Y-%m-%d %H:%M}",
            checks=run_checks(brief),
        )


def _present_brief(brief: Brief) -> None:
    """Publish the freshly imported seed brief with our summary and metadata."""
    spec = data.SEED_BRIEF
    brief.summary = spec["summary"]
    brief.kind = spec["kind"]
    brief.language = spec["language"]
    brief.status = Status.PUBLISHED
    brief.published_at = spec["published_at"]
    brief.full_clean()
    brief.save()


def _link_brief(
    brief: Brief,
    actors: dict[str, Actor],
    agreements: dict[str, Agreement],
    topics: dict[str, Topic],
    result: DemoResult,
) -> None:
    spec = data.SEED_BRIEF
    tally = result.tally("brief links")

    have_topics = set(brief.topics.values_list("slug", flat=True))
    missing = [topics[slug] for slug in spec["topics"] if slug not in have_topics]
    if missing:
        brief.topics.add(*missing)
        tally.created += len(missing)

    links = _by(brief.actor_links.all(), "actor_id")
    for slug in spec["actors"]:
        actor = actors[slug]
        link = links.get(actor.pk)
        if link is None:
            link = BriefActor(brief=brief, actor=actor, state=MentionState.CONFIRMED)
            link.full_clean()
            link.save()
            tally.created += 1
        elif link.state == MentionState.SUGGESTED:
            # A scanner's suggestion that the shipped data confirms. A rejected
            # link is an editor's decision and stays rejected.
            link.state = MentionState.CONFIRMED
            link.full_clean()
            link.save()
            tally.updated += 1

    have_agreements = set(brief.agreement_links.values_list("agreement_id", flat=True))
    for slug in spec["agreements"]:
        agreement = agreements[slug]
        if agreement.pk not in have_agreements:
            link = BriefAgreement(brief=brief, agreement=agreement)
            link.full_clean()
            link.save()
            tally.created += 1

    _link_recommendations(brief, actors, result)


def _link_recommendations(
    brief: Brief, actors: dict[str, Actor], result: DemoResult
) -> None:
    """Set policy areas and addressees, matching recommendations by a title word.

    Matching by one distinctive word keeps the link independent of how the
    importer punctuates titles, and keeps the brief's own text out of the repo.
    """
    tally = result.tally("recommendations")
    recommendations = list(brief.recommendations.prefetch_related("addressees"))
    if not recommendations:
        result.warnings.append("The seed brief has no recommendations to link.")
        return
    for word, policy_area, addressee_slugs in data.SEED_BRIEF["recommendations"]:
        matches = [r for r in recommendations if word in r.title.casefold()]
        if len(matches) != 1:
            result.warnings.append(
                f"{len(matches)} recommendations have {word!r} in their title; "
                "expected exactly one, so it was left as it is."
            )
            continue
        recommendation = matches[0]
        # Only fill in an unset policy area: an editor's choice stands.
        if recommendation.policy_area == PolicyArea.OTHER != policy_area:
            recommendation.policy_area = policy_area
            recommendation.full_clean()
            recommendation.save()
            tally.updated += 1
        have = {actor.slug for actor in recommendation.addressees.all()}
        missing = [actors[slug] for slug in addressee_slugs if slug not in have]
        if missing:
            recommendation.addressees.add(*missing)
            result.tally("brief links").created += len(missing)


# The demo's own briefs ----------------------------------------------------------


def _load_own_briefs(
    actors: dict[str, Actor],
    agreements: dict[str, Agreement],
    topics: dict[str, Topic],
    people: dict[str, Person],
    result: DemoResult,
) -> None:
    """Write and publish each own brief that was never loaded, with its history.

    A brief that exists (or existed under this address and was renamed) is
    the editors' from then on: it is not compared, updated or re-published.
    """
    tally = result.tally("demo briefs")
    specs = [*own_briefs.OWN_BRIEFS, *own_briefs.TRANSLATIONS]
    slugs = [spec["slug"] for spec in specs]
    loaded = set(Brief.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    loaded |= set(
        BriefSlugHistory.objects.filter(old_slug__in=slugs).values_list(
            "old_slug", flat=True
        )
    )
    corrections = []
    for spec in own_briefs.OWN_BRIEFS:
        if spec["slug"] in loaded:
            continue
        brief = _publish_own_brief(spec, actors, agreements, topics, people)
        result.own_briefs.append(brief)
        tally.created += 1
        if spec.get("correction"):
            corrections.append((brief, spec))
    # Translations come out between their original's first edition and its
    # correction, as their dates say: made from edition 1, stale after.
    for spec in own_briefs.TRANSLATIONS:
        if spec["slug"] in loaded:
            continue
        original = _own_brief(spec["translation_of"])
        if original is None:
            result.warnings.append(
                f"{spec['slug']}: its original {spec['translation_of']} is gone; "
                "the translation was not loaded."
            )
            continue
        result.own_briefs.append(
            _publish_own_brief(
                spec, actors, agreements, topics, people, translation_of=original
            )
        )
        tally.created += 1
    for brief, spec in corrections:
        _correct_own_brief(brief, spec, spec["correction"], actors)


def _own_brief(slug: str) -> Brief | None:
    """A demo brief by the address it was loaded at, even if renamed since."""
    moved = BriefSlugHistory.objects.filter(old_slug=slug).values("brief")
    return Brief.objects.filter(models.Q(slug=slug) | models.Q(pk__in=moved)).first()


def own_brief_text(spec: dict) -> str:
    """The brief's current Markdown (after its correction, if it has one)."""
    return (own_briefs.TEXTS / f"{spec['slug']}.md").read_text(encoding="utf-8")


def first_edition_text(spec: dict) -> str:
    """The Markdown its first edition printed: the correction undone."""
    text = own_brief_text(spec)
    correction = spec.get("correction")
    if correction is None:
        return text
    if text.count(correction["now"]) != 1:
        raise ValueError(
            f"{spec['slug']}: the corrected wording must occur exactly once"
        )
    return text.replace(correction["now"], correction["was"])


# When the history of a demo brief happened, relative to its release: drafted
# two days before, a correction started an hour before it was published.
DRAFTED_BEFORE = datetime.timedelta(days=2)
CORRECTION_STARTED_BEFORE = datetime.timedelta(hours=1)


def _publish_own_brief(
    spec: dict,
    actors: dict[str, Actor],
    agreements: dict[str, Agreement],
    topics: dict[str, Topic],
    people: dict[str, Person],
    *,
    translation_of: Brief | None = None,
) -> Brief:
    """One brief as an editor would have made it: drafted and published.

    (Its correction, if it has one, is `_correct_own_brief`'s.) A translation
    links its original and the version it was made from, and credits its
    translators.

    The demo publishes directly (there is no user to run the workflow), through
    the same write functions: `refresh_brief` scans mentions and indexes,
    `publish_edition` builds each edition. Its revisions and workflow log are
    written as the workflow would write them, dated when the demo says these
    things happened, so the admin's history matches the public dates.
    """
    released_at = spec["published_at"]
    drafted_at = released_at - DRAFTED_BEFORE
    correction = spec.get("correction")
    later_actors = set(correction["actors"]) if correction else set()

    brief = Brief(
        slug=spec["slug"],
        title=spec["title"],
        kind=spec["kind"],
        language=spec["language"],
        summary=spec["summary"],
        body=first_edition_text(spec),
        publication_date=timezone.localdate(released_at),
        status=Status.DRAFT,
        created_at=drafted_at,
        translation_of=translation_of,
        translated_from_number=spec.get("made_from"),
    )
    brief.full_clean()
    brief.save()
    brief.topics.set([topics[slug] for slug in spec["topics"]])
    credits = [
        *((slug, Role.AUTHOR) for slug in spec["authors"]),
        *((slug, Role.RESEARCHER) for slug in spec["researchers"]),
        *((slug, Role.TRANSLATOR) for slug in spec.get("translators", [])),
    ]
    Contribution.objects.bulk_create(
        Contribution(brief=brief, person=people[slug], role=role, order=order)
        for order, (slug, role) in enumerate(credits, 1)
    )
    for order, (title, body, area, addressees) in enumerate(spec["recommendations"], 1):
        recommendation = Recommendation(
            brief=brief, order=order, title=title, body=body, policy_area=area
        )
        recommendation.full_clean()
        recommendation.save()
        recommendation.addressees.set([actors[slug] for slug in addressees])
    BriefAgreement.objects.bulk_create(
        BriefAgreement(brief=brief, agreement=agreements[slug])
        for slug in spec["agreements"]
    )
    _confirm_actors(brief, [actors[s] for s in spec["actors"] if s not in later_actors])
    refresh_brief(brief=brief)
    _dated(
        record_revision(
            brief=brief, user=None, comment="Demo loader: drafted with its links"
        ),
        drafted_at,
    )

    brief.status, brief.published_at = Status.PUBLISHED, released_at
    brief.full_clean()
    brief.save()
    publish_edition(brief=brief, released_at=released_at)
    _log(
        brief,
        action=Action.PUBLISH,
        from_status=Status.DRAFT,
        comment="Demo loader: published",
        checks=run_checks(brief),
        at=released_at,
    )
    return brief


def _correct_own_brief(
    brief: Brief, spec: dict, correction: dict, actors: dict[str, Actor]
) -> None:
    """Publish the corrected text as edition 2, as the workflow would log it."""
    corrected_at = correction["released_at"]
    note = correction["note"]
    _log(
        brief,
        action=Action.START_CORRECTION,
        from_status=Status.PUBLISHED,
        comment="Correction draft started",
        at=corrected_at - CORRECTION_STARTED_BEFORE,
    )
    brief.body = own_brief_text(spec)
    brief.full_clean()
    brief.save()
    _confirm_actors(brief, [actors[slug] for slug in correction["actors"]])
    refresh_brief(brief=brief)
    # Brief.version counts corrections, as the workflow records them.
    Correction.objects.create(
        brief=brief, published_on=timezone.localdate(corrected_at), note=note
    )
    edition = publish_edition(brief=brief, released_at=corrected_at, note=note)
    _dated(
        record_revision(
            brief=brief,
            user=None,
            kind=RevisionKind.PUBLICATION,
            comment=f"Version {edition.number} published: {note}",
        ),
        corrected_at,
    )
    _log(
        brief,
        action=Action.PUBLISH,
        from_status=Status.PUBLISHED,
        comment=f"Correction published as version {edition.number}",
        checks=run_checks(brief),
        at=corrected_at,
    )


def _confirm_actors(brief: Brief, actors: list[Actor]) -> None:
    """Confirmed links, made before the scan so it fills in counts and positions."""
    BriefActor.objects.bulk_create(
        BriefActor(brief=brief, actor=actor, state=MentionState.CONFIRMED)
        for actor in actors
    )


def _dated(revision: BriefRevision | None, at: datetime.datetime) -> None:
    if revision is not None:
        BriefRevision.objects.filter(pk=revision.pk).update(created_at=at)


def _log(
    brief: Brief,
    *,
    action: str,
    from_status: str,
    comment: str,
    checks: list | None = None,
    at: datetime.datetime | None = None,
) -> BriefTransition:
    """A workflow log entry by nobody (the loader), as the workflow writes them."""
    return BriefTransition.objects.create(
        brief=brief,
        action=action,
        from_status=from_status,
        to_status=brief.status,
        comment=comment,
        checks=[finding.as_dict() for finding in checks or []],
        created_at=at or timezone.now(),
    )
