"""The SAKIP evaluation in stages: the unit's self-assessment, then the tiers of evaluators the
government configures, each change kept with its note, the final score the last tier's; and
the evidence of each criterion (files checked by content, Kinerja's own documents, a library
kept per year)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import Notice, Role
from kinerja.core.audit import AuditEvent
from kinerja.evaluation import evidence, selectors, services
from kinerja.evaluation.models import SakipAnswer, SakipAnswerChange, SakipEvaluation
from tests.conftest import make_user
from tests.evaluation.test_sakip_services import criteria_of, worksheet  # noqa: F401
from tests.refusals import refused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def tiers(world):  # type: ignore[no-untyped-def]
    """Three tiers: verifier, quality assurer, final assessor (the world's inspector)."""
    verifier = make_user(world.gov, "uji-verifikator", Role.INSPECTOR)
    assurer = make_user(world.gov, "uji-penjaminmutu", Role.INSPECTOR)
    world.users |= {"verifier": verifier, "assurer": assurer}
    services.tiers_save(
        government=world.gov,
        tiers=[
            ("Verifikator", [verifier.pk]),
            ("Penjamin mutu", [assurer.pk]),
            ("Penilai akhir", [world.users["inspector"].pk]),
        ],
        by=world.users["inspector"],
    )
    return world


def all_answers(worksheet, rule, note=""):  # type: ignore[no-untyped-def]  # noqa: F811
    return {c.pk: {"answer": rule(c), "note": note, "links": ""} for c in criteria_of(worksheet)}


def perfect(c):  # type: ignore[no-untyped-def]
    return "Y" if c.answer_type == "yes_no" else "A"


def test_each_tier_reviews_in_turn_and_the_final_score_is_the_last_tiers(tiers, worksheet):  # noqa: F811
    world = tiers
    u = world.users
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=u["inspector"]
    )
    assert evaluation.tier_names == ["Verifikator", "Penjamin mutu", "Penilai akhir"]
    assert evaluation.stage == 0
    # The unit was told its turn has come.
    assert Notice.objects.filter(user=u["operator_a"], kind="sakip_stage").exists()
    answers = all_answers(worksheet, perfect, "lengkap")
    services.answers_save(evaluation=evaluation, answers=answers, by=u["operator_a"])
    # Nobody of the tiers may act before the unit sends it.
    for persona in ("verifier", "assurer", "inspector"):
        with pytest.raises(PermissionDenied):
            services.answers_save(evaluation=evaluation, answers={}, by=u[persona])
    services.evaluation_submit(evaluation=evaluation, by=u["head_a"])
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.self_score) == (1, Decimal("100.0000"))
    assert Notice.objects.filter(user=u["verifier"], kind="sakip_stage").exists()

    # After sending, the unit cannot answer any more.
    first, second, *_ = criteria_of(worksheet)
    with pytest.raises(PermissionDenied):
        services.answers_save(
            evaluation=evaluation, answers={first.pk: {"answer": "T"}}, by=u["operator_a"]
        )
    # The verifier changes one answer: without a note it is refused, with one it is kept.
    with refused("sakip_change_needs_note"):
        services.answers_save(
            evaluation=evaluation, answers={first.pk: {"answer": "T"}}, by=u["verifier"]
        )
    services.answers_save(
        evaluation=evaluation,
        answers={first.pk: {"answer": "T", "note": "Pedoman belum ditetapkan."}},
        by=u["verifier"],
    )
    # A member of one tier cannot act in another's stage, nor pass it on.
    for persona in ("assurer", "inspector"):
        with pytest.raises(PermissionDenied):
            services.answers_save(
                evaluation=evaluation,
                answers={second.pk: {"answer": "T", "note": "x"}},
                by=u[persona],
            )
        with pytest.raises(PermissionDenied):
            services.evaluation_submit(evaluation=evaluation, by=u[persona])
    with refused("sakip_not_last_stage"):
        services.evaluation_finalize(evaluation=evaluation, by=u["verifier"])
    services.evaluation_submit(evaluation=evaluation, by=u["verifier"])
    with pytest.raises(PermissionDenied):
        services.answers_save(
            evaluation=evaluation,
            answers={second.pk: {"answer": "T", "note": "x"}},
            by=u["verifier"],
        )
    # The quality assurer starts from the verifier's answers and changes another one.
    evaluation.refresh_from_db()
    assert evaluation.answers.get(stage=2, criterion=first).answer == "T"
    services.answers_save(
        evaluation=evaluation,
        answers={second.pk: {"answer": "T", "note": "Tidak ada bukti dokumen."}},
        by=u["assurer"],
    )
    services.evaluation_submit(evaluation=evaluation, by=u["assurer"])
    # The final assessor restores the first answer, with a note, and finalises.
    services.answers_save(
        evaluation=evaluation,
        answers={first.pk: {"answer": "Y", "note": "Perwali pedoman diterima saat klarifikasi."}},
        by=u["inspector"],
    )
    final = services.evaluation_finalize(evaluation=evaluation, by=u["inspector"])

    # Every change kept, with its tier and note; every stage's answers kept.
    kept = [
        (c.stage, c.criterion_id, c.before, c.after, c.note)
        for c in SakipAnswerChange.objects.filter(evaluation=evaluation, stage__gt=0)
    ]
    assert kept == [
        (1, first.pk, "Y", "T", "Pedoman belum ditetapkan."),
        (2, second.pk, "Y", "T", "Tidak ada bukti dokumen."),
        (3, first.pk, "T", "Y", "Perwali pedoman diterima saat klarifikasi."),
    ]
    assert SakipAnswer.objects.filter(evaluation=evaluation).count() == 4 * len(
        criteria_of(worksheet)
    )
    # The final score is the last tier's: the same as scoring its answers by hand.
    last = selectors.evaluation_score(final, stage=3)
    assert final.score == last.total.quantize(Decimal("0.0001"))
    assert final.score < final.self_score
    assert selectors.evaluation_score(final, stage=2).total < last.total  # tier 2 had both T
    # The audit trail names each change.
    row = AuditEvent.objects.filter(action="evaluation.sakip_answers").order_by("pk").last()
    assert row.after["changes"][0]["note"] == "Perwali pedoman diterima saat klarifikasi."


