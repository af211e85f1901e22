"""The public pages: content, cross-links, metadata, status codes, query counts."""

import datetime
import json
import re
from unittest import mock

import pytest
from django.utils import timezone

from actors.models import ActorAlias, AgreementParty, Office
from briefs.hooks import public_record
from briefs.models import (
    BriefActor,
    BriefSlugHistory,
    Contribution,
    Correction,
    MentionState,
    Recommendation,
    Role,
    Status,
)
from briefs.services import change_brief_slug
from publishing.facets import BriefFacets
from publishing.models import Edition
from publishing.rendering import link_first_mentions
from tests import factories
from tests.site_world import SEED_SLUG, build_world

pytestmark = pytest.mark.django_db

SEED_URL = f"/briefs/{SEED_SLUG}/"


@pytest.fixture
def world():
    return build_world()


def html(response) -> str:
    return response.content.decode()


def json_ld_blocks(text: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', text, re.S
        )
    ]


# --- the brief page ---------------------------------------------------------


def test_credits_take_the_plural_of_the_pages_language(client, world):
    # Not an English "s" appended to a Serbian word.
    cyrillic = html(client.get(f"/sr{SEED_URL}"))
    latin = html(client.get(f"/sr-latn{SEED_URL}"))
    assert "<dt>Истраживачи</dt>" in cyrillic and "<dt>Istraživači</dt>" in latin


def test_brief_page_shows_the_brief_and_links_its_world(client, world):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{world.brief.title}</h1>" in page
    assert "Policy brief" in page
    assert '<time datetime="2025-05-21">21 May 2025</time>' in page
    # Authors in the title block (photo or initials), researchers by role,
    # each linked.
    authors = page[
        page.index('<ul class="authors"') : page.index('<dl class="credits">')
    ]
    assert 'href="/people/vuk-velebit/"' in authors
    assert "<dt>Researchers</dt>" in page and "<dt>Authors</dt>" not in page
    for slug in ("vuk-velebit", "andrej-cvejanov", "petar-ivic", "aleksa-jovanovic"):
        assert f'href="/people/{slug}/"' in page
    assert world.brief.summary in page
    # The table of contents links to the section anchors in the body.
    for entry in world.brief.toc:
        assert f'<a href="#{entry["id"]}">' in page
        assert f'id="{entry["id"]}"' in page
    # Recommendations: a numbered list naming and linking addressees.
    assert '<section id="brief-recommendations"' in page
    assert '<li id="recommendation-1">' in page
    assert '<strong>Addressed to:</strong> <a href="/actors/nato/">NATO</a>' in page
    # Boxes for actors and agreements, the licence, corrections in order.
    assert "Actors discussed" in page and 'href="/actors/kosovo/"' in page
    assert 'href="/agreements/serbia-hungary-defense-cooperation-plan/"' in page
    assert page.index("A date was fixed.") < page.index("A figure was fixed.")
    # The seed's footer reserves all rights: no licence is linked or claimed.
    assert '<p class="licence">Licence: All rights reserved</p>' in page
    assert 'rel="license"' not in page and "creativecommons.org" not in page
    # Related briefs, ranked: all three share Serbia, Hungary, the plan and a topic.
    related = page[page.index('id="related-h"') :]
    for other in world.others:
        assert other.get_absolute_url() in related


def test_brief_body_renders_tables_footnotes_and_heading_anchors(client, world):
    page = html(client.get(SEED_URL))
    body = page[page.index('<div class="body">') :]
    assert "<table>" in body and "<th" in body
    assert re.search(r'<h2 id="[^"]+">', body)


def test_seed_brief_body_comes_from_the_seed_file(client, world):
    from tests.site_world import SEED_PATH

    if not SEED_PATH.exists():
        pytest.skip(f"seed file missing: {SEED_PATH}")
    page = html(client.get(SEED_URL))
    assert "Military Strength Comparison" in page
    assert "Gripens" in page
    assert "Restore trust in NATO security structure" in page


def test_first_mention_of_each_actor_links_to_its_page(client, world):
    page = html(client.get(SEED_URL))
    body = page[page.index('<div class="body">') : page.index('<section id="brief-rec')]
    for slug in ("serbia", "hungary", "kosovo", "nato"):
        assert body.count(f'class="actor-link" href="/actors/{slug}/"') == 1


