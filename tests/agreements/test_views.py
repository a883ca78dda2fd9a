"""Agreement pages: the year's overview, generating all in the background, signing, versions,
the zip, and the wrong persona refused."""

import io
import zipfile

import pytest
from django.core.management import call_command

from kinerja.agreements.models import Agreement, AgreementBatch
from kinerja.agreements.services import agreement_draft, agreement_send, agreement_sign
from tests.signing import passphrase, sign_form


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connections
def test_generating_a_year_runs_in_the_background_with_progress(world, region, queue):
    client = world.client("planner")
    response = client.post("/pk/semua/", {"tahun": "2019"})
    batch = AgreementBatch.objects.get()
    assert response["Location"] == f"/pk/proses/{batch.pk}/"
    assert (
        batch.status == "queued" and not Agreement.objects.exists()
    )  # nothing done in the request
    page = client.get(f"/pk/proses/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page

    call_command("db_worker", "--batch", "--no-startup-delay")

    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 3, 3)  # the region and two units
    # Unit B has no head in office: noted, not sent.
    assert "Kecamatan B" in batch.message
    assert Agreement.objects.filter(status="awaiting").count() == 2
    assert (
        "Selesai" in client.get(f"/pk/proses/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    )


def test_sign_from_the_page_and_download_the_zip(world, region):
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    head = world.client("head_a")
    assert 'id="sign"' in head.get(f"/pk/{agreement.pk}/").content.decode()
    assert (
        'id="sign"' not in world.client("mayor").get(f"/pk/{agreement.pk}/").content.decode()
    )  # not yet
    head.post(f"/pk/{agreement.pk}/tandatangani/", sign_form(world.users["head_a"]))
    world.client("mayor").post(f"/pk/{agreement.pk}/tandatangani/", sign_form(world.users["mayor"]))
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    response = world.client("inspector").get("/pk/unduh.zip?tahun=2019")
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["pk-2019-da-v1.pdf"]


def test_overview_shows_due_date_and_late_units(world, region):
    body = world.client("mayor").get("/pk/?tahun=2019").content.decode()
    assert "Batas waktu: 20 Januari 2019" in body
    assert body.count("terlambat") >= 3  # today is long after the due date


def test_versions_are_compared(world, region):
    from decimal import Decimal

    from kinerja.agreements.services import agreement_revise
    from kinerja.planning.services import indicator_targets_set

    u = world.users
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=u["planner"]
        ),
        by=u["planner"],
    )
    agreement_sign(agreement=agreement, by=u["head_a"], passphrase=passphrase(u["head_a"]))
    agreement = agreement_sign(
        agreement=agreement, by=u["mayor"], passphrase=passphrase(u["mayor"])
    )
    # A signed year's target changes only through a revision: open it, change, refresh.
    revision = agreement_revise(
        agreement=agreement, reason="priority", note="Prioritas baru", by=u["planner"]
    )
    indicator_targets_set(
        indicator=world.indicator_a, targets={2019: (Decimal("12.25"), None)}, by=u["planner"]
    )
    revision = agreement_draft(government=world.gov, unit=world.unit_a, year=2019, by=u["planner"])
    body = world.client("mayor").get(f"/pk/{agreement.pk}/banding/{revision.pk}/").content.decode()
    assert (
        "I1.A.1 Indikator I1.A.1 kota-uji" in body
        and "12,25" in body
        and "Perubahan prioritas" in body
    )
    # Both versions stay readable.
    assert world.client("mayor").get(f"/pk/{agreement.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "method", "path", "status"),
    [
        ("anonymous", "get", "/pk/", 302),
        ("other_gov", "get", "/pk/{pk}/", 404),
        ("operator_b", "post", "/pk/{pk}/kirim/", 403),
        ("operator_b", "post", "/pk/{pk}/perbarui/", 403),
        ("head_a", "post", "/pk/semua/", 403),
        ("panel", "post", "/pk/{pk}/tandatangani/", 403),
    ],
)
def test_wrong_persona_is_refused(world, region, persona, method, path, status):
    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
    )
    if path.endswith("tandatangani/"):
        agreement = agreement_send(agreement=agreement, by=world.users["planner"])
    response = getattr(world.client(persona), method)(
        path.format(pk=agreement.pk), {"tahun": "2019"}
    )
    assert response.status_code == status
    agreement.refresh_from_db()
    assert agreement.status in ("draft", "awaiting") and AgreementBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_crashes_says_so(world, region, queue, monkeypatch):
    from kinerja.agreements import tasks

    def explode(batch):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(tasks, "_generate", explode)
    world.client("planner").post("/pk/semua/", {"tahun": "2019"})
    call_command("db_worker", "--batch", "--no-startup-delay")
    batch = AgreementBatch.objects.get()
    assert batch.status == "failed" and "disk penuh" in batch.message
    assert "Gagal" in world.client("planner").get(f"/pk/proses/{batch.pk}/").content.decode()


def test_a_second_click_on_sign_says_it_is_done(world, region):
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    head = world.client("head_a")
    first = head.post(
        f"/pk/{agreement.pk}/tandatangani/", sign_form(world.users["head_a"]), follow=True
    )
    assert first.status_code == 200
    again = head.post(
        f"/pk/{agreement.pk}/tandatangani/", sign_form(world.users["head_a"]), follow=True
    )
    assert again.status_code == 200
    assert "Anda sudah menandatangani dokumen ini" in again.content.decode()


def test_a_draft_never_sent_can_be_deleted_after_a_confirmation(world, region):
    from kinerja.core.models import AuditEvent

    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
    )
    url = f"/pk/{agreement.pk}/hapus/"
    assert world.client("operator_b").post(url, {"confirm": "yes"}).status_code == 403
    head = world.client("head_a")
    assert "Hapus draf" in head.get(f"/pk/{agreement.pk}/").content.decode()
    preview = head.post(url)
    assert preview.status_code == 200 and Agreement.objects.filter(pk=agreement.pk).exists()
    response = head.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and not Agreement.objects.filter(pk=agreement.pk).exists()
    row = AuditEvent.objects.get(action="agreement.delete")
    assert row.before and row.after["deleted"] is True

    # Once sent, even when recalled to a draft, its document stays and the draft with it.
    sent = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    from kinerja.agreements.services import agreement_recall

    recalled = agreement_recall(agreement=sent, by=world.users["planner"])
    body = head.post(f"/pk/{recalled.pk}/hapus/", {"confirm": "yes"}, follow=True)
    assert "pernah dikirim" in body.content.decode()
    assert Agreement.objects.filter(pk=recalled.pk).exists()


def test_sending_shows_the_targets_first_and_sends_only_when_confirmed(world, region):
    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
    )
    planner = world.client("planner")
    preview = planner.post(f"/pk/{agreement.pk}/kirim/").content.decode()
    assert "Target yang diperjanjikan" in preview and 'name="confirm"' in preview
    agreement.refresh_from_db()
    assert agreement.status == "draft" and agreement.document is None
    planner.post(f"/pk/{agreement.pk}/kirim/", {"confirm": "yes"})
    agreement.refresh_from_db()
    assert agreement.status == "awaiting"
