"""Demo assessments for the recommendation tracker: illustrative, not findings.

Every entry says so in its justification. Their statuses are "not yet
assessed" or a status change recorded as an example; the evidence sources
are the public pages of the institutions concerned (their home or newsroom
pages, dated the day the assessment is dated: when they were consulted), where an editor
would look for evidence. None of them reports what an institution did.

Natural key: the brief, the recommendation (its number in the brief, or a
word of its title for the seed brief, whose numbering is the import's) and
the date it is assessed as of. `load_assessments` writes those that are
missing and changes nothing else, so a second run adds nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from briefs.models import (
    Assessment,
    AssessmentSource,
    AssessmentState,
    Brief,
    ImplementationStatus,
    Recommendation,
)
from editorial.assessments import snapshot_assessment
from editorial.models import AssessmentRevision, AssessmentRevisionKind
from kernel import changes

D = datetime.date
NOTE = "Illustrative demo entry, not a finding of the Pupin Initiative: "

NATO = ("https://www.nato.int/", "NATO: official website (consulted for the demo)")
KFOR = ("https://jfcnaples.nato.int/kfor", "NATO KFOR: official website (consulted)")
EU_ENLARGEMENT = (
    "https://enlargement.ec.europa.eu/",
    "European Commission, enlargement: official website (consulted)",
)
OSCE = ("https://www.osce.org/", "OSCE: official website (consulted for the demo)")
SERBIA_MOD = ("https://www.mod.gov.rs/", "Serbian Ministry of Defence (consulted)")
HUNGARY_MOD = (
    "https://honvedelem.hu/",
    "Hungarian Ministry of Defence (consulted for the demo)",
)
MONTENEGRO_GOV = ("https://www.gov.me/", "Government of Montenegro (consulted)")

NOT_YET = (
    "follow-up not yet assessed. The source is where an editor would look for "
    "evidence; nothing is claimed about what it shows."
)
# (brief slug or "seed", recommendation number or title word, [(status,
# assessed on, justification, [(url, title)])]), oldest assessment first.
DEMO_ASSESSMENTS = [
    (
        "serbia-hungary-defense-plan-2025",
        1,
        [
            (ImplementationStatus.NOT_ASSESSED, D(2025, 10, 15), NOT_YET, [SERBIA_MOD]),
            (
                ImplementationStatus.IN_PROGRESS,
                D(2026, 3, 1),
                "shows how a change of status is recorded, with its date, a "
                "short reason and its sources; it does not report that the "
                "calendar was published.",
                [SERBIA_MOD, HUNGARY_MOD],
            ),
        ],
    ),
    (
        "serbia-hungary-defense-plan-2025",
        2,
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [NATO])],
    ),
    (
        "kfor-and-kosovos-security-gap",
        1,
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [KFOR])],
    ),
    (
        "enlargement-fatigue-is-a-security-problem",
        1,
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [EU_ENLARGEMENT])],
    ),
    (
        "montenegro-an-ally-divided-at-home",
        2,
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [NATO])],
    ),
    (
        "seed",
        "trust",
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [NATO])],
    ),
    (
        "seed",
        "inclusive",
        [(ImplementationStatus.NOT_ASSESSED, D(2026, 3, 1), NOT_YET, [OSCE])],
    ),
]


def _recommendation(
    rows: list[Recommendation], which: int | str
) -> Recommendation | None:
    if isinstance(which, int):
        return next((r for r in rows if r.order == which), None)
    matches = [r for r in rows if which in r.title.casefold()]
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def load_assessments(*, seed_slug: str) -> tuple[int, list[str]]:
    """Write the missing demo assessments, published by the loader (nobody).

    Returns how many were created and warnings for those whose brief or
    recommendation is missing (the seed brief is optional).
    """
    created, warnings = 0, []
    slugs = {seed_slug if slug == "seed" else slug for slug, _, _ in DEMO_ASSESSMENTS}
    # Two reads whatever the number (a second run makes no other query).
    briefs: dict[str, Brief] = {}
    rows: dict[int, list[Recommendation]] = {}
    for rec in Recommendation.objects.filter(
        brief__slug__in=slugs, brief__draft_of=None
    ).select_related("brief"):
        briefs[rec.brief.slug] = rec.brief
        rows.setdefault(rec.brief_id, []).append(rec)
    have = set(
        Assessment.objects.filter(brief__slug__in=slugs).values_list(
            "brief_id", "recommendation_key", "assessed_on"
        )
    )
    for slug, which, entries in DEMO_ASSESSMENTS:
        brief = briefs.get(seed_slug if slug == "seed" else slug)
        if brief is None:
            continue  # the seed brief is optional; own briefs always load first
        recommendation = _recommendation(rows.get(brief.pk, []), which)
        if recommendation is None:
            warnings.append(f"{brief.slug}: no single recommendation {which!r}.")
            continue
        for status, day, justification, sources in entries:
            if (brief.pk, recommendation.key, day) in have:
                continue
            assessment = Assessment(
                brief=brief,
                recommendation_key=recommendation.key,
                status=status,
                assessed_on=day,
                justification=NOTE + justification,
                state=AssessmentState.PUBLISHED,
                published_at=timezone.now(),
            )
            assessment.full_clean()
            assessment.save()
            for order, (url, title) in enumerate(sources):
                source = AssessmentSource(
                    assessment=assessment,
                    url=url,
                    title=title,
                    published_on=day,  # the day it was consulted
                    order=order,
                )
                source.full_clean()
                source.save()
            AssessmentRevision.objects.create(
                assessment=assessment,
                kind=AssessmentRevisionKind.PUBLISH,
                content=snapshot_assessment(assessment),
                comment="Demo loader: published",
            )
            changes.changed("assessment", [brief.pk])
            created += 1
    return created, warnings
