"""Action plans (rencana aksi): targets per quarter, actions with the person responsible,
realisations with the achievement by the indicator's rule, late and red plans, the quarter
report; and who may do what."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from kinerja.core.models import AuditEvent
from kinerja.employees.actionplans import (
    action_plan_report,
    action_plan_save,
    action_save,
    government_summary,
    to_date,
    unit_action_plans,
)
from kinerja.employees.models import ActionPlan
from kinerja.planning.models import Indicator

D = Decimal


def rule(aggregation: str, polarity: str = "higher", formula: str = "mirror") -> SimpleNamespace:
    return SimpleNamespace(aggregation=aggregation, polarity=polarity, lower_formula=formula)


@pytest.mark.parametrize(
    ("the_rule", "targets", "values", "period", "target", "value", "expected"),
    [
        # Cumulative: the sums so far. 20 + 30 of 25 + 25: 100 %.
        (rule("cumulative"), [25, 25, 25, 25], [20, 30, None, None], 2, 50, 50, "100"),
        # ... a quarter not reported adds nothing: 20 of 25 + 25 by the second quarter: 40 %.
        (rule("cumulative"), [25, 25, 25, 25], [20, None, None, None], 2, 50, 20, "40"),
        # Last value (a rate), lower is better, mirror: (2 − 11/10) × 100 = 90.
        (rule("last", "lower"), [10, 9, 8, 7], [11, None, None, None], 1, 10, 11, "90"),
        # ... ratio: 9 / 8,5 × 100.
        (
            rule("last", "lower", "ratio"),
            [10, 9, 8, 7],
            [11, D("8.5"), None, None],
            2,
            9,
            D("8.5"),
            "1800/17",
        ),
        # Average: the means so far, 82 against 82,5.
        (rule("average"), [80, 85, 90, 95], [78, 86, None, None], 2, D("82.5"), 82, "1640/16.5"),
    ],
)
def test_achievement_to_date_by_the_indicator_s_rule(
    the_rule, targets, values, period, target, value, expected
):
    t, v, result = to_date(
        the_rule,
        [D(x) if x is not None else None for x in targets],
        [D(x) if x is not None else None for x in values],
        period,
    )
    assert (t, v) == (D(target), D(value))
    assert abs(
        Fraction(result.value)
        - Fraction(Decimal(expected.split("/")[0]))
        / Fraction(Decimal(expected.split("/")[1]) if "/" in expected else 1)
    ) < Fraction(1, 10**20)


def test_a_missing_target_is_explained_not_zero():
    _t, _v, result = to_date(rule("cumulative"), [D(25), None, None, None], [D(20), D(30)], 2)
    assert result.value is None and "Target belum" in result.reason


@pytest.fixture
def planned(world):  # type: ignore[no-untyped-def]
    """Dinas A's I1.A.1 (stock, higher is better) with quarterly targets and two actions."""
    operator = world.users["operator_a"]
    plan = action_plan_save(
        subject=world.indicator_a,
        year=2019,
        targets={1: D(9), 2: D(10), 3: D("10.5"), 4: D(11)},
        by=operator,
    )
    head = world.users["head_a"].person
    main = action_save(
        plan=plan,
        title="Pendataan sasaran",
        responsible=head,
        budget=D("25000000"),
        period_from=1,
        period_to=2,
        by=operator,
    )
    action_save(
        plan=plan,
        title="Verifikasi lapangan",
        responsible=None,
        budget=None,
        period_from=2,
        period_to=2,
        parent=main,
        by=operator,
    )
    return plan


def test_reported_late_and_red(world, planned):
    operator = world.users["operator_a"]
    action_plan_report(
        plan=planned,
        period=1,
        value=D(9),
        supporting="Kader aktif",
        hindering="",
        follow_up="",
        by=operator,
    )
    action_plan_report(
        plan=planned,
        period=2,
        value=D(6),
        supporting="",
        hindering="Data puskesmas terlambat",
        follow_up="Rapat koordinasi bulanan",
        by=operator,
    )
    # On 20 November 2019 the third quarter's report (due 10 or 15 October) is late.
    (view,) = [
        v
        for v in unit_action_plans(world.unit_a, 2019, datetime.date(2019, 11, 20))
        if v.subject == world.indicator_a
    ]
    p1, p2, p3, p4 = view.periods
    assert p1.achievement.value == 100 and p1.warning == "green"
    assert p2.achievement.value == 60 and p2.warning == "red"  # 6 of 10
    assert (p3.late, p4.late) == (True, False)
    assert [a.title for a in view.actions] == ["Pendataan sasaran", "Verifikasi lapangan"]
    summary = {r.unit: r for r in government_summary(world.gov, 2019, datetime.date(2019, 11, 20))}
    assert (summary[world.unit_a].late, summary[world.unit_a].red) == (1, 1)
    # The gov indicator of unit A has no plan yet: counted as missing.
    assert summary[world.unit_a].missing == 1
    assert AuditEvent.objects.filter(action="action_plan.report").count() == 2