def _related_ids(brief_id: int) -> list[int]:
    """The brief's related briefs that are public now, best first."""
    ranked = [pk for pk, _ in Edition.objects.public().get(brief_id=brief_id).related]
    public = set(
        Edition.objects.public()
        .filter(brief_id__in=ranked)
        .values_list("brief_id", flat=True)
    )
    return [pk for pk in ranked if pk in public]


def test_related_briefs_rank_by_shared_actors_agreements_and_topics(world):
    weak = factories.make_brief(actors=[world.nato])
    ranked = _related_ids(world.brief.pk)
    assert ranked.index(weak.pk) > max(ranked.index(o.pk) for o in world.others)


def test_related_briefs_ignore_suggested_links(world):
    suggested = factories.make_brief(edition=False)
    BriefActor.objects.create(
        brief=suggested, actor=world.serbia, state=MentionState.SUGGESTED
    )
    factories.publish(suggested)
    assert suggested.pk not in _related_ids(world.brief.pk)


def test_newly_published_brief_joins_its_neighbours_related_blocks(client, world):
    client.get(SEED_URL)  # prepared before the new brief exists
    new = factories.make_brief(
        title="A new brief on the plan", status=Status.DRAFT, actors=[world.serbia]
    )
    BriefActor.objects.filter(brief=new).update(state=MentionState.CONFIRMED)
    new.agreement_links.create(agreement=world.plan)
    new.status = Status.PUBLISHED
    new.published_at = timezone.now()
    new.save()
    factories.publish(new)
    assert "A new brief on the plan" in _page(client)


def test_related_block_follows_a_renamed_related_brief(client, world):
    assert world.others[0].title in _page(client)
    world.others[0].title = "Renamed related brief"
    world.others[0].save()
    assert "Renamed related brief" not in _page(client)  # not published yet
    factories.publish(world.others[0], at=timezone.now(), note="New title.")
    assert "Renamed related brief" in _page(client)


# --- the linker ---------------------------------------------------------------


def test_linker_links_first_text_mention_outside_headings_and_links(actor):
    actor.name = "Serbia"
    actor.save()
    body = (
        '<h2 id="s">Serbia</h2><p><a href="https://x.org">Serbia</a> and '
        "Serbia, then Serbia again; Serbian is another word.</p>"
    )
    out = link_first_mentions(body, [actor])
    assert out.count("actor-link") == 1
    assert '<h2 id="s">Serbia</h2>' in out
    assert '<a href="https://x.org">Serbia</a> and <a class="actor-link"' in out


def test_linker_uses_aliases_and_respects_case_sensitivity():
    eu = factories.make_actor(name="European Union", slug="eu-x")
    ActorAlias.objects.create(actor=eu, alias="EU", case_sensitive=True)
    out = link_first_mentions("<p>The eu and the EU.</p>", [eu])
    assert '<a class="actor-link" href="/actors/eu-x/">EU</a>' in out
    assert "The eu and" in out


def test_linker_prefers_the_longest_name_and_never_injects_markup():
    rs = factories.make_actor(name="Republika Srpska", slug="rs-x")
    evil = factories.make_actor(name='<script>alert("x")</script>', slug="evil")
    body = "<p>Republika Srpska &amp; &lt;script&gt;alert(&quot;x&quot;)</p>"
    out = link_first_mentions(body, [evil, rs])
    assert '<a class="actor-link" href="/actors/rs-x/">Republika Srpska</a>' in out
    assert "<script>" not in out


def test_escaped_text_is_matched_as_written():
    actor = factories.make_actor(name="Bosnia & Herzegovina", slug="bih")
    out = link_first_mentions("<p>In Bosnia &amp; Herzegovina.</p>", [actor])
    assert 'href="/actors/bih/">Bosnia &amp; Herzegovina</a>' in out


# --- metadata -------------------------------------------------------------------


def test_brief_page_carries_citation_and_social_metadata(client, world):
    page = html(client.get(SEED_URL))
    canonical = f"http://127.0.0.1:8000{SEED_URL}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta name="citation_title" content="{world.brief.title}">' in page
    assert page.count('name="citation_author"') == 2  # authors, not researchers
    assert '<meta name="citation_publication_date" content="2025/05/21">' in page
    assert (
        '<meta name="citation_technical_report_institution" '
        'content="Pupin Initiative' in page
    )
    assert '<meta name="citation_language" content="en">' in page
    assert '<meta property="og:type" content="article">' in page
    # Its card (publishing/cards.py; tests/publishing/test_cards.py).
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:image" content="http://127.0.0.1:8000/media/' in page
    assert f"<title>{world.brief.title} · Pupin Initiative</title>" in page
    assert '<meta name="description"' in page


