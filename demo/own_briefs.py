"""Four briefs of our own writing: the demo archive lives without ../shared.

The texts are ours (Markdown under `demo/texts/`, named by slug). Facts in them
(names, dates, figures) come from the demo reference data in `demo.data` or
are public record; what we were not sure of was left out. Each brief is
published through the editions pipeline by `demo.loader`, with the history an
editor would find in the admin. One of them was corrected once: its text
file holds the corrected version, and `correction["was"]` the sentence the
first edition printed instead of `correction["now"]`.

Addressees, actors, agreements, topics and people are slugs of the demo data.
`actors` lists every actor the text names (the mention scanner finds them; the
loader confirms them), so no suggested link is left for an editor to sort out.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from briefs.models import BriefKind, Language, PolicyArea

TEXTS = Path(__file__).resolve().parent / "texts"
BELGRADE = ZoneInfo("Europe/Belgrade")

TIRANA = "albania-croatia-kosovo-defence-declaration-2025"
BELGRADE_PLAN = "serbia-hungary-defense-cooperation-plan-2025"


def _at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BELGRADE)


OWN_BRIEFS: list[dict] = [
    {
        "slug": "serbia-hungary-defense-plan-2025",
        "title": "Seventy-Nine Activities, No Alliance: Reading the Serbia–Hungary "
        "Defense Plan",
        "kind": BriefKind.ANALYSIS,
        "language": Language.ENGLISH,
        "published_at": _at(2025, 4, 16, 9, 0),
        "summary": (
            "The plan Serbia and Hungary signed in Belgrade on 1 April 2025 is a "
            "one-year calendar of 79 joint activities, not a mutual-defense pact. "
            "We set out what is on the record, what each side brings and why "
            "publishing the calendar would serve both countries and their "
            "neighbors."
        ),
        "authors": ["vuk-velebit", "mara-stojkovic"],
        "researchers": ["petar-ivic"],
        "topics": ["military-alliances", "regional-security", "western-balkans"],
        "actors": [
            "serbia",
            "hungary",
            "bratislav-gasic",
            "kristof-szalay-bobrovniczky",
            "nato",
            "eu",
            "albania",
            "croatia",
            "kosovo",
            "aleksandar-vucic",
            "viktor-orban",
            "russia",
            "china",
        ],
        "agreements": [BELGRADE_PLAN, TIRANA],
        # (title, body, policy area, addressees)
        "recommendations": [
            (
                "Publish the calendar",
                "The defense ministries in Belgrade and Budapest should publish "
                "the list of the plan's 79 activities, with the dates and places "
                "of field exercises. Neighbors who can see what is planned have "
                "less reason to assume the worst, and the plan's supporters lose "
                "nothing by showing how ordinary most of it is.",
                PolicyArea.SECURITY,
                ["serbia", "hungary"],
            ),
            (
                "Keep the allies informed",
                "Hungary should brief its NATO allies on the plan's exercises and "
                "industrial projects, and NATO should treat those briefings as an "
                "opportunity rather than a grievance. Cooperation with a neutral "
                "partner that happens in view of the Alliance builds confidence; "
                "cooperation that surprises allies erodes it.",
                PolicyArea.SECURITY,
                ["hungary", "nato"],
            ),
            (
                "Invite observers from the neighborhood",
                "Serbia should invite observers from neighboring states, the "
                "signatories of the Tirana declaration included, to at least one "
                "exercise held under the plan, and those governments should "
                "accept. A shared view of one exercise does more for trust than "
                "any statement about intentions.",
                PolicyArea.DIPLOMACY,
                ["serbia", "albania", "croatia", "kosovo"],
            ),
            (
                "Look closely at the industrial projects",
                "The European Union should ask both governments for an account of "
                "the defense-industry projects under the plan, which join a "
                "member state and a candidate country, so that they are weighed "
                "against the Union's common rules rather than discovered later.",
                PolicyArea.INTEGRATION,
                ["eu"],
            ),
        ],
    },
    {
        "slug": "kfor-and-kosovos-security-gap",
        "title": "Kosovo's Security Gap: What KFOR Can and Cannot Guarantee",
        "kind": BriefKind.POLICY_BRIEF,
        "language": Language.ENGLISH,
        "published_at": _at(2025, 6, 11, 9, 0),
        "summary": (
            "With about 3,700 troops, KFOR is the only security presence that "
            "every side in Kosovo deals with, but it was sized for a calmer "
            "decade, and Kosovo itself has neither heavy forces nor the "
            "protection of Article 5. New regional pacts cannot fill that gap; "
            "a capable KFOR and a dialogue that settles the north can."
        ),
        "authors": ["andrej-cvejanov", "thomas-caldwell"],
        "researchers": ["aleksa-jovanovic"],
        "topics": ["peacekeeping", "regional-security", "nato", "western-balkans"],
        "actors": [
            "kfor",
            "kosovo",
            "nato",
            "un",
            "serbia",
            "eu",
            "russia",
            "albania",
            "croatia",
            "bosnia-and-herzegovina",
            "eufor",
            "hungary",
            "united-states",
            # Named only by the corrected text (see "correction" below).
            "romania",
        ],
        "agreements": [TIRANA, BELGRADE_PLAN],
        "recommendations": [
            (
                "Keep KFOR able to act",
                "NATO should keep KFOR at no less than its present strength of "
                "about 3,700 troops, keep ready the reserves that reinforced it "
                "in 2023, and announce any change of posture well in advance, "
                "explaining it to Priština and Belgrade alike.",
                PolicyArea.SECURITY,
                ["nato"],
            ),
            (
                "Agree security arrangements for the north",
                "Serbia and Kosovo should use the EU-facilitated dialogue to agree "
                "practical arrangements for the Serb-majority north, including "
                "how police and KFOR work there, and the European Union should "
                "put its weight behind carrying them out rather than behind new "
                "declarations.",
                PolicyArea.DIPLOMACY,
                ["serbia", "kosovo", "eu"],
            ),
            (
                "Say what the Tirana declaration does",
                "Albania, Croatia and Kosovo should publish what their "
                "cooperation will involve in practice and state plainly that it "
                "is directed at no neighbor. Openness costs them little and "
                "removes the main argument of those who present the declaration "
                "as the first step towards a bloc.",
                PolicyArea.SECURITY,
                ["albania", "croatia", "kosovo"],
            ),
            (
                "Make reassurance and dialogue one policy",
                "The United States and the European Union should treat their "
                "support for Kosovo's security and their engagement with Serbia "
                "as parts of one policy, rewarding progress in the dialogue on "
                "both sides instead of reassuring each party separately.",
                PolicyArea.DIPLOMACY,
                ["united-states", "eu"],
            ),
        ],
        "correction": {
            "released_at": _at(2025, 6, 18, 11, 30),
            "was": "four EU member states (Cyprus, Greece, Slovakia and Spain)",
            "now": "five EU member states (Cyprus, Greece, Romania, Slovakia and "
            "Spain)",
            # Actors that only the corrected text names: linked with it.
            "actors": ["romania"],
            "note": (
                "The first version named four EU member states that do not "
                "recognize Kosovo's independence and left out Romania. There "
                "are five: Cyprus, Greece, Romania, Slovakia and Spain."
            ),
        },
    },
    {
        "slug": "enlargement-fatigue-is-a-security-problem",
        "title": "Enlargement Fatigue Is a Security Problem",
        "kind": BriefKind.COMMENTARY,
        "language": Language.ENGLISH,
        "published_at": _at(2025, 7, 9, 9, 0),
        "summary": (
            "Twelve years after Croatia joined, no other country of the region "
            "has followed, and governments that no longer expect membership "
            "have started to look for security elsewhere. Regional initiatives "
            "are not the problem but part of the cure, if the EU gives its "
            "candidates a calendar again."
        ),
        "authors": ["mara-stojkovic"],
        "researchers": ["petar-ivic"],
        "topics": [
            "eu-enlargement",
            "regional-cooperation",
            "western-balkans",
            "regional-security",
        ],
        "actors": [
            "eu",
            "croatia",
            "serbia",
            "montenegro",
            "albania",
            "north-macedonia",
            "bosnia-and-herzegovina",
            "bulgaria",
            "kosovo",
            "hungary",
            "romania",
            "united-states",
        ],
        "agreements": [TIRANA, BELGRADE_PLAN],
        "recommendations": [
            (
                "Give the candidates a calendar",
                "The European Union should attach indicative dates to the "
                "remaining steps of each candidate's accession, conditional on "
                "reforms, and open its programs and funds to candidates as they "
                "meet them rather than only on the day of membership.",
                PolicyArea.INTEGRATION,
                ["eu"],
            ),
            (
                "Treat Open Balkan as a rehearsal, not a rival",
                "The European Union and the United States should back Open "
                "Balkan's practical measures for moving people and goods, link "
                "them to the Common Regional Market, and encourage the "
                "governments that stayed out to join the parts that suit them.",
                PolicyArea.ECONOMY,
                ["eu", "united-states"],
            ),
            (
                "Carry Three Seas connections south",
                "The Three Seas members that border the Western Balkans should "
                "propose energy and transport projects that continue into the "
                "candidate countries, and plan them with those countries as "
                "partners from the start.",
                PolicyArea.ECONOMY,
                ["croatia", "hungary", "bulgaria", "romania"],
            ),
        ],
    },
    {
        "slug": "montenegro-an-ally-divided-at-home",
        "title": "Montenegro: An Ally Divided at Home",
        "kind": BriefKind.ANALYSIS,
        "language": Language.ENGLISH,
        "published_at": _at(2025, 9, 24, 9, 0),
        "summary": (
            "Montenegro joined NATO in 2017 without a referendum, and a census "
            "in which about 41% identify as Montenegrin and 33% as Serb is read "
            "abroad as a verdict on its alignment. We argue that its partners "
            "should lower the stakes rather than ask it to choose a camp."
        ),
        "authors": ["andrej-cvejanov", "vuk-velebit"],
        "researchers": ["aleksa-jovanovic", "petar-ivic"],
        "topics": ["nato", "eu-enlargement", "western-balkans"],
        "actors": [
            "montenegro",
            "un",
            "nato",
            "albania",
            "croatia",
            "eu",
            "serbia",
            "kosovo",
            "bosnia-and-herzegovina",
            "hungary",
        ],
        "agreements": [TIRANA, BELGRADE_PLAN],
        "recommendations": [
            (
                "Keep NATO membership out of campaigns",
                "Montenegro's parties should treat membership of NATO as a "
                "settled commitment of the state, as parliament decided in 2017, "
                "and compete on how the country uses it rather than on whether "
                "it should remain an ally.",
                PolicyArea.GOVERNANCE,
                ["montenegro"],
            ),
            (
                "Show what membership delivers",
                "NATO should make its contribution to Montenegro visible in "
                "everyday terms, from modernizing a small armed force to civil "
                "emergency response and officer training, and stop reading each "
                "change of coalition as a change of allegiance.",
                PolicyArea.SECURITY,
                ["nato"],
            ),
            (
                "Answer reform with accession steps",
                "The European Union should answer Montenegro's reforms with "
                "concrete steps towards membership, the one project most likely "
                "to be shared by citizens of both identities.",
                PolicyArea.INTEGRATION,
                ["eu"],
            ),
            (
                "Be a neighbor, not a patron",
                "Serbia should treat Montenegro as a partner whose Serb citizens "
                "are best served by a stable, democratic state, and refrain from "
                "presenting Montenegrin elections as contests for Belgrade's "
                "influence.",
                PolicyArea.DIPLOMACY,
                ["serbia"],
            ),
        ],
    },
]


# A translation of one of them, into Serbian (Cyrillic), made from the first
# edition of its original: it repeats the passage the original's correction
# changed, so once the loader has corrected the original (edition 2) the
# translation is stale, and says so on its page and on the editors'
# dashboard. Keys as above, plus the original's slug, the version it was made
# from and its translators; its authors are the original's.
TRANSLATIONS: list[dict] = [
    {
        "slug": "bezbednosni-jaz-kosova",
        "translation_of": "kfor-and-kosovos-security-gap",
        "made_from": 1,
        "title": "Безбедносни јаз Косова: шта КФОР може, а шта не може да гарантује",
        "kind": BriefKind.POLICY_BRIEF,
        "language": Language.SERBIAN_CYRILLIC,
        "published_at": _at(2025, 6, 16, 9, 0),
        "summary": (
            "Са око 3.700 војника КФОР је једино безбедносно присуство са којим "
            "све стране на Косову имају посла, али је скројен за мирнију "
            "деценију, а Косово нема ни тешко наоружање ни заштиту члана 5. "
            "Нови регионални пактови не могу да попуне тај јаз; то могу "
            "способан КФОР и дијалог који ће уредити прилике на северу."
        ),
        "authors": ["andrej-cvejanov", "thomas-caldwell"],
        "researchers": ["aleksa-jovanovic"],
        "translators": ["mara-stojkovic"],
        "topics": ["peacekeeping", "regional-security", "nato", "western-balkans"],
        "actors": [
            "kfor",
            "kosovo",
            "nato",
            "un",
            "serbia",
            "eu",
            "russia",
            "albania",
            "croatia",
            "bosnia-and-herzegovina",
            "eufor",
            "hungary",
        ],
        "agreements": [TIRANA, BELGRADE_PLAN],
        "recommendations": [
            (
                "Одржати КФОР способним да делује",
                "НАТО треба да задржи КФОР на садашњем бројном стању од око "
                "3.700 војника, да држи у приправности резерве које су га "
                "ојачале 2023. и да сваку промену распореда најави на време, "
                "објашњавајући је подједнако Приштини и Београду.",
                PolicyArea.SECURITY,
                ["nato"],
            ),
            (
                "Договорити безбедносна решења за север",
                "Србија и Косово треба да у дијалогу уз посредовање ЕУ договоре "
                "практична решења за север са српском већином, укључујући то "
                "како тамо раде полиција и КФОР, а Европска унија треба да своју "
                "тежину стави иза спровођења тих решења, а не иза нових "
                "декларација.",
                PolicyArea.DIPLOMACY,
                ["serbia", "kosovo", "eu"],
            ),
            (
                "Рећи шта декларација из Тиране подразумева",
                "Албанија, Хрватска и Косово треба да објаве шта ће њихова "
                "сарадња значити у пракси и да јасно кажу да није уперена ни "
                "против једног суседа. Отвореност их кошта мало, а одузима "
                "главни аргумент онима који декларацију представљају као први "
                "корак ка блоку.",
                PolicyArea.SECURITY,
                ["albania", "croatia", "kosovo"],
            ),
            (
                "Уверавање и дијалог као једна политика",
                "Сједињене Државе и Европска унија треба да подршку безбедности "
                "Косова и односе са Србијом воде као делове једне политике, "
                "награђујући напредак у дијалогу на обе стране уместо да свакој "
                "страни одвојено пружају уверавања.",
                PolicyArea.DIPLOMACY,
                ["united-states", "eu"],
            ),
        ],
    },
]
