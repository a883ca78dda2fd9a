"""The personnel import (SIASN/SIMPEG export): validated row by row, previewed, saved whole or
not at all, re-importable without duplicates; and each person's superior from the unit tree."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook

from kinerja.accounts.models import (
    Person,
    PersonnelImport,
    Position,
    PositionAssignment,
    SubUnit,
)
from kinerja.accounts.personnel import (
    HEADERS,
    Organisation,
    parse_personnel,
    personnel_import_confirm,
    personnel_import_upload,
)
from kinerja.core.models import AuditEvent
from tests.conftest import World

ON = datetime.date(2026, 1, 5)
HEAD = [h[0] for h in HEADERS.values()]

# NIP, name, rank, position, category, echelon, unit, sub-unit, start, status, superior NIP
KADIS = "197001012000031001"
SEKRETARIS = "197102022000031002"
KASUBBAG = "197203032000032003"
KABID = "197304042000031004"
KASI = "197405052000032005"
DOKTER = "198506062010012006"
STAF = "199007072015031007"
STAF_BIDANG = "199108082015032008"
CAMAT = "197509092000031009"

SEK = "Sekretariat"
SUBBAG = "Sekretariat > Subbagian Umum dan Kepegawaian"
BIDANG = "Bidang Pelayanan Kesehatan"
SEKSI = "Bidang Pelayanan Kesehatan > Seksi Pelayanan Kesehatan Primer"

ROWS: list[list[Any]] = [
    [
        KADIS,
        "Pejabat uji-head_a",
        "Pembina Utama Muda (IV/c)",
        "Kepala Dinas A",
        "Struktural",
        "II.b",
        "Dinas A",
        "",
        "02-01-2021",
        "Definitif",
        "",
    ],
    [
        SEKRETARIS,
        "Sri Rahayu, S.E.",
        "Pembina (IV/a)",
        "Sekretaris Dinas A",
        "Struktural",
        "III.a",
        "DA",
        SEK,
        "01-03-2022",
        "",
        "",
    ],
    [
        KASUBBAG,
        "Ani Lestari, S.Sos.",
        "Penata (III/c)",
        "Kepala Subbagian Umum dan Kepegawaian",
        "Struktural",
        "IV.a",
        "A",
        SUBBAG,
        "01-03-2022",
        "",
        "",
    ],
    [
        KABID,
        "dr. Bambang Wijaya",
        "Pembina (IV/a)",
        "Kepala Bidang Pelayanan Kesehatan",
        "Struktural",
        "III/b",
        "Dinas A",
        BIDANG,
        "01-03-2022",
        "",
        "",
    ],
    [
        KASI,
        "Dewi Anggraini, S.KM.",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Pelayanan Kesehatan Primer",
        "Struktural",
        "IV.a",
        "Dinas A",
        SEKSI,
        "01-03-2022",
        "",
        "",
    ],
    [
        DOKTER,
        "dr. Rina Puspita",
        "Penata (III/c)",
        "Dokter Ahli Muda",
        "Fungsional",
        "",
        "Dinas A",
        SEKSI,
        "01-06-2023",
        "",
        "",
    ],
    [
        STAF,
        "Agus Salim",
        "Pengatur (II/c)",
        "Pengadministrasi Perkantoran",
        "Pelaksana",
        "",
        "Dinas A",
        SUBBAG,
        "01-06-2023",
        "",
        "",
    ],
    [
        STAF_BIDANG,
        "Siti Aminah, A.Md.",
        "Pengatur Tk. I (II/d)",
        "Analis Data Kesehatan",
        "JFU",
        "",
        "Dinas A",
        BIDANG,
        "01-06-2023",
        "",
        "",
    ],
    [
        CAMAT,
        "Drs. Hadi Purnomo",
        "Pembina (IV/a)",
        "Camat B",
        "Struktural",
        "III.a",
        "KB",
        "",
        datetime.datetime(2024, 2, 1),
        "",
        "",
    ],
]


def xlsx(rows: list[list[Any]], header: list[str] | None = None, title_rows: int = 0) -> bytes:
    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Pegawai"
    for n in range(title_rows):
        ws.append([f"Daftar pegawai, judul {n + 1}"])
    ws.append(header or HEAD)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def imported(world: World, rows: list[list[Any]], **kw: Any) -> PersonnelImport:
    upload = personnel_import_upload(
        government=world.gov,
        filename="pegawai.xlsx",
        content=xlsx(rows, **kw),
        on=ON,
        by=world.users["planner"],
    )
    assert upload.status == PersonnelImport.Status.PREVIEWED, upload.errors
    personnel_import_confirm(upload=upload, by=world.users["planner"])
    return upload


def by_nip(nip: str) -> Person:
    return Person.objects.get(nip=nip)


def test_a_valid_file_is_previewed_then_saved_with_the_tree(world: World):
    head_person = world.users["head_a"].person
    result = parse_personnel(xlsx(ROWS, title_rows=2), world.gov, ON)
    assert result.ok, result.errors
    # The head entered by hand (no NIP yet) is recognised by post and name, not duplicated.
    counts = result.counts()
    assert counts == {"baru": 8, "berubah": 1, "tetap": 0}
    head_row = next(r for r in result.rows if r.nip == KADIS)
    assert head_row.changes[0][0] == "NIP"
    assert [path for _unit, path in result.new_sub_units] == [
        ("Sekretariat",),
        ("Sekretariat", "Subbagian Umum dan Kepegawaian"),
        ("Bidang Pelayanan Kesehatan",),
        ("Bidang Pelayanan Kesehatan", "Seksi Pelayanan Kesehatan Primer"),
    ]
    assert Person.objects.filter(government=world.gov).exclude(nip="").count() == 0

    imported(world, ROWS, title_rows=2)
    head_person.refresh_from_db()
    assert head_person.nip == KADIS
    assert Person.objects.filter(government=world.gov, nip__gt="").count() == 9
    kinds = {s.name: s.kind for s in SubUnit.objects.filter(unit=world.unit_a)}
    assert kinds == {
        "Sekretariat": "secretariat",
        "Subbagian Umum dan Kepegawaian": "subdivision",
        "Bidang Pelayanan Kesehatan": "division",
        "Seksi Pelayanan Kesehatan Primer": "section",
    }
    kasi_post = Position.objects.get(assignments__person__nip=KASI)
    assert (kasi_post.kind, kasi_post.echelon, kasi_post.sub_unit.name) == (
        "supervisor",
        "IV.a",
        "Seksi Pelayanan Kesehatan Primer",
    )
    assert Position.objects.get(assignments__person__nip=KABID).echelon == "III.b"
    camat_post = Position.objects.get(assignments__person__nip=CAMAT)
    assert (camat_post.kind, camat_post.unit) == ("unit_head", world.unit_b)

    org = Organisation(world.gov, ON)
    superior = {nip: org.superior_of(by_nip(nip)) for nip, *_ in ROWS}
    assert superior[DOKTER] == by_nip(KASI)  # a section's staff: its supervisor
    assert superior[KASI] == by_nip(KABID)  # the supervisor: the division's administrator
    assert superior[KABID] == head_person  # the administrator: the unit head
    assert superior[SEKRETARIS] == head_person
    assert superior[STAF] == by_nip(KASUBBAG)
    assert superior[KASUBBAG] == by_nip(SEKRETARIS)
    assert superior[STAF_BIDANG] == by_nip(KABID)  # in the division, no section: its head
    assert superior[KADIS] is None  # no regional secretary's post in this government
    assert {p.nip for p in org.subordinates_of(by_nip(KABID))} == {KASI, STAF_BIDANG}


def test_reimport_changes_nothing_and_a_changed_file_shows_its_changes(world: World):
    imported(world, ROWS)
    people = Person.objects.count()
    assignments = PositionAssignment.objects.count()
    events = AuditEvent.objects.exclude(action__startswith="personnel_import").count()
    again = parse_personnel(xlsx(ROWS), world.gov, ON)
    assert again.counts() == {"baru": 0, "berubah": 0, "tetap": 9}
    assert again.new_sub_units == []
    imported(world, ROWS)
    assert (Person.objects.count(), PositionAssignment.objects.count()) == (people, assignments)
    assert AuditEvent.objects.exclude(action__startswith="personnel_import").count() == events

    # Agus moves to the section as of March; Siti's name is corrected; Dewi leaves the file.
    moved = [list(r) for r in ROWS if r[0] != KASI]
    for r in moved:
        if r[0] == STAF:
            r[3], r[7], r[8] = "Pengelola Data", SEKSI, "01-03-2026"
        if r[0] == STAF_BIDANG:
            r[1] = "Siti Aminah Rahmawati, A.Md."
    preview = parse_personnel(xlsx(moved), world.gov, datetime.date(2026, 3, 1))
    assert preview.counts() == {"baru": 0, "berubah": 2, "tetap": 6}
    staff = next(r for r in preview.rows if r.nip == STAF)
    assert ("Sub unit kerja", SUBBAG.replace(" > ", " › "), SEKSI.replace(" > ", " › ")) in (
        staff.changes
    )
    assert ("Jabatan", "Pengadministrasi Perkantoran", "Pengelola Data") in staff.changes
    assert [p.nip for p, _post in preview.not_in_file] == [KASI]
    upload = personnel_import_upload(
        government=world.gov,
        filename="pegawai-maret.xlsx",
        content=xlsx(moved),
        on=datetime.date(2026, 3, 1),
        by=world.users["planner"],
    )
    personnel_import_confirm(upload=upload, by=world.users["planner"])
    history = list(
        PositionAssignment.objects.filter(person__nip=STAF)
        .order_by("start")
        .values_list("position__title", "start", "end")
    )
    assert history == [
        ("Pengadministrasi Perkantoran", datetime.date(2023, 6, 1), datetime.date(2026, 2, 28)),
        ("Pengelola Data", datetime.date(2026, 3, 1), None),
    ]
    assert by_nip(STAF_BIDANG).name == "Siti Aminah Rahmawati, A.Md."
    # Dewi, not in the file, keeps her post: nobody is removed by an import.
    assert Organisation(world.gov, datetime.date(2026, 3, 1)).post_of(by_nip(KASI)) is not None
    # In March, Agus answers to the section's head.
    org = Organisation(world.gov, datetime.date(2026, 3, 1))
    assert org.superior_of(by_nip(STAF)) == by_nip(KASI)


BAD = [
    # (what, change to the rows, the row and the column refused)
    ("NIP of 17 digits", lambda rows: rows[5].__setitem__(0, DOKTER[:-1]), 7, "NIP"),
    ("NIP as a number", lambda rows: rows[5].__setitem__(0, float(DOKTER)), 7, "NIP"),
    ("unknown unit", lambda rows: rows[6].__setitem__(6, "Dinas Antah"), 8, "Unit Kerja"),
    ("duplicate", lambda rows: rows[7].__setitem__(0, STAF), 9, "NIP"),
    (
        "superior outside the unit",
        lambda rows: rows[6].__setitem__(10, CAMAT),
        8,
        "NIP Atasan",
    ),
    (
        "unknown superior",
        lambda rows: rows[6].__setitem__(10, "199901012020011099"),
        8,
        "NIP Atasan",
    ),
    ("unknown category", lambda rows: rows[6].__setitem__(4, "Honorer"), 8, "Jenis Jabatan"),
    ("structural, no echelon", lambda rows: rows[4].__setitem__(5, ""), 6, "Eselon"),
    ("bad date", lambda rows: rows[4].__setitem__(8, "kemarin"), 6, "TMT Jabatan"),
    ("two definitive heads", lambda rows: rows[4].__setitem__(7, SUBBAG), 6, "Jabatan"),
]


@pytest.mark.parametrize(("what", "change", "row", "column"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_row_is_refused_with_its_row_and_column_and_nothing_saved(
    world: World, what, change, row, column
):
    rows = [list(r) for r in ROWS]
    change(rows)
    people = Person.objects.count()
    upload = personnel_import_upload(
        government=world.gov,
        filename="pegawai.xlsx",
        content=xlsx(rows),
        on=ON,
        by=world.users["planner"],
    )
    assert upload.status == PersonnelImport.Status.REJECTED
    assert upload.content == b"" or bytes(upload.content) == b""
    assert [(e["row"], e["column"]) for e in upload.errors] == [(row, column)], upload.errors
    assert Person.objects.count() == people
    assert not SubUnit.objects.exists()
    assert not Position.objects.filter(sub_unit__isnull=False).exists()


def test_a_file_that_is_no_personnel_export_is_refused(world: World):
    for content, words in [
        (b"NIP;Nama\n1;2", "bukan file Excel"),
        (xlsx([["1", "2"]], header=["Nomor", "Nama"]), "Judul kolom tidak ditemukan"),
        (xlsx([], header=["NIP", "Nama"]), "Kolom wajib tidak ada"),
        (xlsx([]), "tidak berisi data pegawai"),
    ]:
        result = parse_personnel(content, world.gov, ON)
        assert not result.ok
        assert words in result.errors[0].message


def test_the_superior_column_overrides_the_tree_within_the_unit(world: World):
    rows = [list(r) for r in ROWS]
    rows[7][10] = KASI  # Siti, in the division, answers to the section head by decree
    imported(world, rows)
    org = Organisation(world.gov, ON)
    assert org.superior_of(by_nip(STAF_BIDANG)) == by_nip(KASI)
    assert org.derived_superior(by_nip(STAF_BIDANG)) == by_nip(KABID)
    assert by_nip(STAF_BIDANG) in org.subordinates_of(by_nip(KASI))


def test_only_the_government_s_planner_imports(world: World):
    from django.core.exceptions import PermissionDenied

    for persona in ("operator_a", "head_a", "inspector", "other_gov"):
        with pytest.raises(PermissionDenied):
            personnel_import_upload(
                government=world.gov,
                filename="pegawai.xlsx",
                content=xlsx(ROWS),
                on=ON,
                by=world.users[persona],
            )
    assert not PersonnelImport.objects.exists()


def test_the_pages_upload_preview_save_and_show_the_tree(world: World):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("planner")
    assert client.get("/pegawai/impor/").status_code == 200
    template = client.get("/pegawai/impor/templat.xlsx")
    assert template.status_code == 200
    # The template itself is a valid file for the import (its example row's unit is unknown
    # here, so it is refused for that only).
    result = parse_personnel(template.content, world.gov, ON)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Unit Kerja")]
    response = client.post(
        "/pegawai/impor/",
        {"file": SimpleUploadedFile("pegawai.xlsx", xlsx(ROWS)), "on": "2026-01-05"},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "8 pegawai baru, 1 berubah, 0 tetap" in preview
    assert "Seksi Pelayanan Kesehatan Primer" in preview
    upload = PersonnelImport.objects.get()
    response = client.post(f"/pegawai/impor/{upload.pk}/simpan/")
    assert response.status_code == 302
    assert Person.objects.filter(nip=DOKTER).exists()
    page = client.get(f"/pegawai/?unit={world.unit_a.pk}").content.decode()
    assert "Struktur Dinas A" in page
    assert "dr. Rina Puspita" in page and "Dewi Anggraini, S.KM." in page
    # Saved once: a second save is refused with its reason.
    again = client.post(f"/pegawai/impor/{upload.pk}/simpan/", follow=True).content.decode()
    assert "sudah diproses" in again


def test_who_sees_whom_and_who_sets_a_superior(world: World):
    imported(world, ROWS)
    dokter = by_nip(DOKTER)
    # Dinas A's operator sees Dinas A's people, not Kecamatan B's.
    operator = world.client("operator_a")
    assert operator.get(f"/pegawai/{dokter.pk}/").status_code == 200
    assert operator.get(f"/pegawai/{by_nip(CAMAT).pk}/").status_code == 403
    listed = operator.get("/pegawai/").content.decode()
    assert "dr. Rina Puspita" in listed and "Drs. Hadi Purnomo" not in listed
    # The operator cannot set a superior; another government cannot see the person at all.
    assert (
        operator.post(f"/pegawai/{dokter.pk}/", {"superior": by_nip(KABID).pk}).status_code == 403
    )
    assert world.client("other_gov").get(f"/pegawai/{dokter.pk}/").status_code == 404
    assert world.client("panel").get("/pegawai/").status_code == 403
    assert world.client("operator_a").get("/pegawai/impor/").status_code == 403
    # The planner sets one, and a choice that would loop is refused with its reason.
    planner = world.client("planner")
    response = planner.post(f"/pegawai/{dokter.pk}/", {"superior": by_nip(KABID).pk})
    assert response.status_code == 302
    dokter.refresh_from_db()
    assert dokter.superior == by_nip(KABID)
    assert AuditEvent.objects.filter(action="person.superior", object_id=str(dokter.pk)).exists()
    kabid = by_nip(KABID)
    looped = planner.post(f"/pegawai/{kabid.pk}/", {"superior": dokter.pk}, follow=True)
    assert "berputar" in looped.content.decode()
    kabid.refresh_from_db()
    assert kabid.superior is None
    # Outside the unit: not even offered.
    outside = planner.post(f"/pegawai/{dokter.pk}/", {"superior": by_nip(CAMAT).pk})
    assert outside.status_code == 200
    assert "bukan salah satu dari pilihan yang tersedia" in outside.content.decode()
    dokter.refresh_from_db()
    assert dokter.superior == by_nip(KABID)