def test_brief_json_ld_is_a_report_with_people_publisher_and_actors(client, world):
    (data,) = json_ld_blocks(html(client.get(SEED_URL)))
    assert data["@type"] == "Report"
    assert [a["name"] for a in data["author"]] == ["Vuk Velebit", "Andrej Cvejanov"]
    assert {a["@type"] for a in data["author"]} == {"Person"}
    assert data["publisher"]["name"] == "Pupin Initiative"
    assert data["datePublished"] == "2025-05-21"
    assert "dateModified" in data
    assert "Serbia" in [thing["name"] for thing in data["about"]]


def test_pdf_url_is_cited(client, world):
    page = html(client.get(SEED_URL))
    assert (
        '<meta name="citation_pdf_url" '
        f'content="http://127.0.0.1:8000/briefs/{SEED_SLUG}.pdf">' in page
    )


def test_json_ld_cannot_close_its_script_element(client):
    brief = factories.make_brief(title="Pacts </script><script>alert(1)</script>")
    page = html(client.get(brief.get_absolute_url()))
    (data,) = json_ld_blocks(page)
    assert data["name"].startswith("Pacts </script>")
    assert "<script>alert(1)" not in page


def test_actor_and_person_pages_carry_json_ld(client, world):
    (actor,) = json_ld_blocks(html(client.get("/actors/serbia/")))
    assert actor["@type"] == "Country" and actor["name"] == "Serbia"
    assert actor["alternateName"] == ["Belgrade"]
    world.people["vuk-velebit"].orcid = "0000-0002-1825-0097"
    world.people["vuk-velebit"].save()
    (person,) = json_ld_blocks(html(client.get("/people/vuk-velebit/")))
    assert person["@type"] == "Person"
    assert person["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert person["affiliation"]["name"] == "Pupin Initiative"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/briefs/",
        "/actors/",
        "/actors/serbia/",
        "/agreements/",
        "/agreements/serbia-hungary-defense-cooperation-plan/",
        "/people/vuk-velebit/",
        "/topics/security/",
        "/recommendations/",
    ],
)
def test_every_page_has_title_description_canonical_and_social_tags(client, world, url):
    page = html(client.get(url))
    assert re.search(r"<title>[^<]+</title>", page)
    assert '<meta name="description" content="' in page
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}">' in page
    assert '<meta property="og:title"' in page
    assert '<meta name="twitter:card"' in page
    assert page.count("<h1") == 1
    assert 'class="skip-link" href="#main"' in page


# --- status codes -----------------------------------------------------------------


def test_withdrawn_brief_answers_410_with_its_notice(client):
    author = factories.make_person(name="Ana Author")
    brief = factories.make_brief(
        title="A withdrawn brief",
        authors=[author],
        status=Status.WITHDRAWN,
        published_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now(),
        withdrawn_reason="It relied on a source that proved false.",
        body="Secret body text.",
    )
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 410
    page = html(response)
    assert "A withdrawn brief" in page
    assert "Ana Author" in page
    assert "21 May 2025" in page
    assert "It relied on a source that proved false." in page
    assert "Secret body text." not in page


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"status": Status.APPROVED},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
        {"deleted_at": timezone.now()},
        {
            "status": Status.WITHDRAWN,
            "withdrawn_reason": "x",
            "deleted_at": timezone.now(),
            "published_at": timezone.now() - datetime.timedelta(days=1),
        },
    ],
    ids=["draft", "approved", "scheduled", "trashed", "withdrawn-and-trashed"],
)
def test_unpublished_brief_is_404(client, overrides):
    brief = factories.make_brief(**overrides)
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in html(response)


def test_unknown_address_answers_the_designed_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert "<h1>Page not found</h1>" in page
    assert 'href="/briefs/"' in page


