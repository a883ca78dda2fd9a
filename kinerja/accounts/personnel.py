"""People and posts: the organisation chart on a date, and the personnel import.

The chart (`Organisation`) answers who holds which post and who is whose superior, from the
units, their sub-units and the positions' holders, loaded in a fixed number of queries. A
person's superior is, unless set by hand (`Person.superior`), the head of the nearest sub-unit
above the person's post that has a holder other than the person: a section's staff answer to
its supervisor, a supervisor to the administrator of the division above, an administrator to
the unit head, a unit head to the regional secretary, the secretary to the head of region.

The import reads the personnel system's export (SIASN/SIMPEG), one row per civil servant keyed
by the 18-digit NIP: validated row by row (each error with its row and column, nothing saved
while any remains), previewed against what is stored (new, changed with each change, unchanged,
and the people stored but not in the file, who are left as they are), and saved in one
transaction: people by NIP, sub-units by their path, posts and their holders (a changed post
ends the previous one the day before the new one starts). Importing the same file twice
changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kinerja.accounts.access import require_planner
from kinerja.accounts.models import (
    NIP_LENGTH,
    Government,
    Person,
    PersonnelImport,
    Position,
    PositionAssignment,
    SubUnit,
    Unit,
    User,
)
from kinerja.accounts.services import position_assign
from kinerja.core.audit import record, snapshot
from kinerja.core.spreadsheets import open_xlsx

Kind = Position.Kind
Acting = PositionAssignment.Acting

# ---------------------------------------------------------------------------------------------
# The chart


@dataclass
class Post:
    person: Person
    position: Position
    acting: str
    start: datetime.date


class Organisation:
    """Who holds which post on `on`, and who answers to whom, for one government."""

    def __init__(self, government: Government | int, on: datetime.date | None = None) -> None:
        self.government_id = government if isinstance(government, int) else government.pk
        self.on = on or timezone.localdate()
        self.sub_units = {
            s.pk: s
            for s in SubUnit.objects.filter(government_id=self.government_id).select_related("unit")
        }
        self.positions = {
            p.pk: p
            for p in Position.objects.filter(government_id=self.government_id).select_related(
                "unit", "sub_unit"
            )
        }
        for p in self.positions.values():
            if p.sub_unit_id:
                p.sub_unit = self.sub_units[p.sub_unit_id]
        assignments = (
            PositionAssignment.objects.filter(
                position__government_id=self.government_id, start__lte=self.on
            )
            .filter(Q(end__isnull=True) | Q(end__gte=self.on))
            .select_related("person")
            .order_by("start", "pk")
        )
        self.holder: dict[int, Post] = {}  # position → its holder (definitive before acting)
        self.own: dict[int, Post] = {}  # person → their own post (definitive before acting)
        self.people: dict[int, Person] = {}
        for a in assignments:
            post = Post(a.person, self.positions[a.position_id], a.acting, a.start)
            self.people[a.person_id] = a.person
            rank = a.acting != Acting.DEFINITIVE
            held = self.holder.get(a.position_id)
            if (
                held is None
                or rank < (held.acting != Acting.DEFINITIVE)
                or (rank == (held.acting != Acting.DEFINITIVE) and a.start >= held.start)
            ):
                self.holder[a.position_id] = post
            mine = self.own.get(a.person_id)
            if mine is None or rank < (mine.acting != Acting.DEFINITIVE):
                self.own[a.person_id] = post
        self.sub_unit_head: dict[int, Position] = {}
        self.unit_head: dict[int, Position] = {}
        self.government_post: dict[str, Position] = {}
        for p in self.positions.values():
            if p.kind in (Kind.ADMINISTRATOR, Kind.SUPERVISOR) and p.sub_unit_id:
                self.sub_unit_head[p.sub_unit_id] = p
            elif p.kind == Kind.UNIT_HEAD and p.unit_id:
                self.unit_head[p.unit_id] = p
            elif p.unit_id is None and p.kind != Kind.OTHER:
                self.government_post[p.kind] = p
        overrides = Person.objects.filter(
            government_id=self.government_id, superior__isnull=False
        ).values_list("pk", "superior_id")
        self.override = dict(overrides)

    # -- posts --

    def post_of(self, person: Person | int) -> Post | None:
        return self.own.get(person if isinstance(person, int) else person.pk)

    def holder_of(self, position: Position | int | None) -> Person | None:
        if position is None:
            return None
        post = self.holder.get(position if isinstance(position, int) else position.pk)
        return post.person if post else None

    def path(self, sub_unit: SubUnit | None) -> list[SubUnit]:
        """The sub-unit and its parents, top first."""
        chain: list[SubUnit] = []
        while sub_unit is not None:
            chain.insert(0, sub_unit)
            sub_unit = self.sub_units.get(sub_unit.parent_id) if sub_unit.parent_id else None
        return chain

    # -- superiors --

    def derived_superior(self, person: Person | int) -> Person | None:
        """The superior the tree gives, ignoring any override."""
        pid = person if isinstance(person, int) else person.pk
        post = self.own.get(pid)
        if post is None:
            return None
        position = post.position
        if position.kind == Kind.HEAD_OF_REGION or position.kind == Kind.DEPUTY_HEAD:
            return None
        if position.kind == Kind.REGIONAL_SECRETARY:
            return self._other_holder(self.government_post.get(Kind.HEAD_OF_REGION), pid)
        if position.kind == Kind.UNIT_HEAD or position.unit_id is None:
            return self._other_holder(self.government_post.get(Kind.REGIONAL_SECRETARY), pid)
        sub = self.sub_units.get(position.sub_unit_id) if position.sub_unit_id else None
        if sub is not None and self.sub_unit_head.get(sub.pk) == position:
            sub = self.sub_units.get(sub.parent_id) if sub.parent_id else None
        while sub is not None:
            found = self._other_holder(self.sub_unit_head.get(sub.pk), pid)
            if found is not None:
                return found
            sub = self.sub_units.get(sub.parent_id) if sub.parent_id else None
        return self._other_holder(self.unit_head.get(position.unit_id), pid)

    def _other_holder(self, position: Position | None, pid: int) -> Person | None:
        holder = self.holder_of(position)
        return holder if holder is not None and holder.pk != pid else None

    def superior_of(self, person: Person | int) -> Person | None:
        pid = person if isinstance(person, int) else person.pk
        if pid in self.override:
            chosen = self.people.get(self.override[pid])
            return chosen or Person.objects.filter(pk=self.override[pid]).first()
        return self.derived_superior(pid)

    def subordinates_of(self, person: Person | int) -> list[Person]:
        pid = person if isinstance(person, int) else person.pk
        found = [
            p for p in self.people.values() if p.pk != pid and self.superior_id_of(p.pk) == pid
        ]
        return sorted(found, key=lambda p: p.name)

    def superior_id_of(self, pid: int) -> int | None:
        if pid in self.override:
            return self.override[pid]
        superior = self.derived_superior(pid)
        return superior.pk if superior else None


# ---------------------------------------------------------------------------------------------
# The spreadsheet

SHEET_TITLE = "Pegawai"
MAX_ROWS, MAX_COLUMNS = 20_000, 40
# Field → the headers it is known by in the exports (the first is the template's).
HEADERS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP", "NIP Baru"),
    "name": ("Nama", "Nama Lengkap"),
    "rank": ("Pangkat/Golongan", "Golongan", "Pangkat", "Gol. Ruang"),
    "title": ("Jabatan", "Nama Jabatan"),
    "category": ("Jenis Jabatan",),
    "echelon": ("Eselon",),
    "unit": ("Unit Kerja", "Perangkat Daerah", "Unor Induk"),
    "sub_unit": ("Sub Unit Kerja", "Sub Unit", "Unor"),
    "start": ("TMT Jabatan", "TMT"),
    "acting": ("Status Jabatan", "Plt/Plh"),
    "superior": ("NIP Atasan",),
}
REQUIRED = ("nip", "name", "title", "category", "unit")
CATEGORY = {
    "struktural": "structural",
    "jabatan struktural": "structural",
    "js": "structural",
    "fungsional": "functional",
    "jabatan fungsional": "functional",
    "fungsional tertentu": "functional",
    "jabatan fungsional tertentu": "functional",
    "jft": "functional",
    "pelaksana": "executor",
    "jabatan pelaksana": "executor",
    "fungsional umum": "executor",
    "jabatan fungsional umum": "executor",
    "jfu": "executor",
}
ACTING = {"": Acting.DEFINITIVE, "definitif": Acting.DEFINITIVE, "plt": Acting.PLT}
ACTING |= {"plt.": Acting.PLT, "plh": Acting.PLH, "plh.": Acting.PLH}
_ECHELON = re.compile(r"^(IV|V|I{1,3}|[1-5])\s*[./\-]?\s*([AB])$", re.IGNORECASE)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}
_PATH_SPLIT = re.compile(r"\s*(?:>|›|\s/\s)\s*")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")
SUB_UNIT_KINDS = (
    ("sekretariat", SubUnit.Kind.SECRETARIAT),
    ("subbagian", SubUnit.Kind.SUBDIVISION),
    ("sub bagian", SubUnit.Kind.SUBDIVISION),
    ("subbag", SubUnit.Kind.SUBDIVISION),
    ("bagian", SubUnit.Kind.DIVISION),
    ("bidang", SubUnit.Kind.DIVISION),
    ("sub bidang", SubUnit.Kind.SECTION),
    ("subbidang", SubUnit.Kind.SECTION),
    ("seksi", SubUnit.Kind.SECTION),
    ("upt", SubUnit.Kind.UPT),
    ("unit pelaksana teknis", SubUnit.Kind.UPT),
)


def sub_unit_kind(name: str) -> str:
    lowered = name.strip().lower()
    for prefix, kind in sorted(SUB_UNIT_KINDS, key=lambda pk: -len(pk[0])):
        if lowered.startswith(prefix):
            return kind
    return SubUnit.Kind.OTHER


def normalise_nip(raw: Any) -> str | None:
    """The NIP as 18 digits, spaces and dots removed; None when it is not one. A NIP kept as a
    number by a spreadsheet has lost its last digits (15 significant digits): refused."""
    if raw is None or isinstance(raw, bool | float):
        return None
    text = re.sub(r"[\s.]", "", str(raw)).lstrip("'")
    return text if text.isdigit() and len(text) == NIP_LENGTH else None


def normalise_echelon(raw: Any) -> str | None:
    match = _ECHELON.match(str(raw or "").strip())
    if not match:
        return None
    roman = _ROMAN.get(match.group(1), match.group(1).upper())
    return f"{roman}.{match.group(2).lower()}"


def _date(raw: Any) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class RowError:
    row: int | None
    column: str | None  # the column's header, as the file has it
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PersonRow:
    row: int
    nip: str
    name: str
    rank: str
    title: str
    category: str  # structural, functional, executor
    kind: str  # the Position kind
    echelon: str
    unit: Unit
    sub_path: tuple[str, ...]
    start: datetime.date
    acting: str
    superior_nip: str
    status: str = "baru"  # baru, berubah, tetap
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def sub_label(self) -> str:
        return " › ".join(self.sub_path)


@dataclass
class PersonnelResult:
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_sub_units: list[tuple[Unit, tuple[str, ...]]] = field(default_factory=list)
    not_in_file: list[tuple[Person, Post | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def counts(self) -> dict[str, int]:
        counts = {"baru": 0, "berubah": 0, "tetap": 0}
        for r in self.rows:
            counts[r.status] += 1
        return counts


def template_xlsx() -> bytes:
    """An empty personnel sheet with its headers and one example row."""
    import io

    wb = Workbook()
    ws: Any = wb.active
    ws.title = SHEET_TITLE
    headers = [names[0] for names in HEADERS.values()]
    ws.append(headers)
    ws.append(
        [
            "198503122010011004",
            "dr. Contoh Pegawai, M.Kes.",
            "Penata Tk. I (III/d)",
            "Kepala Seksi Pelayanan Kesehatan Primer",
            "Struktural",
            "IV.a",
            "Dinas Kesehatan",
            "Bidang Pelayanan Kesehatan > Seksi Pelayanan Kesehatan Primer",
            "02-01-2024",
            "Definitif",
            "",
        ]
    )
    for c, _h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(c)].width = 24
    for row in ws.iter_rows(min_row=2, max_row=500, min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"  # the NIP as text: a number loses its last digits
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _unit_lookup(government_id: int) -> dict[str, Unit]:
    lookup: dict[str, Unit] = {}
    for unit in Unit.objects.filter(government_id=government_id):
        for key in (unit.code, unit.short_name, unit.name):
            if key:
                lookup.setdefault(key.strip().lower(), unit)
    return lookup


def parse_personnel(
    content: bytes, government: Government, on: datetime.date | None = None
) -> PersonnelResult:
    """Validate a personnel export and compare it with what is stored; save nothing."""
    on = on or timezone.localdate()
    result = PersonnelResult()
    try:
        wb = open_xlsx(content, max_rows=MAX_ROWS + 10, max_columns=MAX_COLUMNS)
    except ValidationError as exc:
        result.errors.append(RowError(None, None, exc.messages[0]))
        return result
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row, columns = 0, {}
    for number, values in enumerate(rows, start=1):
        found = _columns(values)
        if "nip" in found:
            header_row, columns = number, found
            break
        if number >= 10:
            break
    if not header_row:
        result.errors.append(
            RowError(
                None,
                None,
                _(
                    "Judul kolom tidak ditemukan di 10 baris pertama: diperlukan paling sedikit "
                    "%(columns)s. Unduh templat untuk contohnya."
                )
                % {"columns": ", ".join(HEADERS[f][0] for f in REQUIRED)},
            )
        )
        return result
    missing = [HEADERS[f][0] for f in REQUIRED if f not in columns]
    if missing:
        result.errors.append(
            RowError(
                header_row,
                None,
                _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return result
    units = _unit_lookup(government.pk)
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=header_row + 1):
        if number > header_row + MAX_ROWS:
            result.errors.append(
                RowError(
                    number, None, _("Paling banyak %(n)s pegawai per berkas.") % {"n": MAX_ROWS}
                )
            )
            break
        cells = {f: values[i] if i < len(values) else None for f, (i, _h) in columns.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        parsed = _parse_row(number, cells, columns, units, on, result.errors)
        if parsed is None:
            continue
        if parsed.nip in seen:
            result.errors.append(
                RowError(
                    number,
                    columns["nip"][1],
                    _("NIP %(nip)s sudah ada di baris %(row)s.")
                    % {"nip": parsed.nip, "row": seen[parsed.nip]},
                )
            )
            continue
        seen[parsed.nip] = number
        result.rows.append(parsed)
    if not result.rows and not result.errors:
        result.errors.append(RowError(None, None, _("Berkas tidak berisi data pegawai.")))
    if result.errors:
        return result
    org = Organisation(government, on)
    stored = {p.nip: p for p in Person.objects.filter(government=government).exclude(nip="")}
    _check_across_rows(result, columns, stored, org)
    if not result.errors:
        _compare(result, government, stored, org)
    return result


def _columns(values: tuple[Any, ...]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for i, value in enumerate(values):
        text = str(value or "").strip()
        for name, aliases in HEADERS.items():
            if name not in found and text.lower() in (a.lower() for a in aliases):
                found[name] = (i, text)
    return found


def _text(raw: Any, limit: int) -> str:
    return re.sub(r"\s+", " ", str(raw if raw is not None else "")).strip()[:limit]


def _parse_row(
    number: int,
    cells: dict[str, Any],
    columns: dict[str, tuple[int, str]],
    units: dict[str, Unit],
    on: datetime.date,
    errors: list[RowError],
) -> PersonRow | None:
    before = len(errors)

    def err(name: str, message: str) -> None:
        errors.append(RowError(number, columns[name][1], message))

    raw_nip = cells.get("nip")
    nip = normalise_nip(raw_nip)
    if nip is None:
        if isinstance(raw_nip, float | int) and not isinstance(raw_nip, bool):
            err(
                "nip",
                _(
                    "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang: format "
                    "kolom NIP sebagai teks lalu isi ulang."
                ),
            )
        else:
            err("nip", _("NIP harus 18 angka, tertulis '%(value)s'.") % {"value": raw_nip or ""})
    name = _text(cells.get("name"), 200)
    if not name:
        err("name", _("Nama wajib diisi."))
    title = _text(cells.get("title"), 200)
    if not title:
        err("title", _("Jabatan wajib diisi."))
    category = CATEGORY.get(_text(cells.get("category"), 60).lower())
    if category is None:
        err(
            "category",
            _("Jenis jabatan '%(value)s' tidak dikenal: Struktural, Fungsional atau Pelaksana.")
            % {"value": _text(cells.get("category"), 60)},
        )
    unit_text = _text(cells.get("unit"), 200)
    unit = units.get(unit_text.lower())
    if unit is None:
        err(
            "unit",
            _("Unit kerja '%(value)s' tidak dikenal di pemerintah daerah ini.")
            % {"value": unit_text},
        )
    sub_text = _text(cells.get("sub_unit"), 600) if "sub_unit" in columns else ""
    sub_path = tuple(part[:200] for part in _PATH_SPLIT.split(sub_text) if part) if sub_text else ()
    if len(sub_path) > 4:
        err("sub_unit", _("Sub unit kerja paling banyak empat tingkat."))
    echelon = ""
    kind = Kind.FUNCTIONAL if category == "functional" else Kind.EXECUTOR
    if category == "structural":
        raw_echelon = cells.get("echelon") if "echelon" in columns else None
        echelon = normalise_echelon(raw_echelon) or ""
        if not echelon:
            if "echelon" not in columns:
                errors.append(
                    RowError(number, None, _("Jabatan struktural memerlukan kolom Eselon."))
                )
            else:
                err(
                    "echelon",
                    _("Eselon '%(value)s' tidak dikenal (contoh: II.b, III.a, IV.a).")
                    % {"value": raw_echelon or ""},
                )
        elif not sub_path:
            kind = Kind.UNIT_HEAD
        elif echelon.startswith(("I.", "II.")):
            err(
                "echelon",
                _("Eselon %(value)s adalah kepala perangkat daerah: kosongkan sub unit kerja.")
                % {"value": echelon},
            )
        elif echelon.startswith("III."):
            kind = Kind.ADMINISTRATOR
        else:
            kind = Kind.SUPERVISOR
    start = on
    if "start" in columns and cells.get("start") not in (None, ""):
        parsed_start = _date(cells.get("start"))
        if parsed_start is None or not (1950 <= parsed_start.year <= on.year + 1):
            err(
                "start",
                _("TMT jabatan '%(value)s' bukan tanggal (tulis HH-BB-TTTT).")
                % {"value": cells.get("start")},
            )
        else:
            start = parsed_start
    acting_text = _text(cells.get("acting"), 20).lower() if "acting" in columns else ""
    acting = ACTING.get(acting_text)
    if acting is None:
        err(
            "acting",
            _("Status jabatan '%(value)s' tidak dikenal: Definitif, Plt atau Plh.")
            % {"value": acting_text},
        )
    superior_nip = ""
    raw_superior = cells.get("superior") if "superior" in columns else None
    if raw_superior not in (None, ""):
        superior_nip = normalise_nip(raw_superior) or ""
        if not superior_nip:
            err(
                "superior",
                _("NIP atasan harus 18 angka, tertulis '%(value)s'.") % {"value": raw_superior},
            )
        elif superior_nip == nip:
            err("superior", _("Seseorang tidak dapat menjadi atasannya sendiri."))
    if len(errors) > before or not (nip and category and unit) or acting is None:
        return None
    return PersonRow(
        row=number,
        nip=nip,
        name=name,
        rank=_text(cells.get("rank"), 100) if "rank" in columns else "",
        title=title,
        category=category,
        kind=kind,
        echelon=echelon,
        unit=unit,
        sub_path=sub_path,
        start=start,
        acting=acting,
        superior_nip=superior_nip,
    )


def _check_across_rows(
    result: PersonnelResult,
    columns: dict[str, tuple[int, str]],
    stored: dict[str, Person],
    org: Organisation,
) -> None:
    """Two definitive heads of one post; a superior unknown or outside the person's unit."""
    heads: dict[tuple[int, tuple[str, ...]], int] = {}
    for r in result.rows:
        if r.kind in (Kind.UNIT_HEAD, Kind.ADMINISTRATOR, Kind.SUPERVISOR) and (
            r.acting == Acting.DEFINITIVE
        ):
            key = (r.unit.pk, r.sub_path)
            if key in heads:
                result.errors.append(
                    RowError(
                        r.row,
                        columns["title"][1],
                        _(
                            "Jabatan ini sudah dipegang pejabat definitif di baris %(row)s: "
                            "satu kepala untuk setiap unit atau sub unit."
                        )
                        % {"row": heads[key]},
                    )
                )
            else:
                heads[key] = r.row
    in_file = {r.nip: r for r in result.rows}
    for r in result.rows:
        if not r.superior_nip:
            continue
        other = in_file.get(r.superior_nip)
        superior_unit: Unit | None
        if other is not None:
            superior_unit = other.unit
        elif r.superior_nip in stored:
            post = org.post_of(stored[r.superior_nip])
            superior_unit = post.position.unit if post else None
        else:
            result.errors.append(
                RowError(
                    r.row,
                    columns["superior"][1],
                    _("NIP atasan %(nip)s tidak ada di berkas maupun di data pegawai.")
                    % {"nip": r.superior_nip},
                )
            )
            continue
        if r.kind != Kind.UNIT_HEAD and (superior_unit is None or superior_unit.pk != r.unit.pk):
            result.errors.append(
                RowError(
                    r.row,
                    columns["superior"][1],
                    _("Atasan %(nip)s bukan pegawai %(unit)s: atasan harus dari unit yang sama.")
                    % {"nip": r.superior_nip, "unit": r.unit.name},
                )
            )


