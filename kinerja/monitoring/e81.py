"""Form E.81 (Permendagri 86/2017 Renja evaluation) into a unit: programmes, activities,
their indicators, targets and the year's quarterly realisations.

Kinerja recomputes achievement with its own rules and reports each row where the workbook's
own achievement column differs, and why. The usual reason: the workbook's Renstra column
(15 = 14 / 6 × 100, with 14 = 7 + 13) adds the realisations of the years, which is right for
counts (documents, reports) and wrong for percentages, indices and stocks, so a percentage
met in both years shows 200%.

The workbook's quarterly "K" figures are each quarter's contribution (they add up to the
year's figure, column 13). For a cumulative indicator those are the periods' values; for a
percentage, index or stock, whose year value is the last one, the value at the end of each
quarter is the running sum, which is what Kinerja stores.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import Unit, User
from kinerja.core.audit import record
from kinerja.core.numbers import NumberError, format_decimal
from kinerja.core.spreadsheets import check_xlsx
from kinerja.monitoring import achievement as calc
from kinerja.monitoring import figures
from kinerja.monitoring.models import E81Import, Realisation
from kinerja.planning.freeze import refuse_frozen
from kinerja.planning.models import (
    Indicator,
    Objective,
    Programme,
    Term,
)
from kinerja.planning.services import (
    TargetValues,
    indicator_targets_set,
    plan_object_save,
    programme_save,
)

# Columns of the form (1-based), by the numbers in its header row.
C_NO, C_OBJECTIVE, C_PROGRAMME, C_INDICATOR, C_UNIT = 1, 6, 7, 8, 9
C_END_TARGET, C_BEFORE, C_TARGET, C_BUDGET = 10, 12, 14, 15
C_QUARTERS = (16, 19, 22, 25)  # K of TW I..IV
C_QUARTER_SHARE = (17, 20, 23, 26)  # cumulative share of the year's target (1 = 100%)
C_YEAR_REALISED, C_TO_DATE, C_RENSTRA_ACHIEVEMENT = 28, 30, 32
FIRST_ROW = 11
TOLERANCE = Decimal("0.01")

# Units of measure whose year value is the last one, never a sum (rates, indices, stocks).
_LAST_VALUE_UNITS = re.compile(r"^(%|persen|nilai|indeks|index|orang\s*/\s*bulan)", re.I)


def aggregation_for(unit_of_measure: str) -> str:
    return "last" if _LAST_VALUE_UNITS.match(unit_of_measure.strip()) else "cumulative"


def _dec(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; the binary float's further digits are noise
        # (16.428571428571434), which would make four quarters of a percentage add up to
        # 100.000000000000004 instead of 100.
        number = Decimal(repr(value))
        if not number.is_finite():
            return None
        if number:
            number = number.quantize(
                Decimal(1).scaleb(number.adjusted() - 14), rounding=ROUND_HALF_UP
            )
        return number.normalize() if number != number.to_integral() else number.quantize(1)
    if isinstance(value, str) and value.strip():
        try:
            return calc.to_decimal(value.strip())
        except NumberError:
            return None  # "#DIV/0!" and the like: kept as text by the caller
    return None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


@dataclass
class E81Row:
    row: int
    kind: str  # heading | programme | activity | indicator | total
    number: str
    objective: str
    programme: str
    indicator: str
    unit_of_measure: str
    end_target: Decimal | None
    before: Decimal | None
    target: Decimal | None
    budget: Decimal | None
    quarters: list[Decimal | None]
    shares: list[Decimal | None]
    year_realised: Decimal | None
    renstra_workbook: Decimal | None
    renstra_workbook_text: str


@dataclass
class E81Sheet:
    government_name: str
    year: int
    end_year: int
    unit_name: str
    rows: list[E81Row] = field(default_factory=list)


def e81_read(data: bytes) -> E81Sheet:
    """Read the form; a file that is not one is refused in Indonesian."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("Berkas bukan file Excel .xlsx."), code="berkas_bukan_file_excel")
    check_xlsx(data, max_rows=2_000, max_columns=60)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(
            _("Berkas bukan file Excel .xlsx yang dapat dibaca."), code="berkas_bukan_file_excel"
        ) from exc
    ws = wb.worksheets[0]
    title = _text(ws.cell(row=1, column=1).value)
    header = _text(ws.cell(row=6, column=C_TARGET).value)
    year_match = re.search(r"(\d{4})", _text(ws.cell(row=3, column=1).value))
    end_match = re.search(r"(\d{4})", _text(ws.cell(row=6, column=C_END_TARGET).value))
    if "Evaluasi" not in title or "Target" not in header or not year_match or not end_match:
        raise ValidationError(
            _(
                "Berkas ini bukan Formulir E.81 (Evaluasi terhadap hasil Renja): judul "
                "di A1, tahun di A3 dan judul kolom di baris 6 tidak dikenali."
            ),
            code="berkas_bukan_formulir_evaluasi",
        )
    sheet = E81Sheet(
        government_name=_text(ws.cell(row=2, column=1).value),
        year=int(year_match.group(1)),
        end_year=int(end_match.group(1)),
        unit_name="",
    )
    unit_cell = _text(ws.cell(row=FIRST_ROW - 1, column=C_OBJECTIVE).value)
    sheet.unit_name = unit_cell.split(":", 1)[-1].strip()
    current_objective = ""
    for r in range(FIRST_ROW, ws.max_row + 1):

        def cell(c: int, r: int = r) -> Any:
            return ws.cell(row=r, column=c).value

        number = _text(cell(C_NO))
        programme, indicator = _text(cell(C_PROGRAMME)), _text(cell(C_INDICATOR))
        if _text(cell(C_OBJECTIVE)):
            current_objective = _text(cell(C_OBJECTIVE))
        if not programme and not indicator:
            if cell(C_BUDGET - 4) is None and cell(C_BUDGET) is None:
                continue  # blank, or the signature block below the table
            kind = "total"
        elif not indicator:
            kind = "heading"
        elif not programme:
            kind = "indicator"
        elif programme.lower().startswith("program"):
            kind = "programme"
        else:
            kind = "activity"
        renstra = cell(C_RENSTRA_ACHIEVEMENT)
        sheet.rows.append(
            E81Row(
                row=r,
                kind=kind,
                number=number,
                objective=current_objective,
                programme=programme,
                indicator=indicator,
                unit_of_measure=_text(cell(C_UNIT)),
                end_target=_dec(cell(C_END_TARGET)),
                before=_dec(cell(C_BEFORE)),
                target=_dec(cell(C_TARGET)),
                budget=_dec(cell(C_BUDGET)),
                quarters=[_dec(cell(c)) for c in C_QUARTERS],
                shares=[_dec(cell(c)) for c in C_QUARTER_SHARE],
                year_realised=_dec(cell(C_YEAR_REALISED)),
                renstra_workbook=_dec(renstra),
                renstra_workbook_text=_text(renstra),
            )
        )
        if kind == "total":
            break
    return sheet


