"""The demo content the project ships: reference data and how the seed brief is linked.

Everything here is either stated by the seed brief (the figures of its comparison
table, the two agreements, the troop numbers) or public record (membership dates,
offices, ISO codes). A figure nobody states is stored as unknown (`value=None`),
never guessed. Descriptions are our own short, neutral wording.

Natural keys: actors, agreements and topics by slug; everything else by the
fields of its unique constraint (see `demo.loader`).

Over 1,000 lines, and meant to be: it is data (tables of actors, memberships,
offices, indicators), not logic; splitting it would only scatter the facts.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from actors.models import (
    ActorKind,
    AgreementKind,
    AgreementStatus,
    IndicatorStatus,
    Metric,
    MutualDefense,
)
from briefs.models import BriefKind, Language, PolicyArea

D = datetime.date

# The seed brief cites no public URL for itself, so indicators and agreement
# sources name it by title only; `source` is part of Indicator's natural key.
SEED_BRIEF_TITLE = "Does the Balkans Need New Military Alliances?"
SEED_FILENAME = "000_2d2030587047e4a1.txt"
# The seed brief's public address (what the importer would derive from its title).
SEED_BRIEF_SLUG = "does-the-balkans-need-new-military-alliances"

# Each actor: `aliases` are matched case-insensitively by the mention scanner,
# `exact_aliases` only with this exact capitalisation (acronyms, so that "UN" is
# not found in "un-" and "US" not in "us"). Aliases cover names, short names,
# capitals used for governments, unambiguous demonyms, Cyrillic spellings and
# the Serbian case forms of surnames (nominative, genitive, dative,
# instrumental) that Serbian-language sources use.
#
# Left out on purpose, because they would produce false positives:
# - "Serb" (an ethnicity: "Serb-majority north", "pro-Serb coalition");
# - "Srpska" alone (in Serbian an ordinary adjective, "srpska vojska");
# - "Bosnian" and "Bosnian Serb" (ethnic terms, not the state or the entity);
# - "Macedonia"/"Macedonian" (also the Greek region and its people);
# - "Sofia" (a common given name), "the Alliance" (any alliance), "RS" (Serbia's
#   ISO code and Republika Srpska's abbreviation at once);
# - "American" ("Latin American", "North American").
ACTORS: list[dict] = [
    # States --------------------------------------------------------------
    {
        "slug": "serbia",
        "name": "Serbia",
        "name_sr": "Србија",
        "kind": ActorKind.STATE,
        "iso_code": "RS",
        "description": (
            "Landlocked state in the central Balkans, a candidate for EU "
            "membership that keeps a policy of military neutrality."
        ),
        "aliases": [
            "Serbia",
            "Republic of Serbia",
            "Belgrade",
            "Beograd",
            "Serbian",
            "Srbija",
            "Srbije",
            "Srbiji",
            "Srbijom",
            "Србија",
            "Србије",
            "Србији",
            "Србијом",
            "Београд",
        ],
    },
    {
        "slug": "hungary",
        "name": "Hungary",
        "name_sr": "Мађарска",
        "kind": ActorKind.STATE,
        "iso_code": "HU",
        "description": "Central European state, a member of the EU and of NATO.",
        "aliases": [
            "Hungary",
            "Budapest",
            "Hungarian",
            "Mađarska",
            "Mađarske",
            "Mađarskoj",
            "Madjarska",
            "Мађарска",
            "Мађарске",
            "Мађарској",
            "Будимпешта",
            "Budimpešta",
        ],
    },
    {
        "slug": "kosovo",
        "name": "Kosovo",
        "name_sr": "Косово",
        "kind": ActorKind.DISPUTED_STATE,
        # XK is a user-assigned code (not an official ISO 3166 one) that the EU,
        # IMF and others use for Kosovo.
        "iso_code": "XK",
        "description": (
            "Declared independence from Serbia in 2008; the NATO-led KFOR "
            "mission has been present since 1999."
        ),
        "status_note": (
            "Kosovo's independence is not recognized by Serbia, by about half of "
            "the UN member states, and by five EU member states (Cyprus, Greece, "
            "Romania, Slovakia and Spain)."
        ),
        "aliases": [
            "Kosovo",
            "Republic of Kosovo",
            "Kosova",
            "Kosovar",
            "Priština",
            "Pristina",
            "Prishtina",
            "Prishtinë",
            "Косово",
            "Приштина",
        ],
    },
    {
        "slug": "albania",
        "name": "Albania",
        "name_sr": "Албанија",
        "kind": ActorKind.STATE,
        "iso_code": "AL",
        "description": (
            "Adriatic state in the western Balkans, a NATO member and a "
            "candidate for EU membership."
        ),
        # "Albanian" also catches "Kosovo Albanians"; the editor confirms or
        # rejects each suggested link, so that ambiguity is acceptable.
        "aliases": [
            "Albania",
            "Republic of Albania",
            "Tirana",
            "Tiranë",
            "Albanian",
            "Albanija",
            "Албанија",
            "Тирана",
        ],
    },
    {
        "slug": "croatia",
        "name": "Croatia",
        "name_sr": "Хрватска",
        "kind": ActorKind.STATE,
        "iso_code": "HR",
        "description": "Adriatic state, a member of NATO and of the EU.",
        "aliases": [
            "Croatia",
            "Republic of Croatia",
            "Zagreb",
            "Croatian",
            "Hrvatska",
            "Hrvatske",
            "Hrvatskoj",
            "Хрватска",
            "Хрватске",
            "Хрватској",
            "Загреб",
        ],
    },
    {
        "slug": "bosnia-and-herzegovina",
        "name": "Bosnia and Herzegovina",
        "name_sr": "Босна и Херцеговина",
        "kind": ActorKind.STATE,
        "iso_code": "BA",
        "description": (
            "State made up of two entities, the Federation of Bosnia and "
            "Herzegovina and Republika Srpska, under the 1995 Dayton Peace "
            "Agreement; a candidate for EU membership."
        ),
        "aliases": [
            "Bosnia and Herzegovina",
            "Bosnia-Herzegovina",
            "Bosnia & Herzegovina",
            "Bosnia",
            "Sarajevo",
            "Bosna i Hercegovina",
            "Босна и Херцеговина",
            "Сарајево",
        ],
        "exact_aliases": ["BiH", "БиХ"],
    },
    {
        "slug": "montenegro",
        "name": "Montenegro",
        "name_sr": "Црна Гора",
        "kind": ActorKind.STATE,
        "iso_code": "ME",
        "description": (
            "Adriatic state, a NATO member and a candidate for EU membership."
        ),
        "aliases": [
            "Montenegro",
            "Podgorica",
            "Montenegrin",
            "Crna Gora",
            "Crne Gore",
            "Црна Гора",
            "Црне Горе",
        ],
    },
    {
        "slug": "north-macedonia",
        "name": "North Macedonia",
        "name_sr": "Северна Македонија",
        "kind": ActorKind.STATE,
        "iso_code": "MK",
        "description": (
            "Landlocked state in the southern Balkans, a NATO member and a "
            "candidate for EU membership."
        ),
        "aliases": [
            "North Macedonia",
            "Republic of North Macedonia",
            "North Macedonian",
            "Skopje",
            "Severna Makedonija",
            "Северна Македонија",
            "Скопље",
        ],
    },
    {
        "slug": "bulgaria",
        "name": "Bulgaria",
        "name_sr": "Бугарска",
        "kind": ActorKind.STATE,
        "iso_code": "BG",
        "description": "Black Sea state, a member of NATO and of the EU.",
        "aliases": ["Bulgaria", "Bulgarian", "Bugarska", "Бугарска"],
    },
    {
        "slug": "romania",
        "name": "Romania",
        "name_sr": "Румунија",
        "kind": ActorKind.STATE,
        "iso_code": "RO",
        "description": "Black Sea state, a member of NATO and of the EU.",
        "aliases": ["Romania", "Bucharest", "Romanian", "Rumunija", "Румунија"],
    },
    {
        "slug": "russia",
        "name": "Russia",
        "name_sr": "Русија",
        "kind": ActorKind.STATE,
        "iso_code": "RU",
        "description": (
            "Permanent member of the UN Security Council and a long-standing "
            "partner of Serbia."
        ),
        "aliases": [
            "Russia",
            "Russian Federation",
            "Moscow",
            "Kremlin",
            "Russian",
            "Rusija",
            "Rusije",
            "Русија",
            "Русије",
            "Москва",
            "Россия",
        ],
    },
    {
        "slug": "china",
        "name": "China",
        "name_sr": "Кина",
        "kind": ActorKind.STATE,
        "iso_code": "CN",
        "description": (
            "The People's Republic of China, a permanent member of the UN "
            "Security Council and a supplier of military equipment to Serbia."
        ),
        "aliases": ["China", "People's Republic of China", "Beijing", "Chinese"],
        # "kina" is also an ordinary Serbo-Croatian word (cinemas), so the
        # Serbian name only matches capitalised.
        "exact_aliases": ["PRC", "Kina", "Кина"],
    },
    {
        "slug": "france",
        "name": "France",
        "name_sr": "Француска",
        "kind": ActorKind.STATE,
        "iso_code": "FR",
        "description": (
            "Permanent member of the UN Security Council and a founding member "
            "of NATO and of the European communities."
        ),
        "aliases": ["France", "French Republic", "Paris", "French", "Francuska"],
        "exact_aliases": ["Француска"],
    },
    {
        "slug": "united-states",
        "name": "United States",
        "name_sr": "Сједињене Америчке Државе",
        "kind": ActorKind.STATE,
        "iso_code": "US",
        "description": (
            "Permanent member of the UN Security Council and a founding member of NATO."
        ),
        "aliases": [
            "United States",
            "United States of America",
            "U.S.",
            "Washington",
            "Sjedinjene Američke Države",
            "Сједињене Америчке Државе",
        ],
        "exact_aliases": ["US", "USA", "SAD", "САД"],
    },
    # Organizations and missions ------------------------------------------
    {
        "slug": "nato",
        "name": "NATO",
        "name_sr": "НАТО",
        "kind": ActorKind.ORGANIZATION,
        "description": (
            "The North Atlantic Treaty Organization, a collective-defence "
            "alliance founded in 1949."
        ),
        "aliases": ["North Atlantic Treaty Organization", "North Atlantic Alliance"],
        "exact_aliases": ["NATO", "НАТО"],
    },
    {
        "slug": "eu",
        "name": "European Union",
        "name_sr": "Европска унија",
        "kind": ActorKind.ORGANIZATION,
        "description": (
            "Political and economic union of European states; most Western "
            "Balkan states are candidates for membership."
        ),
        "aliases": [
            "European Union",
            "Brussels",
            "Evropska unija",
            "Europska unija",
            "Европска унија",
        ],
        "exact_aliases": ["EU", "ЕУ"],
    },
    {
        "slug": "kfor",
        "name": "KFOR",
        "name_sr": "КФОР",
        "kind": ActorKind.MISSION,
        "description": (
            "The NATO-led Kosovo Force, deployed since 1999 under UN Security "
            "Council Resolution 1244."
        ),
        # "Kosovo Force" lets a longest-match scanner prefer the mission over
        # the "Kosovo" inside it.
        "aliases": ["Kosovo Force"],
        "exact_aliases": ["KFOR", "КФОР"],
    },
    {
        "slug": "eufor",
        "name": "EUFOR",
        "name_sr": "ЕУФОР",
        "kind": ActorKind.MISSION,
        "description": (
            "EU-led military operation in Bosnia and Herzegovina (Operation "
            "Althea) since 2004, under a UN Security Council mandate."
        ),
        "aliases": ["EUFOR Althea", "Operation Althea"],
        "exact_aliases": ["EUFOR", "ЕУФОР"],
    },
    {
        "slug": "osce",
        "name": "OSCE",
        "name_sr": "ОЕБС",
        "kind": ActorKind.ORGANIZATION,
        "description": (
            "The Organization for Security and Co-operation in Europe, a "
            "regional security forum of 57 participating states."
        ),
        "aliases": [
            "Organization for Security and Co-operation in Europe",
            "Organization for Security and Cooperation in Europe",
        ],
        "exact_aliases": ["OSCE", "OEBS", "ОЕБС"],
    },
    {
        "slug": "un",
        "name": "United Nations",
        "name_sr": "Уједињене нације",
        "kind": ActorKind.ORGANIZATION,
        "description": "The United Nations, founded in 1945.",
        "aliases": ["United Nations", "Ujedinjene nacije", "Уједињене нације"],
        "exact_aliases": ["UN", "U.N.", "УН"],
    },
    # Sub-national entity -------------------------------------------------
    {
        "slug": "republika-srpska",
        "name": "Republika Srpska",
        "name_sr": "Република Српска",
        "kind": ActorKind.SUBNATIONAL,
        "description": (
            "One of the two entities of Bosnia and Herzegovina, with a Serb majority."
        ),
        # "Republic of Srpska" is an English rendering of the entity's name
        # (it is not Serbia, which is "Republic of Serbia").
        "aliases": [
            "Republika Srpska",
            "Republic of Srpska",
            "Republike Srpske",
            "Republici Srpskoj",
            "Република Српска",
            "Републике Српске",
            "Републици Српској",
            "Banja Luka",
            "Бања Лука",
        ],
    },
    # People named by the brief -------------------------------------------
    {
        "slug": "viktor-orban",
        "name": "Viktor Orbán",
        "name_sr": "Виктор Орбан",
        "kind": ActorKind.PERSON,
        "description": "Hungarian politician, Prime Minister of Hungary since 2010.",
        "aliases": [
            "Viktor Orbán",
            "Viktor Orban",
            "Orbán",
            "Orban",
            "Orbana",
            "Orbanu",
            "Orbanom",
            "Виктор Орбан",
            "Орбан",
            "Орбана",
            "Орбану",
            "Орбаном",
        ],
    },
    {
        "slug": "aleksandar-vucic",
        "name": "Aleksandar Vučić",
        "kind": ActorKind.PERSON,
        "description": (
            "Serbian politician, President of Serbia since 2017 and earlier "
            "its Prime Minister."
        ),
        "aliases": [
            "Aleksandar Vučić",
            "Aleksandar Vucic",
            "Vučić",
            "Vucic",
            "Vučića",
            "Vučiću",
            "Vučićem",
            "Александар Вучић",
            "Вучић",
            "Вучића",
            "Вучићу",
            "Вучићем",
        ],
    },
    {
        "slug": "milorad-dodik",
        "name": "Milorad Dodik",
        "kind": ActorKind.PERSON,
        "description": (
            "Bosnian Serb politician, elected President of Republika Srpska in "
            "2022 and earlier its Prime Minister and President."
        ),
        "aliases": [
            "Milorad Dodik",
            "Dodik",
            "Dodika",
            "Dodiku",
            "Dodikom",
            "Милорад Додик",
            "Додик",
            "Додика",
            "Додику",
            "Додиком",
        ],
    },
    {
        "slug": "andrej-plenkovic",
        "name": "Andrej Plenković",
        "kind": ActorKind.PERSON,
        "description": "Croatian politician, Prime Minister of Croatia since 2016.",
        "aliases": [
            "Andrej Plenković",
            "Andrej Plenkovic",
            "Plenković",
            "Plenkovic",
            "Plenkovića",
            "Plenkoviću",
            "Plenkovićem",
            "Андреј Пленковић",
            "Пленковић",
            "Пленковића",
        ],
    },
    {
        "slug": "john-bolton",
        "name": "John Bolton",
        "name_sr": "Џон Болтон",
        "kind": ActorKind.PERSON,
        "description": (
            "American diplomat, US National Security Advisor in 2018–2019 and "
            "earlier ambassador to the UN."
        ),
        "aliases": ["John Bolton", "Bolton", "Boltona", "Џон Болтон", "Болтон"],
    },
    {
        "slug": "jens-stoltenberg",
        "name": "Jens Stoltenberg",
        "kind": ActorKind.PERSON,
        "description": (
            "Norwegian politician, Secretary General of NATO from 2014 to 2024 "
            "and earlier Prime Minister of Norway."
        ),
        "aliases": [
            "Jens Stoltenberg",
            "Stoltenberg",
            "Stoltenberga",
            "Јенс Столтенберг",
            "Столтенберг",
        ],
    },
    # Signatories of the two agreements (public record; the brief does not
    # name them). No offices are recorded for them: their start dates in
    # office are not stated here, and `signatory_capacity` says what they
    # signed as.
    {
        "slug": "pirro-vengu",
        "name": "Pirro Vengu",
        "name_sr": "Пиро Венгу",
        "kind": ActorKind.PERSON,
        "description": (
            "Albanian politician; Albania's Minister of Defence when the 2025 "
            "Tirana declaration was signed."
        ),
        "aliases": ["Pirro Vengu", "Vengu"],
    },
    {
        "slug": "ivan-anusic",
        "name": "Ivan Anušić",
        "kind": ActorKind.PERSON,
        "description": (
            "Croatian politician; Croatia's Minister of Defence when the 2025 "
            "Tirana declaration was signed."
        ),
        "aliases": ["Ivan Anušić", "Ivan Anusic", "Anušić", "Anusic", "Анушић"],
    },
    {
        "slug": "ejup-maqedonci",
        "name": "Ejup Maqedonci",
        "name_sr": "Ејуп Маћедонци",
        "kind": ActorKind.PERSON,
        "description": (
            "Kosovo politician; Kosovo's Minister of Defence when the 2025 "
            "Tirana declaration was signed."
        ),
        "aliases": ["Ejup Maqedonci", "Maqedonci"],
    },
    {
        "slug": "bratislav-gasic",
        "name": "Bratislav Gašić",
        "kind": ActorKind.PERSON,
        "description": (
            "Serbian politician; Serbia's Minister of Defence when the 2025 "
            "Serbia–Hungary cooperation plan was signed."
        ),
        "aliases": [
            "Bratislav Gašić",
            "Bratislav Gasic",
            "Gašić",
            "Gašića",
            "Братислав Гашић",
            "Гашић",
            "Гашића",
        ],
    },
    {
        "slug": "kristof-szalay-bobrovniczky",
        "name": "Kristóf Szalay-Bobrovniczky",
        "name_sr": "Кристоф Салаи-Бобровницки",
        "kind": ActorKind.PERSON,
        "description": (
            "Hungarian politician; Hungary's Minister of Defence when the 2025 "
            "Serbia–Hungary cooperation plan was signed."
        ),
        "aliases": [
            "Kristóf Szalay-Bobrovniczky",
            "Kristof Szalay-Bobrovniczky",
            "Szalay-Bobrovniczky",
        ],
    },
]

# (member, organization, since, note). Accession dates are public record:
# the day the instrument of accession was deposited (NATO), the treaty entered
# into force (EU) or the General Assembly admitted the state (UN).
MEMBERSHIPS: list[tuple[str, str, datetime.date, str]] = [
    # NATO: the North Atlantic Treaty entered into force on 24 August 1949.
    (
        "france",
        "nato",
        D(1949, 8, 24),
        "Founding member. France left NATO's integrated military command in "
        "1966 and rejoined it in 2009; it remained a member throughout.",
    ),
    ("united-states", "nato", D(1949, 8, 24), "Founding member."),
    ("hungary", "nato", D(1999, 3, 12), ""),
    ("bulgaria", "nato", D(2004, 3, 29), ""),
    ("romania", "nato", D(2004, 3, 29), ""),
    ("albania", "nato", D(2009, 4, 1), ""),
    ("croatia", "nato", D(2009, 4, 1), ""),
    ("montenegro", "nato", D(2017, 6, 5), ""),
    ("north-macedonia", "nato", D(2020, 3, 27), ""),
    # EU (and its predecessor communities).
    (
        "france",
        "eu",
        D(1958, 1, 1),
        "Founding member of the European Economic Community (Treaty of Rome); "
        "the EU itself was established in 1993.",
    ),
    ("hungary", "eu", D(2004, 5, 1), ""),
    ("bulgaria", "eu", D(2007, 1, 1), ""),
    ("romania", "eu", D(2007, 1, 1), ""),
    ("croatia", "eu", D(2013, 7, 1), ""),
    # UN: the Charter entered into force on 24 October 1945.
    ("france", "un", D(1945, 10, 24), "Founding member."),
    ("united-states", "un", D(1945, 10, 24), "Founding member."),
    (
        "russia",
        "un",
        D(1945, 10, 24),
        "Founding member as the Soviet Union; the Russian Federation continued "
        "its membership in 1991.",
    ),
    (
        "china",
        "un",
        D(1945, 10, 24),
        "Founding member; the People's Republic of China has held China's seat "
        "since 1971.",
    ),
    ("albania", "un", D(1955, 12, 14), ""),
    ("bulgaria", "un", D(1955, 12, 14), ""),
    ("hungary", "un", D(1955, 12, 14), ""),
    ("romania", "un", D(1955, 12, 14), ""),
    ("croatia", "un", D(1992, 5, 22), ""),
    ("bosnia-and-herzegovina", "un", D(1992, 5, 22), ""),
    ("north-macedonia", "un", D(1993, 4, 8), ""),
    (
        "serbia",
        "un",
        D(2000, 11, 1),
        "Admitted as the Federal Republic of Yugoslavia; Serbia continued the "
        "membership in 2006.",
    ),
    ("montenegro", "un", D(2006, 6, 28), ""),
    # Kosovo is a member of none of these organizations.
]

# (holder, title, of, since, until). Dodik's term is left open: whether and
# when it ended after his 2025 conviction is not settled here.
OFFICES: list[tuple[str, str, str, datetime.date, datetime.date | None]] = [
    ("viktor-orban", "Prime Minister", "hungary", D(2010, 5, 29), None),
    ("aleksandar-vucic", "President", "serbia", D(2017, 5, 31), None),
    ("milorad-dodik", "President", "republika-srpska", D(2022, 11, 15), None),
    ("andrej-plenkovic", "Prime Minister", "croatia", D(2016, 10, 19), None),
    (
        "john-bolton",
        "National Security Advisor",
        "united-states",
        D(2018, 4, 9),
        D(2019, 9, 10),
    ),
    (
        "jens-stoltenberg",
        "Secretary General",
        "nato",
        D(2014, 10, 1),
        D(2024, 10, 1),
    ),
]

MINISTER_OF_DEFENCE = "Minister of Defence"

AGREEMENTS: list[dict] = [
    {
        "slug": "albania-croatia-kosovo-defence-declaration-2025",
        "title": "Joint Declaration on Defence Cooperation of Albania, Croatia and "
        "Kosovo",
        "name_sr": "Заједничка декларација Албаније, Хрватске и Косова о сарадњи "
        "у области одбране",
        "kind": AgreementKind.JOINT_DECLARATION,
        "signed_on": D(2025, 3, 18),
        "signed_at": "Tirana",
        "status": AgreementStatus.SIGNED,
        # A joint declaration of intent, not a treaty: it creates no obligation
        # to defend one another.
        "mutual_defense": MutualDefense.NO,
        "summary": (
            "The defence ministers of Albania, Croatia and Kosovo agreed in "
            "Tirana to step up security and defence cooperation among the three. "
            "It is a declaration coordinating their defence policies rather "
            "than a treaty."
        ),
        "key_terms": [
            "Closer security and defence cooperation among the three signatories",
            "A political declaration, not a treaty",
        ],
        "parties": [
            ("albania", "pirro-vengu"),
            ("croatia", "ivan-anusic"),
            ("kosovo", "ejup-maqedonci"),
        ],
        "sources": [SEED_BRIEF_TITLE],
    },
    {
        "slug": "serbia-hungary-defense-cooperation-plan-2025",
        "title": "Serbia–Hungary Defense Cooperation Plan for 2025",
        "name_sr": "План сарадње Србије и Мађарске у области одбране за 2025. годину",
        "kind": AgreementKind.DEFENSE_COOPERATION_PLAN,
        "signed_on": D(2025, 4, 1),
        "signed_at": "Belgrade",
        # A plan for the year 2025 (its title): its activities end with the
        # year, so its last day in effect is the year's last day.
        "expires_on": D(2025, 12, 31),
        "status": AgreementStatus.EXPIRED,
        # "No mutual-defense clause was announced" is not the same as "the text
        # has none": the plan itself was not published, so the clause is
        # recorded as not stated rather than as absent.
        "mutual_defense": MutualDefense.NOT_STATED,
        "summary": (
            "A one-year plan of joint military activities agreed by the defence "
            "ministers of Serbia and Hungary in Belgrade. No mutual-defence "
            "commitment was announced with it."
        ),
        "key_terms": [
            "79 joint military activities in 2025",
            "Joint military exercises",
            "Arms-industry cooperation",
            "Officer training exchanges",
        ],
        "parties": [
            ("serbia", "bratislav-gasic"),
            ("hungary", "kristof-szalay-bobrovniczky"),
        ],
        "sources": [SEED_BRIEF_TITLE],
    },
    # The brief also mentions a 2023 Hungary–Serbia strategic agreement; it is
    # left out because its exact title, date and parties are not established.
]

TABLE_YEAR = 2025
EMPTY_IN_TABLE = "The brief's comparison table leaves this empty."
NONE_IN_TABLE = "The brief's comparison table lists none."
TABLE_ACTORS = ["serbia", "hungary", "albania", "croatia", "kosovo"]

# (actor, metric, value, value_max, unit, note); all from the seed brief's
# comparison table or text, year 2025, source = the brief's title.
INDICATORS: list[tuple[str, str, Decimal | None, Decimal | None, str, str]] = [
    # Main combat aircraft.
    (
        "hungary",
        Metric.COMBAT_AIRCRAFT,
        Decimal(14),
        None,
        "aircraft",
        "JAS 39 Gripen.",
    ),
    (
        "serbia",
        Metric.COMBAT_AIRCRAFT,
        Decimal(12),
        None,
        "aircraft",
        "Dassault Rafale, ordered in 2024: an order, not aircraft in service.",
    ),
    (
        "croatia",
        Metric.COMBAT_AIRCRAFT,
        Decimal(12),
        None,
        "aircraft",
        "Dassault Rafale.",
    ),
    ("albania", Metric.COMBAT_AIRCRAFT, Decimal(0), None, "aircraft", NONE_IN_TABLE),
    ("kosovo", Metric.COMBAT_AIRCRAFT, Decimal(0), None, "aircraft", NONE_IN_TABLE),
    # Main battle tanks.
    (
        "serbia",
        Metric.MAIN_BATTLE_TANKS,
        Decimal(250),
        Decimal(300),
        "tanks",
        "The brief gives a range and no type.",
    ),
    ("hungary", Metric.MAIN_BATTLE_TANKS, Decimal(44), None, "tanks", "Leopard 2A7+."),
    ("croatia", Metric.MAIN_BATTLE_TANKS, Decimal(75), None, "tanks", "M-84."),
    ("albania", Metric.MAIN_BATTLE_TANKS, Decimal(40), None, "tanks", "Type 59."),
    ("kosovo", Metric.MAIN_BATTLE_TANKS, Decimal(0), None, "tanks", NONE_IN_TABLE),
    # Qualitative rows: no number, the text is the note.
    (
        "serbia",
        Metric.DEFENSE_INDUSTRY,
        None,
        None,
        "",
        "Producer of armoured personnel carriers, artillery and drones.",
    ),
    (
        "hungary",
        Metric.DEFENSE_INDUSTRY,
        None,
        None,
        "",
        "Produces the Lynx infantry fighting vehicle.",
    ),
    ("croatia", Metric.DEFENSE_INDUSTRY, None, None, "", "A small capacity."),
    (
        "albania",
        Metric.DEFENSE_INDUSTRY,
        None,
        None,
        "",
        "Limited; relies mostly on imports.",
    ),
    (
        "kosovo",
        Metric.DEFENSE_INDUSTRY,
        None,
        None,
        "",
        "Limited; relies mostly on imports.",
    ),
    (
        "hungary",
        Metric.MODERNIZATION_FOCUS,
        None,
        None,
        "",
        "Western, NATO-standard systems.",
    ),
    (
        "serbia",
        Metric.MODERNIZATION_FOCUS,
        None,
        None,
        "",
        "A mix of Western, Russian and Chinese systems.",
    ),
    (
        "croatia",
        Metric.MODERNIZATION_FOCUS,
        None,
        None,
        "",
        "Upgrades to NATO standards.",
    ),
    ("kosovo", Metric.MODERNIZATION_FOCUS, None, None, "", "Building a light army."),
    ("albania", Metric.MODERNIZATION_FOCUS, None, None, "", "Limited modernization."),
    # Peacekeepers, from the brief's text ("approximately", "around").
    (
        "kfor",
        Metric.PEACEKEEPERS,
        Decimal(3700),
        None,
        "troops",
        "Approximate number of NATO troops serving in Kosovo.",
    ),
    (
        "eufor",
        Metric.PEACEKEEPERS,
        Decimal(1100),
        None,
        "troops",
        "Approximate number of troops in Bosnia and Herzegovina, under a UN mandate.",
    ),
    # The table's empty rows, stored as explicitly unknown for each actor.
    *(
        (slug, metric, None, None, unit, EMPTY_IN_TABLE)
        for slug in TABLE_ACTORS
        for metric, unit in [
            (Metric.POPULATION, "people"),
            (Metric.ACTIVE_TROOPS, "troops"),
            (Metric.ROCKET_LAUNCHERS, "launchers"),
        ]
    ),
]

# Status where it matters, by (actor, metric): the table says Serbia's
# Rafales were "ordered 2024", which is not a fleet in service.
INDICATOR_STATUS: dict[tuple[str, str], tuple[str, int | None]] = {
    ("serbia", Metric.COMBAT_AIRCRAFT): (IndicatorStatus.ORDERED, 2024),
    ("hungary", Metric.COMBAT_AIRCRAFT): (IndicatorStatus.IN_SERVICE, None),
    ("croatia", Metric.COMBAT_AIRCRAFT): (IndicatorStatus.IN_SERVICE, None),
}

TOPICS: list[dict] = [
    {
        "slug": "regional-security",
        "name": "Regional security",
        "name_sr": "Регионална безбедност",
        "description": "Threats, deterrence and stability in Southeast Europe.",
    },
    {
        "slug": "military-alliances",
        "name": "Military alliances",
        "name_sr": "Војни савези",
        "description": "Defence pacts, cooperation plans and alignments.",
    },
    {
        "slug": "nato",
        "name": "NATO",
        "name_sr": "НАТО",
        "description": "The Alliance's role, posture and credibility in the region.",
    },
    {
        "slug": "eu-enlargement",
        "name": "EU enlargement",
        "name_sr": "Проширење ЕУ",
        "description": "The accession of the Western Balkan states to the EU.",
    },
    {
        "slug": "western-balkans",
        "name": "Western Balkans",
        "name_sr": "Западни Балкан",
        "description": "Albania, Bosnia and Herzegovina, Kosovo, Montenegro, "
        "North Macedonia and Serbia.",
    },
    {
        "slug": "peacekeeping",
        "name": "Peacekeeping",
        "name_sr": "Мировне мисије",
        "description": "International missions in the region, KFOR and EUFOR, "
        "and their mandates.",
    },
    {
        "slug": "regional-cooperation",
        "name": "Regional cooperation",
        "name_sr": "Регионална сарадња",
        "description": "Initiatives among the region's states: the Berlin "
        "Process, Open Balkan, the Three Seas Initiative.",
    },
]

# The think tank and its staff, who write the demo briefs. The first four are
# credited by the seed brief (its importer matches them by slug, so importing
# it creates no duplicate); the last two are fictional colleagues who write
# the demo's own briefs (demo/own_briefs.py).
INSTITUTION = {
    "slug": "pupin-initiative",
    "name": "Pupin Initiative",
    "local_name": "Пупин Иницијатива",
    "name_sr": "Пупин Иницијатива",
}
PEOPLE: list[dict] = [
    {"slug": "vuk-velebit", "name": "Vuk Velebit", "bio": ""},
    {"slug": "andrej-cvejanov", "name": "Andrej Cvejanov", "bio": ""},
    {"slug": "petar-ivic", "name": "Petar Ivić", "bio": ""},
    {"slug": "aleksa-jovanovic", "name": "Aleksa Jovanović", "bio": ""},
    {
        "slug": "mara-stojkovic",
        "name": "Mara Stojković",
        "bio": "Senior fellow in the Belgrade office; works on defense "
        "cooperation, arms control and EU enlargement in Southeast Europe.",
    },
    {
        "slug": "thomas-caldwell",
        "name": "Thomas Caldwell",
        "name_sr": "Томас Колдвел",
        "bio": "Fellow in the Washington office; works on NATO and on "
        "transatlantic policy towards the Western Balkans.",
    },
]

# How the seed brief is presented and linked. Status, publication time,
# summary, kind and language are set only when the loader first imports the
# brief; afterwards the editors own them. Links are only ever added.
SEED_BRIEF = {
    "kind": BriefKind.POLICY_BRIEF,
    "language": Language.ENGLISH,
    "published_at": datetime.datetime(
        2025, 5, 21, 9, 0, tzinfo=ZoneInfo("Europe/Belgrade")
    ),
    "summary": (
        "The brief compares two defence pacts signed in spring 2025, the "
        "Albania–Croatia–Kosovo declaration and the Serbia–Hungary cooperation "
        "plan, and weighs the military strength of each grouping. It argues "
        "that such exclusive blocs risk splitting the Western Balkans and "
        "straining EU and NATO cohesion, and calls for inclusive regional "
        "security arrangements that involve Serbia."
    ),
    "topics": [
        "regional-security",
        "military-alliances",
        "nato",
        "eu-enlargement",
        "western-balkans",
    ],
    # The actors the brief discusses; not the agreements' signatories, whom it
    # does not name.
    "actors": [
        "serbia",
        "hungary",
        "kosovo",
        "albania",
        "croatia",
        "bosnia-and-herzegovina",
        "montenegro",
        "north-macedonia",
        "bulgaria",
        "romania",
        "russia",
        "china",
        "france",
        "united-states",
        "nato",
        "eu",
        "kfor",
        "eufor",
        "osce",
        "un",
        "republika-srpska",
        "viktor-orban",
        "aleksandar-vucic",
        "milorad-dodik",
        "andrej-plenkovic",
        "john-bolton",
        "jens-stoltenberg",
    ],
    "agreements": [
        "albania-croatia-kosovo-defence-declaration-2025",
        "serbia-hungary-defense-cooperation-plan-2025",
    ],
    # (a word of the recommendation's title, policy area, addressees). The
    # addressees are the actors the recommendation's text itself calls on;
    # where it addresses "policymakers" or "leaders" in general, none.
    "recommendations": [
        ("history", PolicyArea.DIPLOMACY, []),
        ("parallel", PolicyArea.SECURITY, []),
        ("prisoner", PolicyArea.SECURITY, []),
        ("trust", PolicyArea.SECURITY, ["nato"]),
        # The forum it proposes would sit "under EU or OSCE auspices".
        ("inclusive", PolicyArea.SECURITY, ["eu", "osce"]),
        ("economic", PolicyArea.ECONOMY, ["united-states", "eu"]),
    ],
}