def _sub_unit_index(government: Government) -> dict[tuple[int, tuple[str, ...]], SubUnit]:
    subs = list(SubUnit.objects.filter(government=government))
    by_pk = {s.pk: s for s in subs}
    index: dict[tuple[int, tuple[str, ...]], SubUnit] = {}
    for s in subs:
        chain: list[str] = []
        node: SubUnit | None = s
        while node is not None:
            chain.insert(0, node.name.lower())
            node = by_pk.get(node.parent_id) if node.parent_id else None
        index[(s.unit_id, tuple(chain))] = s
    return index


def _holder_without_nip(
    r: PersonRow, org: Organisation, index: dict[tuple[int, tuple[str, ...]], SubUnit]
) -> Person | None:
    """The person stored without a NIP who holds the row's head post under the same name (a
    unit head entered by hand before any import): the same person, given the NIP."""
    if r.kind == Kind.UNIT_HEAD:
        position = org.unit_head.get(r.unit.pk)
    elif r.kind in (Kind.ADMINISTRATOR, Kind.SUPERVISOR):
        sub = index.get((r.unit.pk, tuple(p.lower() for p in r.sub_path)))
        position = org.sub_unit_head.get(sub.pk) if sub else None
    else:
        return None
    holder = org.holder_of(position)
    if holder is not None and not holder.nip and holder.name.lower() == r.name.lower():
        return holder
    return None