def _fmt(value: Decimal | None) -> str | None:
    """Exact, for the stored report."""
    return None if value is None else format(value.normalize(), "f")


def _show(value: Decimal | None) -> str:
    """For the reasons people read: Indonesian, at most two decimals (Excel's float noise
    such as 100.00000000000001 is not what anyone typed)."""
    if value is None:
        return "–"
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    return format_decimal(rounded)


def compare(row: E81Row) -> dict[str, Any]:
    """Kinerja's achievements for one indicator row against the workbook's, with why."""
    aggregation = aggregation_for(row.unit_of_measure)
    values = [q for q in row.quarters]
    if aggregation == "last":
        running: list[Decimal | None] = []
        total = Decimal(0)
        for q in values:
            if q is None:
                running.append(None)
            else:
                total += q
                running.append(total)
        periods = running
    else:
        periods = values
    year_value = calc.year_value(periods, aggregation)
    year = calc.explain_achievement(row.target, year_value, polarity="higher")
    share = row.shares[3]
    year_workbook = share * 100 if share is not None else None
    if aggregation == "last":
        renstra_value = year_value
        renstra_rule = "nilai tahun terakhir terhadap target akhir Renstra"
    else:
        renstra_value = None if year_value is None else (row.before or Decimal(0)) + year_value
        renstra_rule = "jumlah realisasi s.d. tahun ini terhadap target akhir Renstra"
    renstra = calc.explain_achievement(row.end_target, renstra_value, polarity="higher")
    workbook = row.renstra_workbook
    reasons = []
    quarters_sum = sum((q for q in row.quarters if q is not None), Decimal(0))
    if row.year_realised is not None and abs(quarters_sum - row.year_realised) > TOLERANCE:
        reasons.append(
            f"Kolom 13 (realisasi tahun) lembar kerja {_show(row.year_realised)}, padahal "
            f"jumlah realisasi triwulan I–IV {_show(quarters_sum)}; Kinerja memakai angka "
            "triwulan."
        )
    if workbook is None and row.renstra_workbook_text:
        reasons.append(
            f"Lembar kerja menulis {row.renstra_workbook_text} (target akhir nol); "
            f"Kinerja: {renstra.reason or 'tidak terdefinisi'}"
        )
    elif workbook is not None and renstra.value is None:
        reasons.append(
            f"Lembar kerja menulis {_show(workbook)}%; "
            f"Kinerja tidak menghitungnya: {renstra.reason}"
        )
    elif (
        workbook is not None
        and renstra.value is not None
        and abs(workbook - renstra.value) > TOLERANCE
    ):
        summed = (row.before or Decimal(0)) + (row.year_realised or Decimal(0))
        if (
            aggregation == "last"
            and row.end_target
            and abs(summed / row.end_target * 100 - workbook) <= TOLERANCE
        ):
            reasons.append(
                f"Lembar kerja menjumlahkan {row.unit_of_measure or 'nilai'} antartahun "
                f"({_show(row.before)} + {_show(row.year_realised)} = {_show(summed)}) lalu "
                f"membaginya dengan target {_show(row.end_target)}; untuk indikator persentase, "
                "indeks atau stok Kinerja memakai nilai terakhir."
            )
        else:
            reasons.append(
                f"Rumus berbeda: lembar kerja {_show(workbook)}%, Kinerja ({renstra_rule}) "
                f"{_show(renstra.value)}%."
            )
    if (
        year.value is not None
        and year_workbook is not None
        and abs(year.value - year_workbook) > TOLERANCE
    ):
        reasons.append(
            f"Capaian tahun {_show(year.value)}% menurut Kinerja, {_show(year_workbook)}% menurut "
            "kolom persen TW IV lembar kerja."
        )
    return {
        "aggregation": aggregation,
        "periods": [_fmt(p) for p in periods],
        "year_value": _fmt(year_value),
        "year_kinerja": _fmt(year.value),
        "year_reason": year.reason,
        "year_workbook": _fmt(year_workbook),
        "renstra_kinerja": _fmt(renstra.value),
        "renstra_reason": renstra.reason,
        "renstra_workbook": _fmt(workbook) if workbook is not None else row.renstra_workbook_text,
        "differs": bool(reasons),
        "reasons": reasons,
    }


