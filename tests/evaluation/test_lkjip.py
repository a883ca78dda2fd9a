"""The LKjIP as PDF and Word: the same achievement figures as the pages, the analysis each
unit writes per indicator (causes, measures, a national figure), efficiency, and the
attachments (the Perjanjian Kinerja and the IKU matrix)."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied

from kinerja.evaluation import lkjip
from kinerja.evaluation.models import LkjipAnalysis
from kinerja.planning.models import Budget, Programme

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, read back with python-docx."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_efficiency_index_by_hand():
    # 90 % achieved with 75 % of the budget spent: 1,2 per unit of budget.
    assert lkjip.efficiency_index(Decimal(90), Decimal(75)) == Decimal("1.2")
    assert lkjip.efficiency_index(Decimal(90), None) is None
    assert lkjip.efficiency_index(Decimal(90), Decimal(0)) is None
    line = lkjip.EfficiencyLine("P", Decimal(200), Decimal(150), Decimal(90))
    assert (line.absorption, line.index) == (Decimal(75), Decimal("1.2"))


def test_the_word_and_pdf_reports_hold_the_pages_figures_and_the_units_analysis(scored_2019):
    world = scored_2019
    indicator_b = world.indicator_b
    # Unit B's operator writes the analysis of its indicator, with a national figure typed
    # the Indonesian way; the figure and the words appear in both reports.
    client = world.client("operator_b")
    url = f"/evaluasi/lkjip/analisis/?tahun=2019&pd={world.unit_b.pk}"
    page = client.get(url).content.decode()
    assert f'name="causes_{indicator_b.pk}"' in page
    bad = client.post(
        url,
        {
            f"causes_{indicator_b.pk}": "Kasus naik di musim hujan.",
            f"measures_{indicator_b.pk}": "Fogging terjadwal.",
            f"national_{indicator_b.pk}": "dua belas",
        },
    )
    assert bad.status_code == 400 and "Kasus naik di musim hujan." in bad.content.decode()
    assert not LkjipAnalysis.objects.exists()
    response = client.post(
        url,
        {
            f"causes_{indicator_b.pk}": "Kasus naik di musim hujan.",
            f"measures_{indicator_b.pk}": "Fogging terjadwal di 12 kelurahan.",
            f"national_{indicator_b.pk}": "10,75",
            f"source_{indicator_b.pk}": "Kemenkes 2019",
        },
    )
    assert response.status_code == 302
    saved = LkjipAnalysis.objects.get()
    assert (saved.indicator, saved.national_value) == (indicator_b, Decimal("10.75"))
    # Another unit's operator cannot write it.
    with pytest.raises(PermissionDenied):
        lkjip.analyses_save(
            government=world.gov,
            year=2019,
            rows={indicator_b.pk: {"causes": "x"}},
            by=world.users["operator_a"],
        )

    # The figures of the achievement pages.
    mayor = world.client("mayor")
    overview = mayor.get("/pemantauan/?tahun=2019&tw=4").content.decode()
    missions = re.search(r'<table id="missions">.*?</table>', overview, re.S).group(0)
    figures = re.findall(r'class="achv">([\d.,]+%)<', missions)
    units = re.search(r'<table id="units">.*?</table>', overview, re.S).group(0)
    # The units' achievements (the ranking and efficiency tables print them without "%").
    figures += [f.rstrip("%") for f in re.findall(r'class="achv">([\d.,]+%)<', units)]
    assert figures and "90,00" in figures

    word = mayor.get("/evaluasi/lkjip/unduh/?tahun=2019&format=docx")
    assert word["Content-Type"].endswith("wordprocessingml.document")
    text_docx = docx_text(word.content)
    text_pdf = pdf_text(mayor.get("/evaluasi/lkjip/unduh/?tahun=2019").content)
    for figure in figures:
        assert figure in text_docx, figure
        assert figure in text_pdf, figure
    for text in (text_docx, " ".join(text_pdf.split())):
        assert "Indeks efisiensi" in text
        assert "lampiran 2. matriks indikator kinerja utama (iku)" in text.lower()
    # Word has the charts as pictures.
    assert len(docx.Document(io.BytesIO(word.content)).inline_shapes) >= 2
    # Unit B's report, read by its own people: its achievement and its analysis, in both.
    unit_url = f"/evaluasi/lkjip/unduh/?tahun=2019&pd={world.unit_b.pk}"
    own_docx = docx_text(world.client("operator_b").get(unit_url + "&format=docx").content)
    own_pdf = " ".join(pdf_text(world.client("operator_b").get(unit_url).content).split())
    for text in (own_docx, own_pdf):
        assert "90,00%" in text
        assert "Kasus naik di musim hujan." in text
        assert "Fogging terjadwal di 12 kelurahan." in text
        assert "10,75 (Kemenkes 2019)" in text
    assert (
        world.client("operator_a")
        .get(f"/evaluasi/lkjip/unduh/?tahun=2019&pd={world.unit_b.pk}&format=docx")
        .status_code
        == 403
    )


def test_the_efficiency_of_a_units_programmes(scored_2019):
    world = scored_2019
    programme = Programme.objects.filter(unit=world.unit_b, kind="programme").first()
    if programme is None:
        programme = Programme.objects.create(
            government=world.gov,
            term=world.indicator_b.objective.term,
            unit=world.unit_b,
            kind="programme",
            code="9.99",
            name="Program Uji",
        )
    programme.objectives.add(
        world.indicator_b.objective, through_defaults={"government_id": programme.government_id}
    )
    Budget.objects.update_or_create(
        government=world.gov,
        programme=programme,
        year=2019,
        defaults={"amount": Decimal(1000), "spent": Decimal(750)},
    )
    context = lkjip.report_context(world.gov, 2019, world.unit_b)
    (line,) = [e for e in context["efficiency"] if e.label.startswith(programme.code)]
    # Unit B's objective achieved 90 % with 75 % of its budget spent: index 1,2.
    assert (line.absorption, line.achievement, line.index) == (
        Decimal(75),
        Decimal(90),
        Decimal("1.2"),
    )
    text = " ".join(pdf_text(lkjip.lkjip_pdf(world.gov, 2019, world.unit_b)).split())
    assert "75,00 90,00 1,20" in text


def test_a_governments_word_template_restyles_the_report(scored_2019, tmp_path, settings):
    template = docx.Document()
    template.styles["Normal"].font.name = "Liberation Serif"
    template.styles["Heading 1"].font.name = "Liberation Sans Narrow"
    path = tmp_path / "gaya-pemda.docx"
    template.save(str(path))
    settings.KINERJA_LKJIP_DOCX_TEMPLATE = str(path)
    from kinerja.evaluation.word import lkjip_docx

    report = docx.Document(io.BytesIO(lkjip_docx(scored_2019.gov, 2019)))
    assert report.styles["Normal"].font.name == "Liberation Serif"
    assert report.styles["Heading 1"].font.name == "Liberation Sans Narrow"
    assert any(p.style.name == "Heading 1" for p in report.paragraphs)
