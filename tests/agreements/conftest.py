import datetime

import pytest

from kinerja.accounts.models import Position, PositionAssignment
from kinerja.agreements.models import BudgetApproval


@pytest.fixture
def region(world):
    """The mayor holds the head of region's office; the 2019 budget was approved in late 2018."""
    office = Position.objects.create(
        government=world.gov, kind="head_of_region", title="Wali Kota Uji"
    )
    PositionAssignment.objects.create(
        position=office, person=world.users["mayor"].person, start=datetime.date(2018, 9, 24)
    )
    BudgetApproval.objects.create(
        government=world.gov, year=2019, approved_on=datetime.date(2018, 12, 20)
    )
    return office