def test_the_pages_and_the_quarter_report(world, planned):
    client = world.client("operator_a")
    action_plan_report(
        plan=planned,
        period=1,
        value=D("8.1"),
        supporting='=HYPERLINK("http://x")',
        hindering="",
        follow_up="",
        by=world.users["operator_a"],
    )
    page = client.get(f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019").content.decode()
    assert "Pendataan sasaran" in page and "TW I" in page
    report = client.get(f"/rencana-aksi/{world.unit_a.pk}/laporan/?tahun=2019&tw=1")
    assert "90,00%" in report.content.decode()  # 8,1 of 9
    xlsx = client.get(f"/rencana-aksi/{world.unit_a.pk}/laporan/?tahun=2019&tw=1&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    (number,) = [
        r for r in range(3, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("I1.A.1")
    ]
    assert ws.cell(number, 5).value == 90
    factor = ws.cell(number, 6)
    assert factor.value == '=HYPERLINK("http://x")'
    assert factor.data_type != "f" and factor.quotePrefix  # text, never a formula
    # Through the page: a realisation for the second quarter.
    response = client.post(
        f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019",
        {
            "tahun": "2019",
            "subject": f"i{world.indicator_a.pk}",
            "step": "report",
            "period": "2",
            "value": "9,5",
            "supporting": "",
            "hindering": "",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    assert planned.period_rows.get(period=2).value == D("9.5")
    # An action with the person responsible, through the page; someone outside the unit is
    # not offered.
    head = world.users["head_a"].person
    action = {
        "tahun": "2019",
        "subject": f"i{world.indicator_a.pk}",
        "step": "action",
        "title": "Sosialisasi kepada kader",
        "responsible": str(head.pk),
        "budget": "12.500.000",
        "period_from": "2",
        "period_to": "3",
    }
    assert client.post(f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019", action).status_code == 302
    added = planned.actions.get(title="Sosialisasi kepada kader")
    assert (added.responsible, added.budget) == (head, D("12500000"))
    outsider = world.users["operator_b"].person
    client.post(
        f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019",
        {**action, "title": "Aksi lain", "responsible": str(outsider.pk)},
    )
    assert not planned.actions.filter(title="Aksi lain").exists()


def test_who_may_do_what(world, planned):
    for persona in ("operator_b", "inspector", "mayor"):
        with pytest.raises(PermissionDenied):
            action_plan_save(
                subject=world.indicator_a, year=2019, targets={1: D(1)}, by=world.users[persona]
            )
    # The inspectorate and the mayor read; Kecamatan B's operator does not.
    assert (
        world.client("inspector").get(f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019").status_code
        == 200
    )
    assert (
        world.client("operator_b").get(f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019").status_code
        == 403
    )
    assert world.client("other_gov").get(f"/rencana-aksi/{world.unit_a.pk}/").status_code == 404
    # The overview: every unit for the mayor, one's own for a unit's people.
    mine = world.client("operator_a").get("/rencana-aksi/?tahun=2019").content.decode()
    assert "Dinas A" in mine and "Kecamatan B" not in mine
    everyone = world.client("mayor").get("/rencana-aksi/?tahun=2019").content.decode()
    assert "Dinas A" in everyone and "Kecamatan B" in everyone
    assert world.client("panel").get("/rencana-aksi/").status_code == 403
    # A post to another unit's indicator through Dinas A's page is not found.
    response = world.client("operator_a").post(
        f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019",
        {"tahun": "2019", "subject": f"i{world.indicator_b.pk}", "step": "targets", "t1": "1"},
    )
    assert response.status_code == 404
    inspector_post = world.client("inspector").post(
        f"/rencana-aksi/{world.unit_a.pk}/?tahun=2019",
        {"tahun": "2019", "subject": f"i{world.indicator_a.pk}", "step": "targets", "t1": "1"},
    )
    assert inspector_post.status_code == 403
    assert ActionPlan.objects.count() == 1
    assert Indicator.objects.get(pk=world.indicator_a.pk).action_plans.get().period_rows.get(
        period=1
    ).target == D(9)
