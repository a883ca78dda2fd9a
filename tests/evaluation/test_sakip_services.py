"""The SAKIP worksheet as data, evaluations, answers and their finalisation, refusals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.evaluation import selectors, services
from kinerja.evaluation.models import (
    SakipAnswer,
    SakipComponent,
    SakipCriterion,
    SakipEvaluation,
    SakipWorksheet,
)
from tests.refusals import refused

WORKSHEET = (
    Path(__file__).resolve().parents[2] / "kinerja/evaluation/data/lke-permenpanrb-88-2021.json"
)


@pytest.fixture
def worksheet(world):  # type: ignore[no-untyped-def]
    return services.worksheet_load(
        government=world.gov, data=WORKSHEET.read_bytes(), by=world.users["planner"]
    )


def criteria_of(worksheet: SakipWorksheet) -> list[SakipCriterion]:
    return list(
        SakipCriterion.objects.filter(subcomponent__component__worksheet=worksheet).select_related(
            "subcomponent"
        )
    )


def assessor(world, evaluation):  # type: ignore[no-untyped-def]
    """Who assesses the evaluated party itself: the planners for the government, the unit's
    operator for unit A."""
    return world.users["planner" if evaluation.unit_id is None else "operator_a"]


def answer_all(world, evaluation, rule) -> None:  # type: ignore[no-untyped-def]
    """Answer every criterion by `rule`, as whoever's turn it is (the self-assessment, or the
    one tier of a government that configured none: the inspectorate), a note on each."""
    evaluation.refresh_from_db()
    by = assessor(world, evaluation) if evaluation.stage == 0 else world.users["inspector"]
    services.answers_save(
        evaluation=evaluation,
        answers={
            c.pk: {
                "answer": rule(c),
                "note": "dinilai dari bukti",
                "links": "https://contoh.go.id/bukti.pdf",
            }
            for c in criteria_of(evaluation.worksheet)
        },
        by=by,
    )


def assessed(world, evaluation, rule):  # type: ignore[no-untyped-def]
    """The self-assessment answered by `rule` and sent on: the evaluators' turn."""
    answer_all(world, evaluation, rule)
    return services.evaluation_submit(evaluation=evaluation, by=assessor(world, evaluation))


# The official worksheet of PermenPAN-RB 88/2021, per sub-component: the answer type of each
# criterion in order (Y: Ya/Tidak, A: A–E), as the regulation's attachment is quoted by the
# public implementations we reconciled (docs/sakip-worksheet.md).
OFFICIAL = {
    "1.a": "YYYYYY",
    "1.b": "YYAAAAAAAAA",
    "1.c": "AAAAAAAA",
    "2.a": "YYY",
    "2.b": "AAAYAYY",
    "2.c": "AAAAAAAAAA",
    "3.a": "YYYYYY",
    "3.b": "AAAAAAAAA",
    "3.c": "AAAAAAA",
    "4.a": "YYY",
    "4.b": "AAAAA",
    "4.c": "AAAAA",
}


def test_the_shipped_worksheet_is_the_official_one(world, worksheet):
    tree = selectors.worksheet_tree(worksheet)
    shape = {}
    points = {}
    for c in tree.components.all():
        for s in c.subcomponents.all():
            key = f"{c.number}.{'abc'[s.number - 1]}"
            shape[key] = "".join(
                "Y" if k.answer_type == "yes_no" else "A" for k in s.criteria.all()
            )
            points[key] = c.weight * s.weight / 100
    assert shape == OFFICIAL
    assert sum(len(v) for v in OFFICIAL.values()) == 80
    # Points per sub-component: 6/9/15, 6/9/15, 3/4,5/7,5, 5/7,5/12,5.
    assert [points[k] for k in sorted(points)] == [
        Decimal(x) for x in ("6", "9", "15", "6", "9", "15", "3", "4.5", "7.5", "5", "7.5", "12.5")
    ]
    assert worksheet.scoring_method == "mean"  # the regulation's arithmetic
    first = tree.components.get(number=1).subcomponents.get(number=1).criteria.first()
    assert first.text == "Terdapat pedoman teknis perencanaan kinerja."


