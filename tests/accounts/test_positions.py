"""Who held a position on a date: definitive holders, Plt and Plh, handovers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kinerja.accounts.models import Person, Position, PositionAssignment
from kinerja.accounts.services import position_assign
from kinerja.core.models import AuditEvent
from tests.conftest import World

D = datetime.date


@pytest.fixture
def position(world: World) -> Position:
    return Position.objects.create(
        government=world.gov, kind=Position.Kind.HEAD_OF_REGION, title="Wali Kota Uji"
    )


def person(world: World, name: str) -> Person:
    return Person.objects.create(government=world.gov, name=name)


def test_head_of_region_on_a_date_with_a_handover(world: World, position):
    first, second = person(world, "Wali Kota Pertama"), person(world, "Wali Kota Kedua")
    position_assign(position=position, person=first, start=D(2013, 9, 1), by=world.users["planner"])
    position_assign(
        position=position, person=second, start=D(2018, 9, 24), by=world.users["planner"]
    )
    assert world.gov.head_of_region(D(2018, 9, 23)).person == first
    assert world.gov.head_of_region(D(2018, 9, 24)).person == second
    assert world.gov.head_of_region(D(2013, 8, 31)) is None
    # The handover closed the first assignment the day before, and both moves are audited.
    assert PositionAssignment.objects.get(person=first).end == D(2018, 9, 23)
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("id")) == [
        "position.assign",
        "position.end",
        "position.assign",
    ]


def test_acting_head_while_the_post_is_vacant_and_definitive_wins(world: World):
    pos = world.unit_a.positions.get()
    holder = pos.assignments.get()
    holder.end = D(2021, 3, 31)
    holder.save()
    plt = person(world, "Pelaksana Tugas")
    position_assign(position=pos, person=plt, start=D(2021, 4, 1), acting="plt", by=None)
    on = world.unit_a.head(D(2021, 6, 1))
    assert on.person == plt and str(on).startswith("Plt. ")
    # A Plh for a week while a definitive head is in office does not displace them.
    new_head = person(world, "Kepala Definitif")
    position_assign(position=pos, person=new_head, start=D(2022, 1, 3), by=None)
    position_assign(
        position=pos, person=plt, start=D(2022, 5, 1), end=D(2022, 5, 7), acting="plh", by=None
    )
    assert world.unit_a.head(D(2022, 5, 3)).person == new_head


def test_assignment_cannot_end_before_it_starts(world: World, position):
    with pytest.raises(ValidationError):
        position_assign(
            position=position,
            person=person(world, "X"),
            start=D(2020, 1, 2),
            end=D(2020, 1, 1),
            by=None,
        )


def test_person_of_another_government_cannot_hold_the_position(world: World, position):
    outsider = Person.objects.create(government=world.other_gov, name="Orang luar")
    with pytest.raises(ValidationError):
        position_assign(position=position, person=outsider, start=D(2020, 1, 1), by=None)
