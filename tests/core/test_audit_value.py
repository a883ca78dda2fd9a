"""The audit trail read by people: no Python dicts on the history pages."""

from decimal import Decimal

from django.utils import translation

from kinerja.core.templatetags.kinerja import audit_value
from kinerja.planning.services import indicator_targets_set


def test_values_of_the_trail_read_the_indonesian_way():
    with translation.override("id"):
        assert (
            audit_value({"2019": "96.1", "2020": "1500000.25"}) == "2019: 96,1; 2020: 1.500.000,25"
        )
        assert audit_value([["A", "80"], ["B", "70.5"]]) == "A 80, B 70,5"
        assert audit_value(2019) == "2019"  # a year is never "2.019"
        assert audit_value(True) == "Ya" and audit_value(None) == "–" and audit_value({}) == "–"
    with translation.override("en"):
        assert audit_value(False) == "No"


def test_the_history_page_shows_targets_as_year_and_value(world):
    indicator_targets_set(
        indicator=world.indicator_a,
        targets={2019: (Decimal("96.1"), None)},
        by=world.users["planner"],
    )
    page = world.client("planner").get(f"/riwayat/indicator/{world.indicator_a.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "2019: 96,1" in body
    assert "{&#x27;" not in body and "{'" not in body