def test_old_slug_redirects_permanently_to_the_current_one(client):
    brief = factories.make_brief(slug="old-name")
    change_brief_slug(brief=brief, new_slug="new-name")
    response = client.get("/briefs/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/briefs/new-name/"
    assert client.get("/briefs/new-name/").status_code == 200


def test_old_slug_of_an_unpublished_brief_does_not_reveal_the_new_one(client):
    brief = factories.make_brief(slug="old-draft", status=Status.DRAFT)
    change_brief_slug(brief=brief, new_slug="new-draft")
    assert client.get("/briefs/old-draft/").status_code == 404


def test_slug_history_keeps_every_old_slug_and_refuses_another_briefs(client):
    brief = factories.make_brief(slug="first")
    change_brief_slug(brief=brief, new_slug="second")
    change_brief_slug(brief=brief, new_slug="third")
    assert client.get("/briefs/first/")["Location"] == "/briefs/third/"
    other = factories.make_brief(slug="other")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        change_brief_slug(brief=other, new_slug="first")
    # Moving back to an old slug makes it current again.
    change_brief_slug(brief=brief, new_slug="first")
    assert client.get("/briefs/first/").status_code == 200
    assert not BriefSlugHistory.objects.filter(old_slug="first").exists()


# --- lists, filters and facets -----------------------------------------------------


def test_brief_list_is_newest_first_and_filters_with_counts(client, world):
    page = html(client.get("/briefs/"))
    assert "4 briefs" in page
    titles = [o.title for o in sorted(world.others, key=lambda b: b.publication_date)]
    positions = [page.index(t) for t in reversed(titles)]
    assert positions == sorted(positions)
    assert page.index(titles[0]) < page.index(world.brief.title)
    # Facets count within the result: all four discuss Serbia, one is on "regional".
    assert re.search(
        r'href="\?actor=serbia"[^>]*>Serbia</a> <span class="count">4', page
    )
    assert re.search(r'href="\?topic=regional"[^>]*>Regional cooperation</a> '
                     r'<span class="count">1', page)  # fmt: skip
    filtered = html(client.get("/briefs/?topic=regional&actor=serbia"))
    assert "1 brief match" in filtered
    assert world.brief.title in filtered
    assert world.others[0].title not in filtered


@pytest.mark.parametrize(
    "query",
    [
        "author=vuk-velebit",
        "year=2025",
        "kind=policy_brief",
        "language=en",
        "agreement=serbia-hungary-defense-cooperation-plan",
    ],
)
def test_brief_list_accepts_each_filter(client, world, query):
    response = client.get(f"/briefs/?{query}")
    assert response.status_code == 200
    assert world.brief.title in html(response)


def test_brief_list_paginates_and_keeps_filters(client):
    topic = factories.make_topic(slug="many")
    for _ in range(21):
        factories.make_brief(topics=[topic])
    page = html(client.get("/briefs/?topic=many"))
    assert 'href="?topic=many&amp;page=2"' in page
    assert "Page 1 of 2" in page
    assert client.get("/briefs/?topic=many&page=2").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/briefs/?year=abc",
        "/briefs/?year=99999999999",
        "/briefs/?actor=no-such-actor",
        "/briefs/?kind=novel",
        "/briefs/?published_after=yesterday",
        "/recommendations/?policy_area=astrology",
        "/recommendations/?addressee=nobody",
        "/agreements/?signed_after=soon",
        "/agreements/?party=nobody",
        "/actors/?kind=planet",
    ],
)
def test_invalid_filter_is_a_400_page_naming_the_problem(client, url):
    response = client.get(url)
    assert response.status_code == 400
    page = html(response)
    assert "cannot be applied" in page
    assert url.split("?")[1].split("=")[0] in page


def test_recommendations_page_filters_by_addressee_and_policy_area(client, world):
    page = html(client.get("/recommendations/?addressee=nato"))
    assert page.count("<li><h3>") == 2
    assert f'href="{SEED_URL}#recommendation-2"' in page
    area = Recommendation.objects.get(brief=world.brief, order=1).policy_area
    page = html(client.get(f"/recommendations/?policy_area={area}"))
    assert page.count("<li><h3>") == 1
    assert 'href="?addressee=nato"' in html(client.get("/recommendations/"))


def test_actor_list_counts_public_briefs_only(client, world):
    factories.make_brief(actors=[world.serbia], status=Status.DRAFT)
    page = html(client.get("/actors/"))
    assert re.search(r'href="/actors/serbia/">Serbia</a>.*?4 briefs', page)
    assert "Kosovo" in html(client.get("/actors/?q=kos"))