def test_the_side_by_side_page_shows_both_answers_and_the_history(tiers, worksheet):  # noqa: F811
    world = tiers
    u = world.users
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=u["inspector"]
    )
    services.answers_save(
        evaluation=evaluation, answers=all_answers(worksheet, perfect), by=u["operator_a"]
    )
    services.evaluation_submit(evaluation=evaluation, by=u["operator_a"])
    first = criteria_of(worksheet)[0]
    url = f"/evaluasi/sakip/{evaluation.pk}/"
    # Through the page: the change without a note is refused and the form keeps the input.
    page = world.client("verifier").post(url, {f"answer_{first.pk}": "T", f"note_{first.pk}": ""})
    assert page.status_code == 200 and "tulis catatan alasannya" in page.content.decode()
    response = world.client("verifier").post(
        url, {f"answer_{first.pk}": "T", f"note_{first.pk}": "Belum ada SK."}
    )
    assert response.status_code == 302
    html = world.client("operator_a").get(url).content.decode()
    row = html.split(f'id="k{first.pk}"')[1].split("</tr>")[0]
    assert 'class="self-answer"' in row and "<strong>Y</strong>" in row  # self-assessed
    assert "<strong>T</strong>" in row and "diubah dari Y" in row  # the verifier's
    assert "Belum ada SK." in row and "Verifikator" in row  # the history with its note
    assert 'aria-current="step"' in html and "Verifikator" in html
    # Passing on asks first.
    preview = world.client("verifier").post(f"{url}kirim/")
    assert 'name="confirm"' in preview.content.decode()
    assert SakipEvaluation.objects.get(pk=evaluation.pk).stage == 1
    world.client("verifier").post(f"{url}kirim/", {"confirm": "yes"})
    assert SakipEvaluation.objects.get(pk=evaluation.pk).stage == 2
    assert world.client("operator_a").post(f"{url}kirim/", {"confirm": "yes"}).status_code == 403


