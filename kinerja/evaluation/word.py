"""The reports officials finish in Word (python-docx): the LKjIP, with the same chapters,
tables and figures as its PDF, read from the same `lkjip.report_context`, with the charts as
pictures; and the LHE, with its PDF's results, findings and recommendations. Both use Word's
built-in styles (Title, Heading 1–3, Table Grid), so a government restyles them with its own
style set; with `KINERJA_LKJIP_DOCX_TEMPLATE` set to a .docx, a document starts from that
file (its styles, page setup, header and footer)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from weasyprint import HTML

from kinerja.accounts.models import Government, Unit
from kinerja.core import pdfium
from kinerja.core.numbers import format_brief, format_decimal
from kinerja.core.templatetags.kinerja import angka_text
from kinerja.evaluation import lhe as reports
from kinerja.evaluation.lkjip import report_context


def _n(value: Decimal | None, places: int | None = None, suffix: str = "") -> str:
    """As the PDF prints it: `places` decimals, or at most four without trailing zeros."""
    if value is None:
        return "–"
    return (format_decimal(value, places) if places is not None else format_brief(value)) + suffix


def _rp(value: Decimal | None) -> str:
    return "–" if value is None else "Rp " + format_decimal(value, 0)


def chart_png(svg: str, *, scale: float = 2.0) -> bytes:
    """An SVG chart as a PNG picture: drawn by WeasyPrint on a page of its own size, then
    rasterised by PDFium (the same drawing the PDF carries)."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    width, height = (float(found.group(1)), float(found.group(2))) if found else (640.0, 240.0)
    page = (
        f"<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }}"
        f"svg {{ display: block }}</style>{svg}"
    )
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None
    image = pdfium.page_image(pdf, 0, scale=scale)
    assert image is not None
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


TEXT_WIDTH_CM = 17.0  # A4 with 2 cm margins


def _table(
    doc: Any,
    header: list[str],
    rows: list[list[str]],
    numeric: set[int],
    *,
    first: float | None = None,
    groups: set[int] | None = None,
) -> Any:
    """A bordered table; `first`: the first column's width in cm (the rest share the page);
    `groups`: the rows (by index) that are headings spanning every column."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = text
            if i in numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if first is not None and len(header) > 1:
        table.autofit = False
        rest = (TEXT_WIDTH_CM - first) / (len(header) - 1)
        for i, column in enumerate(table.columns):
            column.width = Cm(first if i == 0 else rest)
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                cell.width = Cm(first if i == 0 else rest)
    for index in groups or set():
        cells = table.rows[index + 1].cells
        merged = cells[0].merge(cells[-1])
        merged.text = rows[index][0]
        for run in merged.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(7 if len(header) > 7 else 8)
    return table


def _document() -> Any:
    """A new Word document: from the government's template when one is set, else A4 with
    2 cm margins and Word's built-in styles."""
    template = getattr(settings, "KINERJA_LKJIP_DOCX_TEMPLATE", "") or None
    doc = Document(template)
    if template is None:
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
    return doc


def _picture(doc: Any, svg: Any, caption: str) -> None:
    if not svg:
        return
    doc.add_picture(io.BytesIO(chart_png(str(svg))), width=Cm(16))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(caption).alignment = WD_ALIGN_PARAGRAPH.CENTER


