"""Supporting tables and evidence: typed, pasted or uploaded; checked; locked with the proposal."""

import io

from openpyxl import Workbook

from kinerja.auction.models import Evidence, SupportingTable
from kinerja.auction.services import proposal_submit
from kinerja.core.models import AuditEvent


def post_file(client, url, filename, data, **fields):
    upload = io.BytesIO(data)
    upload.name = filename
    return client.post(url, {**fields, "file": upload}, follow=True)


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_pasted_table_from_a_spreadsheet(world, auction):
    _s, proposal, _i = auction
    pasted = (
        "Kelurahan\tIbu hamil\tBulan ke-8\tKluster prasejahtera\n"
        "Bareng\t212\t23\t41\nKauman\t187\t19\t35\n"
    )
    world.client("operator_a").post(
        f"/lelang/usulan/{proposal.pk}/tabel/",
        {"name": "Ibu hamil per kelurahan", "pasted": pasted},
    )
    table = SupportingTable.objects.get()
    assert table.columns == ["Kelurahan", "Ibu hamil", "Bulan ke-8", "Kluster prasejahtera"]
    assert table.rows == [["Bareng", "212", "23", "41"], ["Kauman", "187", "19", "35"]]
    body = world.client("planner").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Ibu hamil per kelurahan" in body and "<td>Kauman</td>" in body
    assert AuditEvent.objects.filter(action="proposal.table").exists()


def test_table_from_xlsx_and_from_csv(world, auction):
    _s, proposal, _i = auction
    client = world.client("head_a")
    url = f"/lelang/usulan/{proposal.pk}/tabel/"
    post_file(
        client,
        url,
        "gizi.xlsx",
        xlsx([["Kelurahan", "Balita gizi kurang"], ["Bareng", 14], ["Kauman", 9.5]]),
        name="Gizi",
    )
    post_file(
        client,
        url,
        "kluster.csv",
        b"Kelurahan;Keluarga prasejahtera\nBareng;1.204\n",
        name="Kluster",
    )
    tables = {t.name: t for t in SupportingTable.objects.all()}
    assert tables["Gizi"].rows == [["Bareng", "14"], ["Kauman", "9.5"]]
    assert (
        tables["Kluster"].rows == [["Bareng", "1.204"]]
        and tables["Kluster"].source_filename == "kluster.csv"
    )


def test_bad_tables_are_explained(world, auction):
    _s, proposal, _i = auction
    client = world.client("operator_a")
    url = f"/lelang/usulan/{proposal.pk}/tabel/"
    assert (
        "paling sedikit satu baris data"
        in client.post(url, {"name": "X", "pasted": "Hanya judul"}, follow=True).content.decode()
    )
    assert (
        "Isi tabel di kotak, atau unggah"
        in client.post(url, {"name": "X"}, follow=True).content.decode()
    )
    body = post_file(
        client, url, "rusak.xlsx", b"PK\x03\x04 not really a workbook", name="X"
    ).content.decode()
    assert "bukan workbook .xlsx" in body
    assert not SupportingTable.objects.exists()


def test_evidence_is_checked_by_content_and_size(world, auction, settings):
    _s, proposal, _i = auction
    client = world.client("operator_a")
    url = f"/lelang/usulan/{proposal.pk}/bukti/"
    post_file(client, url, "laporan.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "laporan.pdf"
    # An executable named .pdf is refused; so is a file over the limit.
    body = post_file(
        client, url, "laporan2.pdf", b"MZ\x90\x00\x03 this is a windows program"
    ).content.decode()
    assert "Jenis berkas tidak diterima" in body
    settings.KINERJA_MAX_UPLOAD_BYTES = 1024
    body = post_file(client, url, "besar.pdf", b"%PDF-1.7\n" + b"0" * 2048).content.decode()
    assert "terlalu besar" in body
    assert Evidence.objects.count() == 1
    # Downloaded through the proposal's access rules, as an attachment with its real type.
    response = world.client("planner").get(f"/lelang/bukti/{evidence.pk}/")
    assert (
        response["Content-Type"] == "application/pdf"
        and "attachment" in response["Content-Disposition"]
    )
    assert (
        world.client("operator_b").get(f"/lelang/bukti/{evidence.pk}/").status_code == 404
    )  # a draft of another unit
    assert world.client("other_gov").get(f"/lelang/bukti/{evidence.pk}/").status_code == 404


def test_supporting_data_is_locked_after_submission_and_refused_to_other_units(world, auction):
    _s, proposal, _i = auction
    body = world.client("operator_b").post(
        f"/lelang/usulan/{proposal.pk}/tabel/", {"name": "X", "pasted": "a;b\n1;2"}
    )
    assert body.status_code == 404
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    body = (
        world.client("operator_a")
        .post(
            f"/lelang/usulan/{proposal.pk}/tabel/", {"name": "X", "pasted": "a;b\n1;2"}, follow=True
        )
        .content.decode()
    )
    assert "terkunci" in body
    assert not SupportingTable.objects.exists()
