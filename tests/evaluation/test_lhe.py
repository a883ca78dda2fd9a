"""The LHE: drafted from a final evaluation's answers, edited and issued by the inspectorate as
a signed PDF (checked with pdfsig and pdftotext), its recommendations followed up by the
evaluated party and shown to the next year's evaluation."""

from __future__ import annotations

import datetime
import io
import subprocess
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import Notice
from kinerja.documents.services import document_sign
from kinerja.evaluation import evidence, lhe, services
from kinerja.evaluation.models import LheRecommendation, LheReport
from tests.evaluation.test_sakip_services import assessed, criteria_of, worksheet  # noqa: F401
from tests.refusals import refused
from tests.signing import passphrase


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def final_evaluation(world, year=2021):  # type: ignore[no-untyped-def]
    """The government's evaluation: every criterion met except 1.a.1 (T) and the use
    criteria of component 3 (C), finalised by the inspectorate (the one default tier)."""
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=year, unit=None, by=inspector)

    def rule(c):  # type: ignore[no-untyped-def]
        if c.code == "1.a.1":
            return "T"
        if c.code.startswith("3.c."):
            return "C"
        return "Y" if c.answer_type == "yes_no" else "A"

    assessed(world, evaluation, rule)
    return services.evaluation_finalize(evaluation=evaluation, by=inspector)


def test_the_lhe_is_drafted_from_the_weak_criteria_and_only_by_the_inspectorate(
    world,
    worksheet,  # noqa: F811
):
    inspector = world.users["inspector"]
    draft_evaluation = services.evaluation_start(
        government=world.gov, year=2020, unit=None, by=inspector
    )
    with refused("lhe_needs_final"):
        lhe.lhe_draft(evaluation=draft_evaluation, by=inspector)
    evaluation = final_evaluation(world)
    for persona in ("planner", "operator_a", "mayor"):
        with pytest.raises(PermissionDenied):
            lhe.lhe_draft(evaluation=evaluation, by=world.users[persona])
    report = lhe.lhe_draft(evaluation=evaluation, by=inspector)
    with refused("lhe_exists"):
        lhe.lhe_draft(evaluation=evaluation, by=inspector)
    items = list(report.items.select_related("component"))
    # Components 1 and 3 are not fully met; 2 and 4 are, and get no recommendation.
    assert [i.component.number for i in items] == [1, 3]
    assert "1.a.1 (T)" in items[0].finding and "1.a.1" in items[0].recommendation
    assert "3.c.1 (C)" in items[1].finding
    assert f"{evaluation.score:.2f}".replace(".", ",") in report.summary


def test_the_issued_lhe_is_signed_and_holds_every_recommendation(world, worksheet, tmp_path):  # noqa: F811
    inspector = world.users["inspector"]
    evaluation = final_evaluation(world)
    report = lhe.lhe_draft(evaluation=evaluation, by=inspector)
    first = report.items.first()
    # Edited: a recommendation without text is refused; the inspectorate's wording is kept.
    with refused("lhe_item_empty"):
        lhe.lhe_save(
            report=report,
            summary="x",
            items=[{"component": None, "finding": "Ada temuan", "recommendation": ""}],
            by=inspector,
        )
    wording = [
        "Menetapkan pedoman teknis perencanaan kinerja dengan peraturan wali kota.",
        "Memanfaatkan laporan kinerja berkala untuk menyesuaikan kegiatan dan anggaran.",
        "Mempublikasikan LKjIP di laman resmi paling lambat 31 Maret.",
    ]
    lhe.lhe_save(
        report=report,
        summary="Nilai naik; perencanaan dan pemanfaatan laporan perlu diperkuat.",
        items=[
            {
                "component": first.component_id,
                "finding": first.finding,
                "recommendation": wording[0],
            },
            {
                "component": None,
                "finding": "Pemanfaatan laporan belum merata.",
                "recommendation": wording[1],
            },
            {"component": None, "finding": "", "recommendation": wording[2]},
            {"component": None, "finding": "", "recommendation": ""},  # dropped
        ],
        by=inspector,
    )
    assert list(report.items.values_list("recommendation", flat=True)) == wording
    with pytest.raises(PermissionDenied):
        lhe.lhe_issue(report=report, by=world.users["planner"])
    document = lhe.lhe_issue(report=report, by=inspector, on=datetime.date(2022, 6, 15))
    report.refresh_from_db()
    assert report.status == "issued" and report.document == document
    with refused("wrong_state"):
        lhe.lhe_save(report=report, summary="", items=[], by=inspector)
    document_sign(document=document, by=inspector, passphrase=passphrase(inspector))
    path = tmp_path / "lhe.pdf"
    with document.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    assert run("pdfsig", str(path)).count("Signature is Valid.") == 1
    text = " ".join(run("pdftotext", str(path), "-").split())
    for recommendation in wording:
        assert recommendation in text, recommendation
    assert "LAPORAN HASIL EVALUASI" in text and evaluation.grade in text
    # The same in Word, read back with python-docx, for the evaluation's readers only.
    word = world.client("planner").get(f"/evaluasi/sakip/{evaluation.pk}/lhe/word/")
    assert word["Content-Type"].endswith("wordprocessingml.document")
    paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    for recommendation in wording:
        assert f"Rekomendasi: {recommendation}" in paragraphs
    assert (
        world.client("other_gov").get(f"/evaluasi/sakip/{evaluation.pk}/lhe/word/").status_code
        == 404
    )
    # The evaluated party (the planners, for the government) is told.
    assert Notice.objects.filter(user=world.users["planner"], kind="follow_up").exists()
    # The signed LHE is offered as evidence to the next year's evaluation, dated by its year.
    following = services.evaluation_start(government=world.gov, year=2022, unit=None, by=inspector)
    (offered,) = [d for d in evidence.kinerja_documents(following) if d.kind == "lhe"]
    assert offered.year == 2021 and document.code in offered.url


