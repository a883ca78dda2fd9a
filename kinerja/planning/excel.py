"""The plan matrix in Excel: the RPJMD/Renstra layout, out and back in.

One row per mission, goal, objective, unit objective and indicator, with code, parent code,
unit of measure, baseline, a target per year of the term and the responsible unit. The import
validates every row before anything is saved and reports each error by row and column, in
Indonesian; it saves only a file without errors, all in one transaction.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from kinerja.accounts.access import require_planner
from kinerja.accounts.models import Unit, User
from kinerja.core.audit import record
from kinerja.core.numbers import NumberError, format_decimal, parse_decimal
from kinerja.core.spreadsheets import check_xlsx
from kinerja.planning.freeze import describe, frozen
from kinerja.planning.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    PlanImport,
    Term,
)
from kinerja.planning.services import indicator_targets_set, plan_object_save

SHEET_TITLE = "Matriks Rencana"
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

LEVEL_MISSION = "Misi"
LEVEL_GOAL = "Tujuan"
LEVEL_OBJECTIVE = "Sasaran"
LEVEL_UNIT_OBJECTIVE = "Sasaran PD"
LEVEL_INDICATOR = "Indikator"
LEVELS = [LEVEL_MISSION, LEVEL_GOAL, LEVEL_OBJECTIVE, LEVEL_UNIT_OBJECTIVE, LEVEL_INDICATOR]
PARENT_LEVELS = {
    LEVEL_MISSION: (),
    LEVEL_GOAL: (LEVEL_MISSION,),
    LEVEL_OBJECTIVE: (LEVEL_GOAL,),
    LEVEL_UNIT_OBJECTIVE: (LEVEL_OBJECTIVE,),
    LEVEL_INDICATOR: (LEVEL_OBJECTIVE, LEVEL_UNIT_OBJECTIVE),
}

POLARITY = {"Naik": "higher", "Turun": "lower", "Rentang": "range"}
LOWER_FORMULA = {"Cermin": "mirror", "Rasio": "ratio"}
AGGREGATION = {"Kumulatif": "cumulative", "Nilai Terakhir": "last", "Rata-rata": "average"}
FREQUENCY = {"Bulanan": "monthly", "Triwulanan": "quarterly"}
YES_NO = {"Ya": True, "Tidak": False}

# Leading characters that make a spreadsheet treat text as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RANGE = re.compile(r"^\s*(.+?)\s*(?:–|—|s\.d\.?|sd|-)\s*(.+?)\s*$")


def headers_for(term: Term) -> list[str]:
    return [
        "Jenis",
        "Kode",
        "Kode Induk",
        "Uraian",
        "Satuan",
        "Polaritas",
        "Rumus Capaian",
        "Agregasi",
        "Frekuensi",
        "IKU",
        "Kondisi Awal",
        "Tahun Kondisi Awal",
        *[f"Target {year}" for year in term.target_years],
        "Perangkat Daerah Penanggung Jawab",
        "Sumber Data",
        "Definisi Operasional",
        "Formula",
    ]


def _label(mapping: dict[str, Any], value: Any) -> str:
    return next((k for k, v in mapping.items() if v == value), "")


# ---------------------------------------------------------------------------------------------
# Export


def _matrix_rows(term: Term, unit: Unit | None = None) -> list[list[Any]]:
    """The rows of the matrix, in tree order; the whole government, or one unit's Renstra."""
    from kinerja.planning.selectors import plan_tree

    tree = plan_tree(term)
    years = term.target_years
    blank_indicator = [""] * (8 + len(years))
    rows: list[list[Any]] = []

    def indicator_row(ind: Indicator, parent_code: str) -> list[Any]:
        targets = {t.year: t for t in ind.targets.all()}
        target_cells: list[Any] = []
        for year in years:
            t = targets.get(year)
            if t is None:
                target_cells.append(None)
            elif t.value_high is not None:
                target_cells.append(f"{_num_text(t.value)} – {_num_text(t.value_high)}")
            else:
                target_cells.append(t.value)
        return [
            LEVEL_INDICATOR,
            ind.code,
            parent_code,
            ind.name,
            ind.unit_of_measure,
            _label(POLARITY, ind.polarity),
            _label(LOWER_FORMULA, ind.lower_formula) if ind.polarity == "lower" else "",
            _label(AGGREGATION, ind.aggregation),
            _label(FREQUENCY, ind.frequency),
            "Ya" if ind.is_key else "Tidak",
            ind.baseline_value,
            ind.baseline_year,
            *target_cells,
            ind.responsible_unit.name if ind.responsible_unit else "",
            ind.data_source,
            ind.definition,
            ind.formula,
        ]

    def plain_row(level: str, code: str, parent: str, title: str, unit_name: str = "") -> list[Any]:
        return [level, code, parent, title, *blank_indicator, unit_name, "", "", ""]

    for m in tree.missions:
        rows.append(plain_row(LEVEL_MISSION, m.mission.code, "", m.mission.title))
        for g in m.goals:
            rows.append(plain_row(LEVEL_GOAL, g.goal.code, m.mission.code, g.goal.title))
            for o in g.objectives:
                obj = o.objective
                rows.append(plain_row(LEVEL_OBJECTIVE, obj.code, g.goal.code, obj.title))
                for ind in o.indicators:
                    rows.append(indicator_row(ind, obj.code))
                for uo in o.unit_objectives:
                    uobj = uo.objective
                    rows.append(
                        plain_row(
                            LEVEL_UNIT_OBJECTIVE,
                            uobj.code,
                            obj.code,
                            uobj.title,
                            uobj.unit.name if uobj.unit else "",
                        )
                    )
                    for ind in uo.indicators:
                        rows.append(indicator_row(ind, uobj.code))
    if unit is not None:
        rows = _rows_for_unit(rows, unit, unit_col=12 + len(years))
    return rows


