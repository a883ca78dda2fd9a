"""The plan matrix in Excel: export, import, same plan; every bad file refused, nothing saved."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from kinerja.core.models import AuditEvent
from kinerja.core.numbers import format_decimal
from kinerja.planning.excel import (
    FIRST_DATA_ROW,
    SHEET_TITLE,
    apply_plan_matrix,
    export_plan_matrix,
    headers_for,
    parse_plan_matrix,
)
from kinerja.planning.models import Goal, Indicator, IndicatorTarget, Mission, Objective, Term
from kinerja.planning.services import plan_object_save
from kinerja.sampledata.demo import load_demo
from tests.conftest import World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_dump(term: Term) -> list[tuple[Any, ...]]:
    """Everything the matrix carries, as plain values, to compare two plans."""
    rows: list[tuple[Any, ...]] = []
    rows += [("M", m.code, m.number, m.title) for m in term.missions.all()]
    rows += [
        ("G", g.code, g.mission.code, g.title) for g in Goal.objects.filter(mission__term=term)
    ]
    for o in term.objectives.select_related("goal", "serves", "unit"):
        rows.append(
            (
                "O",
                o.code,
                o.goal and o.goal.code,
                o.serves and o.serves.code,
                o.unit and o.unit.code,
                o.title,
            )
        )
    for i in Indicator.objects.filter(objective__term=term).select_related(
        "objective", "responsible_unit"
    ):
        rows.append(
            (
                "I",
                i.code,
                i.objective.code,
                i.name,
                i.unit_of_measure,
                i.polarity,
                i.lower_formula,
                i.aggregation,
                i.frequency,
                i.is_key,
                i.baseline_value,
                i.baseline_year,
                i.responsible_unit and i.responsible_unit.code,
                i.data_source,
                i.definition,
                i.formula,
            )
        )
    for t in IndicatorTarget.objects.filter(indicator__objective__term=term).select_related(
        "indicator"
    ):
        rows.append(("T", t.indicator.code, t.year, t.value, t.value_high))
    return sorted(rows, key=repr)


def cells(content: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(content))[SHEET_TITLE]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def wipe_plan(term: Term) -> None:
    Indicator.objects.filter(objective__term=term).delete()
    term.objectives.filter(unit__isnull=False).delete()
    term.objectives.all().delete()
    term.missions.all().delete()


@pytest.mark.django_db
def test_round_trip_of_the_demo_plan():
    """The demo city's plan, exported and imported into a government with the same units,
    is the same plan, and exports to the same cells."""
    from kinerja.accounts.models import Government, Role, Unit
    from tests.conftest import make_user

    gov = load_demo(with_documents=False)
    term = gov.terms.get(start_year=2018)
    first = export_plan_matrix(term)

    twin = Government.objects.create(
        name="Kota Kembar", slug="kota-kembar", kind="city", province="Jawa Timur"
    )
    for u in gov.units.all():
        Unit.objects.create(
            government=twin, kind=u.kind, code=u.code, name=u.name, short_name=u.short_name
        )
    twin_term = Term.objects.create(
        government=twin,
        name=term.name,
        start_year=term.start_year,
        end_year=term.end_year,
        is_current=True,
    )
    result = apply_plan_matrix(
        content=first, term=twin_term, by=make_user(twin, "uji-kembar", Role.PLANNER)
    )
    assert result.ok, result.errors
    expected_rows = (
        term.missions.count()
        + Goal.objects.filter(mission__term=term).count()
        + term.objectives.count()
        + Indicator.objects.filter(objective__term=term).count()
    )
    assert len(result.rows) == expected_rows == 96

    assert plan_dump(twin_term) == plan_dump(term)
    # The same cells, but for the title naming the government.
    assert cells(export_plan_matrix(twin_term))[1:] == cells(first)[1:]


def test_reimporting_an_unchanged_plan_changes_nothing(world: World):
    content = export_plan_matrix(world.term)
    result = parse_plan_matrix(content, world.term)
    assert result.ok
    assert {r.status for r in result.rows} == {"tetap"}
    audit_before = AuditEvent.objects.count()
    apply_plan_matrix(content=content, term=world.term, by=world.users["planner"])
    # Only the import itself is recorded: no object changed.
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[
        audit_before:
    ] == ["plan.import"]


def test_import_updates_changed_rows_and_audits_each(world: World):
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    ws = wb[SHEET_TITLE]
    row = _row_of(ws, world.indicator_a.code)
    ws.cell(row=row, column=_col(world, "Target 2023")).value = 99.125
    ws.cell(row=row, column=_col(world, "Uraian")).value = "Indikator A, dirumuskan ulang"
    result = apply_plan_matrix(content=_save(wb), term=world.term, by=world.users["planner"])
    assert result.ok
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.name == "Indikator A, dirumuskan ulang"
    assert world.indicator_a.targets.get(year=2023).value == Decimal("99.125")
    actions = set(
        AuditEvent.objects.filter(object_id=str(world.indicator_a.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"indicator.update", "indicator.targets"} <= actions


def test_the_preview_says_which_field_changed_from_what_to_what(world: World):
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    ws = wb[SHEET_TITLE]
    row = _row_of(ws, world.indicator_a.code)
    before = world.indicator_a.targets.get(year=2023).value
    ws.cell(row=row, column=_col(world, "Target 2023")).value = 1234.5
    ws.cell(row=row, column=_col(world, "Uraian")).value = "Indikator A, dirumuskan ulang"
    content = _save(wb)
    result = parse_plan_matrix(content, world.term)
    changed = next(r for r in result.rows if r.code == world.indicator_a.code)
    assert changed.status == "berubah"
    assert set(changed.changes) == {
        ("Uraian", world.indicator_a.name, "Indikator A, dirumuskan ulang"),
        ("Target 2023", format_decimal(before), "1.234,5"),
    }
    assert all(r.changes == [] for r in result.rows if r.status == "tetap")
    # The preview page shows it, old → new, before anything is saved.
    client = world.client("planner")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/plan/excel/impor/?term={world.term.pk}",
        {"file": SimpleUploadedFile("rencana.xlsx", content)},
        follow=True,
    )
    body = response.content.decode()
    assert 'Target 2023: <span class="diff-old">' in body and "1.234,5" in body
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.name != "Indikator A, dirumuskan ulang"


# --- bad files ---------------------------------------------------------------------------------


def _col(world: World, header: str) -> int:
    return headers_for(world.term).index(header) + 1


def _row_of(ws: Any, code: str) -> int:
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=2).value == code:
            return r
    raise AssertionError(code)


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _workbook_with(world: World, change) -> tuple[bytes, int]:
    """The exported plan with one valid edit (which must not be saved) and one bad change."""
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    ws = wb[SHEET_TITLE]
    ws.cell(
        row=_row_of(ws, world.objective.code), column=4
    ).value = "Perubahan sah yang tidak boleh tersimpan"
    row = _row_of(ws, world.indicator_b.code)
    change(wb, ws, row)
    return _save(wb), row


BAD_FILES = {
    "not a number": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=_col(w, "Kondisi Awal"), value="sepuluh"),
        "Kondisi Awal",
        "bukan angka",
    ),
    "target not a number": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=_col(w, "Target 2021"), value="12,5%"),
        "Target 2021",
        "bukan angka",
    ),
    "ambiguous number": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=_col(w, "Target 2020"), value="1.234"),
        "Target 2020",
        "ambigu",
    ),
    "unknown unit": (
        lambda w: (
            lambda wb, ws, r: ws.cell(
                row=r,
                column=_col(w, "Perangkat Daerah Penanggung Jawab"),
                value="Dinas Antah Berantah",
            )
        ),
        "Perangkat Daerah Penanggung Jawab",
        "tidak dikenal",
    ),
    "missing baseline": (
        lambda w: (
            lambda wb, ws, r: setattr(ws.cell(row=r, column=_col(w, "Kondisi Awal")), "value", None)
        ),
        "Kondisi Awal",
        "wajib diisi",
    ),
    "duplicate code": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=2, value=w.indicator_a.code),
        "Kode",
        "ganda",
    ),
    "unknown parent code": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=3, value="S9.9"),
        "Kode Induk",
        "tidak ada di berkas",
    ),
    "formula without a stored value": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=_col(w, "Target 2022"), value="=B5*2"),
        "Target 2022",
        "rumus",
    ),
    "indicator value on an objective row": (
        lambda w: lambda wb, ws, r: ws.cell(row=r - 1, column=_col(w, "Kondisi Awal"), value=70),
        "Kondisi Awal",
        "hanya untuk baris Indikator",
    ),
    "unknown polarity": (
        lambda w: lambda wb, ws, r: ws.cell(row=r, column=_col(w, "Polaritas"), value="Miring"),
        "Polaritas",
        "tidak dikenal",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_row_is_refused_by_row_and_column_and_nothing_is_saved(world: World, case):
    make_change, header, words = BAD_FILES[case]
    content, row = _workbook_with(world, make_change(world))
    before, audit_before = plan_dump(world.term), AuditEvent.objects.count()

    result = apply_plan_matrix(content=content, term=world.term, by=world.users["planner"])

    assert not result.ok
    from openpyxl.utils import get_column_letter

    column = get_column_letter(_col(world, header))
    if case == "indicator value on an objective row":
        row -= 1  # the change went into the objective row above the indicator
    matching = [e for e in result.errors if e.row == row and e.column == column]
    assert matching, result.errors
    assert words in matching[0].message
    assert plan_dump(world.term) == before
    assert AuditEvent.objects.count() == audit_before


def test_wrong_sheet_is_refused(world: World):
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    wb[SHEET_TITLE].title = "Sheet1"
    result = parse_plan_matrix(_save(wb), world.term)
    assert [e.message for e in result.errors] == [
        "Lembar 'Matriks Rencana' tidak ditemukan (lembar yang ada: 'Sheet1'). "
        "Gunakan berkas hasil ekspor matriks rencana."
    ]


def test_wrong_headers_are_refused(world: World):
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    wb[SHEET_TITLE].cell(row=4, column=_col(world, "Target 2019"), value="Target 2024")
    (error,) = parse_plan_matrix(_save(wb), world.term).errors
    assert (error.row, error.column) == (4, "M")
    assert "tertulis 'Target 2024', seharusnya 'Target 2019'" in error.message


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"Jenis;Kode;Uraian\nMisi;M1;Misi satu\n",
        b"",
        b"PK\x03\x04garbage",
    ],
    ids=["pdf", "csv", "empty", "broken zip"],
)
def test_a_file_that_is_not_xlsx_is_refused(world: World, content):
    before = plan_dump(world.term)
    result = apply_plan_matrix(content=content, term=world.term, by=world.users["planner"])
    (error,) = result.errors
    assert "bukan file Excel .xlsx" in error.message
    assert plan_dump(world.term) == before


def test_formula_with_a_stored_value_is_read_as_that_value(world: World):
    """A workbook saved by Excel keeps each formula's last value; that value is imported."""
    content = export_plan_matrix(world.term)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[SHEET_TITLE]
    row = _row_of(ws, world.indicator_a.code)
    col = _col(world, "Target 2019")
    ws.cell(row=row, column=col, value="=10+2.5")
    formulas = _save(wb)
    # Write the cached value the way Excel does: <f> with a <v> beside it.
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(formulas))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>10+2.5</f><v></v>", b"<f>10+2.5</f><v>12.5</v>").replace(
                    b"<f>10+2.5</f><v />", b"<f>10+2.5</f><v>12.5</v>"
                )
                assert b"<v>12.5</v>" in data
            dst.writestr(item, data)
    result = parse_plan_matrix(out.getvalue(), world.term)
    assert result.ok, result.errors
    parsed = next(r for r in result.rows if r.code == world.indicator_a.code)
    assert parsed.targets[2019] == (Decimal("12.5"), None)