def lkjip_docx(government: Government, year: int, unit: Unit | None = None) -> bytes:
    """The LKjIP of the government (no unit) or of a unit for a year, as .docx bytes."""
    c = report_context(government, year, unit)
    doc = _document()
    subject = c["subject"]
    root = c["root"]

    doc.add_paragraph(f"LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN {year}", "Title")
    doc.add_paragraph(subject + (f"\n{government.name}" if unit else ""))
    if c["term"]:
        doc.add_paragraph(str(c["term"].name))
    doc.add_page_break()

    doc.add_heading("BAB I Pendahuluan", 1)
    doc.add_paragraph(
        f"Laporan ini mempertanggungjawabkan kinerja {subject} tahun {year} terhadap target "
        "yang ditetapkan dalam "
        + (
            "Rencana Strategis dan Perjanjian Kinerja perangkat daerah"
            if unit
            else "RPJMD dan Perjanjian Kinerja Kepala Daerah"
        )
        + ". Capaian dihitung dari realisasi yang telah diajukan dan diverifikasi sampai dengan "
        "triwulan IV."
    )
    key = [
        [f"Capaian kinerja tahun {year}", _n(root.to_date.value, 2, "%")],
        ["Jumlah indikator", str(len(c["view"].statuses))],
    ]
    if not unit:
        key.append(["Jumlah perangkat daerah", str(len(c["view"].units))])
    grade = c["grade"]
    if grade:
        key.append(
            [
                f"Predikat SAKIP {grade.year}",
                f"{grade.evaluation.grade} ({_n(grade.evaluation.score, 2)})",
            ]
        )
    _table(doc, ["Angka kunci", ""], key, {1}, first=11.0)

    doc.add_heading("BAB II Perencanaan kinerja", 1)
    term = c["term"]
    if term:
        doc.add_heading(f"Rencana jangka menengah: {term}", 2)
        if term.vision:
            doc.add_paragraph(f"Visi: {term.vision}")
    if c["missions"]:
        doc.add_paragraph("Misi:")
        for m in c["missions"]:
            doc.add_paragraph(str(m.obj.title), "List Number")
    doc.add_heading(f"Perjanjian Kinerja tahun {year}", 2)
    agreement = c["agreement"]
    if agreement:
        signed = (
            f" pada {formats.date_format(agreement.signed_at, 'j F Y')}"
            if agreement.signed_at
            else ""
        )
        code = f", kode verifikasi {agreement.document.code}" if agreement.document else ""
        doc.add_paragraph(
            f"Perjanjian Kinerja {year} {unit.name if unit else 'Kepala Daerah'} versi "
            f"{agreement.version}: {agreement.get_status_display().lower()}{signed}{code}; "
            f"memuat {len(agreement.content.get('targets', []))} target kinerja."
        )
    else:
        doc.add_paragraph(f"Perjanjian Kinerja tahun {year} belum dibuat di Kinerja.")

    doc.add_heading("BAB III Akuntabilitas kinerja", 1)
    doc.add_heading(f"A. Capaian kinerja {year}", 2)
    figure = 1
    if c["missions"]:
        _table(
            doc,
            ["Misi", f"Capaian {year}", "Indikator merah"],
            [
                [f"{m.obj.code} {m.obj.title}", _n(m.to_date.value, 2, "%"), str(m.red)]
                for m in c["missions"]
            ],
            {1, 2},
            first=11.0,
        )
        _picture(doc, c["mission_chart"], f"Gambar {figure}. Capaian per misi tahun {year}")
        figure += 1
    earlier_years = c["earlier_years"]
    end_year = c["end_year"]
    header = [
        "Sasaran / indikator",
        f"Target {year}",
        f"Realisasi {year}",
        f"Capaian {year}",
        *[f"Capaian {y}" for y in earlier_years],
        f"Target {end_year}",
        f"Capaian thd. target {end_year}",
    ]
    numeric = set(range(1, len(header)))
    for g in c["goals"]:
        if g.goal:
            doc.add_heading(
                f"Tujuan {g.goal.code}: {g.goal.title} — capaian "
                f"{_n(g.node.to_date.value, 2, '%')}",
                3,
            )
        rows: list[list[str]] = []
        groups: set[int] = set()
        for o in g.objectives:
            groups.add(len(rows))
            rows.append(
                [
                    f"{o.node.obj.code} {o.node.obj.title} — capaian "
                    f"{_n(o.node.to_date.value, 2, '%')}"
                ]
                + [""] * (len(header) - 1)
            )
            for line in o.lines:
                ind = line.indicator
                rows.append(
                    [
                        f"{ind.code} {ind.name}"
                        + (f" ({ind.unit_of_measure})" if ind.unit_of_measure else ""),
                        _n(line.status.target),
                        _n(line.status.to_date_value),
                        _n(line.status.to_date.value, 2, "%"),
                        *[_n(v, 2, "%") for _y, v in line.earlier],
                        _n(line.end_target),
                        _n(line.end_achievement.value, 2, "%"),
                    ]
                )
        _table(doc, header, rows, numeric, first=4.2, groups=groups)
    _picture(doc, c["objective_chart"], f"Gambar {figure}. Capaian per sasaran tahun {year}")
    _picture(doc, c["trend_chart"], f"Gambar {figure + 1}. Capaian {subject} dari tahun ke tahun")
    if c["ranking"]:
        doc.add_heading(f"Peringkat perangkat daerah {year}", 3)
        _table(
            doc,
            ["#", "Perangkat daerah", "Nilai"],
            [
                [str(r.rank) if r.rank is not None else "–", r.unit.name, _n(r.score, 2)]
                for r in c["ranking"]
            ],
            {0, 2},
        )

    doc.add_heading("B. Analisis capaian per indikator", 2)
    for line in c["lines"]:
        ind = line.indicator
        doc.add_heading(f"{ind.code} {ind.name}", 3)
        analysis = line.analysis
        national = "–"
        if analysis and analysis.national_value is not None:
            national = _n(analysis.national_value) + (
                f" ({analysis.national_source})" if analysis.national_source else ""
            )
        _table(
            doc,
            [
                f"Target {year}",
                f"Realisasi {year}",
                f"Capaian {year}",
                *[f"Capaian {y}" for y in earlier_years],
                f"Capaian thd. target {end_year}",
                "Angka nasional",
            ],
            [
                [
                    _n(line.status.target),
                    _n(line.status.to_date_value),
                    _n(line.status.to_date.value, 2, "%"),
                    *[_n(v, 2, "%") for _y, v in line.earlier],
                    _n(line.end_achievement.value, 2, "%"),
                    national,
                ]
            ],
            set(range(5 + len(earlier_years))),
        )
        if analysis and analysis.causes:
            doc.add_paragraph(f"Penyebab: {analysis.causes}")
        if analysis and analysis.measures:
            doc.add_paragraph(f"Upaya dan langkah perbaikan: {analysis.measures}")
        if not (analysis and (analysis.causes or analysis.measures)):
            doc.add_paragraph("Analisis belum diisi.")

    doc.add_heading(f"C. Realisasi anggaran {year}", 2)
    budget_rows = [[b.label, _rp(b.amount), _rp(b.spent), _n(b.percent, 2)] for b in c["budget"]]
    if c["budget"]:
        total = c["budget_total"]
        budget_rows.append(["Jumlah", _rp(total.amount), _rp(total.spent), _n(total.percent, 2)])
    _table(
        doc,
        ["Program" if unit else "Perangkat daerah", "Pagu (Rp)", "Realisasi (Rp)", "%"],
        budget_rows,
        {1, 2, 3},
        first=7.0,
    )
    doc.add_heading(f"D. Efisiensi penggunaan sumber daya {year}", 2)
    doc.add_paragraph(
        "Indeks efisiensi = capaian kinerja (%) dibagi penyerapan anggaran (%); di atas 1 "
        "berarti capaian lebih tinggi daripada anggaran yang terserap."
    )
    _table(
        doc,
        [
            "Program" if unit else "Perangkat daerah",
            "Pagu (Rp)",
            "Realisasi (Rp)",
            "Penyerapan (%)",
            "Capaian (%)",
            "Indeks efisiensi",
        ],
        [
            [
                e.label,
                _rp(e.amount),
                _rp(e.spent),
                _n(e.absorption, 2),
                _n(e.achievement, 2),
                _n(e.index, 2),
            ]
            for e in c["efficiency"]
        ],
        {1, 2, 3, 4, 5},
        first=5.0,
    )

    doc.add_heading("BAB IV Penutup", 1)
    closing = f"Capaian kinerja {subject} tahun {year} adalah " + (
        f"{_n(root.to_date.value, 2, '%')}." if root.to_date.value is not None else "belum terukur."
    )
    doc.add_paragraph(closing)
    reds = c["view"].red
    if reds:
        doc.add_paragraph(
            "Indikator berikut berada di bawah ambang kuning dan memerlukan langkah perbaikan "
            "pada tahun berikutnya:"
        )
        for s in reds:
            doc.add_paragraph(
                f"{s.indicator.code} {s.indicator.name}: {_n(s.forecast.value, 2, '%')}",
                "List Bullet",
            )
    if c["head"]:
        p = doc.add_paragraph(f"{government.head_title},\n\n\n{c['head'].person.name}")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_page_break()
    doc.add_heading(f"Lampiran 1. Perjanjian Kinerja {year}", 1)
    if agreement:
        targets = agreement.content.get("targets", [])
        _table(
            doc,
            ["No", "Sasaran", "Indikator kinerja", "Satuan", "Target"],
            [
                [
                    str(i),
                    t.get("objective", ""),
                    t.get("indicator", ""),
                    t.get("unit_of_measure", ""),
                    angka_text(t["target"]) if t.get("target") not in (None, "") else "–",
                ]
                for i, t in enumerate(targets, start=1)
            ],
            {0, 4},
            first=1.0,
        )
        programmes = [
            p for p in agreement.content.get("programmes", []) if p.get("kind") == "programme"
        ]
        if programmes:
            rows = [
                [str(i), f"{p['code']} {p['name']}", _rp(Decimal(p["budget"]))]
                for i, p in enumerate(programmes, start=1)
            ]
            rows.append(
                [
                    "",
                    "Jumlah anggaran",
                    _rp(sum((Decimal(p["budget"]) for p in programmes), Decimal(0))),
                ]
            )
            _table(doc, ["No", "Program", "Anggaran (Rp)"], rows, {0, 2}, first=1.0)
    else:
        doc.add_paragraph(f"Perjanjian Kinerja tahun {year} belum dibuat di Kinerja.")
    doc.add_heading("Lampiran 2. Matriks Indikator Kinerja Utama (IKU)", 1)
    _table(
        doc,
        [
            "Indikator",
            "Definisi / cara menghitung",
            "Sumber data",
            "Kondisi awal",
            *[str(y) for y in c["iku_years"]],
        ],
        [
            [
                f"{k.indicator.code} {k.indicator.name}",
                " ".join(x for x in (k.indicator.definition, k.indicator.formula) if x),
                k.indicator.data_source,
                _n(k.indicator.baseline_value),
                *[_n(v) for v in k.targets],
            ]
            for k in c["iku"]
        ],
        set(range(3, 4 + len(c["iku_years"]))),
        first=3.5,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def lhe_docx(report: Any) -> bytes:
    """The LHE as a Word document: the same results, conclusion, findings and recommendations
    as its PDF, and each recommendation's follow-up as it stands today."""
    evaluation = report.evaluation
    doc = _document()
    who = reports.who_of(evaluation)
    doc.add_paragraph("LAPORAN HASIL EVALUASI", "Title")
    doc.add_paragraph(
        "atas Implementasi Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP)\n"
        f"{who} · Tahun {evaluation.year}"
    )
    doc.add_heading("A. Hasil evaluasi", 1)
    rows = [
        [
            str(c["component"].number),
            c["component"].name,
            _n(c["component"].weight, 2),
            _n(c["points"], 2),
        ]
        for c in reports.component_points(report)
    ]
    rows.append(["", "Nilai hasil evaluasi", "100,00", _n(evaluation.score, 2)])
    _table(doc, ["No", "Komponen", "Bobot", "Nilai"], rows, {0, 2, 3}, first=1.0)
    doc.add_paragraph(
        f"Predikat: {evaluation.grade}"
        + (
            f" · nilai penilaian mandiri {_n(evaluation.self_score, 2)}"
            if evaluation.self_score is not None
            else ""
        )
    )
    if report.summary:
        doc.add_heading("B. Simpulan", 1)
        doc.add_paragraph(report.summary)
    doc.add_heading("C. Catatan dan rekomendasi", 1)
    for item in report.items.select_related("component"):
        doc.add_heading(
            f"{item.number}. " + (f"Komponen {item.component.name}" if item.component else "Umum"),
            2,
        )
        doc.add_paragraph(f"Catatan: {item.finding}")
        doc.add_paragraph(f"Rekomendasi: {item.recommendation}")
        doc.add_paragraph(
            f"Tindak lanjut: {item.get_status_display()}"
            + (f" — {item.follow_up}" if item.follow_up else "")
            + (f" ({formats.date_format(item.followed_on, 'j F Y')})" if item.followed_on else "")
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