def test_the_regulation_worksheet_loads_as_data(world, worksheet):
    data = json.loads(WORKSHEET.read_text(encoding="utf-8"))
    components = list(SakipComponent.objects.filter(worksheet=worksheet))
    assert [c.weight for c in components] == [30, 30, 15, 25]
    assert [c.name for c in components] == [c["name"] for c in data["components"]]
    subs = [
        s
        for c in selectors.worksheet_tree(worksheet).components.all()
        for s in c.subcomponents.all()
    ]
    assert [(s.kind, s.weight) for s in subs[:3]] == [
        ("fulfilment", 20),
        ("quality", 30),
        ("use", 50),
    ]
    expected = sum(len(s["criteria"]) for c in data["components"] for s in c["subcomponents"])
    assert len(criteria_of(worksheet)) == expected
    # Export reads back what was loaded.
    exported = services.worksheet_export(worksheet)
    assert [len(s["criteria"]) for c in exported["components"] for s in c["subcomponents"]] == [
        len(s["criteria"]) for c in data["components"] for s in c["subcomponents"]
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["components"][0].update(weight="35"), "weights_not_100"),
        (lambda d: d["components"][1]["subcomponents"][0].update(weight="25"), "weights_not_100"),
        (
            lambda d: d["components"][0]["subcomponents"][0]["criteria"][0].update(answer_type="x"),
            "subkomponen_kriteria_teks_kosong",
        ),
        (lambda d: d.update(format="lain"), "format_lembar_kerja_worksheet"),
        (
            lambda d: d.update(grade_bounds=[["A", "80"], ["A", "70"]]),
            "predikat_tidak_boleh_berulang",
        ),
        (lambda d: d.update(grade_bounds=[["A", "180"]]), "batas_predikat_melebihi"),
    ],
)
def test_a_bad_worksheet_is_refused_whole(world, change, code):
    data = json.loads(WORKSHEET.read_text(encoding="utf-8"))
    change(data)
    with refused(code):
        services.worksheet_load(
            government=world.gov, data=json.dumps(data), by=world.users["planner"]
        )
    assert not SakipWorksheet.objects.exists() and not SakipCriterion.objects.exists()
    with refused("berkas_bukan_json_sah"):
        services.worksheet_load(
            government=world.gov, data=b"\xff not json", by=world.users["planner"]
        )


def test_evaluation_score_and_grade_by_hand(world, worksheet):
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    # Every Ya/Tidak criterion Yes (1), quality's A–E criteria all A (1), use all C (0,5): each
    # component earns 20% × 1 + 30% × 1 + 50% × 0,5 = 75% of its weight → 75.
    kinds = {"fulfilment": "A", "quality": "A", "use": "C"}
    assessed(
        world,
        evaluation,
        lambda c: "Y" if c.answer_type == "yes_no" else kinds[c.subcomponent.kind],
    )
    evaluation = services.evaluation_finalize(evaluation=evaluation, by=inspector)
    assert evaluation.score == Decimal("75") and evaluation.self_score == Decimal("75")
    assert evaluation.grade == "BB"
    assert evaluation.status == "final"
    # The next year, everything fulfilled: 100, AA; compared with the year before.
    second = services.evaluation_start(government=world.gov, year=2022, unit=None, by=inspector)
    assessed(world, second, lambda c: "Y" if c.answer_type == "yes_no" else "A")
    services.evaluation_finalize(evaluation=second, by=inspector)
    (latest, earlier) = selectors.government_grades(world.gov)
    assert (latest.year, latest.evaluation.grade, latest.previous.grade) == (2022, "AA", "BB")
    assert latest.change == Decimal("25")
    assert earlier.previous is None


def test_evaluation_refusals(world, worksheet):
    inspector, operator = world.users["inspector"], world.users["operator_a"]
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=inspector
    )
    with refused("evaluasi_tahun_perangkat_daerah"):
        services.evaluation_start(government=world.gov, year=2021, unit=world.unit_a, by=inspector)
    for persona in ("planner", "head_a", "operator_a", "mayor"):
        with pytest.raises(PermissionDenied):
            services.evaluation_start(
                government=world.gov, year=2022, unit=None, by=world.users[persona]
            )
    # The self-assessment is the unit's: not the planners', the mayor's, another unit's, nor
    # yet the inspectorate's.
    for persona in ("planner", "mayor", "operator_b", "inspector"):
        with pytest.raises(PermissionDenied):
            services.answers_save(evaluation=evaluation, answers={}, by=world.users[persona])
    with pytest.raises(PermissionDenied):
        services.evaluation_start(
            government=world.gov, year=2022, unit=world.other_unit, by=inspector
        )
    # Incomplete: refused, with how many are answered.
    first = criteria_of(worksheet)[0]
    services.answers_save(evaluation=evaluation, answers={first.pk: {"answer": "Y"}}, by=operator)
    with refused("baru_kriteria_dijawab_jawab"):
        services.evaluation_submit(evaluation=evaluation, by=operator)
    # A wrong answer for the type and a dangerous link are refused; nothing of it is saved.
    a_to_e = next(c for c in criteria_of(worksheet) if c.answer_type == "a_e")
    with pytest.raises(ValidationError):
        services.answers_save(
            evaluation=evaluation,
            answers={a_to_e.pk: {"answer": "Y"}, first.pk: {"answer": "T"}},
            by=operator,
        )
    with refused("tautan_bukti_tidak_sah"):
        services.answers_save(
            evaluation=evaluation,
            answers={first.pk: {"answer": "T", "links": "javascript:alert(1)"}},
            by=operator,
        )
    assert list(evaluation.answers.values_list("answer", flat=True)) == ["Y"]
    # Only the last tier finalises, and not before the self-assessment is sent.
    with pytest.raises(PermissionDenied):
        services.evaluation_finalize(evaluation=evaluation, by=inspector)
    assessed(world, evaluation, lambda c: "Y" if c.answer_type == "yes_no" else "A")
    # Sent: the unit can no longer answer; a final evaluation takes no more answers.
    with pytest.raises(PermissionDenied):
        services.answers_save(
            evaluation=evaluation, answers={first.pk: {"answer": "T"}}, by=operator
        )
    services.evaluation_finalize(evaluation=evaluation, by=inspector)
    with refused("wrong_state"):
        services.answers_save(
            evaluation=evaluation, answers={first.pk: {"answer": "T", "note": "x"}}, by=inspector
        )
    assert SakipAnswer.objects.get(evaluation=evaluation, criterion=first, stage=1).answer == "Y"


