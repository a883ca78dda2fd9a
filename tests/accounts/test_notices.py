"""Notices: what happened to a person's work, in Kinerja and by e-mail from the task queue (at
once, in the morning digest, or not at all, by the person's choice); never sent within the
request."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from kinerja.accounts.models import Notice, User
from kinerja.accounts.notices import mail_digests
from kinerja.accounts.tasks import DIGEST_PATH, schedule_digests
from kinerja.auction.documents import pact_issue
from kinerja.documents.services import document_sign
from kinerja.monitoring import services as monitoring
from kinerja.monitoring.models import Realisation
from tests.refusals import refused
from tests.signing import passphrase


def run_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def returned_figure(world) -> Realisation:
    """The unit head entered and submitted a figure; the planner returns it."""
    head = world.users["head_a"]
    r = monitoring.realisation_save(
        indicator=world.indicator_a, year=2019, period=1, by=head, value=Decimal(12)
    )
    r = monitoring.realisation_submit(realisation=r, by=head)
    return monitoring.realisation_return(
        realisation=r, by=world.users["planner"], comment="Lampirkan data Dapodik."
    )


@pytest.mark.django_db(transaction=True)  # the queue: committed, then run by the worker
def test_a_returned_figure_is_a_notice_and_an_email_from_the_queue(world):
    returned_figure(world)
    notices = Notice.objects.filter(kind=Notice.Kind.RETURNED)
    assert {n.user.username for n in notices} == {"uji-operator_a", "uji-head_a"}
    assert all("Lampirkan data Dapodik." in n.body for n in notices)
    assert not mail.outbox  # nothing sent within the request: queued
    assert DBTaskResult.objects.filter(task_path="kinerja.accounts.tasks.send_notices").exists()
    run_queue()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "uji-head_a@uji.invalid",
        "uji-operator_a@uji.invalid",
    ]
    assert all(world.indicator_a.code in m.subject for m in mail.outbox)
    assert all(n.mailed_at for n in Notice.objects.all())
    run_queue()  # nothing twice
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_each_person_chooses_immediate_digest_or_none(world):
    User.objects.filter(username="uji-operator_a").update(notice_mail=User.NoticeMail.DAILY)
    User.objects.filter(username="uji-head_a").update(notice_mail=User.NoticeMail.OFF)
    returned_figure(world)
    run_queue()
    assert not mail.outbox  # the digest waits for the morning; the other chose none
    assert mail_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == ["uji-operator_a@uji.invalid"] and "Realisasi dikembalikan" in digest.body
    assert mail_digests() == 0  # each notice once
    assert Notice.objects.filter(user__username="uji-head_a", mailed_at__isnull=True).exists()
    assert schedule_digests() and not schedule_digests()  # one waiting digest at a time
    assert DBTaskResult.objects.filter(task_path=DIGEST_PATH, status="READY").count() == 1


def test_an_offer_tells_the_unit_and_a_signature_tells_the_other_party(world, decided):
    assert Notice.objects.filter(kind=Notice.Kind.OFFER, user__username="uji-head_a").exists()
    assert Notice.objects.filter(kind=Notice.Kind.AUCTION_OPEN, user__username="uji-operator_a")
    assert not Notice.objects.filter(kind=Notice.Kind.OFFER, user__username="uji-operator_b")

    head, mayor = world.users["head_a"], world.users["mayor"]
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    waiting = Notice.objects.get(kind=Notice.Kind.SIGN_WAITING, user=head)
    assert waiting.url == f"/verifikasi/{pact.code}/tandatangani/" and pact.title in waiting.title
    assert not Notice.objects.filter(kind=Notice.Kind.SIGN_WAITING, user=mayor).exists()
    document_sign(document=pact, by=head, passphrase=passphrase(head))
    assert Notice.objects.filter(kind=Notice.Kind.SIGN_WAITING, user=mayor).exists()
    document_sign(document=pact, by=mayor, passphrase=passphrase(mayor))
    signed = Notice.objects.get(kind=Notice.Kind.SIGNED, user=head)
    assert mayor.person.name in signed.title
    assert Notice.objects.filter(kind=Notice.Kind.SIGNED, user=world.users["planner"]).count() == 2


def test_the_notices_page_marks_read_and_keeps_the_choice(world):
    returned_figure(world)
    client = world.client("operator_a")
    home = client.get("/").content.decode()
    assert 'id="pemberitahuan"' in home and "Realisasi dikembalikan" in home
    page = client.get("/akun/pemberitahuan/").content.decode()
    assert "Lampirkan data Dapodik." in page
    client.post("/akun/pemberitahuan/", {"form": "read"})
    assert not Notice.objects.filter(user__username="uji-operator_a", read_at__isnull=True)
    assert 'id="pemberitahuan"' not in client.get("/").content.decode()
    client.post("/akun/pemberitahuan/", {"form": "mail", "notice_mail": "daily"})
    assert User.objects.get(username="uji-operator_a").notice_mail == "daily"
    bad = client.post("/akun/pemberitahuan/", {"form": "mail", "notice_mail": "hourly"})
    assert bad.status_code == 200 and User.objects.get(username="uji-operator_a").notice_mail == (
        "daily"
    )
    # Another person's notices are never shown.
    assert (
        "Lampirkan data Dapodik."
        not in world.client("operator_b").get("/akun/pemberitahuan/").content.decode()
    )


def test_notices_never_cross_governments(world):
    from kinerja.accounts.notices import notify

    created = notify(
        [world.users["operator_a"], world.users["other_gov"]],
        government=world.gov,
        kind=Notice.Kind.LATE,
        title="Uji",
    )
    assert [n.user.username for n in created] == ["uji-operator_a"]
    with refused("pilihan_tidak_dikenal"):
        from kinerja.accounts.notices import notice_mail_set

        notice_mail_set(user=world.users["operator_a"], choice="hourly")