@dataclass
class _PlanWriter:
    """Writes the form's rows into the unit's plan through planning's services (each object
    audited there): one objective per objective title, programmes and their activities with
    their budget, one indicator per row with its year's and end targets."""

    unit: Unit
    serves: Objective
    term: Term
    sheet: E81Sheet
    prefix: str
    by: User
    objectives: dict[str, Objective] = field(default_factory=dict)
    activity_parent: Programme | None = None
    current: Programme | None = None
    n_programme: int = 0
    n_activity: int = 0
    n_indicator: int = 0

    def objective(self, title: str) -> Objective:
        if title not in self.objectives:
            self.objectives[title] = plan_object_save(
                obj=Objective(
                    term=self.term,
                    unit=self.unit,
                    serves=self.serves,
                    code=f"{self.prefix}-S{len(self.objectives) + 1}",
                    title=title,
                ),
                by=self.by,
            )
        return self.objectives[title]

    def _programme(self, **fields: Any) -> Programme:
        objectives = fields.pop("objectives", [])
        budget = fields.pop("budget", None)
        return programme_save(
            programme=Programme(term=self.term, unit=self.unit, **fields),
            objectives=objectives,
            budgets={} if budget is None else {self.sheet.year: budget},
            by=self.by,
        )

    def programme(self, row: E81Row, objective: Objective) -> None:
        self.n_programme += 1
        self.n_activity = 0
        self.activity_parent = self.current = self._programme(
            kind=Programme.Kind.PROGRAMME,
            code=f"E81-{self.sheet.year}-P{self.n_programme:02d}",
            name=row.programme,
            objectives=[objective],
            budget=row.budget,
        )

    def activity(self, row: E81Row, objective: Objective) -> None:
        if self.activity_parent is None:
            self.n_programme += 1
            self.activity_parent = self._programme(
                kind=Programme.Kind.PROGRAMME,
                code=f"E81-{self.sheet.year}-P{self.n_programme:02d}",
                name="Program (tanpa judul di Formulir E.81)",
            )
        self.n_activity += 1
        self.current = self._programme(
            kind=Programme.Kind.ACTIVITY,
            parent=self.activity_parent,
            code=f"{self.activity_parent.code}.K{self.n_activity:02d}",
            name=row.programme,
            objectives=[objective],
            budget=row.budget,
        )

    def indicator(self, row: E81Row, objective: Objective) -> Indicator:
        self.n_indicator += 1
        source = f"Formulir E.81 {self.sheet.year}, baris {row.row}"
        indicator = plan_object_save(
            obj=Indicator(
                objective=objective,
                responsible_unit=self.unit,
                programme=self.current,
                code=f"{self.prefix}-{self.n_indicator:03d}",
                name=row.indicator,
                unit_of_measure=row.unit_of_measure or "-",
                aggregation=aggregation_for(row.unit_of_measure),
                frequency=Indicator.Frequency.QUARTERLY,
                baseline_value=row.before if row.before is not None else Decimal(0),
                baseline_year=self.sheet.year - 1,
                data_source=source,
            ),
            by=self.by,
        )
        targets: TargetValues = {
            year: (value, None)
            for year, value in (
                (self.sheet.year, row.target),
                (self.sheet.end_year, row.end_target),
            )
            if value is not None
        }
        if targets:
            indicator_targets_set(
                indicator=indicator, targets=targets, by=self.by, provenance=source
            )
        return indicator