def _compare(
    result: PersonnelResult,
    government: Government,
    stored: dict[str, Person],
    org: Organisation,
) -> None:
    index = _sub_unit_index(government)
    new_paths: set[tuple[int, tuple[str, ...]]] = set()
    for r in result.rows:
        lowered = tuple(p.lower() for p in r.sub_path)
        for depth in range(1, len(lowered) + 1):
            key = (r.unit.pk, lowered[:depth])
            if key not in index and key not in new_paths:
                new_paths.add(key)
                result.new_sub_units.append((r.unit, r.sub_path[:depth]))
        person = stored.get(r.nip) or _holder_without_nip(r, org, index)
        if person is None:
            continue
        changes: list[tuple[str, str, str]] = []
        if not person.nip:
            changes.append((_("NIP"), "–", r.nip))
        if person.name != r.name:
            changes.append((_("Nama"), person.name, r.name))
        if r.rank and person.rank != r.rank:
            changes.append((_("Pangkat/golongan"), person.rank, r.rank))
        post = org.post_of(person)
        if post is None:
            changes.append((_("Jabatan"), "–", r.title))
        else:
            position = post.position
            old_path = " › ".join(s.name for s in org.path(position.sub_unit))
            if position.unit_id != r.unit.pk:
                changes.append(
                    (_("Unit kerja"), position.unit.name if position.unit else "–", r.unit.name)
                )
            if old_path.lower() != r.sub_label.lower():
                changes.append((_("Sub unit kerja"), old_path or "–", r.sub_label or "–"))
            if position.title != r.title:
                changes.append((_("Jabatan"), position.title, r.title))
            if position.kind != r.kind:
                changes.append(
                    (_("Jenis jabatan"), position.get_kind_display(), str(Kind(r.kind).label))
                )
            if position.echelon != r.echelon:
                changes.append((_("Eselon"), position.echelon or "–", r.echelon or "–"))
            if post.acting != r.acting:
                changes.append(
                    (
                        _("Status jabatan"),
                        str(Acting(post.acting).label),
                        str(Acting(r.acting).label),
                    )
                )
        if r.superior_nip:
            current = org.override.get(person.pk)
            current_nip = (
                (org.people.get(current) or Person.objects.get(pk=current)).nip if current else ""
            )
            if current_nip != r.superior_nip:
                changes.append((_("NIP atasan"), current_nip or "–", r.superior_nip))
        r.status = "berubah" if changes else "tetap"
        r.changes = changes
    in_file = {r.nip for r in result.rows}
    for nip, person in sorted(stored.items(), key=lambda kv: kv[1].name):
        post = org.post_of(person)
        if nip not in in_file and post is not None and post.position.unit_id is not None:
            result.not_in_file.append((person, post))