def test_export_neutralises_formula_injection(world: World):
    world.indicator_a.name = '=HYPERLINK("http://contoh.invalid","klik")'
    plan_object_save(obj=world.indicator_a, by=world.users["planner"])
    content = export_plan_matrix(world.term)
    ws = load_workbook(io.BytesIO(content))[SHEET_TITLE]
    cell = ws.cell(row=_row_of(ws, world.indicator_a.code), column=4)
    assert cell.data_type == "s"  # text, never a formula
    assert cell.value == '=HYPERLINK("http://contoh.invalid","klik")'
    assert b"<f>" not in _sheet_xml(content)
    # ... and the text comes back unchanged.
    result = parse_plan_matrix(content, world.term)
    assert result.ok
    assert next(r for r in result.rows if r.code == world.indicator_a.code).status == "tetap"


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_exact_decimals_survive_the_round_trip(world: World):
    world.indicator_a.baseline_value = Decimal("0.123456")
    plan_object_save(obj=world.indicator_a, by=world.users["planner"])
    content = export_plan_matrix(world.term)
    wipe_plan(world.term)
    assert apply_plan_matrix(content=content, term=world.term, by=world.users["planner"]).ok
    assert Indicator.objects.get(
        code=world.indicator_a.code, objective__term=world.term
    ).baseline_value == Decimal("0.123456")