# --- actor, agreement, person and topic pages --------------------------------------


def test_actor_page_shows_memberships_offices_agreements_briefs_recommendations(
    client, world
):
    page = html(client.get("/actors/hungary/"))
    assert "State" in page
    assert 'Member of <a href="/actors/nato/">NATO</a>' in page
    assert 'since <time datetime="1999-03-12">' in page
    assert '<a href="/actors/viktor-orban/">Viktor Orbán</a>, Prime Minister' in page
    plan = page.index("/agreements/serbia-hungary-defense-cooperation-plan/")
    older = page.index("/agreements/serbia-hungary-strategic-partnership/")
    assert plan < older  # newest first
    assert SEED_URL in page
    assert "Recommendations addressed to Hungary" in page
    assert f"{SEED_URL}#recommendation-1" in page
    kosovo = html(client.get("/actors/kosovo/"))
    assert "recognised by about half of UN members" in kosovo


def test_actor_page_lists_only_confirmed_links(client, world):
    suggested = factories.make_brief(title="Only a suggestion")
    BriefActor.objects.create(
        brief=suggested, actor=world.hungary, state=MentionState.SUGGESTED
    )
    assert "Only a suggestion" not in html(client.get("/actors/hungary/"))


def test_agreement_page_shows_parties_terms_sources_briefs_and_siblings(client, world):
    page = html(client.get("/agreements/serbia-hungary-defense-cooperation-plan/"))
    for text in (
        "Defense cooperation plan",
        '<time datetime="2025-04-01">1 April 2025</time>, Belgrade',
        "Signed",
        "Not stated",
        "Joint military exercises",
        "Ministry of Defence press release",
        'href="/actors/serbia/"',
        'href="/actors/hungary/"',
        SEED_URL,
        "Other agreements between the same parties",
        "/agreements/serbia-hungary-strategic-partnership/",
    ):
        assert text in page, text
    for other in world.others:
        assert other.get_absolute_url() in page
    declaration = html(client.get("/agreements/albania-croatia-kosovo-declaration/"))
    assert "signed by the Minister of Defence" in declaration
    assert "Other agreements" not in declaration


def test_person_page_shows_orcid_and_briefs_by_role(client, world):
    person = world.people["petar-ivic"]
    person.orcid = "0000-0002-1825-0097"
    person.save()
    page = html(client.get("/people/petar-ivic/"))
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in page
    assert "As researcher" in page and SEED_URL in page
    assert "As author" not in page


def test_topic_page_lists_its_public_briefs(client, world):
    page = html(client.get("/topics/regional/"))
    assert SEED_URL in page
    assert world.others[0].get_absolute_url() not in page


def test_home_shows_latest_featured_topics_and_a_search_box(client, world):
    page = html(client.get("/"))
    assert 'id="featured-h"' in page and SEED_URL in page
    assert 'href="/topics/security/"' in page
    assert 'action="/search/"' in page and 'name="q"' in page


# --- query counts --------------------------------------------------------------------


def _rich(n: int):
    """A brief with n of everything, plus n other briefs sharing its links."""
    actors = [factories.make_actor() for _ in range(n)]
    agreements = [factories.make_agreement(parties=actors) for _ in range(n)]
    topics = [factories.make_topic() for _ in range(n)]
    authors = [factories.make_person() for _ in range(n)]
    brief = factories.make_brief(
        authors=authors,
        researchers=[factories.make_person() for _ in range(n)],
        actors=actors,
        agreements=agreements,
        topics=topics,
        recommendations=n,
    )
    for recommendation in brief.recommendations.all():
        recommendation.addressees.set(actors)
    for i in range(n):
        Correction.objects.create(brief=brief, published_on="2025-06-01", note=f"c{i}")
        factories.make_brief(authors=authors, actors=actors, topics=topics)
    return brief, actors[0], agreements[0], topics[0], authors[0]


