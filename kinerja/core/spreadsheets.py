"""Reading an uploaded xlsx within fixed memory and time: checked before openpyxl sees it.

A workbook is a zip of XML parts. Before any of it is loaded this module checks, streaming and
stopping at the first limit: the size of every part once uncompressed and its compression ratio
(a zip bomb), the dimension each sheet declares (openpyxl pads rows to it), and the rows and
columns the sheet really uses (a single cell at row 1,048,576). A refused file raises a
ValidationError with the reason; nothing is read further.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from defusedxml.ElementTree import ParseError, iterparse
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UNCOMPRESSED = 60 * 1024 * 1024  # all parts together, once unpacked
MAX_RATIO = 120  # uncompressed / compressed, per part (real sheets stay far below)
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_xlsx(data: bytes, *, max_rows: int, max_columns: int) -> None:
    """Refuse a workbook that is too big to read safely (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _refuse(_("Berkas ini bukan workbook .xlsx yang dapat dibaca."), "xlsx_bad") from exc
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (part.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise _refuse(
                _("Workbook terlalu besar setelah dibuka (%(mb)s MB); periksa isinya.")
                % {"mb": max(total, part.file_size) // (1024 * 1024)},
                "xlsx_too_large",
            )
    for part in parts:
        if _SHEET.match(part.filename):
            _check_sheet(archive, part, max_rows=max_rows, max_columns=max_columns)


def _check_sheet(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, *, max_rows: int, max_columns: int
) -> None:
    too_big = _refuse(
        _(
            "Lembar kerja terlalu besar: paling banyak %(rows)s baris dan %(cols)s kolom. "
            "Hapus baris atau kolom kosong di bagian bawah atau kanan, lalu unggah lagi."
        )
        % {"rows": max_rows, "cols": max_columns},
        "xlsx_dimension",
    )
    with archive.open(part) as stream:
        try:
            for _event, element in iterparse(stream, events=("start",)):
                tag = element.tag.removeprefix(_NS)
                if tag == "dimension":
                    ref = (element.get("ref") or "").split(":")[-1]
                    match = _CELL.match(ref)
                    if match and (
                        int(match.group(2)) > max_rows
                        or _column_number(match.group(1)) > max_columns
                    ):
                        raise too_big
                elif tag == "row":
                    number = element.get("r")
                    if number and (not number.isdigit() or int(number) > max_rows):
                        raise too_big
                elif tag == "c":
                    match = _CELL.match(element.get("r") or "")
                    if match and _column_number(match.group(1)) > max_columns:
                        raise too_big
                element.clear()
        except (ParseError, ValueError) as exc:  # also defusedxml's refusals (DTDs, entities)
            raise _refuse(
                _("Berkas ini bukan workbook .xlsx yang dapat dibaca."), "xlsx_bad"
            ) from exc


def open_xlsx(data: bytes, *, max_rows: int, max_columns: int, data_only: bool = True) -> Any:
    """An uploaded workbook opened for reading, values only, after every check this module
    makes: the upload's size, that it is an xlsx at all, its unpacked size and its sheets'
    dimensions. A refused file raises a ValidationError saying why, in the reader's words."""
    from django.conf import settings
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if len(data) > settings.KINERJA_MAX_UPLOAD_BYTES:
        raise _refuse(
            _("Berkas terlalu besar (batas %(limit)s MB).")
            % {"limit": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
            "xlsx_too_large",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(
            _(
                "Berkas bukan file Excel .xlsx. Simpan ulang sebagai 'Excel Workbook "
                "(.xlsx)' lalu unggah kembali."
            ),
            "xlsx_bad",
        )
    check_xlsx(data, max_rows=max_rows, max_columns=max_columns)
    try:
        return load_workbook(io.BytesIO(data), data_only=data_only, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(_("Berkas bukan file Excel .xlsx yang dapat dibaca."), "xlsx_bad") from exc


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def append_row(ws: Any, values: list[Any]) -> None:
    """Append a row to a sheet being written; text stays text and never becomes a formula
    (a factor typed as "=HYPERLINK(...)" is shown, not run), Decimals become numbers."""
    from decimal import Decimal

    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        if isinstance(value, Decimal):
            cell.value = float(value)
            continue
        cell.value = value
        if isinstance(value, str) and value:
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