def _e81_start(
    *, unit: Unit, serves: Objective, term: Term, data: bytes, by: User
) -> tuple[E81Sheet, str, str]:
    """Read the form and refuse it whole when it cannot be imported: the form, its digest and
    the code prefix of what it adds."""
    require_plan_editor(by, unit)
    if serves.government_id != unit.government_id or serves.unit_id is not None:
        raise ValidationError(
            _("Pilih sasaran pemerintah daerah yang didukung."),
            code="pilih_sasaran_pemerintah_daerah",
        )
    if term.government_id != unit.government_id:
        raise ValidationError(
            _("Periode rencana bukan milik pemerintah daerah ini."),
            code="periode_rencana_bukan_milik",
        )
    sheet = e81_read(data)
    digest = hashlib.sha256(data).hexdigest()
    if E81Import.objects.filter(unit=unit, sha256=digest).exists():
        raise ValidationError(
            _("Berkas yang sama sudah pernah diimpor ke perangkat daerah ini."),
            code="berkas_sama_pernah_diimpor",
        )
    prefix = f"{unit.code}-E81-{sheet.year}"
    if Objective.objects.filter(term=term, code__startswith=prefix).exists():
        raise ValidationError(
            _("Formulir E.81 tahun %(year)s sudah diimpor ke perangkat daerah ini."),
            code="formulir_tahun_diimpor_perangkat",
            params={"year": sheet.year},
        )
    # Everything this form adds holds targets and figures for the unit's year: refused whole
    # when that year is frozen (its agreement signed, the year closed, ...).
    probe = Indicator(
        government_id=unit.government_id,
        objective=Objective(unit=unit),
        responsible_unit=unit,
        code=prefix,
    )
    refuse_frozen(probe, {sheet.year, sheet.end_year})
    return sheet, digest, prefix