def _urls(brief, actor, agreement, topic, person) -> list[tuple[str, int]]:
    """Each page with its query bound, which holds for 1 and for 6 of everything."""
    return [
        ("/", 3),
        ("/briefs/", 1),  # prepared once per generation; the stored cards
        # Two filter lookups, the count, the page, five facet queries: kind,
        # language and year are one GROUP BY over the editions since the
        # facets have one builder (publishing/facets.py); it was 11.
        (f"/briefs/?actor={actor.slug}&topic={topic.slug}", 9),
        # The edition; which related ones are public; the recommendations'
        # assessments (publishing/tracker.py) and, when there are some, their
        # sources.
        (brief.get_absolute_url(), 4),
        (f"/people/{person.slug}/", 2),
        (f"/topics/{topic.slug}/", 3),
        ("/actors/", 2),
        (f"/actors/{actor.slug}/", 3),
        ("/agreements/", 3),
        # Prepared once per generation; the public cards (was 5: agreement,
        # parties, sources, cards, sibling agreements).
        (f"/agreements/{agreement.slug}/", 1),
        # With the tracker: the scorecard's GROUP BY and the page's statuses.
        ("/recommendations/", 7),
        ("/feeds/briefs.rss", 3),
        (f"/actors/{actor.slug}/feed.atom", 4),
        ("/sitemap.xml", 11),
    ]


@pytest.mark.parametrize("n", [1, 6])
def test_every_page_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, n
):
    urls = _urls(*_rich(n))
    for url, _ in urls:
        client.get(url)  # prepare stale brief pages once, as the first reader does
    for url, bound in urls:
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200, url


def test_unfiltered_list_counts_once_per_generation(
    client, world, django_assert_num_queries
):
    first = html(client.get("/briefs/"))
    with (
        mock.patch("publishing.views.brief_facets") as facets,
        django_assert_num_queries(1),
    ):
        again = html(client.get("/briefs/"))
    facets.assert_not_called()
    assert again == first
    assert "4 briefs" in again
    # A filtered list is counted per request.
    with mock.patch(
        "publishing.views.brief_facets", return_value=BriefFacets(0, [])
    ) as facets:
        client.get("/briefs/?actor=serbia")
    facets.assert_called_once()


def test_prepared_list_is_the_page_rendered_per_request(client, world, settings):
    for n in range(22):  # more than a page, so pagination shows
        factories.make_brief(title=f"Filler {n:02}")
    prepared = html(client.get("/briefs/"))
    settings.PREPARED_LISTS = False
    assert html(client.get("/briefs/")) == prepared
    assert "Page 1 of 2" in prepared


def test_prepared_empty_list_says_so(client):
    page = html(client.get("/briefs/"))
    assert "0 briefs" in page
    assert "No published brief matches." in page


def test_brief_page_is_three_queries(client, django_assert_num_queries):
    # The public edition at the address, then which related briefs are public,
    # then its recommendations' assessments (none here: no sources to read).
    brief, *_ = _rich(4)
    client.get(brief.get_absolute_url())
    with django_assert_num_queries(3):
        response = client.get(brief.get_absolute_url())
    assert 'id="related-h"' in response.content.decode()


# --- prepared pages: rendered once per version, invalidated on every change --------


def test_markdown_and_page_are_rendered_once_per_version_not_per_request(client, world):
    client.get(SEED_URL)
    with (
        mock.patch("briefs.models.render_markdown") as markdown,
        mock.patch("publishing.rendering.render_brief_fragments") as fragments,
    ):
        for _ in range(3):
            assert client.get(SEED_URL).status_code == 200
    markdown.assert_not_called()
    fragments.assert_not_called()


def _page(client) -> str:
    return html(client.get(SEED_URL))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda w: _rename(w.serbia, "Republic of Serbia"), "Republic of Serbia"),
        (
            lambda w: _rename(w.people["vuk-velebit"], "Vuk V. Velebit"),
            "Vuk V. Velebit",
        ),
        (lambda w: _rename(w.plan, "Belgrade defense plan"), "Belgrade defense plan"),
        (
            lambda w: Contribution.objects.create(
                brief=w.brief,
                person=factories.make_person(name="Nova Editor"),
                role=Role.EDITOR,
                order=9,
            ),
            "Nova Editor",
        ),
        (
            lambda w: Recommendation.objects.get(brief=w.brief, order=1).addressees.add(
                factories.make_actor(name="Montenegro")
            ),
            ">Montenegro</a>",
        ),
        (
            lambda w: w.brief.topics.add(factories.make_topic(name="Enlargement")),
            ">Enlargement</a>",
        ),
        (
            lambda w: _rename(w.brief.topics.get(slug="security"), "Defense"),
            ">Defense</a>",
        ),
        (
            lambda w: ActorAlias.objects.create(actor=w.nato, alias="Atlantic Pact"),
            None,
        ),
    ],
    ids=[
        "actor-renamed",
        "person-renamed",
        "agreement-renamed",
        "contributor-added",
        "addressee-added",
        "topic-added",
        "topic-renamed",
        "alias-added",
    ],
)
def test_an_edition_shows_linked_records_as_published_until_the_next_one(
    client, world, change, expected
):
    """Editions are frozen: a linked record's change waits for the next edition.

    The linked record's own page shows it at once (tests of those pages); the
    brief keeps what it published, like its PDF, until a correction publishes
    edition N+1 with the change in it.
    """
    before = _page(client)
    change(world)
    assert _page(client) == before
    factories.publish(world.brief, at=timezone.now(), note="Refreshed.")
    after = _page(client)
    if expected:
        assert expected not in before
        assert expected in after


