import datetime

import pytest
from django.db import IntegrityError, transaction

from actors.models import Actor, ActorKind, Indicator, Membership, Metric
from tests import factories


@pytest.fixture
def nato():
    return factories.make_actor(name="NATO", slug="nato", kind=ActorKind.ORGANIZATION)


@pytest.mark.django_db
def test_members_on_a_date_is_one_query(nato, django_assert_num_queries):
    croatia = factories.make_actor(name="Croatia")
    hungary = factories.make_actor(name="Hungary")
    france = factories.make_actor(name="France")
    factories.make_membership(croatia, nato, since=datetime.date(2009, 4, 1))
    factories.make_membership(hungary, nato, since=datetime.date(1999, 3, 12))
    factories.make_membership(
        france, nato, since=datetime.date(1949, 8, 24), until=datetime.date(1966, 7, 1)
    )
    with django_assert_num_queries(1):
        in_2005 = set(Actor.objects.members_of(nato, on=datetime.date(2005, 1, 1)))
    assert in_2005 == {hungary}
    assert set(Actor.objects.members_of(nato, on=datetime.date(2009, 4, 1))) == {
        croatia,
        hungary,
    }
    assert set(Actor.objects.members_of(nato, on=datetime.date(1960, 1, 1))) == {france}


@pytest.mark.django_db
def test_membership_ending_day_is_exclusive(nato):
    member = factories.make_actor()
    factories.make_membership(
        member, nato, since=datetime.date(2000, 1, 1), until=datetime.date(2010, 1, 1)
    )
    assert not Membership.objects.of(nato).active_on(datetime.date(2010, 1, 1)).exists()
    assert Membership.objects.of(nato).active_on(datetime.date(2009, 12, 31)).exists()


@pytest.mark.django_db
def test_membership_cannot_end_before_it_starts(nato):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_membership(
            factories.make_actor(),
            nato,
            since=datetime.date(2010, 1, 1),
            until=datetime.date(2009, 1, 1),
        )


@pytest.mark.django_db
def test_actor_cannot_be_member_of_itself(nato):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_membership(nato, nato)


@pytest.mark.django_db
def test_actor_slugs_and_country_codes_are_unique():
    factories.make_actor(slug="serbia", iso_code="RS")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_actor(slug="serbia")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_actor(iso_code="RS")
    # Blank codes ("none applies") may repeat.
    factories.make_actor(iso_code="")
    factories.make_actor(iso_code="")


@pytest.mark.django_db
def test_country_code_must_be_two_capitals():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_actor(iso_code="xk")


@pytest.mark.django_db
def test_agreements_with_all_parties_requires_every_party():
    serbia, hungary, croatia = (factories.make_actor() for _ in range(3))
    plan = factories.make_agreement(parties=[serbia, hungary])
    factories.make_agreement(parties=[croatia, hungary])
    assert list(factories.Agreement.objects.with_all_parties([serbia, hungary])) == [
        plan
    ]
    assert set(factories.Agreement.objects.with_all_parties([hungary])) == set(
        factories.Agreement.objects.all()
    )


@pytest.mark.django_db
def test_agreement_party_is_unique_per_agreement():
    serbia = factories.make_actor()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_agreement(parties=[serbia, serbia])


@pytest.mark.django_db
def test_unknown_indicator_stays_unknown():
    actor = factories.make_actor()
    unknown = Indicator.objects.create(
        actor=actor, metric=Metric.ROCKET_LAUNCHERS, value=None, source="Brief"
    )
    assert not unknown.is_known
    assert unknown.display_value == "unknown"


@pytest.mark.django_db
def test_indicator_range_must_be_ordered():
    actor = factories.make_actor()
    tanks = Indicator.objects.create(
        actor=actor,
        metric=Metric.MAIN_BATTLE_TANKS,
        value=250,
        value_max=300,
        unit="tanks",
        source="Brief",
    )
    assert tanks.display_value == "250–300 tanks"
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            actor=actor,
            metric=Metric.MAIN_BATTLE_TANKS,
            value=300,
            value_max=250,
            source="Other",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            actor=actor, metric=Metric.ACTIVE_TROOPS, value_max=10, source="Other"
        )
