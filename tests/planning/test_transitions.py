"""The plan workbook import's workflow: previewed → saved or rejected, once; each audited."""

from kinerja.core.models import AuditEvent
from kinerja.planning.excel import export_plan_matrix, plan_import_confirm, plan_import_upload
from kinerja.planning.models import PlanImport
from tests.refusals import audited, refused_for_state


def test_an_import_is_saved_once(world):
    planner = world.users["planner"]
    upload = plan_import_upload(
        term=world.term,
        filename="rencana.xlsx",
        content=export_plan_matrix(world.term),
        by=planner,
    )
    assert upload.status == PlanImport.Status.PREVIEWED
    assert AuditEvent.objects.filter(action="plan_import.upload", object_id=str(upload.pk)).exists()
    result = audited(
        "plan_import.apply", upload, lambda: plan_import_confirm(plan_import=upload, by=planner)
    )
    assert result.ok
    upload.refresh_from_db()
    assert upload.status == PlanImport.Status.APPLIED
    with refused_for_state():
        plan_import_confirm(plan_import=upload, by=planner)