# ---------------------------------------------------------------------------------------------
# Saving


def personnel_import_upload(
    *, government: Government, filename: str, content: bytes, on: datetime.date, by: User
) -> PersonnelImport:
    """Keep an uploaded export for its preview: previewed when valid, rejected with its errors
    (and without its content) when not. Audited."""
    if require_planner(by).pk != government.pk:
        raise PermissionDenied
    result = parse_personnel(content, government, on)
    upload = PersonnelImport.objects.create(
        government=government,
        uploaded_by=by,
        filename=filename[:255],
        content=content if result.ok else b"",
        on=on,
        status=PersonnelImport.Status.PREVIEWED if result.ok else PersonnelImport.Status.REJECTED,
        errors=[e.as_dict() for e in result.errors[:500]],
    )
    record(
        actor=by,
        action="personnel_import.upload",
        obj=upload,
        before=None,
        after={"filename": upload.filename, "status": upload.status},
    )
    return upload


@transaction.atomic
def personnel_import_confirm(*, upload: PersonnelImport, by: User) -> PersonnelResult:
    """Save a previewed import, validated again: all of it, or (when no longer valid) nothing,
    the import then rejected with its errors. Processed once; audited."""
    if require_planner(by).pk != upload.government_id:
        raise PermissionDenied
    upload = PersonnelImport.objects.select_for_update().get(
        pk=upload.pk, government_id=upload.government_id
    )
    PersonnelImport.WORKFLOW.check(upload, "apply")
    result = parse_personnel(bytes(upload.content), upload.government, upload.on)
    if not result.ok:
        PersonnelImport.WORKFLOW.apply(
            upload,
            "reject",
            by=by,
            action="personnel_import.reject",
            changes={"errors": [e.as_dict() for e in result.errors[:500]]},
        )
        return result
    _save(result, upload.government, upload.on, by)
    PersonnelImport.WORKFLOW.apply(upload, "apply", by=by, action="personnel_import.apply")
    return result