def test_unit_export_holds_the_unit_rows_and_their_ancestors(world: World):
    rows = cells(export_plan_matrix(world.term, world.unit_b))[FIRST_DATA_ROW - 1 :]
    codes = [r[1] for r in rows]
    assert codes == ["M1", "T1", "S1", "S1.B", "I1.B.1"]


# --- through the pages ---------------------------------------------------------------------------


def test_upload_preview_confirm(world: World):
    client = world.client("planner")
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    ws = wb[SHEET_TITLE]
    ws.cell(row=_row_of(ws, world.indicator_a.code), column=4).value = "Nama baru dari Excel"
    upload = io.BytesIO(_save(wb))
    upload.name = "matriks.xlsx"
    response = client.post(f"/plan/excel/impor/?term={world.term.pk}", {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Berkas valid" in preview.content.decode()
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.name != "Nama baru dari Excel"  # not before confirmation

    confirm = client.post(response["Location"] + "simpan/")
    assert confirm.status_code == 302
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.name == "Nama baru dari Excel"
    # A confirmed import cannot be applied twice.
    again = client.post(response["Location"] + "simpan/", follow=True)
    assert "sudah diproses" in again.content.decode()


def test_upload_of_a_bad_file_shows_each_error(world: World):
    client = world.client("planner")
    content, row = _workbook_with(world, BAD_FILES["not a number"][0](world))
    upload = io.BytesIO(content)
    upload.name = "salah.xlsx"
    response = client.post(
        f"/plan/excel/impor/?term={world.term.pk}", {"file": upload}, follow=True
    )
    body = response.content.decode()
    assert "Berkas ditolak" in body
    # The row and its column side by side in the errors table.
    assert re.search(rf'data-label="Baris">{row}</td>\s*<td data-label="Kolom">K</td>', body), body[
        body.find("import-errors") :
    ][:800]
    assert "Kondisi awal bukan angka" in body


def test_export_download(world: World):
    response = world.client("mayor").get(f"/plan/excel/ekspor/?term={world.term.pk}")
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert cells(response.content)[FIRST_DATA_ROW - 1][1] == "M1"


def test_import_into_another_governments_term_is_refused(world: World):
    content = export_plan_matrix(world.term)
    client = world.client("planner")
    upload = io.BytesIO(content)
    upload.name = "x.xlsx"
    response = client.post(f"/plan/excel/impor/?term={world.other_term.pk}", {"file": upload})
    assert response.status_code == 404
    assert not Mission.objects.filter(term=world.other_term, title__contains="kota-uji").exists()
    assert Objective.objects.filter(term=world.other_term).count() == 2