def test_tiers_are_configured_with_one_seat_each(tiers):
    world = tiers
    u = world.users
    with refused("tier_member_twice"):
        services.tiers_save(
            government=world.gov,
            tiers=[("A", [u["verifier"].pk]), ("B", [u["verifier"].pk])],
            by=u["inspector"],
        )
    with refused("tier_no_member"):
        services.tiers_save(government=world.gov, tiers=[("A", [])], by=u["inspector"])
    with refused("tiers_count"):
        services.tiers_save(government=world.gov, tiers=[], by=u["inspector"])
    with pytest.raises(PermissionDenied):  # only the inspectorate evaluates
        services.tiers_save(
            government=world.gov, tiers=[("A", [u["operator_a"].pk])], by=u["inspector"]
        )
    for persona in ("operator_a", "mayor"):
        with pytest.raises(PermissionDenied):
            services.tiers_save(
                government=world.gov, tiers=[("A", [u["inspector"].pk])], by=u[persona]
            )
    # The page: planners and the inspectorate set it; others only read.
    page = world.client("inspector").get("/evaluasi/sakip/tingkat/").content.decode()
    assert 'value="Penjamin mutu"' in page
    assert world.client("operator_a").post("/evaluasi/sakip/tingkat/", {}).status_code == 403
    response = world.client("planner").post(
        "/evaluasi/sakip/tingkat/",
        {"name_1": "Penilai tunggal", "members_1": [str(u["inspector"].pk)]},
    )
    assert response.status_code == 302
    assert [t.name for t in services.access.tiers_of(world.gov.pk)] == ["Penilai tunggal"]


def test_a_tier_an_open_evaluation_needs_is_kept(tiers, worksheet):  # noqa: F811
    world = tiers
    u = world.users
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=u["inspector"]
    )
    SakipEvaluation.objects.filter(pk=evaluation.pk).update(stage=3)
    with refused("tier_in_use"):
        services.tiers_save(
            government=world.gov, tiers=[("Satu", [u["inspector"].pk])], by=u["inspector"]
        )


