"""Supporting data of a proposal: tables (typed, pasted, or from xlsx/CSV) and evidence files."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kinerja.accounts.models import User
from kinerja.auction.models import Evidence, Proposal, SupportingTable
from kinerja.auction.services import require_proposal_editable
from kinerja.core.audit import record
from kinerja.core.spreadsheets import check_xlsx
from kinerja.core.uploads import UploadError, check_upload, store_evidence

MAX_ROWS, MAX_COLUMNS = 500, 30


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trim(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise ValidationError(
            _("Tabel harus punya baris judul kolom dan paling sedikit satu baris data."),
            code="tabel_punya_baris_judul",
        )
    width = max(len(r) for r in rows)
    while width and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    if width > MAX_COLUMNS or len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            _("Tabel terlalu besar: paling banyak %(MAX_COLUMNS)s kolom dan %(MAX_ROWS)s baris."),
            code="tabel_terlalu_besar_paling",
            params={"MAX_COLUMNS": MAX_COLUMNS, "MAX_ROWS": MAX_ROWS},
        )
    padded = [(r + [""] * width)[:width] for r in rows]
    columns = padded[0]
    if any(not c for c in columns):
        raise ValidationError(
            _("Setiap kolom harus punya judul di baris pertama."), code="setiap_kolom_punya_judul"
        )
    return columns, padded[1:]


def parse_pasted(text: str) -> tuple[list[str], list[list[str]]]:
    """Rows typed or pasted from a spreadsheet: tab-, semicolon- or comma-separated."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    sample = "\n".join(lines[:5])
    delimiter = "\t" if "\t" in sample else (";" if ";" in sample else ",")
    return _trim([[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)])


def parse_file(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """The first sheet of an xlsx (stored values of formulas) or a CSV file."""
    if data.startswith(b"PK\x03\x04"):
        try:
            check_upload(
                data, allowed={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
            )
        except UploadError as exc:
            raise ValidationError(
                _("Berkas %(filename)s bukan workbook .xlsx yang dapat dibaca."),
                code="berkas_bukan_workbook_xlsx",
                params={"filename": filename},
            ) from exc
        # The header row counts too; the table's own limits are checked after reading.
        check_xlsx(data, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
        try:
            sheet = load_workbook(io.BytesIO(data), data_only=True, read_only=True).worksheets[0]
        except Exception as exc:
            raise ValidationError(
                _("Berkas %(filename)s bukan workbook .xlsx yang dapat dibaca."),
                code="berkas_bukan_workbook_xlsx",
                params={"filename": filename},
            ) from exc
        return _trim([[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValidationError(
            _("Berkas %(filename)s bukan CSV atau xlsx."),
            code="berkas_bukan_csv_xlsx",
            params={"filename": filename},
        )
    return parse_pasted(text)


@transaction.atomic
def table_add(
    *,
    proposal: Proposal,
    name: str,
    columns: list[str],
    rows: list[list[str]],
    source_filename: str = "",
    by: User,
) -> SupportingTable:
    require_proposal_editable(proposal, by)
    if not name.strip():
        raise ValidationError(
            _("Beri nama tabel, misalnya 'Ibu hamil per kelurahan'."),
            code="beri_nama_tabel_misalnya",
        )
    table = SupportingTable.objects.create(
        government_id=proposal.government_id,
        proposal=proposal,
        name=name.strip()[:200],
        columns=columns,
        rows=rows,
        source_filename=source_filename[:255],
    )
    record(
        actor=by,
        action="proposal.table",
        obj=proposal,
        before=None,
        after={"table": table.name, "columns": len(columns), "rows": len(rows)},
    )
    return table


@transaction.atomic
def evidence_add(*, proposal: Proposal, data: bytes, filename: str, by: User) -> Evidence:
    require_proposal_editable(proposal, by)
    evidence = store_evidence(
        Evidence(government_id=proposal.government_id, proposal=proposal, uploaded_by=by),
        data,
        filename,
    )
    record(
        actor=by,
        action="proposal.evidence",
        obj=proposal,
        before=None,
        after={
            "file": evidence.original_name,
            "sha256": evidence.sha256,
            "type": evidence.content_type,
        },
    )
    return evidence