def _save(result: PersonnelResult, government: Government, on: datetime.date, by: User) -> None:
    index = _sub_unit_index(government)

    def sub_unit_for(unit: Unit, path: tuple[str, ...]) -> SubUnit | None:
        parent: SubUnit | None = None
        for depth in range(1, len(path) + 1):
            key = (unit.pk, tuple(p.lower() for p in path[:depth]))
            node = index.get(key)
            if node is None:
                name = path[depth - 1]
                node = SubUnit(
                    government=government,
                    unit=unit,
                    parent=parent,
                    kind=sub_unit_kind(name),
                    name=name,
                )
                node.full_clean()
                node.save()
                record(
                    actor=by, action="sub_unit.create", obj=node, before=None, after=snapshot(node)
                )
                index[key] = node
            parent = node
        return parent

    people = {p.nip: p for p in Person.objects.filter(government=government).exclude(nip="")}
    org = Organisation(government, on)
    for r in result.rows:
        person = people.get(r.nip) or _holder_without_nip(r, org, index)
        if person is not None and not person.nip:
            before = snapshot(person)
            person.nip = r.nip
            person.full_clean()
            person.save(update_fields=["nip"])
            record(
                actor=by, action="person.update", obj=person, before=before, after=snapshot(person)
            )
            people[r.nip] = person
        if person is None:
            person = Person(government=government, nip=r.nip, name=r.name, rank=r.rank)
            person.full_clean()
            person.save()
            record(
                actor=by, action="person.create", obj=person, before=None, after=snapshot(person)
            )
            people[r.nip] = person
        elif person.name != r.name or (r.rank and person.rank != r.rank):
            before = snapshot(person)
            person.name, person.rank = r.name, r.rank or person.rank
            person.full_clean()
            person.save(update_fields=["name", "rank"])
            record(
                actor=by, action="person.update", obj=person, before=before, after=snapshot(person)
            )
        sub = sub_unit_for(r.unit, r.sub_path)
        current = org.post_of(person)
        position = _position_for(r, sub, current, government, by)
        if (
            current is not None
            and current.position.pk == position.pk
            and current.acting == r.acting
        ):
            continue
        if current is not None:
            _end_post(person, current, r.start, by)
        position_assign(position=position, person=person, start=r.start, acting=r.acting, by=by)
    for r in result.rows:
        if r.superior_nip:
            person = people[r.nip]
            superior = people.get(r.superior_nip)
            if superior is not None and person.superior_id != superior.pk:
                before = snapshot(person)
                person.superior = superior
                person.save(update_fields=["superior"])
                record(
                    actor=by,
                    action="person.superior",
                    obj=person,
                    before=before,
                    after=snapshot(person),
                )


