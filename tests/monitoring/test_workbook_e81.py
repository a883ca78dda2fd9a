"""The realisation workbook (out, filled, back in: validated, previewed, all or nothing), Form
E.81 (every row of the real Deli Serdang workbook arrives; the differences are reported),
and the reminders to late units."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from kinerja.monitoring import services
from kinerja.monitoring.e81 import e81_import
from kinerja.monitoring.models import E81Import, Realisation, Reminder
from kinerja.monitoring.tasks import schedule_reminders
from kinerja.planning.models import Indicator, Programme
from tests.monitoring.conftest import enter, verified
from tests.refusals import refused

E81 = Path(__file__).resolve().parents[1] / "data" / "e81-evaluasi-renja-2025-deli-serdang.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(world, quarter: int = 1) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    response = world.client("operator_a").get(
        f"/pemantauan/pd/{world.unit_a.pk}/excel/?tahun=2019&tw={quarter}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(world, wb: openpyxl.Workbook, persona: str = "operator_a"):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    wb.save(out)
    return world.client(persona).post(
        f"/pemantauan/pd/{world.unit_a.pk}/excel/unggah/?tahun=2019&tw=1",
        {"file": SimpleUploadedFile("realisasi.xlsx", out.getvalue(), XLSX)},
    )


def _row_of(ws, code: str) -> int:  # type: ignore[no-untyped-def]
    for r in range(6, ws.max_row + 1):
        if ws.cell(row=r, column=2).value == code:
            return r
    raise AssertionError(code)


def test_workbook_round_trip(world):
    wb = _download(world)
    ws = wb["Realisasi"]
    # Unit A answers for two indicators (its own and the government one named on it).
    codes = sorted(ws.cell(row=r, column=2).value for r in range(6, ws.max_row + 1))
    assert codes == sorted([world.indicator_a.code, world.gov_indicator.code])
    ws.cell(row=_row_of(ws, world.indicator_a.code), column=8, value="10,5")
    ws.cell(row=_row_of(ws, world.gov_indicator.code), column=9, value=40900)
    ws.cell(row=_row_of(ws, world.gov_indicator.code), column=10, value=865011)
    response = _upload(world, wb)
    page = response.content.decode()
    assert "2 angka baru atau berubah" in page
    assert not Realisation.objects.exists()  # a preview saves nothing
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    world.client("operator_a").post(
        f"/pemantauan/pd/{world.unit_a.pk}/excel/simpan/", {"token": token}
    )
    a = Realisation.objects.get(indicator=world.indicator_a)
    g = Realisation.objects.get(indicator=world.gov_indicator)
    assert (a.value, a.status, a.period) == (Decimal("10.5"), "draft", 1)
    assert (g.numerator, g.denominator) == (Decimal(40900), Decimal(865011))
    # Another operator cannot replay the token, nor upload for this unit.
    assert (
        world.client("operator_b")
        .post(f"/pemantauan/pd/{world.unit_a.pk}/excel/simpan/", {"token": token})
        .status_code
        == 403
    )
    assert _upload(world, _download(world), persona="operator_b").status_code == 403


def test_workbook_errors_save_nothing(world):
    verified(world, world.gov_indicator, 1, "11")
    wb = _download(world)
    ws = wb["Realisasi"]
    ws.cell(row=_row_of(ws, world.indicator_a.code), column=8, value="sebelas")
    ws.cell(row=_row_of(ws, world.gov_indicator.code), column=8, value=12)  # verified: locked
    page = _upload(world, wb).content.decode()
    assert "2 kesalahan" in page
    assert "Harus berupa angka" in page and "terkunci" in page
    assert 'name="token"' not in page
    assert Realisation.objects.count() == 1
    # A file that is not the workbook.
    response = world.client("operator_a").post(
        f"/pemantauan/pd/{world.unit_a.pk}/excel/unggah/?tahun=2019&tw=1",
        {"file": SimpleUploadedFile("x.xlsx", b"%PDF-1.4 bukan excel", XLSX)},
    )
    assert "bukan file Excel" in response.content.decode()
    # The wrong quarter.
    wb = _download(world, quarter=2)
    assert "bukan 2019 triwulan 1" in _upload(world, wb).content.decode()


@pytest.fixture
def e81_bytes() -> bytes:
    return E81.read_bytes()


def _table_rows() -> tuple[int, list[int]]:
    """Independently of the importer: the rows of the table (number, or any text or figure
    in columns A–AG between the header and the total line) and those with an indicator."""
    ws = openpyxl.load_workbook(E81, data_only=True).worksheets[0]
    rows, indicators = [], []
    for r in range(11, ws.max_row + 1):
        values = [ws.cell(row=r, column=c).value for c in range(1, 34)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if ws.cell(row=r, column=7).value is None and ws.cell(row=r, column=8).value is None:
            rows.append(r)
            if ws.cell(row=r, column=11).value is not None:
                break  # the total line; below it the signature block
            continue
        rows.append(r)
        if ws.cell(row=r, column=8).value:
            indicators.append(r)
    return len(rows), indicators


def test_e81_every_row_arrives_and_differences_are_reported(world, e81_bytes):
    result = e81_import(
        unit=world.unit_a,
        serves=world.objective,
        term=world.term,
        data=e81_bytes,
        filename=E81.name,
        by=world.users["planner"],
    )
    report = result.report
    total, indicator_rows = _table_rows()
    assert len(report["rows"]) == total == 103
    assert [r["row"] for r in report["rows"] if r.get("indicator_id")] == indicator_rows
    created = Indicator.objects.filter(code__startswith="A-E81-2025")
    assert created.count() == len(indicator_rows) == 98
    assert Programme.objects.filter(unit=world.unit_a, code__startswith="E81-2025").count() == 97
    by_row = {r["row"]: r for r in report["rows"]}
    assert by_row[11]["kind"] == "heading" and by_row[113]["kind"] == "total"
    # Row 14: a percentage met in 2024 (100) and 2025 (100): the workbook says 200%.
    assert by_row[14]["renstra_workbook"] == "200"
    assert Decimal(by_row[14]["renstra_kinerja"]) == Decimal(100)
    assert "menjumlahkan % antartahun (100 + 100 = 200)" in by_row[14]["reasons"][0]
    # Row 15: documents do add up across years: 3 + 4 of 3 = 233.33%, both agree.
    assert not by_row[15]["differs"]
    assert Decimal(by_row[15]["renstra_kinerja"]) == Decimal(700) / 3
    # Row 82: a zero end target: #DIV/0! in the workbook, explained here.
    assert "#DIV/0!" in by_row[82]["reasons"][0]
    # Row 51: the workbook's year column (0) contradicts its own quarters (35).
    assert any("Kolom 13" in reason for reason in by_row[51]["reasons"])
    assert report["differences"] == sum(1 for r in report["rows"] if r.get("differs")) == 25
    # Realisations: the percentage's quarters are stored as running values (29.29 ... 100).
    ind = Indicator.objects.get(pk=by_row[14]["indicator_id"])
    values = list(
        Realisation.objects.filter(indicator=ind).order_by("period").values_list("value", flat=True)
    )
    assert values[-1] == Decimal(100) and values[0] < values[1] < values[2] < values[3]
    assert ind.aggregation == "last" and ind.targets.get(year=2025).value == Decimal(100)
    # The report page shows the differences; importing the same file again is refused.
    page = world.client("mayor").get(f"/pemantauan/e81/{result.pk}/?beda=1").content.decode()
    assert page.count('class="row-red"') == 25
    with refused("berkas_sama_pernah_diimpor"):
        e81_import(
            unit=world.unit_a,
            serves=world.objective,
            term=world.term,
            data=e81_bytes,
            filename=E81.name,
            by=world.users["planner"],
        )


def test_e81_refusals(world, e81_bytes):
    with pytest.raises(PermissionDenied):
        e81_import(
            unit=world.unit_a,
            serves=world.objective,
            term=world.term,
            data=e81_bytes,
            filename="x.xlsx",
            by=world.users["operator_b"],
        )
    with refused("berkas_bukan_formulir_evaluasi"):
        wb = openpyxl.Workbook()
        out = io.BytesIO()
        wb.save(out)
        e81_import(
            unit=world.unit_a,
            serves=world.objective,
            term=world.term,
            data=out.getvalue(),
            filename="x.xlsx",
            by=world.users["planner"],
        )
    assert (
        not E81Import.objects.exists()
        and not Indicator.objects.filter(code__contains="E81").exists()
    )
    # Through the page, another government's objective is not found.
    response = world.client("planner").post(
        "/pemantauan/e81/",
        {
            "unit": world.unit_a.pk,
            "serves": world.other_indicator.objective.serves_id,
            "file": SimpleUploadedFile("e81.xlsx", e81_bytes, XLSX),
        },
    )
    assert response.status_code == 404


def test_reminders_once_per_unit_and_quarter(world):
    verified(world, world.indicator_a, 1, "11")  # unit A reported one of its two
    enter(world, world.indicator_b, 1, "11", by="operator_b")  # a draft is not a report
    today = datetime.date(2019, 4, 20)  # Q1 2019 deadline (10 days) has passed
    assert services.reminders_send(today=today) == 2
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == [
        "uji-head_a@uji.invalid",
        "uji-operator_a@uji.invalid",
        "uji-operator_b@uji.invalid",
    ]
    assert world.gov_indicator.code in next(m.body for m in mail.outbox if "head_a" in m.to[0])
    assert services.reminders_send(today=today) == 0  # once
    assert Reminder.objects.filter(government=world.gov).count() == 2
    page = world.client("mayor").get("/pemantauan/terlambat/?tahun=2019&tw=1").content.decode()
    assert "Dinas A" in page and "Kecamatan B" in page and "terkirim" in page
    # The daily task queues itself once.
    assert schedule_reminders() is True
    assert schedule_reminders() is False
    queued = DBTaskResult.objects.get(task_path="kinerja.monitoring.tasks.remind_late_units")
    assert queued.run_after is not None


def test_reminder_command(world, capsys):
    from django.core.management import call_command

    call_command("send_reminders", "--schedule-only")
    assert "dijadwalkan" in capsys.readouterr().out
    assert not mail.outbox
    call_command("send_reminders")
    # The last quarter due today is years after the 2018-2023 plan: no targets, nothing due.
    assert "0 pengingat terkirim" in capsys.readouterr().out
    assert not Reminder.objects.exists()
    # A target for that year makes the figures due, and the units are reminded.
    year = (datetime.date.today() - datetime.timedelta(days=101)).year
    from kinerja.planning.models import IndicatorTarget

    for indicator in (world.indicator_a, world.indicator_b):
        IndicatorTarget.objects.update_or_create(
            indicator=indicator, year=year, defaults={"government": world.gov, "value": 1}
        )
    call_command("send_reminders")
    assert "2 pengingat terkirim" in capsys.readouterr().out