def _report_entry(row: E81Row) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "row": row.row,
        "kind": row.kind,
        "number": row.number,
        "programme": row.programme,
        "indicator": row.indicator,
        "unit": row.unit_of_measure,
        "target": _fmt(row.target),
        "end_target": _fmt(row.end_target),
        "realised": _fmt(row.year_realised),
    }
    if row.kind in ("heading", "total"):
        entry["note"] = (
            "Judul urusan/bidang dengan jumlah anggaran; bukan indikator."
            if row.kind == "heading"
            else "Baris jumlah anggaran seluruh perangkat daerah."
        )
    return entry


@transaction.atomic
def e81_import(
    *,
    unit: Unit,
    serves: Objective,
    term: Term,
    data: bytes,
    filename: str,
    by: User,
) -> E81Import:
    """Import the form into the unit, all or nothing; the report lists every row."""
    sheet, digest, prefix = _e81_start(unit=unit, serves=serves, term=term, data=data, by=by)
    now = timezone.now()
    plan = _PlanWriter(unit=unit, serves=serves, term=term, sheet=sheet, prefix=prefix, by=by)
    counts = {"heading": 0, "programme": 0, "activity": 0, "indicator": 0, "total": 0}
    report_rows = []
    realisations = []
    for row in sheet.rows:
        counts[row.kind] += 1
        entry = _report_entry(row)
        report_rows.append(entry)
        if row.kind in ("heading", "total"):
            continue
        objective = plan.objective(row.objective or "Sasaran dari Formulir E.81")
        if row.kind == "programme":
            plan.programme(row, objective)
        elif row.kind == "activity":
            plan.activity(row, objective)
        indicator = plan.indicator(row, objective)
        comparison = compare(row)
        realisations += [
            Realisation(
                government_id=unit.government_id,
                indicator=indicator,
                year=sheet.year,
                periods_in_year=4,
                period=period,
                value=Decimal(figure),
                note=f"Diimpor dari Formulir E.81 ({filename}), baris {row.row}.",
                status=Realisation.Status.SUBMITTED,
                submitted_at=now,
                entered_by=by,
            )
            for period, figure in enumerate(comparison["periods"], start=1)
            if figure is not None
        ]
        entry.update(comparison, code=indicator.code, indicator_id=indicator.pk)
    Realisation.objects.bulk_create(realisations)
    figures.bump(unit.government_id, [unit.pk])  # written in bulk, past the signals
    report = {
        "government": sheet.government_name,
        "unit_in_file": sheet.unit_name,
        "year": sheet.year,
        "end_year": sheet.end_year,
        "counts": counts,
        "realisations": len(realisations),
        "differences": sum(1 for r in report_rows if r.get("differs")),
        "rows": report_rows,
    }
    result = E81Import.objects.create(
        government_id=unit.government_id,
        unit=unit,
        year=sheet.year,
        filename=filename[:255],
        sha256=digest,
        report=report,
        imported_by=by,
    )
    record(
        actor=by,
        action="monitoring.e81_import",
        obj=result,
        before=None,
        after={
            "file": filename,
            "sha256": digest,
            "indicators": counts["programme"] + counts["activity"] + counts["indicator"],
            "realisations": len(realisations),
            "differences": report["differences"],
        },
    )
    return result