def _rows_for_unit(rows: list[list[Any]], unit: Unit, *, unit_col: int) -> list[list[Any]]:
    """Keep a unit's rows and the ancestors they need, so the file still imports."""
    parent_of = {r[1]: r[2] for r in rows}
    keep: set[str] = set()
    for r in rows:
        if r[unit_col] == unit.name:
            code = r[1]
            while code:
                keep.add(code)
                code = parent_of.get(code, "")
    return [r for r in rows if r[1] in keep]


def _num_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _safe_text(cell: Any, value: Any) -> None:
    """Write a value; text never becomes a formula (formula injection)."""
    if isinstance(value, Decimal):
        # Exact: integers as int, others as float only when the float is exact enough to
        # read back to the same Decimal; otherwise as text, which the import reads exactly.
        if value == value.to_integral():
            cell.value = int(value)
        elif Decimal(repr(float(value))) == value.normalize():
            cell.value = float(value)
        else:
            cell.value = _num_text(value)
            cell.data_type = "s"
        return
    cell.value = value
    if isinstance(value, str) and value:
        # openpyxl turns any text starting with "=" into a formula: force the string type.
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True


def export_plan_matrix(term: Term, unit: Unit | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    scope = unit.name if unit else term.government.name
    ws["A1"] = f"MATRIKS RENCANA KINERJA {scope.upper()}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = f"{term.name} {term.start_year}–{term.end_year}"
    headers = headers_for(term)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for col, title in enumerate(headers, start=1):
        c = ws.cell(row=HEADER_ROW, column=col, value=title)
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(_matrix_rows(term, unit), start=FIRST_DATA_ROW):
        for col, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            _safe_text(ws.cell(row=r, column=col), value)
    widths = {1: 12, 2: 14, 3: 14, 4: 60, 5: 16}
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 16)
    ws.freeze_panes = f"E{FIRST_DATA_ROW}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    level: str
    code: str
    parent_code: str
    title: str
    values: dict[str, Any] = field(default_factory=dict)
    targets: dict[int, tuple[Decimal, Decimal | None] | None] = field(default_factory=dict)
    unit: Unit | None = None
    status: str = "baru"
    # What changed against the saved plan: (field, old, new), shown in the preview.
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ParsedRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {
            lvl: {"baru": 0, "berubah": 0, "tetap": 0} for lvl in LEVELS
        }
        for r in self.rows:
            counts[r.level][r.status] += 1
        return counts


# A plan matrix of a city has a few hundred rows; a province's a few thousand.
MAX_SHEET_ROWS, MAX_SHEET_COLUMNS = 10_000, 60