def test_worksheet_edits_are_data_and_final_worksheets_are_kept(world, worksheet):
    planner, inspector = world.users["planner"], world.users["inspector"]
    tree = selectors.worksheet_tree(worksheet)
    components = list(tree.components.all())
    subs = [s for c in components for s in c.subcomponents.all()]
    # The 2015 scheme weighed internal evaluation 10%: weights must still add up to 100.
    with refused("weights_not_100"):
        services.worksheet_weights_save(
            worksheet=worksheet,
            by=planner,
            component_weights={components[3].pk: Decimal(10)},
            subcomponent_weights={},
            grade_bounds=worksheet.grade_bounds,
        )
    services.worksheet_weights_save(
        worksheet=worksheet,
        by=planner,
        component_weights={
            components[0].pk: Decimal(35),
            components[2].pk: Decimal(25),
            components[3].pk: Decimal(10),
        },
        subcomponent_weights={},
        grade_bounds=[["A", "85"], ["B", "65"]],
        scoring_method="predicate",
    )
    assert selectors.grade_bounds(worksheet) == [("A", Decimal(85)), ("B", Decimal(65))]
    worksheet.refresh_from_db()
    assert worksheet.scoring_method == "predicate"  # the method is the worksheet's, editable
    criterion = services.criterion_save(
        subcomponent=subs[0],
        criterion=None,
        text="Kriteria baru",
        answer_type="yes_no",
        by=inspector,
    )
    assert criterion.number == SakipCriterion.objects.filter(subcomponent=subs[0]).count() == 7
    with pytest.raises(PermissionDenied):
        services.criterion_save(
            subcomponent=subs[0],
            criterion=None,
            text="x",
            answer_type="yes_no",
            by=world.users["operator_a"],
        )
    # Used by a final evaluation: no more edits; a copy can be edited.
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    assessed(world, evaluation, lambda c: "Y" if c.answer_type == "yes_no" else "A")
    services.evaluation_finalize(evaluation=evaluation, by=inspector)
    with refused("lembar_kerja_dipakai_evaluasi"):
        services.criterion_save(
            subcomponent=subs[0],
            criterion=criterion,
            text="Diubah",
            answer_type="yes_no",
            by=planner,
        )
    copy = services.worksheet_copy(worksheet=worksheet, by=planner, name="LKE 2025")
    assert copy.pk != worksheet.pk and selectors.active_worksheet(world.gov) == copy
    assert len(criteria_of(copy)) == len(criteria_of(worksheet))
    copy_sub = selectors.worksheet_tree(copy).components.first().subcomponents.first()
    services.criterion_save(
        subcomponent=copy_sub, criterion=None, text="Kriteria 2025", answer_type="a_e", by=planner
    )
    assert SakipEvaluation.objects.get(pk=evaluation.pk).worksheet == worksheet


def test_finalising_through_the_page_asks_first_and_only_the_inspectorate(world, worksheet):
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    assessed(world, evaluation, lambda c: "Y" if c.answer_type == "yes_no" else "A")
    url = f"/evaluasi/sakip/{evaluation.pk}/tetapkan/"
    assert world.client("planner").post(url, {"confirm": "yes"}).status_code == 403
    preview = world.client("inspector").post(url)
    assert preview.status_code == 200 and 'name="confirm"' in preview.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status != "final"
    world.client("inspector").post(url, {"confirm": "yes"})
    evaluation.refresh_from_db()
    assert evaluation.status == "final"