def test_recommendations_are_followed_up_by_the_evaluated_and_read_next_year(world, worksheet):  # noqa: F811
    inspector, planner = world.users["inspector"], world.users["planner"]
    evaluation = final_evaluation(world)
    report = lhe.lhe_draft(evaluation=evaluation, by=inspector)
    item = report.items.first()
    # Not before it is issued, and never by the inspectorate or a unit.
    with pytest.raises(PermissionDenied):
        lhe.follow_up_save(item=item, status="done", follow_up="x", followed_on=None, by=planner)
    lhe.lhe_issue(report=report, by=inspector)
    for persona in ("inspector", "operator_a"):
        with pytest.raises(PermissionDenied):
            lhe.follow_up_save(
                item=item,
                status="in_progress",
                follow_up="",
                followed_on=None,
                by=world.users[persona],
            )
    with refused("follow_up_done"):
        lhe.follow_up_save(item=item, status="done", follow_up="", followed_on=None, by=planner)
    with refused("follow_up_date"):
        lhe.follow_up_save(
            item=item,
            status="done",
            follow_up="Perwali ditetapkan.",
            followed_on=datetime.date(2030, 1, 1),
            by=planner,
        )
    client = world.client("planner")
    url = f"/evaluasi/sakip/{evaluation.pk}/lhe/{item.pk}/tindak-lanjut/"
    # A file that is not what it says is refused by its content; the rest is kept.
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "sk.pdf"
    page = client.post(
        url,
        {
            "status": "done",
            "follow_up": "Perwali ditetapkan.",
            "followed_on": "2022-08-01",
            "file": fake,
        },
    )
    assert page.status_code == 400 and "Jenis berkas tidak diterima" in page.content.decode()
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "perwali.pdf"
    response = client.post(
        url,
        {
            "status": "done",
            "follow_up": "Perwali ditetapkan.",
            "followed_on": "2022-08-01",
            "file": pdf,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.followed_on, item.followed_by) == (
        LheRecommendation.Status.DONE,
        datetime.date(2022, 8, 1),
        planner,
    )
    assert item.evidence.year == 2022 and item.evidence.sha256
    assert world.client("operator_a").post(url, {"status": "open"}).status_code == 403
    # Shown to the unit... and to the next year's evaluation, with the follow-up.
    lhe_page = client.get(f"/evaluasi/sakip/{evaluation.pk}/lhe/").content.decode()
    assert "Perwali ditetapkan." in lhe_page and "Selesai" in lhe_page
    following = services.evaluation_start(government=world.gov, year=2022, unit=None, by=inspector)
    assert [r.pk for r in lhe.previous_recommendations(following)] == list(
        report.items.values_list("pk", flat=True)
    )
    page = world.client("inspector").get(f"/evaluasi/sakip/{following.pk}/").content.decode()
    assert 'id="previous-recommendations"' in page and "Perwali ditetapkan." in page
    # The open ones wait on the planners' list of work.
    from kinerja.dashboards.todo import todo_for

    assert [t.kind for t in todo_for(planner)].count("follow_up") == (
        1 if report.items.filter(status="open").exists() else 0
    )
    assert LheReport.objects.count() == 1 and Decimal(evaluation.score) > 0


def test_the_lhe_page_drafts_edits_and_issues_after_a_confirmation(world, worksheet):  # noqa: F811
    evaluation = final_evaluation(world)
    url = f"/evaluasi/sakip/{evaluation.pk}/lhe/"
    assert world.client("planner").post(url, {"action": "draft"}).status_code == 403
    inspector = world.client("inspector")
    assert inspector.post(url, {"action": "draft"}).status_code == 302
    report = LheReport.objects.get()
    page = inspector.get(url).content.decode()
    assert 'id="lhe-form"' in page and 'name="recommendation_1"' in page
    response = inspector.post(
        url,
        {
            "action": "save",
            "summary": "Simpulan baru",
            "component_1": "",
            "finding_1": "Temuan",
            "recommendation_1": "Rekomendasi satu",
        },
    )
    assert response.status_code == 302
    assert list(report.items.values_list("recommendation", flat=True)) == ["Rekomendasi satu"]
    preview = inspector.post(url, {"action": "issue"})
    assert (
        'name="confirm"' in preview.content.decode()
        and "Rekomendasi satu" in preview.content.decode()
    )
    report.refresh_from_db()
    assert report.status == "draft"
    response = inspector.post(url, {"action": "issue", "confirm": "yes"})
    report.refresh_from_db()
    assert report.status == "issued" and response.status_code == 302
    assert criteria_of(evaluation.worksheet)