class _Sheet:
    """Cell access that resolves formula cells to their stored value, or reports them."""

    def __init__(self, content: bytes):
        self.formulas = load_workbook(io.BytesIO(content), data_only=False, read_only=False)
        self.values = load_workbook(io.BytesIO(content), data_only=True, read_only=False)


def _read_workbook(content: bytes, term: Term) -> tuple[Any, Any, list[str]] | RowError:
    if len(content) > settings.KINERJA_MAX_UPLOAD_BYTES:
        limit = settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)
        return RowError(
            None, None, _("Berkas terlalu besar (batas %(limit)s MB).") % {"limit": limit}
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return RowError(
            None,
            None,
            _(
                "Berkas bukan file Excel .xlsx. Simpan ulang sebagai 'Excel Workbook "
                "(.xlsx)' lalu unggah kembali."
            ),
        )
    try:
        check_xlsx(content, max_rows=MAX_SHEET_ROWS, max_columns=MAX_SHEET_COLUMNS)
    except ValidationError as exc:
        return RowError(None, None, exc.messages[0])
    try:
        sheet = _Sheet(content)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return RowError(None, None, _("Berkas bukan file Excel .xlsx yang dapat dibaca."))
    if SHEET_TITLE not in sheet.formulas.sheetnames:
        names = ", ".join(f"'{n}'" for n in sheet.formulas.sheetnames)
        return RowError(
            None,
            None,
            _(
                "Lembar '%(SHEET_TITLE)s' tidak ditemukan (lembar yang ada: "
                "%(names)s). Gunakan berkas hasil ekspor matriks rencana."
            )
            % {"SHEET_TITLE": SHEET_TITLE, "names": names},
        )
    ws_f = sheet.formulas[SHEET_TITLE]
    ws_v = sheet.values[SHEET_TITLE]
    expected = headers_for(term)
    found = [
        str(ws_f.cell(row=HEADER_ROW, column=c).value or "").strip()
        for c in range(1, len(expected) + 1)
    ]
    if found != expected:
        wrong = next(i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b)
        return RowError(
            HEADER_ROW,
            get_column_letter(wrong + 1),
            _(
                "Judul kolom tidak sesuai: tertulis '%(value)s', seharusnya "
                "'%(value2)s'. Judul kolom harus di baris %(HEADER_ROW)s dan target "
                "tahunan harus %(value3)s–%(value4)s."
            )
            % {
                "value": found[wrong],
                "value2": expected[wrong],
                "HEADER_ROW": HEADER_ROW,
                "value3": term.target_years[0],
                "value4": term.target_years[-1],
            },
        )
    return ws_f, ws_v, expected


def parse_plan_matrix(content: bytes, term: Term) -> ImportResult:
    """Read and validate a whole workbook against the term; save nothing."""
    read = _read_workbook(content, term)
    if isinstance(read, RowError):
        return ImportResult([], [read])
    ws_f, ws_v, headers = read
    col = {name: i + 1 for i, name in enumerate(headers)}
    years = term.target_years
    units = list(Unit.objects.filter(government_id=term.government_id))
    unit_lookup: dict[str, Unit] = {}
    for u in units:
        for key in (u.name, u.code, u.short_name):
            if key:
                unit_lookup[key.strip().casefold()] = u

    errors: list[RowError] = []
    rows: list[ParsedRow] = []
    seen_codes: dict[str, int] = {}

    for r in range(FIRST_DATA_ROW, ws_f.max_row + 1):

        def cell(name: str, r: int = r) -> Any:
            c = ws_f.cell(row=r, column=col[name])
            value = c.value
            if c.data_type == "f" or (
                isinstance(value, str) and value.startswith("=") and c.data_type != "s"
            ):
                cached = ws_v.cell(row=r, column=col[name]).value
                if cached is None:
                    errors.append(
                        RowError(
                            r,
                            get_column_letter(col[name]),
                            _(
                                "Sel %(value)s%(r)s berisi rumus tanpa nilai tersimpan. "
                                "Ganti rumus dengan nilainya lalu unggah kembali."
                            )
                            % {"value": get_column_letter(col[name]), "r": r},
                        )
                    )
                    return None
                value = cached
            if isinstance(value, str):
                value = value.strip()
            return value

        def err(name: str, message: str, r: int = r) -> None:
            errors.append(RowError(r, get_column_letter(col[name]), message))

        raw = [ws_f.cell(row=r, column=c).value for c in range(1, len(headers) + 1)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        level = str(cell("Jenis") or "")
        code = str(cell("Kode") or "")
        parent_code = str(cell("Kode Induk") or "")
        title = str(cell("Uraian") or "")
        if level not in LEVELS:
            err(
                "Jenis",
                _("Jenis '%(level)s' tidak dikenal; pilih salah satu: %(value)s.")
                % {"level": level, "value": ", ".join(LEVELS)},
            )
            continue
        if not code:
            err("Kode", _("Kode wajib diisi."))
        elif code in seen_codes:
            err(
                "Kode",
                _("Kode '%(code)s' ganda: sudah dipakai di baris %(value)s.")
                % {"code": code, "value": seen_codes[code]},
            )
        else:
            seen_codes[code] = r
        if not title:
            err("Uraian", _("Uraian wajib diisi."))
        parsed = ParsedRow(r, level, code, parent_code, title)
        if PARENT_LEVELS[level] and not parent_code:
            err(
                "Kode Induk",
                _("%(level)s harus punya kode induk (%(value)s).")
                % {"level": level, "value": " atau ".join(PARENT_LEVELS[level])},
            )

        unit_text = str(cell("Perangkat Daerah Penanggung Jawab") or "")
        if unit_text:
            parsed.unit = unit_lookup.get(unit_text.casefold())
            if parsed.unit is None:
                err(
                    "Perangkat Daerah Penanggung Jawab",
                    _("Perangkat daerah '%(unit_text)s' tidak dikenal di %(name)s.")
                    % {"unit_text": unit_text, "name": term.government.name},
                )
        elif level == LEVEL_UNIT_OBJECTIVE:
            err(
                "Perangkat Daerah Penanggung Jawab",
                _("Sasaran PD wajib menyebut perangkat daerahnya."),
            )

        if level == LEVEL_INDICATOR:
            _parse_indicator(parsed, cell, err, years)
        else:
            # Nothing typed may vanish: indicator columns on another row are an error.
            allowed_unit = level == LEVEL_UNIT_OBJECTIVE
            for header in headers[4:]:
                if header == "Perangkat Daerah Penanggung Jawab" and allowed_unit:
                    continue
                value = ws_f.cell(row=r, column=col[header]).value
                if value is not None and str(value).strip():
                    err(
                        header,
                        _(
                            "Kolom '%(header)s' hanya untuk baris Indikator; kosongkan sel ini "
                            "atau ubah Jenis baris %(level)s ini."
                        )
                        % {"header": header, "level": level},
                    )
        rows.append(parsed)

    if not rows and not errors:
        errors.append(
            RowError(FIRST_DATA_ROW, None, _("Tidak ada baris data di bawah judul kolom."))
        )

    # Parents: must exist in the file, at the right level, and come before their children.
    level_of = {p.code: (p.level, p.row) for p in rows}
    for p in rows:
        if not p.parent_code or not PARENT_LEVELS[p.level]:
            continue
        parent = level_of.get(p.parent_code)
        col_letter = get_column_letter(col["Kode Induk"])
        if parent is None:
            errors.append(
                RowError(
                    p.row,
                    col_letter,
                    _("Kode induk '%(parent_code)s' tidak ada di berkas.")
                    % {"parent_code": p.parent_code},
                )
            )
        elif parent[0] not in PARENT_LEVELS[p.level]:
            errors.append(
                RowError(
                    p.row,
                    col_letter,
                    _("Induk %(level)s harus %(value)s, bukan %(value2)s ('%(parent_code)s').")
                    % {
                        "level": p.level,
                        "value": " atau ".join(PARENT_LEVELS[p.level]),
                        "value2": parent[0],
                        "parent_code": p.parent_code,
                    },
                )
            )
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    result = ImportResult(rows, errors)
    if result.ok:
        _mark_status(result, term)
        result.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return result


def _parse_indicator(parsed: ParsedRow, cell: Any, err: Any, years: list[int]) -> None:
    v = parsed.values
    v["unit_of_measure"] = str(cell("Satuan") or "")
    if not v["unit_of_measure"]:
        err("Satuan", _("Satuan indikator wajib diisi."))
    choices: list[tuple[str, str, dict[str, Any], str | None]] = [
        ("Polaritas", "polarity", POLARITY, None),
        ("Agregasi", "aggregation", AGGREGATION, "last"),
        ("Frekuensi", "frequency", FREQUENCY, "quarterly"),
    ]
    for header, key, mapping, default in choices:
        text = str(cell(header) or "")
        if not text and default is not None:
            v[key] = default
        elif text in mapping:
            v[key] = mapping[text]
        else:
            err(
                header,
                _("%(header)s '%(text)s' tidak dikenal; pilih: %(value)s.")
                % {"header": header, "text": text, "value": ", ".join(mapping)},
            )
    formula_text = str(cell("Rumus Capaian") or "")
    if not formula_text:
        v["lower_formula"] = "mirror"
    elif formula_text in LOWER_FORMULA:
        v["lower_formula"] = LOWER_FORMULA[formula_text]
    else:
        err(
            "Rumus Capaian",
            _("Rumus capaian '%(formula_text)s' tidak dikenal; pilih: Cermin, Rasio.")
            % {"formula_text": formula_text},
        )
    iku = str(cell("IKU") or "Tidak")
    if iku in YES_NO:
        v["is_key"] = YES_NO[iku]
    else:
        err("IKU", _("IKU '%(iku)s' tidak dikenal; isi Ya atau Tidak.") % {"iku": iku})

    baseline = cell("Kondisi Awal")
    if baseline is None or baseline == "":
        err("Kondisi Awal", _("Kondisi awal (baseline) wajib diisi."))
    else:
        try:
            v["baseline_value"] = parse_decimal(baseline)
        except NumberError as exc:
            err("Kondisi Awal", _("Kondisi awal bukan angka: %(exc)s") % {"exc": exc})
    year = cell("Tahun Kondisi Awal")
    if year is None or year == "":
        err("Tahun Kondisi Awal", _("Tahun kondisi awal wajib diisi."))
    else:
        try:
            year_value = parse_decimal(year)
            if year_value != year_value.to_integral() or not 1900 <= year_value <= 2200:
                raise NumberError("bukan tahun")
            v["baseline_year"] = int(year_value)
        except NumberError:
            err(
                "Tahun Kondisi Awal",
                _("Tahun kondisi awal '%(year)s' bukan tahun.") % {"year": year},
            )

    for year_ in years:
        header = f"Target {year_}"
        raw = cell(header)
        if raw is None or raw == "":
            parsed.targets[year_] = None
            continue
        try:
            parsed.targets[year_] = _target_cell(raw, band=v.get("polarity") == "range")
        except NumberError as exc:
            err(header, _("Target %(year)s bukan angka: %(exc)s") % {"year": year_, "exc": exc})
    v["data_source"] = str(cell("Sumber Data") or "")
    v["definition"] = str(cell("Definisi Operasional") or "")
    v["formula"] = str(cell("Formula") or "")


def _target_cell(raw: object, *, band: bool) -> tuple[Decimal, Decimal | None]:
    """A target cell: one number, or a range 'bawah – atas'. A band indicator needs a range;
    on a higher- or lower-is-better indicator a range keeps the indicator's direction."""
    if not band:
        try:
            return parse_decimal(raw), None
        except NumberError:
            if not (isinstance(raw, str) and _RANGE.match(raw)):
                raise
    match = _RANGE.match(str(raw)) if isinstance(raw, str) else None
    if not match:
        raise NumberError(f"target rentang ditulis 'bawah – atas', bukan '{raw}'")
    low, high = parse_decimal(match.group(1)), parse_decimal(match.group(2))
    if high < low:
        raise NumberError("batas atas lebih kecil dari batas bawah")
    return low, high


def _existing(term: Term) -> dict[str, dict[str, Any]]:
    existing: dict[str, dict[str, Any]] = {}
    for m in term.missions.all():
        existing[m.code] = {"obj": m, "level": LEVEL_MISSION}
    for g in Goal.objects.filter(mission__term=term).select_related("mission"):
        existing[g.code] = {"obj": g, "level": LEVEL_GOAL}
    for o in term.objectives.select_related("goal", "serves"):
        existing[o.code] = {
            "obj": o,
            "level": LEVEL_UNIT_OBJECTIVE if o.unit_id else LEVEL_OBJECTIVE,
        }
    for i in Indicator.objects.filter(objective__term=term).select_related("objective"):
        existing[i.code] = {"obj": i, "level": LEVEL_INDICATOR}
    return existing


def _shown(value: Any) -> str:
    """A value as the preview shows it beside its replacement: numbers the Indonesian way."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _shown_target(pair: tuple[Decimal, Decimal | None] | None) -> str:
    if pair is None:
        return "–"
    low, high = pair
    return format_decimal(low) + (f" – {format_decimal(high)}" if high is not None else "")


def _mark_status(result: ImportResult, term: Term) -> None:
    """Preview: is each row new, changed or unchanged compared with the saved plan?"""
    existing = _existing(term)
    rows_by_code = {p.code: p for p in result.rows}
    targets = {
        (t.indicator.code, t.year): (t.value, t.value_high)
        for t in IndicatorTarget.objects.filter(indicator__objective__term=term).select_related(
            "indicator"
        )
    }
    for p in result.rows:
        found = existing.get(p.code)
        if found is None:
            p.status = "baru"
            continue
        obj = found["obj"]
        changes: list[tuple[str, str, str]] = [
            (label, _shown(old), _shown(new))
            for label, old, new in (
                (_("Jenis"), found["level"], p.level),
                (_("Uraian"), _title_of(obj), p.title),
                (_("Induk"), _parent_code_of(obj), p.parent_code),
            )
            if old != new
        ]
        if p.level in (LEVEL_UNIT_OBJECTIVE, LEVEL_INDICATOR):
            unit = obj.unit if p.level == LEVEL_UNIT_OBJECTIVE else obj.responsible_unit
            wanted = p.unit
            if p.level == LEVEL_INDICATOR and rows_by_code.get(p.parent_code, p).level == (
                LEVEL_UNIT_OBJECTIVE
            ):
                parent_row = rows_by_code[p.parent_code]
                wanted = parent_row.unit if parent_row.unit else wanted
            if (unit.pk if unit else None) != (wanted.pk if wanted else None):
                changes.append((_("Perangkat daerah"), _shown(unit), _shown(wanted)))
        if p.level == LEVEL_INDICATOR:
            for key, value in p.values.items():
                field: Any = Indicator._meta.get_field(key)
                old = getattr(obj, key)
                if old != value:
                    display = dict(field.choices or [])
                    changes.append(
                        (
                            str(field.verbose_name),
                            str(display.get(old, _shown(old))),
                            str(display.get(value, _shown(value))),
                        )
                    )
            for year, pair in p.targets.items():
                old_pair = targets.get((p.code, year))
                if old_pair != (pair if pair is None else (pair[0], pair[1])):
                    changes.append(
                        (
                            _("Target %(year)s") % {"year": year},
                            _shown_target(old_pair),
                            _shown_target(pair),
                        )
                    )
        p.changes = changes
        p.status = "berubah" if changes else "tetap"
    _mark_frozen(result, existing, targets, government_id=term.government_id)


def _mark_frozen(
    result: ImportResult,
    existing: dict[str, dict[str, Any]],
    targets: dict[tuple[str, int], tuple[Decimal, Decimal | None]],
    *,
    government_id: int,
) -> None:
    """A row that would change a frozen year's target is an error, shown in the preview."""
    probes: list[Indicator] = []
    changes: list[tuple[ParsedRow, set[int]]] = []
    rows_by_code = {p.code: p for p in result.rows}
    for p in result.rows:
        if p.level != LEVEL_INDICATOR:
            continue
        changed = {
            year
            for year, pair in p.targets.items()
            if targets.get((p.code, year)) != (None if pair is None else (pair[0], pair[1]))
        }
        if not changed:
            continue
        found = existing.get(p.code)
        if found is not None and found["level"] == LEVEL_INDICATOR:
            probe = found["obj"]
        else:
            parent = existing.get(p.parent_code)
            parent_row = rows_by_code.get(p.parent_code)
            objective = (
                parent["obj"]
                if parent is not None and isinstance(parent["obj"], Objective)
                else Objective(unit=parent_row.unit if parent_row else None)
            )
            probe = Indicator(objective=objective, responsible_unit=p.unit, code=p.code)
        probe.government_id = government_id
        probes.append(probe)
        changes.append((p, changed))
    held = frozen(probes, {y for _p, years in changes for y in years}) if probes else {}
    for pos, (p, years) in enumerate(changes):
        for year in sorted(years):
            if (pos, year) in held:
                result.errors.append(
                    RowError(p.row, None, describe(probes[pos], year, held[(pos, year)]))
                )


def _title_of(obj: Any) -> str:
    return obj.name if isinstance(obj, Indicator) else obj.title


def _parent_code_of(obj: Any) -> str:
    if isinstance(obj, Goal):
        return obj.mission.code
    if isinstance(obj, Objective):
        return obj.serves.code if obj.serves else (obj.goal.code if obj.goal else "")
    if isinstance(obj, Indicator):
        return obj.objective.code
    return ""


@transaction.atomic
def plan_import_upload(*, term: Term, filename: str, content: bytes, by: User) -> PlanImport:
    """Keep an uploaded workbook for its preview: previewed when valid, rejected with its
    errors (and without its content) when not. Audited."""
    government = require_planner(by)
    if term.government_id != government.pk:
        raise PermissionDenied
    result = parse_plan_matrix(content, term)
    plan_import = PlanImport.objects.create(
        government=government,
        term=term,
        uploaded_by=by,
        filename=filename[:255],
        content=content if result.ok else b"",
        status=PlanImport.Status.PREVIEWED if result.ok else PlanImport.Status.REJECTED,
        errors=[e.as_dict() for e in result.errors],
    )
    record(
        actor=by,
        action="plan_import.upload",
        obj=plan_import,
        before=None,
        after={"filename": plan_import.filename, "status": plan_import.status},
    )
    return plan_import


@transaction.atomic
def plan_import_confirm(*, plan_import: PlanImport, by: User) -> ImportResult:
    """Save a previewed import: validated again; a file no longer valid is rejected with its
    errors and nothing is saved. Either way the import is processed once, and audited."""
    require_planner(by)
    plan_import = PlanImport.objects.select_for_update().get(
        pk=plan_import.pk, government_id=plan_import.government_id
    )
    PlanImport.WORKFLOW.check(plan_import, "apply")
    result = apply_plan_matrix(content=bytes(plan_import.content), term=plan_import.term, by=by)
    if result.ok:
        PlanImport.WORKFLOW.apply(plan_import, "apply", by=by, action="plan_import.apply")
    else:
        PlanImport.WORKFLOW.apply(
            plan_import,
            "reject",
            by=by,
            action="plan_import.reject",
            changes={"errors": [e.as_dict() for e in result.errors]},
        )
    return result


@transaction.atomic
def apply_plan_matrix(*, content: bytes, term: Term, by: User) -> ImportResult:
    """Validate again and save the whole file, or nothing. Each changed object is audited."""
    require_planner(by)
    result = parse_plan_matrix(content, term)
    if not result.ok:
        return result
    existing = _existing(term)
    saved: dict[str, Any] = {}
    mission_number = 0
    for p in result.rows:
        found = existing.get(p.code)
        obj: Any = found["obj"] if found and found["level"] == p.level else None
        if p.level == LEVEL_MISSION:
            mission_number += 1
            obj = obj or Mission(term=term, code=p.code)
            obj.number, obj.title = mission_number, p.title
        elif p.level == LEVEL_GOAL:
            obj = obj or Goal(code=p.code)
            obj.mission, obj.title = saved[p.parent_code], p.title
        elif p.level == LEVEL_OBJECTIVE:
            obj = obj or Objective(term=term, code=p.code)
            obj.goal, obj.title, obj.unit, obj.serves = saved[p.parent_code], p.title, None, None
        elif p.level == LEVEL_UNIT_OBJECTIVE:
            obj = obj or Objective(term=term, code=p.code)
            obj.serves, obj.title, obj.unit, obj.goal = saved[p.parent_code], p.title, p.unit, None
        else:
            obj = obj or Indicator(code=p.code)
            obj.objective, obj.name, obj.responsible_unit = saved[p.parent_code], p.title, p.unit
            for key, value in p.values.items():
                setattr(obj, key, value)
        if p.status != "tetap" or obj.pk is None:
            obj = plan_object_save(obj=obj, by=by)
        saved[p.code] = obj
        if p.level == LEVEL_INDICATOR:
            indicator_targets_set(indicator=obj, targets=p.targets, by=by)
    record(
        actor=by,
        action="plan.import",
        obj=term,
        before=None,
        after={"rows": len(result.rows), "counts": result.counts()},
    )
    return result