def test_evidence_files_are_checked_and_kept_for_the_next_year(tiers, worksheet):  # noqa: F811
    world = tiers
    u = world.users
    operator = u["operator_a"]
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=u["inspector"]
    )
    first, second, *_ = criteria_of(worksheet)
    url = f"/evaluasi/sakip/{evaluation.pk}/kriteria/{first.pk}/bukti/"
    client = world.client("operator_a")
    # A text file named .pdf is refused by its content; nothing kept.
    fake = io.BytesIO(b"bukan pdf")
    fake.name = "bukti.pdf"
    page = client.post(
        url, {"action": "upload", "file": fake, "kind": "rpjmd", "title": "", "year": "2021"}
    )
    assert page.status_code == 400 and "Jenis berkas tidak diterima" in page.content.decode()
    assert not evaluation.evidence.exists()
    # A PDF and a Word document are kept, typed and dated.
    real = io.BytesIO(PDF)
    real.name = "rpjmd.pdf"
    response = client.post(
        url, {"action": "upload", "file": real, "kind": "rpjmd", "title": "RPJMD", "year": "2019"}
    )
    assert response.status_code == 302
    word = evidence.evidence_upload(
        evaluation=evaluation,
        criterion_id=second.pk,
        data=docx_bytes(),
        filename="sk.docx",
        kind="sk",
        title="SK tim SAKIP",
        year=2021,
        by=operator,
    )
    assert word.document.content_type.endswith("wordprocessingml.document")
    # Kinerja's own LKjIP picked from the list.
    (lkjip,) = [d for d in evidence.kinerja_documents(evaluation) if d.kind == "lkjip"]
    assert client.post(url, {"action": "pick", "key": lkjip.key}).status_code == 302
    assert evaluation.evidence.filter(criterion=first).count() == 2
    # Another unit's operator, the planners, a stranger: refused; the file is not theirs.
    pdf_doc = evaluation.evidence.get(criterion=first, document__kind="rpjmd").document
    assert world.client("operator_b").get(url).status_code == 403
    assert world.client("operator_b").get(f"/evaluasi/sakip/bukti/{pdf_doc.pk}/").status_code == 404
    assert world.client("other_gov").get(f"/evaluasi/sakip/bukti/{pdf_doc.pk}/").status_code == 404
    download = world.client("inspector").get(f"/evaluasi/sakip/bukti/{pdf_doc.pk}/")
    assert download.content == PDF and download["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(PermissionDenied):
        evidence.evidence_pick(
            evaluation=evaluation, criterion_id=first.pk, key=lkjip.key, by=u["operator_b"]
        )
    # The next year's evaluation finds the library: the RPJMD of 2019 is offered again.
    services.answers_save(
        evaluation=evaluation, answers=all_answers(worksheet, perfect), by=operator
    )
    services.evaluation_submit(evaluation=evaluation, by=operator)
    with pytest.raises(PermissionDenied):  # sent: the unit adds no more evidence
        evidence.evidence_pick(
            evaluation=evaluation, criterion_id=first.pk, key=f"lib:{pdf_doc.pk}", by=operator
        )
    following = services.evaluation_start(
        government=world.gov, year=2022, unit=world.unit_a, by=u["inspector"]
    )
    page = client.get(f"/evaluasi/sakip/{following.pk}/kriteria/{first.pk}/bukti/")
    assert f'value="lib:{pdf_doc.pk}"' in page.content.decode()
    evidence.evidence_pick(
        evaluation=following, criterion_id=first.pk, key=f"lib:{pdf_doc.pk}", by=operator
    )
    assert following.evidence.get().document == pdf_doc


def test_qualifiers_lift_a_fully_met_sub_component_under_the_predicate_method(tiers):
    import json

    from kinerja.evaluation.models import SakipSubComponent
    from tests.evaluation.test_sakip_services import WORKSHEET

    world = tiers
    u = world.users
    data = json.loads(WORKSHEET.read_text(encoding="utf-8")) | {"scoring_method": "predicate"}
    sheet = services.worksheet_load(government=world.gov, data=data, by=u["planner"])
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=None, by=u["inspector"]
    )
    assert evaluation.worksheet == sheet
    services.answers_save(
        evaluation=evaluation, answers=all_answers(sheet, perfect), by=u["planner"]
    )
    # Everything met: every sub-component BB, worth 80 % of its points.
    assert selectors.evaluation_score(evaluation).total == Decimal("80")
    services.evaluation_submit(evaluation=evaluation, by=u["planner"])
    fulfilment = SakipSubComponent.objects.get(
        component__worksheet=sheet, component__number=1, number=1
    )
    # The verifier records "documents kept five years" on 1.a: AA, 100 % of its 30 × 20 %
    # = 6 points instead of 4,8: 81,2 in all.
    services.answers_save(
        evaluation=evaluation, answers={}, qualifiers={fulfilment.pk: "AA"}, by=u["verifier"]
    )
    evaluation.refresh_from_db()
    result = selectors.evaluation_score(evaluation)
    assert result.predicates[fulfilment.pk] == "AA" and result.total == Decimal("81.2")
    with refused("qualifier_value"):
        services.answers_save(
            evaluation=evaluation, answers={}, qualifiers={fulfilment.pk: "B"}, by=u["verifier"]
        )
    # Passed on, the next tier starts from it; the self-assessment keeps its own (none).
    services.evaluation_submit(evaluation=evaluation, by=u["verifier"])
    evaluation.refresh_from_db()
    assert selectors.evaluation_score(evaluation).total == Decimal("81.2")
    assert selectors.evaluation_score(evaluation, stage=0).total == Decimal("80")


def test_a_qualifier_is_refused_under_the_mean_method(tiers, worksheet):  # noqa: F811
    world = tiers
    u = world.users
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=None, by=u["inspector"]
    )
    sub = worksheet.components.first().subcomponents.first()
    with refused("qualifier_method"):
        services.answers_save(
            evaluation=evaluation, answers={}, qualifiers={sub.pk: "AA"}, by=u["planner"]
        )