def _position_for(
    r: PersonRow, sub: SubUnit | None, current: Post | None, government: Government, by: User
) -> Position:
    """The office the row's person holds: a unit's or a sub-unit's head post (one each), or
    the person's own functional or executor post."""
    if r.kind == Kind.UNIT_HEAD:
        position = Position.objects.filter(unit=r.unit, kind=Kind.UNIT_HEAD).first()
    elif r.kind in (Kind.ADMINISTRATOR, Kind.SUPERVISOR):
        position = Position.objects.filter(
            sub_unit=sub, kind__in=[Kind.ADMINISTRATOR, Kind.SUPERVISOR]
        ).first()
    elif (
        current is not None
        and current.position.kind == r.kind
        and current.position.unit_id == r.unit.pk
        and current.position.sub_unit_id == (sub.pk if sub else None)
    ):
        position = current.position
    else:
        position = None
    if position is None:
        position = Position(
            government=government,
            unit=r.unit,
            sub_unit=sub,
            kind=r.kind,
            title=r.title,
            echelon=r.echelon,
        )
        position.full_clean()
        position.save()
        record(
            actor=by, action="position.create", obj=position, before=None, after=snapshot(position)
        )
    elif (position.title, position.kind, position.echelon) != (r.title, r.kind, r.echelon):
        before = snapshot(position)
        position.title, position.kind, position.echelon = r.title, r.kind, r.echelon
        position.full_clean()
        position.save(update_fields=["title", "kind", "echelon"])
        record(
            actor=by,
            action="position.update",
            obj=position,
            before=before,
            after=snapshot(position),
        )
    return position


