"""The one mechanism every status change goes through (kinerja/core/workflow.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from kinerja.core.models import AuditEvent
from kinerja.core.workflow import WRONG_STATE, Transition, Workflow
from kinerja.planning.models import PlanImport


@pytest.fixture
def plan_import(world):
    return PlanImport.objects.create(
        government=world.gov,
        term=world.term,
        uploaded_by=world.users["planner"],
        filename="rencana.xlsx",
        content=b"",
        status=PlanImport.Status.APPLIED,
    )


def test_a_declaration_naming_an_unknown_state_fails_at_once():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(states=[("a", "A")], transitions={"go": Transition(("a",), "b", "pergi")})


def test_a_wrong_state_is_refused_with_a_code_and_words_in_the_readers_language(world, plan_import):
    for language, words in (
        ("id", "Tidak dapat menolak impor: impor matriks rencana berstatus “Disimpan”"),
        ("en", "Cannot reject the import: the plan workbook import is “Saved”"),
    ):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            PlanImport.WORKFLOW.check(plan_import, "reject")
        assert caught.value.code == WRONG_STATE
        assert words in caught.value.messages[0]
    assert not PlanImport.WORKFLOW.can(plan_import, "reject")


def test_a_hint_replaces_the_general_refusal_for_its_state(world, plan_import):
    with pytest.raises(ValidationError) as caught:
        PlanImport.WORKFLOW.check(plan_import, "apply")
    assert caught.value.code == WRONG_STATE
    assert "sudah diproses" in caught.value.messages[0]


def test_apply_sets_the_state_and_changes_saves_them_and_writes_the_audit_row(world, plan_import):
    plan_import.status = PlanImport.Status.PREVIEWED
    plan_import.save()
    PlanImport.WORKFLOW.apply(
        plan_import,
        "reject",
        by=world.users["planner"],
        action="plan_import.reject",
        changes={"errors": [{"row": 1}]},
    )
    plan_import.refresh_from_db()
    assert (plan_import.status, plan_import.errors) == ("rejected", [{"row": 1}])
    row = AuditEvent.objects.get(action="plan_import.reject")
    assert (row.before["status"], row.after["status"]) == ("previewed", "rejected")
    assert row.actor == world.users["planner"]


def test_templates_compare_states_through_the_workflow_and_refuse_unknown_names(world, plan_import):
    render = lambda text: Template("{% load kinerja %}" + text).render(Context({"i": plan_import}))  # noqa: E731
    assert render('{% if i|is_state:"applied rejected" %}yes{% endif %}') == "yes"
    assert render('{% if i|can:"apply" %}yes{% else %}no{% endif %}') == "no"
    for typo in ('{{ i|is_state:"aplied" }}', '{{ i|can:"aply" }}'):
        with pytest.raises(TemplateSyntaxError):
            render(typo)
