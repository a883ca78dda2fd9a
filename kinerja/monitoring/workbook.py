"""The realisation workbook: one unit, one quarter, pre-filled, out and back in.

One row per indicator the unit answers for and period of the quarter (three months for a
monthly indicator). The upload is validated row by row (errors by row and column, in
Indonesian), previewed, and saved only when the whole file is valid, in one transaction.
Formula cells are read by their stored value and refused without one.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from kinerja.accounts.models import Unit, User
from kinerja.core.numbers import NumberError, parse_decimal
from kinerja.core.spreadsheets import check_xlsx
from kinerja.monitoring import selectors, services
from kinerja.monitoring.models import Realisation
from kinerja.planning.excel import _safe_text
from kinerja.planning.models import Indicator

SHEET_TITLE = "Realisasi"
HEADER_ROW = 5
# Rows of figures one sheet may hold: a quarter of a large unit's monthly indicators.
MAX_ROWS = 10_000
HEADERS = [
    "ID",
    "Kode",
    "Indikator",
    "Satuan",
    "Periode",
    "No Periode",
    "Target Tahun",
    "Realisasi",
    "Pembilang",
    "Penyebut",
    "Catatan",
    "Status",
]
EDITABLE = {"Realisasi", "Pembilang", "Penyebut", "Catatan"}
COL = {name: i + 1 for i, name in enumerate(HEADERS)}


def _current_rows(unit: Unit, year: int, view: selectors.Overview) -> dict[tuple[int, int], Any]:
    """The current version of each period of the unit's indicators (the overview's figures
    hold only what the arithmetic reads; the sheet shows notes and statuses too)."""
    rows = Realisation.objects.filter(
        government=unit.government, year=year, is_current=True, indicator_id__in=view.statuses
    )
    return {(r.indicator_id, r.period): r for r in rows}


def workbook_build(unit: Unit, year: int, quarter: int) -> bytes:
    view = selectors.overview(unit.government, year=year, as_of_quarter=quarter, unit=unit)
    currents = _current_rows(unit, year, view)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    _safe_text(ws.cell(row=1, column=1), f"Realisasi kinerja {unit.name}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value="Tahun")
    ws.cell(row=2, column=2, value=year)
    ws.cell(row=3, column=1, value="Triwulan")
    ws.cell(row=3, column=2, value=quarter)
    _safe_text(
        ws.cell(row=3, column=4),
        "Isi kolom berwarna kuning saja. Angka boleh dengan koma desimal (12,5).",
    )
    fill = PatternFill("solid", fgColor="FFF4C2")
    for c, name in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    r = HEADER_ROW
    for status in sorted(view.statuses.values(), key=lambda s: s.indicator.code):
        ind = status.indicator
        first = selectors.elapsed_periods(status.per_year, quarter - 1)
        for index in range(first, selectors.elapsed_periods(status.per_year, quarter)):
            r += 1
            current = currents.get((ind.pk, index + 1))
            values: dict[str, Any] = {
                "ID": ind.pk,
                "Kode": ind.code,
                "Indikator": ind.name,
                "Satuan": ind.unit_of_measure,
                "Periode": selectors.period_label(index + 1, status.per_year),
                "No Periode": index + 1,
                "Target Tahun": status.target,
                "Realisasi": current.value if current else None,
                "Pembilang": current.numerator if current else None,
                "Penyebut": current.denominator if current else None,
                "Catatan": current.note if current else "",
                "Status": current.get_status_display() if current else "Belum diisi",
            }
            for name, value in values.items():
                target_cell = ws.cell(row=r, column=COL[name])
                _safe_text(target_cell, value)
                if name in EDITABLE:
                    target_cell.fill = fill
    widths = [8, 14, 50, 14, 10, 10, 14, 14, 14, 14, 40, 16]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class Change:
    row: int
    indicator_id: int
    code: str
    period: int
    label: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    before: Decimal | None
    kind: str  # "new" | "changed"

    def as_dict(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else format(v, "f")

        return {
            "row": self.row,
            "indicator_id": self.indicator_id,
            "code": self.code,
            "period": self.period,
            "label": self.label,
            "value": text(self.value),
            "numerator": text(self.numerator),
            "denominator": text(self.denominator),
            "note": self.note,
            "before": text(self.before),
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Change:
        def num(v: str | None) -> Decimal | None:
            return None if v is None else Decimal(v)

        return cls(
            row=d["row"],
            indicator_id=d["indicator_id"],
            code=d["code"],
            period=d["period"],
            label=d["label"],
            value=num(d["value"]),
            numerator=num(d["numerator"]),
            denominator=num(d["denominator"]),
            note=d["note"],
            before=num(d["before"]),
            kind=d["kind"],
        )


@dataclass
class Parsed:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int | None, str | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _number(ws_f: Any, ws_v: Any, r: int, name: str, err: Any) -> Decimal | None:
    c = COL[name]
    raw = ws_f.cell(row=r, column=c).value
    value = ws_v.cell(row=r, column=c).value
    if isinstance(raw, str) and raw.startswith("="):
        if value is None:
            err(name, _("Rumus tanpa nilai tersimpan: buka dan simpan ulang di Excel."))
            return None
        raw = value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        err(name, _("Harus berupa angka."))
        return None
    if isinstance(raw, int | float):
        # A number cell: its shortest repr is what the user typed (12.5, 1.234).
        number = Decimal(repr(raw))
        if not number.is_finite():
            err(name, _("Harus berupa angka."))
            return None
        return number
    try:
        return parse_decimal(str(raw))
    except NumberError as exc:
        err(name, _("Harus berupa angka (%(exc)s).") % {"exc": exc})
        return None


def workbook_read(unit: Unit, year: int, quarter: int, data: bytes) -> Parsed:
    """Validate an uploaded workbook against the unit's quarter; save nothing."""
    result = Parsed()
    if len(data) > settings.KINERJA_MAX_UPLOAD_BYTES:
        limit = settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)
        result.errors.append(
            (None, None, _("Berkas terlalu besar (batas %(limit)s MB).") % {"limit": limit})
        )
        return result
    if not zipfile.is_zipfile(io.BytesIO(data)):
        result.errors.append((None, None, _("Berkas bukan file Excel .xlsx.")))
        return result
    try:
        check_xlsx(data, max_rows=MAX_ROWS + HEADER_ROW, max_columns=60)
    except ValidationError as exc:
        result.errors.append((None, None, exc.messages[0]))
        return result
    try:
        wb_f = load_workbook(io.BytesIO(data), data_only=False)
        wb_v = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        result.errors.append((None, None, _("Berkas bukan file Excel .xlsx yang dapat dibaca.")))
        return result
    if SHEET_TITLE not in wb_f.sheetnames:
        result.errors.append(
            (
                None,
                None,
                _("Lembar '%(SHEET_TITLE)s' tidak ditemukan: unduh berkas dari Kinerja.")
                % {"SHEET_TITLE": SHEET_TITLE},
            )
        )
        return result
    ws_f, ws_v = wb_f[SHEET_TITLE], wb_v[SHEET_TITLE]
    found = [str(ws_f.cell(row=HEADER_ROW, column=c).value or "").strip() for c in COL.values()]
    if found != HEADERS:
        result.errors.append((HEADER_ROW, None, _("Judul kolom tidak sesuai berkas unduhan.")))
        return result
    if ws_v.cell(row=2, column=2).value != year or ws_v.cell(row=3, column=2).value != quarter:
        result.errors.append(
            (
                2,
                "B",
                _(
                    "Berkas ini untuk tahun %(value)s triwulan %(value2)s, bukan %(year)s "
                    "triwulan %(quarter)s."
                )
                % {
                    "value": ws_v.cell(row=2, column=2).value,
                    "value2": ws_v.cell(row=3, column=2).value,
                    "year": year,
                    "quarter": quarter,
                },
            )
        )
        return result

    view = selectors.overview(unit.government, year=year, as_of_quarter=quarter, unit=unit)
    statuses = view.statuses
    currents = _current_rows(unit, year, view)
    seen: set[tuple[int, int]] = set()
    letters = {name: chr(64 + c) for name, c in COL.items()}
    for r in range(HEADER_ROW + 1, ws_f.max_row + 1):
        if all(ws_v.cell(row=r, column=c).value in (None, "") for c in COL.values()):
            continue

        def err(name: str | None, message: str, r: int = r) -> None:
            result.errors.append((r, letters.get(name or ""), message))

        ident, period = (
            ws_v.cell(row=r, column=COL["ID"]).value,
            ws_v.cell(row=r, column=COL["No Periode"]).value,
        )
        status = statuses.get(ident) if isinstance(ident, int) else None
        if status is None or not isinstance(ident, int):
            err("ID", _("Baris ini bukan indikator perangkat daerah ini; jangan ubah kolom ID."))
            continue
        first = selectors.elapsed_periods(status.per_year, quarter - 1)
        last = selectors.elapsed_periods(status.per_year, quarter)
        if not isinstance(period, int) or not first < period <= last:
            err("No Periode", _("Periode bukan bagian triwulan ini."))
            continue
        if (ident, period) in seen:
            err("ID", _("Baris ganda untuk indikator dan periode yang sama."))
            continue
        seen.add((ident, period))
        errors_before = len(result.errors)
        value = _number(ws_f, ws_v, r, "Realisasi", err)
        numerator = _number(ws_f, ws_v, r, "Pembilang", err)
        denominator = _number(ws_f, ws_v, r, "Penyebut", err)
        note_raw = ws_v.cell(row=r, column=COL["Catatan"]).value
        note = "" if note_raw is None else str(note_raw).strip()
        if len(result.errors) > errors_before:
            continue
        current = currents.get((ident, period))
        if value is None and numerator is None and denominator is None:
            if current is not None:
                err("Realisasi", _("Realisasi yang sudah ada tidak dapat dikosongkan."))
            continue
        if current is not None:
            same = (
                current.value == value
                if numerator is None
                else (current.numerator, current.denominator) == (numerator, denominator)
            )
            if same and current.note == note:
                result.unchanged += 1
                continue
            if not Realisation.WORKFLOW.can(current, "edit"):
                try:
                    Realisation.WORKFLOW.check(current, "edit")
                except ValidationError as exc:
                    err("Realisasi", " ".join(exc.messages))
                continue
        if numerator is not None and value is not None and current is None:
            value = None  # computed from the parts
        result.changes.append(
            Change(
                row=r,
                indicator_id=ident,
                code=status.indicator.code,
                period=period,
                label=selectors.period_label(period, status.per_year),
                value=None if numerator is not None else value,
                numerator=numerator,
                denominator=denominator,
                note=note,
                before=current.value if current else None,
                kind="changed" if current else "new",
            )
        )
    return result


def workbook_apply(*, unit: Unit, year: int, changes: list[Change], by: User) -> int:
    """Save every change as a draft, or none: one refusal rolls the whole file back."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(
            government=unit.government, pk__in=[c.indicator_id for c in changes]
        ).select_related("objective__unit", "responsible_unit")
    }
    entries = []
    for change in changes:
        indicator = indicators.get(change.indicator_id)
        if indicator is None or indicator.owner_unit != unit:
            raise ValidationError(
                _("Baris %(row)s: indikator tidak dikenal."),
                code="baris_indikator_tidak_dikenal",
                params={"row": change.row},
            )
        entries.append(
            services.FigureEntry(
                indicator=indicator,
                period=change.period,
                value=change.value,
                numerator=change.numerator,
                denominator=change.denominator,
                note=change.note,
                row=change.row,
                label=f"{change.code} {change.label}",
            )
        )
    return services.realisations_save_many(year=year, entries=entries, by=by)