FOUR_STEPS = {"yes_no": {"Y": "1", "T": "0"}, "a_e": {"A": "1", "B": "0.66", "C": "0.33", "D": "0"}}


def test_the_method_and_the_answer_values_are_the_worksheets(world):
    data = json.loads(WORKSHEET.read_text(encoding="utf-8"))
    data |= {"scoring_method": "predicate", "answer_values": FOUR_STEPS}
    worksheet = services.worksheet_load(government=world.gov, data=data, by=world.users["planner"])
    assert worksheet.scoring_method == "predicate"
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    assert evaluation.worksheet == worksheet
    with refused("answer_not_valid"):  # E is no answer on this sheet
        answer_all(world, evaluation, lambda c: "Y" if c.answer_type == "yes_no" else "E")
    kinds = {"fulfilment": "Y", "quality": "A", "use": "B"}
    answer_all(
        world,
        evaluation,
        lambda c: "Y" if c.answer_type == "yes_no" else kinds[c.subcomponent.kind],
    )
    result = selectors.evaluation_score(evaluation)
    # Fulfilment and quality fully met (BB, 80 %); use all B, none fulfilled (D, 30 %):
    # each component earns 20 % × 80 % + 30 % × 80 % + 50 % × 30 % = 55 % of its weight.
    assert set(result.predicates.values()) == {"BB", "D"}
    assert result.total == Decimal("55") and evaluation.worksheet.grade_bounds
    # The same answers by the mean of the four-step values: 20 % + 30 % + 50 % × 0,66 = 83 %.
    SakipWorksheet.objects.filter(pk=worksheet.pk).update(scoring_method="mean")
    assert selectors.evaluation_score(evaluation).total == Decimal("83.00")
    # The export carries the method and the values, and loads again as the same sheet.
    exported = services.worksheet_export(worksheet)
    assert exported["answer_values"] == FOUR_STEPS and exported["scoring_method"] == "mean"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"scoring_method": "median"}, "scoring_method_unknown"),
        ({"answer_values": {"yes_no": {"Y": "1", "T": "0"}}}, "answer_values_missing"),
        ({"answer_values": FOUR_STEPS | {"a_e": {"A": "1.5", "B": "0"}}}, "answer_values_range"),
        ({"fulfilled_from": "0"}, "fulfilled_from_range"),
    ],
)
def test_a_worksheet_with_a_bad_method_or_values_is_refused(world, extra, code):
    data = json.loads(WORKSHEET.read_text(encoding="utf-8")) | extra
    with refused(code):
        services.worksheet_load(government=world.gov, data=data, by=world.users["planner"])
    assert not SakipWorksheet.objects.exists()


def test_consistency_rules_are_data_checked_when_loaded_and_shown_before_finalising(world):
    data = json.loads(WORKSHEET.read_text(encoding="utf-8"))
    for rules, code in (
        ([["1.b.1", "9.a.1"]], "rule_unknown_criterion"),
        ([["1.a.1", "1.a.1"]], "rule_unknown_criterion"),
        ("1.b.1", "rules_shape"),
    ):
        with refused(code):
            services.worksheet_load(
                government=world.gov, data=data | {"rules": rules}, by=world.users["planner"]
            )
    assert not SakipWorksheet.objects.exists()
    data["rules"] = [["1.b.1", "1.a.1"], ["1.b.2", "1.a.2"]]
    worksheet = services.worksheet_load(government=world.gov, data=data, by=world.users["planner"])
    assert services.worksheet_export(worksheet)["rules"] == data["rules"]
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    # The guideline missing (1.a.1 T) yet its plan "formalised" (1.b.1 Y): one rule broken.
    assessed(
        world,
        evaluation,
        lambda c: "T" if c.code == "1.a.1" else ("Y" if c.answer_type == "yes_no" else "A"),
    )
    (warning,) = selectors.inconsistencies(evaluation)
    assert (warning.criterion.code, warning.prerequisite.code) == ("1.b.1", "1.a.1")
    page = world.client("inspector").get(f"/evaluasi/sakip/{evaluation.pk}/").content.decode()
    assert 'id="kerangka-logis"' in page and "1.b.1 (1) dinilai lebih tinggi" in page
    preview = world.client("inspector").post(f"/evaluasi/sakip/{evaluation.pk}/tetapkan/")
    assert "1.b.1 (1) dinilai lebih tinggi dari prasyaratnya 1.a.1 (0)" in preview.content.decode()