def _rename(obj, name: str) -> None:
    if hasattr(obj, "title"):
        obj.title = name
    else:
        obj.name = name
    obj.save()


def test_a_new_alias_links_a_first_mention_in_the_next_edition(client):
    actor = factories.make_actor(name="Kosovo Force", slug="kfor")
    brief = factories.make_brief(body="KFOR keeps the peace.", actors=[actor])
    assert "actor-link" not in html(client.get(brief.get_absolute_url()))
    ActorAlias.objects.create(actor=actor, alias="KFOR", case_sensitive=True)
    factories.publish(brief, at=timezone.now())
    assert 'href="/actors/kfor/">KFOR</a>' in html(client.get(brief.get_absolute_url()))


# --- page cache and conditional GET ---------------------------------------------------


@pytest.fixture
def page_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_cached_page_costs_no_query_and_304_skips_the_view(
    client, world, page_cache, django_assert_num_queries
):
    first = client.get(SEED_URL)
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(SEED_URL)
    assert again.content == first.content
    with (
        django_assert_num_queries(0),
        mock.patch("publishing.views.BriefDetailView.get") as view,
    ):
        not_modified = client.get(SEED_URL, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    view.assert_not_called()


def test_any_content_change_retires_cached_pages_and_etags(client, world, page_cache):
    etag = client.get("/briefs/")["ETag"]
    assert world.others[0].title in html(client.get("/briefs/"))
    withdrawn = world.others[0]
    withdrawn.status = Status.WITHDRAWN
    withdrawn.withdrawn_reason = "Wrong figures."
    with factories.commit():  # retired once, after the withdrawal commits
        withdrawn.save()
        public_record().withdrawn(brief=withdrawn)
    response = client.get("/briefs/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert withdrawn.title not in html(response)
    assert withdrawn.title not in _page(client)  # not in the related block either


def test_scheduled_brief_appears_in_cached_pages_when_its_time_comes(
    client, page_cache
):
    from kernel.pagecache import current_generation

    soon = timezone.now() + datetime.timedelta(seconds=30)
    factories.make_brief(title="Scheduled for later", published_at=soon)
    before = current_generation()
    assert "Scheduled for later" not in html(client.get("/briefs/"))
    assert current_generation() == before
    later = soon + datetime.timedelta(seconds=1)
    with (
        mock.patch("kernel.pagecache.time.time", return_value=later.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        assert current_generation() != before
        assert "Scheduled for later" in html(client.get("/briefs/"))


# --- prepared actor pages ---------------------------------------------------------


def _actor_page(client, slug: str = "hungary") -> str:
    return html(client.get(f"/actors/{slug}/"))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda w: _rename(w.hungary, "Hungary (HU)"), "<h1>Hungary (HU)</h1>"),
        (lambda w: _rename(w.nato, "The Alliance"), ">The Alliance</a>"),
        (lambda w: _rename(w.plan, "Belgrade plan"), ">Belgrade plan</a>"),
        (
            lambda w: ActorAlias.objects.create(actor=w.hungary, alias="Magyarország"),
            "also Magyarország",
        ),
        (
            lambda w: factories.make_membership(
                w.hungary, factories.make_actor(name="OSCE"), since="1995-01-01"
            ),
            ">OSCE</a>",
        ),
        (
            lambda w: Office.objects.create(
                holder=factories.make_actor(name="Tamás Sulyok", kind="person"),
                title="President",
                of_actor=w.hungary,
            ),
            ">Tamás Sulyok</a>, President",
        ),
        (
            lambda w: AgreementParty.objects.create(
                agreement=w.declaration, actor=w.hungary, order=9
            ),
            "/agreements/albania-croatia-kosovo-declaration/",
        ),
    ],
    ids=[
        "renamed",
        "organization-renamed",
        "agreement-renamed",
        "alias-added",
        "membership-added",
        "office-added",
        "party-added",
    ],
)
def test_prepared_actor_page_follows_every_change_it_shows(
    client, world, change, expected
):
    """Prepared again by the after-commit step (kernel/changes.py), not by a GET."""
    before = _actor_page(client)
    assert expected not in before
    with factories.commit():
        change(world)
    assert expected in _actor_page(client)


def test_prepared_agreement_page_is_the_page_rendered_per_request(
    client, world, settings, django_assert_num_queries
):
    url = "/agreements/serbia-hungary-defense-cooperation-plan/"
    prepared = html(client.get(url))
    with django_assert_num_queries(1):  # the public cards; the rest is prepared
        assert html(client.get(url)) == prepared
    settings.PREPARED_LISTS = False
    assert html(client.get(url)) == prepared
    settings.PREPARED_LISTS = True
    # Its briefs are read per request: a withdrawal leaves the page at once.
    withdrawn = world.brief
    withdrawn.status = Status.WITHDRAWN
    withdrawn.withdrawn_reason = "Wrong figures."
    withdrawn.save()
    public_record().withdrawn(brief=withdrawn)
    assert SEED_URL not in html(client.get(url))
    # Its own data is prepared again once a change to it commits.
    world.plan.title = "Serbia–Hungary defense plan, amended"
    with factories.commit():
        world.plan.save()
    assert "defense plan, amended" in html(client.get(url))


def test_prepared_recommendations_page_is_the_page_rendered_per_request(
    client, world, settings, django_assert_num_queries
):
    prepared = html(client.get("/recommendations/"))
    # The rows, their addressees and their statuses; counts, facets and the
    # scorecard are prepared.
    with django_assert_num_queries(3):
        assert html(client.get("/recommendations/")) == prepared
    settings.PREPARED_LISTS = False
    assert html(client.get("/recommendations/")) == prepared
    settings.PREPARED_LISTS = True
    # A withdrawal retires the content generation after commit, and with it
    # the prepared counts: the brief's recommendations leave the page.
    title = world.brief.recommendations.first().title
    assert title in prepared
    with factories.commit():
        world.brief.status = Status.WITHDRAWN
        world.brief.withdrawn_reason = "Wrong figures."
        world.brief.save()
        public_record().withdrawn(brief=world.brief)
    after = html(client.get("/recommendations/"))
    assert title not in after
    # Counts and facets too: the prepared page equals one counted afresh.
    settings.PREPARED_LISTS = False
    assert html(client.get("/recommendations/")) == after


def test_actor_page_lists_are_live(client, world):
    assert world.others[0].title in _actor_page(client)
    withdrawn = world.others[0]
    withdrawn.status = Status.WITHDRAWN
    withdrawn.withdrawn_reason = "Wrong figures."
    withdrawn.save()
    public_record().withdrawn(brief=withdrawn)
    factories.make_brief(title="Budapest after the pact", actors=[world.hungary])
    page = _actor_page(client)
    assert withdrawn.title not in page
    assert "Budapest after the pact" in page


def test_actor_page_costs_three_queries(client, world, django_assert_num_queries):
    client.get("/actors/hungary/")
    with django_assert_num_queries(3):
        assert client.get("/actors/hungary/").status_code == 200


def test_unknown_actor_is_404(client):
    assert client.get("/actors/atlantis/").status_code == 404


def test_a_change_in_another_process_reaches_cached_pages_within_the_recheck(
    client, world, page_cache, settings
):
    from django.core.cache import cache

    from kernel import pagecache

    etag = client.get("/briefs/")["ETag"]
    # Another process bumps the shared generation; this one notices it within
    # PAGE_CACHE_RECHECK_SECONDS, not before.
    cache.set(pagecache.GENERATION_KEY, ("from-elsewhere", None), timeout=None)
    assert client.get("/briefs/")["ETag"] == etag
    settings.PAGE_CACHE_RECHECK_SECONDS = 0
    # The ETag is the generation and the page's language.
    assert client.get("/briefs/")["ETag"] == '"from-elsewhere-en"'