def _end_post(person: Person, post: Post, start: datetime.date, by: User) -> None:
    """End the person's previous post the day before the new one (never before it began)."""
    assignment = (
        PositionAssignment.objects.select_for_update(of=("self",))
        .filter(position=post.position, person=person, end__isnull=True)
        .order_by("-start")
        .first()
    )
    if assignment is None:
        return
    before = snapshot(assignment)
    assignment.end = max(assignment.start, start - datetime.timedelta(days=1))
    assignment.save(update_fields=["end"])
    record(
        actor=by,
        action="position.end",
        obj=post.position,
        before=before,
        after=snapshot(assignment),
        government=post.position.government,
    )


# ---------------------------------------------------------------------------------------------
# The superior by hand


@transaction.atomic
def person_superior_set(*, person: Person, superior: Person | None, by: User) -> None:
    """Name a person's superior where the tree does not tell (None: follow the tree again).
    The superior works in the same unit (a unit head's may be anyone of the government), is
    not the person, and the chain of superiors never comes back to the person. Audited."""
    if require_planner(by).pk != person.government_id:
        raise PermissionDenied
    person = Person.objects.select_for_update().get(
        pk=person.pk, government_id=person.government_id
    )
    if superior is not None:
        if superior.government_id != person.government_id:
            raise PermissionDenied
        if superior.pk == person.pk:
            raise ValidationError(
                _("Seseorang tidak dapat menjadi atasannya sendiri."), code="atasan_diri_sendiri"
            )
        org = Organisation(person.government_id)
        post, other = org.post_of(person), org.post_of(superior)
        if post is None or other is None:
            raise ValidationError(
                _("Atasan dan bawahan harus sedang memegang jabatan."), code="atasan_tanpa_jabatan"
            )
        if post.position.kind != Kind.UNIT_HEAD and post.position.unit_id != other.position.unit_id:
            raise ValidationError(
                _("Atasan harus dari perangkat daerah yang sama."), code="atasan_unit_lain"
            )
        org.override[person.pk] = superior.pk
        seen: set[int] = {person.pk}
        current: int | None = superior.pk
        while current is not None:
            if current in seen:
                raise ValidationError(
                    _("Pilihan ini membuat rantai atasan berputar kembali ke %(name)s.")
                    % {"name": person.name},
                    code="atasan_berputar",
                )
            seen.add(current)
            current = org.superior_id_of(current)
    before = snapshot(person)
    person.superior = superior
    person.save(update_fields=["superior"])
    record(actor=by, action="person.superior", obj=person, before=before, after=snapshot(person))
