"""Plan writes: validated, refused for the wrong user, and audited with before and after."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditEvent
from kinerja.planning.models import Indicator, Objective
from kinerja.planning.services import indicator_targets_set, plan_object_save
from tests.conftest import World


def test_update_writes_one_audit_row_with_before_and_after(world: World):
    ind = world.indicator_a
    ind.baseline_value = Decimal("12.75")
    plan_object_save(obj=ind, by=world.users["operator_a"])
    event = AuditEvent.objects.get(action="indicator.update", object_id=str(ind.pk))
    assert event.actor == world.users["operator_a"]
    assert event.government == world.gov
    assert ("baseline_value", "10.5", "12.75") in event.changes()


def test_saving_without_changes_writes_no_audit_row(world: World):
    before = AuditEvent.objects.count()
    plan_object_save(obj=world.indicator_a, by=world.users["planner"])
    assert AuditEvent.objects.count() == before


def test_create_is_audited(world: World):
    obj = Objective(
        term=world.term, unit=world.unit_a, serves=world.objective, code="S1.A2", title="Baru"
    )
    plan_object_save(obj=obj, by=world.users["head_a"])
    event = AuditEvent.objects.get(action="objective.create")
    assert event.before is None
    assert event.after["code"] == "S1.A2"
    assert event.after["government_id"] == world.gov.pk


def test_targets_are_audited_per_year(world: World):
    indicator_targets_set(
        indicator=world.indicator_a,
        targets={2019: (Decimal("11.5"), None), 2023: None},
        by=world.users["planner"],
    )
    event = AuditEvent.objects.get(action="indicator.targets")
    assert event.before["targets"]["2019"] == "11"
    assert event.after["targets"]["2019"] == "11.5"
    assert "2023" in event.before["targets"] and "2023" not in event.after["targets"]
    assert not world.indicator_a.targets.filter(year=2023).exists()


@pytest.mark.parametrize("persona", ["operator_b", "mayor", "panel", "inspector"])
def test_another_units_indicator_is_refused(world: World, persona):
    ind = Indicator.objects.get(pk=world.indicator_a.pk)
    ind.name = "diubah"
    with pytest.raises(PermissionDenied):
        plan_object_save(obj=ind, by=world.users[persona])
    with pytest.raises(PermissionDenied):
        indicator_targets_set(
            indicator=ind, targets={2019: (Decimal(1), None)}, by=world.users[persona]
        )
    assert Indicator.objects.get(pk=ind.pk).name != "diubah"
    assert not AuditEvent.objects.exists()


def test_a_unit_cannot_move_its_indicator_into_another_units_objective(world: World):
    ind = Indicator.objects.get(pk=world.indicator_a.pk)
    ind.objective = world.objective_b
    with pytest.raises(PermissionDenied):
        plan_object_save(obj=ind, by=world.users["operator_a"])


def test_government_indicator_is_for_planners_even_if_a_unit_is_responsible(world: World):
    ind = Indicator.objects.get(pk=world.gov_indicator.pk)
    assert ind.responsible_unit == world.unit_a
    ind.name = "diubah"
    with pytest.raises(PermissionDenied):
        plan_object_save(obj=ind, by=world.users["head_a"])
    plan_object_save(obj=ind, by=world.users["planner"])


def test_reference_to_another_government_is_refused(world: World):
    obj = Objective(
        term=world.term, unit=world.other_unit, serves=world.objective, code="X", title="X"
    )
    with pytest.raises(PermissionDenied):
        plan_object_save(obj=obj, by=world.users["planner"])


def test_model_rules_are_checked(world: World):
    obj = Objective(term=world.term, unit=world.unit_a, code="S1.A9", title="Tanpa induk")
    with pytest.raises(ValidationError):
        plan_object_save(obj=obj, by=world.users["planner"])
    assert not AuditEvent.objects.exists()
