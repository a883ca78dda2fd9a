"""The demo government: a city modelled on Kota Malang (seed articles 000 and 002).

The four missions of "Malang Kota Bermartabat" as seed 000 states them, the nine agencies and
five districts that signed the 2018 performance contracts, a 2018–2023 term with goals,
objectives and indicators (maternal mortality among them, lower is better), programmes with
budgets, officials holding each position, and one account per role. Officials' names are
invented: the documents the demo produces are not real commitments of real people.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from kinerja.accounts.models import (
    Government,
    Person,
    Position,
    PositionAssignment,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from kinerja.core.audit import record
from kinerja.planning.models import (
    Budget,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
    Term,
)

DEMO_PASSWORD = "kinerja-demo"  # noqa: S105 - the documented password of the demo accounts
DEMO_SLUG = "kota-malang-demo"

AGENCIES = [
    # code, name, short name, head's name
    ("1.01.01", "Dinas Pendidikan", "Dindik", "Dr. Hendra Wicaksono, M.Pd."),
    ("1.02.01", "Dinas Kesehatan", "Dinkes", "dr. Ratna Kusumawati, M.Kes."),
    ("3.30.01", "Dinas Perdagangan", "Disdag", "Drs. Bambang Setiadi, M.M."),
    (
        "2.18.01",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "Ir. Wulan Pratiwi, M.T.",
    ),
    ("3.31.01", "Dinas Perindustrian", "Disperin", "Agus Santoso, S.E., M.Si."),
    ("3.26.01", "Dinas Kebudayaan dan Pariwisata", "Disbudpar", "Dra. Sri Rahayu, M.Si."),
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "Ir. Teguh Prasetyo, M.T."),
    ("2.15.01", "Dinas Perhubungan", "Dishub", "Heru Wibowo, S.T., M.M."),
    (
        "1.04.01",
        "Dinas Perumahan dan Kawasan Permukiman",
        "Disperkim",
        "Ir. Dewi Anggraini, M.T.",
    ),
]
DISTRICTS = [
    ("7.01.01", "Kecamatan Klojen", "Klojen", "Ahmad Fauzi, S.Sos., M.Si."),
    ("7.01.02", "Kecamatan Blimbing", "Blimbing", "Muhammad Ridwan, S.STP., M.Si."),
    ("7.01.03", "Kecamatan Kedungkandang", "Kedungkandang", "Siti Nurhaliza, S.Sos."),
    ("7.01.04", "Kecamatan Lowokwaru", "Lowokwaru", "Joko Susilo, S.H., M.H."),
    ("7.01.05", "Kecamatan Sukun", "Sukun", "Rina Marlina, S.IP., M.AP."),
]

VISION = "Terwujudnya Kota Malang Bermartabat"
MISSIONS = [
    "Menjamin akses dan kualitas pendidikan, kesehatan dan layanan dasar lainnya bagi semua "
    "warga Kota Malang.",
    "Mewujudkan kota produktif dan berdaya saing berbasis ekonomi kreatif, keberlanjutan dan "
    "keterpaduan.",
    "Mewujudkan kota yang rukun dan toleran berazaskan keberagaman dan keberpihakan kepada "
    "masyarakat rentan dan gender.",
    "Memastikan kepuasan masyarakat atas layanan pemerintahan yang tertib hukum, profesional "
    "dan akuntabel.",
]

# An indicator: (code suffix, name, unit of measure, polarity, baseline 2018, end target 2023,
# options). Intermediate targets are interpolated; options: key, formula, aggregation,
# frequency, source, definition, range (low, high) for range indicators.
Ind = tuple[str, str, str, str, Any, Any, dict[str, Any]]

GOALS: list[dict[str, Any]] = [
    {
        "mission": 1,
        "code": "T1.1",
        "title": "Meningkatkan kualitas sumber daya manusia Kota Malang",
        "objectives": [
            {
                "code": "S1.1.1",
                "title": "Meningkatnya kualitas dan akses pendidikan",
                "indicators": [
                    (
                        "1",
                        "Indeks Pendidikan",
                        "indeks",
                        "higher",
                        "0.79",
                        "0.82",
                        {"key": True, "unit": "Dindik", "source": "BPS Kota Malang"},
                    ),
                    (
                        "2",
                        "Rata-rata lama sekolah",
                        "tahun",
                        "higher",
                        "10.16",
                        "10.60",
                        {"unit": "Dindik", "source": "BPS Kota Malang"},
                    ),
                ],
                "units": {
                    "Dindik": (
                        "Meningkatnya mutu dan pemerataan layanan pendidikan dasar",
                        [
                            (
                                "1",
                                "Angka partisipasi murni SD/MI",
                                "%",
                                "higher",
                                "98.20",
                                "99.50",
                                {"source": "Dapodik"},
                            ),
                            (
                                "2",
                                "Angka partisipasi murni SMP/MTs",
                                "%",
                                "higher",
                                "82.10",
                                "88.00",
                                {"source": "Dapodik"},
                            ),
                            (
                                "3",
                                "Persentase sekolah terakreditasi A",
                                "%",
                                "higher",
                                "62.00",
                                "80.00",
                                {"source": "BAN-S/M"},
                            ),
                            (
                                "4",
                                "Angka putus sekolah SMP",
                                "%",
                                "lower",
                                "0.25",
                                "0.10",
                                {"formula": "ratio", "source": "Dapodik"},
                            ),
                        ],
                    ),
                },
            },
            {
                "code": "S1.1.2",
                "title": "Meningkatnya derajat kesehatan masyarakat",
                "indicators": [
                    (
                        "1",
                        "Angka harapan hidup",
                        "tahun",
                        "higher",
                        "72.85",
                        "73.30",
                        {"key": True, "unit": "Dinkes", "source": "BPS Kota Malang"},
                    ),
                    (
                        "2",
                        "Angka kematian ibu",
                        "per 100.000 kelahiran hidup",
                        "lower",
                        "74.51",
                        "50.00",
                        {
                            "key": True,
                            "unit": "Dinkes",
                            "source": "Profil Kesehatan",
                            "definition": "Kematian ibu selama hamil, bersalin dan nifas "
                            "per 100.000 kelahiran hidup.",
                        },
                    ),
                ],
                "units": {
                    "Dinkes": (
                        "Menurunnya kematian ibu dan bayi",
                        [
                            (
                                "1",
                                "Jumlah kematian ibu",
                                "orang",
                                "lower",
                                "11",
                                "6",
                                {
                                    "aggregation": "cumulative",
                                    "frequency": "monthly",
                                    "source": "Laporan PWS-KIA puskesmas",
                                    "definition": (
                                        "Jumlah ibu yang meninggal saat hamil, bersalin "
                                        "atau nifas di Kota Malang dalam satu tahun."
                                    ),
                                    "formula_text": "Jumlah kematian ibu hamil, bersalin dan nifas",
                                },
                            ),
                            (
                                "2",
                                "Cakupan kunjungan ibu hamil K4",
                                "%",
                                "higher",
                                "95.10",
                                "100.00",
                                {"source": "Laporan PWS-KIA puskesmas"},
                            ),
                            (
                                "3",
                                "Persentase ibu hamil KEK yang mendapat PMT",
                                "%",
                                "higher",
                                "71.00",
                                "95.00",
                                {"source": "Laporan gizi puskesmas"},
                            ),
                            (
                                "4",
                                "Angka kematian bayi",
                                "per 1.000 kelahiran hidup",
                                "lower",
                                "5.90",
                                "5.00",
                                {"source": "Profil Kesehatan"},
                            ),
                        ],
                    ),
                },
            },
        ],
    },
    {
        "mission": 1,
        "code": "T1.2",
        "title": "Meningkatkan kualitas layanan dasar infrastruktur kota",
        "objectives": [
            {
                "code": "S1.2.1",
                "title": "Meningkatnya kualitas infrastruktur dan permukiman",
                "indicators": [
                    (
                        "1",
                        "Persentase rumah tangga dengan akses air minum layak",
                        "%",
                        "higher",
                        "92.40",
                        "100.00",
                        {"unit": "DPUPR", "source": "BPS"},
                    ),
                    (
                        "2",
                        "Luas kawasan permukiman kumuh",
                        "ha",
                        "lower",
                        "608.60",
                        "200.00",
                        {"key": True, "unit": "Disperkim", "source": "SK Wali Kota kumuh"},
                    ),
                ],
                "units": {
                    "DPUPR": (
                        "Meningkatnya kemantapan jalan dan fungsi drainase",
                        [
                            (
                                "1",
                                "Persentase panjang jalan kondisi mantap",
                                "%",
                                "higher",
                                "78.00",
                                "90.00",
                                {"source": "Survei kondisi jalan"},
                            ),
                            (
                                "2",
                                "Luas genangan",
                                "ha",
                                "lower",
                                "26.50",
                                "10.00",
                                {"formula": "ratio", "source": "Survei drainase"},
                            ),
                            (
                                "3",
                                "Persentase saluran drainase berfungsi baik",
                                "%",
                                "higher",
                                "65.00",
                                "85.00",
                                {},
                            ),
                        ],
                    ),
                    "Disperkim": (
                        "Berkurangnya permukiman kumuh dan rumah tidak layak huni",
                        [
                            (
                                "1",
                                "Persentase rumah tidak layak huni yang tertangani",
                                "%",
                                "higher",
                                "35.00",
                                "75.00",
                                {},
                            ),
                            (
                                "2",
                                "Persentase ruang terbuka hijau publik",
                                "%",
                                "higher",
                                "4.20",
                                "8.00",
                                {},
                            ),
                        ],
                    ),
                },
            },
        ],
    },
    {
        "mission": 2,
        "code": "T2.1",
        "title": "Meningkatkan pertumbuhan ekonomi yang inklusif dan berdaya saing",
        "objectives": [
            {
                "code": "S2.1.1",
                "title": "Meningkatnya pertumbuhan ekonomi dan menurunnya kemiskinan",
                "indicators": [
                    (
                        "1",
                        "Laju pertumbuhan ekonomi",
                        "%",
                        "higher",
                        "5.72",
                        "6.00",
                        {"key": True, "unit": "DPMPTSP", "source": "BPS Kota Malang"},
                    ),
                    (
                        "2",
                        "Tingkat pengangguran terbuka",
                        "%",
                        "lower",
                        "6.65",
                        "5.50",
                        {"key": True, "unit": "Disperin", "source": "Sakernas BPS"},
                    ),
                    (
                        "3",
                        "Persentase penduduk miskin",
                        "%",
                        "lower",
                        "4.10",
                        "3.50",
                        {"unit": "Disdag", "source": "Susenas BPS"},
                    ),
                ],
                "units": {
                    "Disdag": (
                        "Meningkatnya kinerja perdagangan dan pasar rakyat",
                        [
                            (
                                "1",
                                "Persentase pasar rakyat dalam kondisi baik",
                                "%",
                                "higher",
                                "40.00",
                                "75.00",
                                {},
                            ),
                            (
                                "2",
                                "Tingkat inflasi",
                                "%",
                                "range",
                                "3.02",
                                None,
                                {"range": ("2.50", "4.50"), "source": "BPS Kota Malang"},
                            ),
                        ],
                    ),
                    "DPMPTSP": (
                        "Meningkatnya realisasi investasi dan mutu perizinan",
                        [
                            (
                                "1",
                                "Nilai realisasi investasi",
                                "miliar rupiah",
                                "higher",
                                "2800",
                                "4200",
                                {"aggregation": "cumulative", "source": "LKPM"},
                            ),
                            (
                                "2",
                                "Rata-rata waktu penerbitan izin",
                                "hari",
                                "lower",
                                "7",
                                "3",
                                {"formula": "ratio"},
                            ),
                        ],
                    ),
                    "Disperin": (
                        "Meningkatnya daya saing industri kecil dan menengah",
                        [
                            (
                                "1",
                                "Jumlah IKM bersertifikat halal atau SNI",
                                "unit usaha",
                                "higher",
                                "120",
                                "420",
                                {"aggregation": "cumulative"},
                            ),
                            ("2", "Pertumbuhan jumlah IKM", "%", "higher", "2.10", "4.00", {}),
                        ],
                    ),
                },
            },
        ],
    },
    {
        "mission": 2,
        "code": "T2.2",
        "title": "Mengembangkan ekonomi kreatif, pariwisata dan kota yang terpadu",
        "objectives": [
            {
                "code": "S2.2.1",
                "title": "Meningkatnya kunjungan wisata dan kontribusi ekonomi kreatif",
                "indicators": [
                    (
                        "1",
                        "Jumlah kunjungan wisatawan",
                        "orang",
                        "higher",
                        "4150000",
                        "5200000",
                        {"unit": "Disbudpar", "aggregation": "cumulative"},
                    ),
                ],
                "units": {
                    "Disbudpar": (
                        "Meningkatnya daya tarik wisata dan pelestarian budaya",
                        [
                            (
                                "1",
                                "Jumlah kunjungan wisatawan mancanegara",
                                "orang",
                                "higher",
                                "18500",
                                "30000",
                                {"aggregation": "cumulative"},
                            ),
                            (
                                "2",
                                "Persentase cagar budaya yang terpelihara",
                                "%",
                                "higher",
                                "55.00",
                                "80.00",
                                {},
                            ),
                        ],
                    ),
                },
            },
            {
                "code": "S2.2.2",
                "title": "Meningkatnya kinerja transportasi dan kelancaran lalu lintas",
                "indicators": [
                    (
                        "1",
                        "Rata-rata kecepatan perjalanan di jalan utama",
                        "km/jam",
                        "higher",
                        "18.50",
                        "24.00",
                        {"unit": "Dishub"},
                    ),
                ],
                "units": {
                    "Dishub": (
                        "Meningkatnya kelancaran lalu lintas",
                        [
                            (
                                "1",
                                "Rasio volume per kapasitas ruas jalan utama",
                                "rasio",
                                "lower",
                                "0.85",
                                "0.75",
                                {"formula": "ratio"},
                            ),
                            ("2", "Jumlah titik kemacetan", "titik", "lower", "25", "15", {}),
                            (
                                "3",
                                "Persentase simpang APILL terhubung ATCS",
                                "%",
                                "higher",
                                "30.00",
                                "80.00",
                                {},
                            ),
                        ],
                    ),
                },
            },
        ],
    },
    {
        "mission": 3,
        "code": "T3.1",
        "title": "Mewujudkan masyarakat yang rukun, toleran dan berpihak pada kelompok rentan",
        "objectives": [
            {
                "code": "S3.1.1",
                "title": "Meningkatnya kerukunan dan pemberdayaan kelompok rentan dan gender",
                "indicators": [
                    (
                        "1",
                        "Indeks pembangunan gender",
                        "indeks",
                        "higher",
                        "94.20",
                        "95.50",
                        {"key": True, "source": "BPS"},
                    ),
                    (
                        "2",
                        "Persentase konflik sosial yang tertangani",
                        "%",
                        "higher",
                        "90.00",
                        "100.00",
                        {},
                    ),
                ],
                "districts": (
                    "Meningkatnya kerukunan dan partisipasi warga di {name}",
                    [
                        (
                            "1",
                            "Persentase kelurahan dengan forum kerukunan aktif",
                            "%",
                            "higher",
                            "60.00",
                            "100.00",
                            {},
                        ),
                        (
                            "2",
                            "Persentase musrenbang kelurahan dengan keterwakilan perempuan "
                            "minimal 30%",
                            "%",
                            "higher",
                            "45.00",
                            "90.00",
                            {},
                        ),
                    ],
                ),
            },
        ],
    },
    {
        "mission": 4,
        "code": "T4.1",
        "title": "Mewujudkan tata kelola pemerintahan yang profesional dan akuntabel",
        "objectives": [
            {
                "code": "S4.1.1",
                "title": "Meningkatnya akuntabilitas kinerja dan kepuasan masyarakat",
                "indicators": [
                    (
                        "1",
                        "Nilai SAKIP Kota Malang",
                        "nilai",
                        "higher",
                        "70.50",
                        "81.00",
                        {"key": True, "source": "LHE Kementerian PAN-RB"},
                    ),
                    (
                        "2",
                        "Indeks kepuasan masyarakat",
                        "indeks",
                        "higher",
                        "78.00",
                        "85.00",
                        {"key": True},
                    ),
                ],
                "districts": (
                    "Meningkatnya kualitas pelayanan publik di {name}",
                    [
                        (
                            "1",
                            "Indeks kepuasan masyarakat kecamatan",
                            "indeks",
                            "higher",
                            "76.00",
                            "85.00",
                            {},
                        ),
                        (
                            "2",
                            "Rata-rata waktu penyelesaian layanan administrasi",
                            "hari",
                            "lower",
                            "3",
                            "1",
                            {"formula": "ratio"},
                        ),
                    ],
                ),
            },
        ],
    },
]

PROGRAMMES = {
    "Dindik": [
        (
            "Program Pengelolaan Pendidikan",
            ["Pengelolaan Pendidikan Sekolah Dasar", "Pengelolaan Pendidikan SMP"],
            185,
        )
    ],
    "Dinkes": [
        (
            "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat",
            [
                "Penyediaan layanan kesehatan ibu hamil dan bersalin",
                "Pemberian makanan tambahan ibu hamil KEK",
            ],
            142,
        )
    ],
    "Disdag": [
        ("Program Peningkatan Sarana Distribusi Perdagangan", ["Revitalisasi pasar rakyat"], 38)
    ],
    "DPMPTSP": [("Program Pelayanan Penanaman Modal", ["Pelayanan perizinan terpadu"], 12)],
    "Disperin": [("Program Pengembangan Industri", ["Fasilitasi sertifikasi IKM"], 9)],
    "Disbudpar": [
        (
            "Program Peningkatan Daya Tarik Destinasi Pariwisata",
            ["Penyelenggaraan event budaya", "Pemeliharaan cagar budaya"],
            21,
        )
    ],
    "DPUPR": [
        ("Program Penyelenggaraan Jalan", ["Rehabilitasi jalan kota"], 210),
        (
            "Program Pengelolaan dan Pengembangan Sistem Drainase",
            ["Normalisasi saluran drainase"],
            95,
        ),
    ],
    "Dishub": [
        ("Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan", ["Pengembangan ATCS"], 27)
    ],
    "Disperkim": [
        (
            "Program Kawasan Permukiman",
            ["Penanganan kawasan kumuh", "Bedah rumah tidak layak huni"],
            64,
        )
    ],
}

DEMO_USERS = [
    # username, role, unit short name, person (or None), first name
    ("walikota", Role.HEAD_OF_REGION, None, "head_of_region"),
    ("sekda", Role.REGIONAL_SECRETARY, None, "regional_secretary"),
    ("penilai1", Role.PANEL_MEMBER, None, "Prof. Dr. Ir. Bambang Suharto, M.S."),
    ("penilai2", Role.PANEL_MEMBER, None, "Dr. Lestari Handayani, S.E., M.Si."),
    ("kadinkes", Role.UNIT_HEAD, "Dinkes", "unit_head"),
    ("operator-dinkes", Role.UNIT_OPERATOR, "Dinkes", "Yuliana Sari, S.KM."),
    ("inspektur", Role.INSPECTOR, None, "Drs. Eko Prasetyo, M.M., Ak."),
    ("perencana", Role.PLANNER, None, "Andi Kurniawan, S.T., M.PWK."),
]


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _trajectory(baseline: Decimal, end: Decimal, years: list[int]) -> dict[int, Decimal]:
    """Evenly spaced yearly targets from the baseline to the end target."""
    step = (end - baseline) / len(years)
    integral = baseline == baseline.to_integral() and end == end.to_integral()
    values = {}
    for i, year in enumerate(years, start=1):
        value = baseline + step * i
        values[year] = value.to_integral_value(ROUND_HALF_UP) if integral else _q(value)
    values[years[-1]] = end
    return values


@transaction.atomic
def load_demo(*, with_documents: bool = True, today: datetime.date | None = None) -> Government:
    """Create the demo government, as it stands on `today` (default: today's date). Refuses
    if it already exists. Without documents (a quicker load for tests) it stops at the
    earlier term."""
    if Government.objects.filter(slug=DEMO_SLUG).exists():
        raise ValueError("Pemerintah daerah demo sudah ada.")
    gov = Government.objects.create(
        name="Pemerintah Kota Malang (demo)",
        slug=DEMO_SLUG,
        kind=Government.Kind.CITY,
        province="Jawa Timur",
        seat="Malang",
    )
    start = datetime.date(2018, 9, 24)
    people: dict[str, Person] = {}

    def person(name: str, nip: str = "") -> Person:
        p = Person.objects.create(government=gov, name=name, nip=nip)
        people[name] = p
        return p

    def assign(position: Position, p: Person, since: datetime.date = start, **kw: Any) -> None:
        PositionAssignment.objects.create(position=position, person=p, start=since, **kw)

    government_positions = {
        "head_of_region": ("Wali Kota Malang", "Drs. H. Surya Adiwijaya, M.Si."),
        "deputy_head": ("Wakil Wali Kota Malang", "Ir. H. Taufik Hidayat"),
        "regional_secretary": ("Sekretaris Daerah Kota Malang", "Drs. Wahyu Nugroho, M.M."),
    }
    officials: dict[str, Person] = {}
    for kind, (title, name) in government_positions.items():
        pos = Position.objects.create(government=gov, kind=kind, title=title)
        officials[kind] = person(name)
        assign(pos, officials[kind])

    units: dict[str, Unit] = {}
    heads: dict[str, Person] = {}
    for kind, rows in ((Unit.Kind.AGENCY, AGENCIES), (Unit.Kind.DISTRICT, DISTRICTS)):
        for i, (code, name, short, head_name) in enumerate(rows, start=1):
            unit = Unit.objects.create(
                government=gov, kind=kind, code=code, name=name, short_name=short
            )
            units[short] = unit
            title = f"Camat {short}" if kind == Unit.Kind.DISTRICT else f"Kepala {name}"
            pos = Position.objects.create(
                government=gov, unit=unit, kind=Position.Kind.UNIT_HEAD, title=title
            )
            heads[short] = person(
                head_name, nip=f"19{70 + i:02d}0{i % 9 + 1}1{i:02d}199{i % 10}031{i:03d}"
            )
            assign(pos, heads[short])
    # An acting head, as happens: Disbudpar's head retired in 2021 and a Plt. was appointed.
    disbudpar_pos = units["Disbudpar"].positions.get()
    first = disbudpar_pos.assignments.get()
    first.end = datetime.date(2021, 3, 31)
    first.save()
    assign(
        disbudpar_pos,
        person("Drs. Budi Hartono, M.Si."),
        datetime.date(2021, 4, 1),
        acting=PositionAssignment.Acting.PLT,
    )

    term = Term.objects.create(
        government=gov,
        name="RPJMD Kota Malang",
        start_year=2018,
        end_year=2023,
        vision=VISION,
        is_current=True,
    )
    years = term.target_years
    missions = {}
    for number, title in enumerate(MISSIONS, start=1):
        missions[number] = Mission.objects.create(
            government=gov, term=term, number=number, code=f"M{number}", title=title
        )

    def add_indicator(objective: Objective, prefix: str, spec: Ind, unit: Unit | None) -> None:
        suffix, name, uom, polarity, baseline, end, opts = spec
        ind = Indicator.objects.create(
            government=gov,
            objective=objective,
            responsible_unit=unit or (units[opts["unit"]] if "unit" in opts else None),
            code=f"{prefix}.{suffix}",
            name=name,
            unit_of_measure=uom,
            polarity=polarity,
            lower_formula=opts.get("formula", "mirror"),
            aggregation=opts.get("aggregation", "last"),
            frequency=opts.get("frequency", "quarterly"),
            definition=opts.get("definition", ""),
            formula=opts.get("formula_text", ""),
            data_source=opts.get("source", ""),
            baseline_value=Decimal(baseline),
            baseline_year=2018,
            is_key=opts.get("key", False),
        )
        if polarity == "range":
            low, high = (Decimal(v) for v in opts["range"])
            targets = [
                IndicatorTarget(government=gov, indicator=ind, year=y, value=low, value_high=high)
                for y in years
            ]
        else:
            trajectory = _trajectory(Decimal(baseline), Decimal(end), years)
            targets = [
                IndicatorTarget(government=gov, indicator=ind, year=y, value=v)
                for y, v in trajectory.items()
            ]
        IndicatorTarget.objects.bulk_create(targets)

    for g in GOALS:
        goal = Goal.objects.create(
            government=gov, mission=missions[g["mission"]], code=g["code"], title=g["title"]
        )
        for o in g["objectives"]:
            objective = Objective.objects.create(
                government=gov, term=term, goal=goal, code=o["code"], title=o["title"]
            )
            for spec in o["indicators"]:
                add_indicator(objective, f"I{o['code'][1:]}", spec, None)
            unit_objectives = list(o.get("units", {}).items())
            if "districts" in o:
                template, specs = o["districts"]
                for _code, name, short, _head in DISTRICTS:
                    unit_objectives.append((short, (template.format(name=name), specs)))
            for n, (short, (title, specs)) in enumerate(unit_objectives, start=1):
                unit = units[short]
                code = f"{o['code']}.{short.upper()[:6]}.{n}"
                uobj = Objective.objects.create(
                    government=gov,
                    term=term,
                    unit=unit,
                    serves=objective,
                    code=code,
                    title=title,
                )
                for spec in specs:
                    add_indicator(uobj, f"I{code[1:]}", spec, unit)

    for short, programmes in PROGRAMMES.items():
        unit = units[short]
        unit_objectives = list(term.objectives.filter(unit=unit))
        for p_no, (p_name, activities, billions) in enumerate(programmes, start=1):
            prog = Programme.objects.create(
                government=gov,
                term=term,
                unit=unit,
                kind=Programme.Kind.PROGRAMME,
                code=f"{unit.code}.{p_no:02d}",
                name=p_name,
            )
            prog.objectives.set(unit_objectives)
            share = Decimal(billions) * Decimal(1_000_000_000) / len(activities)
            for a_no, a_name in enumerate(activities, start=1):
                act = Programme.objects.create(
                    government=gov,
                    term=term,
                    unit=unit,
                    kind=Programme.Kind.ACTIVITY,
                    parent=prog,
                    code=f"{prog.code}.{a_no:02d}",
                    name=a_name,
                )
                act.objectives.set(unit_objectives)
                budgets = []
                for k, year in enumerate(years):
                    amount = (share * (Decimal(1) + Decimal("0.05") * k)).quantize(
                        Decimal(1_000_000)
                    )
                    budgets.append(Budget(government=gov, programme=act, year=year, amount=amount))
                Budget.objects.bulk_create(budgets)
            totals: dict[int, Decimal] = {}
            for b in Budget.objects.filter(programme__parent=prog):
                totals[b.year] = totals.get(b.year, Decimal(0)) + b.amount
            Budget.objects.bulk_create(
                [
                    Budget(government=gov, programme=prog, year=y, amount=a)
                    for y, a in sorted(totals.items())
                ]
            )
    for short in (d[2] for d in DISTRICTS):
        unit = units[short]
        prog = Programme.objects.create(
            government=gov,
            term=term,
            unit=unit,
            kind=Programme.Kind.PROGRAMME,
            code=f"{unit.code}.01",
            name="Program Penyelenggaraan Pemerintahan dan Pelayanan Publik Kecamatan",
        )
        prog.objectives.set(term.objectives.filter(unit=unit))
        Budget.objects.bulk_create(
            [
                Budget(
                    government=gov,
                    programme=prog,
                    year=y,
                    amount=Decimal(4_500_000_000 + 250_000_000 * k),
                )
                for k, y in enumerate(years)
            ]
        )

    for username, role, unit_short, who in DEMO_USERS:
        if who in officials:
            p = officials[who]
        elif who == "unit_head":
            p = heads[unit_short]  # type: ignore[index]
        else:
            p = person(who)
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            government=gov,
            person=p,
            email=f"{username}@demo.kinerja.invalid",
        )
        RoleAssignment.objects.create(
            user=user, role=role, unit=units[unit_short] if unit_short else None
        )
    from kinerja.core.demo_auction import load_demo_auctions

    load_demo_auctions(gov, with_documents=with_documents)
    if with_documents:
        from kinerja.core.demo_agreements import load_demo_agreements

        load_demo_agreements(gov)
    from kinerja.core.demo_monitoring import load_demo_realisations

    load_demo_realisations(gov)
    from kinerja.core.demo_evaluation import load_demo_evaluation

    load_demo_evaluation(gov)
    # The planners published each reported year on the portal (what the public sees moves
    # only when they do).
    from kinerja.planning.services import year_publish

    planner = User.objects.get(username="perencana")
    for year in range(2019, 2023):
        year_publish(year=year, quarter=4, by=planner)
    # The present: the 2025–2029 term up to today (the calendar follows today's date).
    from kinerja.core.demo_present import load_demo_present

    load_demo_present(gov, today=today, with_documents=with_documents)
    record(
        actor=None,
        action="demo.load",
        obj=gov,
        before=None,
        after={"units": len(units), "indicators": Indicator.objects.filter(government=gov).count()},
        government=gov,
    )
    return gov
