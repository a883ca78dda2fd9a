"""The demo's people below the unit heads: Dinas Kesehatan and Kecamatan Klojen, their
sub-units and 33 civil servants, loaded the way a government loads them, through the personnel
import (a SIASN-style spreadsheet built here, previewed and saved by the planner)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook

from kinerja.accounts.models import Government, Person, PersonnelImport, User
from kinerja.accounts.personnel import HEADERS, personnel_import_confirm, personnel_import_upload
from kinerja.sampledata.demo import demo_nip

DINKES_HEAD_NO, KLOJEN_HEAD_NO = 2, 10  # their place in the demo's list of heads

SEK = "Sekretariat"
UMUM = f"{SEK} > Subbagian Umum dan Kepegawaian"
RENKEU = f"{SEK} > Subbagian Perencanaan dan Keuangan"
KESMAS = "Bidang Kesehatan Masyarakat"
KKG = f"{KESMAS} > Seksi Kesehatan Keluarga dan Gizi"
PROMKES = f"{KESMAS} > Seksi Promosi dan Pemberdayaan Masyarakat"
YANKES = "Bidang Pelayanan Kesehatan"
PRIMER = f"{YANKES} > Seksi Pelayanan Kesehatan Primer"
RUJUKAN = f"{YANKES} > Seksi Pelayanan Kesehatan Rujukan"
P2P = "Bidang Pencegahan dan Pengendalian Penyakit"
SURVEILANS = f"{P2P} > Seksi Surveilans dan Imunisasi"
PUSKESMAS = "UPT Puskesmas Kendalkerep"
KEC_UMUM = f"{SEK} > Subbagian Umum dan Kepegawaian"
PEMERINTAHAN = "Seksi Pemerintahan"
PEMBERDAYAAN = "Seksi Pemberdayaan Masyarakat"

S, F, P = "Struktural", "Fungsional", "Pelaksana"

# (number for the NIP, name, rank, position, category, echelon, unit, sub-unit, start)
PEOPLE: list[tuple[int, str, str, str, str, str, str, str, str]] = [
    (
        DINKES_HEAD_NO,
        "dr. Ratna Kusumawati, M.Kes.",
        "Pembina Utama Muda (IV/c)",
        "Kepala Dinas Kesehatan",
        S,
        "II.b",
        "Dinkes",
        "",
        "24-09-2018",
    ),
    (
        101,
        "drg. Lilik Handayani, M.Kes.",
        "Pembina Tk. I (IV/b)",
        "Sekretaris Dinas Kesehatan",
        S,
        "III.a",
        "Dinkes",
        SEK,
        "03-01-2022",
    ),
    (
        102,
        "Wahyu Prasetyo, S.H.",
        "Penata Tk. I (III/d)",
        "Kepala Subbagian Umum dan Kepegawaian",
        S,
        "IV.a",
        "Dinkes",
        UMUM,
        "03-01-2022",
    ),
    (
        103,
        "Nurul Hidayah, S.E., M.M.",
        "Penata Tk. I (III/d)",
        "Kepala Subbagian Perencanaan dan Keuangan",
        S,
        "IV.a",
        "Dinkes",
        RENKEU,
        "03-01-2022",
    ),
    (
        104,
        "dr. Andi Firmansyah, M.KM.",
        "Pembina (IV/a)",
        "Kepala Bidang Kesehatan Masyarakat",
        S,
        "III.b",
        "Dinkes",
        KESMAS,
        "01-07-2021",
    ),
    (
        105,
        "Erna Widyastuti, S.ST., M.Kes.",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Kesehatan Keluarga dan Gizi",
        S,
        "IV.a",
        "Dinkes",
        KKG,
        "01-07-2021",
    ),
    (
        106,
        "Rudi Hartanto, S.KM.",
        "Penata (III/c)",
        "Kepala Seksi Promosi dan Pemberdayaan Masyarakat",
        S,
        "IV.a",
        "Dinkes",
        PROMKES,
        "02-01-2023",
    ),
    (
        107,
        "dr. Hendro Saputro, M.M.R.S.",
        "Pembina (IV/a)",
        "Kepala Bidang Pelayanan Kesehatan",
        S,
        "III.b",
        "Dinkes",
        YANKES,
        "01-07-2021",
    ),
    (
        108,
        "dr. Maya Safitri",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Pelayanan Kesehatan Primer",
        S,
        "IV.a",
        "Dinkes",
        PRIMER,
        "02-01-2023",
    ),
    (
        109,
        "Agus Santoso, S.Kep., Ners",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Pelayanan Kesehatan Rujukan",
        S,
        "IV.a",
        "Dinkes",
        RUJUKAN,
        "02-01-2023",
    ),
    (
        110,
        "dr. Sri Wahyuni, M.Epid.",
        "Pembina (IV/a)",
        "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        S,
        "III.b",
        "Dinkes",
        P2P,
        "01-07-2021",
    ),
    (
        111,
        "Bayu Kurniawan, S.KM., M.Kes.",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Surveilans dan Imunisasi",
        S,
        "IV.a",
        "Dinkes",
        SURVEILANS,
        "02-01-2023",
    ),
    (
        112,
        "dr. Fitri Rahmawati",
        "Penata Tk. I (III/d)",
        "Kepala UPT Puskesmas Kendalkerep",
        S,
        "IV.a",
        "Dinkes",
        PUSKESMAS,
        "02-01-2024",
    ),
    (
        113,
        "Yuliana Sari, S.KM.",
        "Penata Muda Tk. I (III/b)",
        "Perencana Ahli Pertama",
        F,
        "",
        "Dinkes",
        RENKEU,
        "01-04-2020",
    ),
    (
        114,
        "Dimas Arya Putra, S.Psi.",
        "Penata Muda (III/a)",
        "Analis Sumber Daya Manusia Aparatur",
        F,
        "",
        "Dinkes",
        UMUM,
        "01-03-2022",
    ),
    (
        115,
        "Sumarni",
        "Pengatur (II/c)",
        "Pengadministrasi Perkantoran",
        P,
        "",
        "Dinkes",
        UMUM,
        "01-03-2019",
    ),
    (
        116,
        "Rina Oktaviani, S.Gz.",
        "Penata (III/c)",
        "Nutrisionis Ahli Muda",
        F,
        "",
        "Dinkes",
        KKG,
        "01-06-2021",
    ),
    (
        117,
        "Sulastri, S.Tr.Keb.",
        "Penata Tk. I (III/d)",
        "Bidan Ahli Madya",
        F,
        "",
        "Dinkes",
        KKG,
        "01-06-2020",
    ),
    (
        118,
        "Fajar Nugraha, S.KM.",
        "Penata Muda Tk. I (III/b)",
        "Penyuluh Kesehatan Masyarakat Ahli Pertama",
        F,
        "",
        "Dinkes",
        PROMKES,
        "01-02-2023",
    ),
    (
        119,
        "dr. Intan Permatasari",
        "Pembina (IV/a)",
        "Dokter Ahli Madya",
        F,
        "",
        "Dinkes",
        PRIMER,
        "01-01-2022",
    ),
    (
        120,
        "Yoga Pratama, S.Kom.",
        "Penata Muda (III/a)",
        "Pranata Komputer Ahli Pertama",
        F,
        "",
        "Dinkes",
        PRIMER,
        "01-03-2023",
    ),
    (
        121,
        "Endang Susilowati",
        "Pengatur Tk. I (II/d)",
        "Pengelola Layanan Kesehatan",
        P,
        "",
        "Dinkes",
        PRIMER,
        "01-03-2021",
    ),
    (
        122,
        "Teguh Wibowo, S.KM., M.M.",
        "Penata (III/c)",
        "Administrator Kesehatan Ahli Muda",
        F,
        "",
        "Dinkes",
        RUJUKAN,
        "01-09-2022",
    ),
    (
        123,
        "Lestari Handayani, S.KM., M.Epid.",
        "Penata (III/c)",
        "Epidemiolog Kesehatan Ahli Muda",
        F,
        "",
        "Dinkes",
        SURVEILANS,
        "01-09-2022",
    ),
    (
        124,
        "dr. Kevin Aditya",
        "Penata Muda Tk. I (III/b)",
        "Dokter Ahli Pertama",
        F,
        "",
        "Dinkes",
        PUSKESMAS,
        "01-03-2024",
    ),
    (
        KLOJEN_HEAD_NO,
        "Ahmad Fauzi, S.Sos., M.Si.",
        "Pembina Tk. I (IV/b)",
        "Camat Klojen",
        S,
        "III.a",
        "Klojen",
        "",
        "24-09-2018",
    ),
    (
        131,
        "Hari Susanto, S.STP., M.Si.",
        "Pembina (IV/a)",
        "Sekretaris Kecamatan Klojen",
        S,
        "III.b",
        "Klojen",
        SEK,
        "02-01-2023",
    ),
    (
        132,
        "Siti Maryam, S.AP.",
        "Penata (III/c)",
        "Kepala Subbagian Umum dan Kepegawaian",
        S,
        "IV.a",
        "Klojen",
        KEC_UMUM,
        "02-01-2023",
    ),
    (
        133,
        "Eko Purwanto, S.IP.",
        "Penata Tk. I (III/d)",
        "Kepala Seksi Pemerintahan",
        S,
        "IV.a",
        "Klojen",
        PEMERINTAHAN,
        "02-01-2023",
    ),
    (
        134,
        "Dian Puspitasari, S.Sos.",
        "Penata (III/c)",
        "Kepala Seksi Pemberdayaan Masyarakat",
        S,
        "IV.a",
        "Klojen",
        PEMBERDAYAAN,
        "02-01-2023",
    ),
    (
        135,
        "Slamet Riyadi",
        "Pengatur (II/c)",
        "Pengadministrasi Perkantoran",
        P,
        "",
        "Klojen",
        KEC_UMUM,
        "01-03-2019",
    ),
    (
        136,
        "Novi Andriani, A.Md.",
        "Pengatur Tk. I (II/d)",
        "Pengelola Data Pemerintahan",
        P,
        "",
        "Klojen",
        PEMERINTAHAN,
        "01-03-2021",
    ),
    (
        137,
        "Rizky Ramadhan, S.Sos.",
        "Penata Muda (III/a)",
        "Fasilitator Pemberdayaan Masyarakat",
        P,
        "",
        "Klojen",
        PEMBERDAYAAN,
        "01-03-2023",
    ),
]


def people_workbook() -> bytes:
    """The demo's personnel as the personnel system would export it."""
    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Pegawai"
    ws.append(["Daftar Pegawai Negeri Sipil Pemerintah Kota Malang (demo)"])
    ws.append([names[0] for names in HEADERS.values()])
    for number, name, rank, title, category, echelon, unit, sub, start in PEOPLE:
        gender = 2 if number % 2 == 0 else 1
        ws.append(
            [
                demo_nip(number, gender=gender) if number > 100 else demo_nip(number),
                name,
                rank,
                title,
                category,
                echelon,
                unit,
                sub,
                start,
                "Definitif",
                "",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def load_demo_people(gov: Government, planner: User, on: datetime.date) -> PersonnelImport:
    # Dinkes' operator has an account already: her NIP, as SIMPEG has it, joins her to her row.
    operator = Person.objects.get(government=gov, name="Yuliana Sari, S.KM.")
    operator.nip = demo_nip(113, gender=1)
    operator.save(update_fields=["nip"])
    upload = personnel_import_upload(
        government=gov,
        filename="ekspor-simpeg-dinkes-klojen.xlsx",
        content=people_workbook(),
        on=on,
        by=planner,
    )
    if upload.status != PersonnelImport.Status.PREVIEWED:
        raise RuntimeError(f"Demo personnel refused: {upload.errors}")
    personnel_import_confirm(upload=upload, by=planner)
    return upload
