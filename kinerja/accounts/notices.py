"""Notices: what happened to a person's work (a figure returned, a document waiting for their
signature or signed by the other party, an offer from the panel, an auction opened, a report
late). Each is kept in Kinerja for its reader and mailed by their choice: at once, in the
morning's digest, or not at all. Mail is sent by the task queue (`accounts/tasks.py`), never
within the request that caused it."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kinerja.accounts.models import Government, Notice, User
from kinerja.core.audit import record

TITLE_MAX = 300


def notify(
    users: Iterable[User],
    *,
    government: Government,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    mailed: bool = False,
) -> list[Notice]:
    """A notice for each active user of the government (once each); those who chose immediate
    mail get it from the queue once the transaction commits (`mailed`: the caller mails it
    itself, as the reminders do)."""
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        if user.government_id != government.pk:
            continue
        seen.add(user.pk)
        notices.append(
            Notice(
                government=government,
                user=user,
                kind=kind,
                title=title[:TITLE_MAX],
                body=body[:4000],
                url=url[:500],
                mailed_at=timezone.now() if mailed else None,
            )
        )
    if not notices:
        return []
    created = Notice.objects.bulk_create(notices)
    immediate = [
        n.pk
        for n in created
        if n.pk is not None
        and not mailed
        and n.user.email
        and n.user.notice_mail == User.NoticeMail.IMMEDIATE
    ]
    if immediate:
        from kinerja.accounts.tasks import send_notices

        transaction.on_commit(lambda: send_notices.enqueue(immediate))
    return created


def _address(url: str) -> str:
    if not url:
        return ""
    return settings.KINERJA_PUBLIC_URL.rstrip("/") + url if url.startswith("/") else url


def mail_notices(notice_ids: list[int]) -> int:
    """Mail these notices, each once (a notice already mailed is skipped). Returns how many."""
    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, mailed_at__isnull=True).select_related(
        "user"
    ):
        if not notice.user.email:
            continue
        with override("id"):
            lines = [notice.body, _address(notice.url)]
            send_mail(
                f"[Kinerja] {notice.title}",
                "\n\n".join(line for line in lines if line),
                None,
                [notice.user.email],
                fail_silently=True,
            )
        Notice.objects.filter(pk=notice.pk, government_id=notice.government_id).update(
            mailed_at=timezone.now()
        )
        sent += 1
    return sent


def mail_digests() -> int:
    """The morning digest: for each person who chose it, one e-mail listing the notices not
    mailed yet. Returns how many e-mails were sent."""
    waiting = (
        Notice.objects.filter(
            mailed_at__isnull=True,
            user__notice_mail=User.NoticeMail.DAILY,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notice]] = {}
    for notice in waiting:
        by_user.setdefault(notice.user_id, []).append(notice)
    for notices in by_user.values():
        user = notices[0].user
        with override("id"):
            lines = [f"- {n.title}" + (f"\n  {_address(n.url)}" if n.url else "") for n in notices]
            send_mail(
                _("[Kinerja] Ringkasan pemberitahuan: %(n)s") % {"n": len(notices)},
                "\n".join(lines),
                None,
                [user.email],
                fail_silently=True,
            )
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(mailed_at=timezone.now())
    return len(by_user)


@transaction.atomic
def notices_read(*, user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices (these, or all) as read. Returns how many changed."""
    mine = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        mine = mine.filter(pk__in=notice_ids)
    return mine.update(read_at=timezone.now())


@transaction.atomic
def notice_mail_set(*, user: User, choice: str) -> User:
    """How the person's notices reach their e-mail: at once, in a morning digest, or not."""
    if choice not in User.NoticeMail.values:
        raise ValidationError(_("Pilihan tidak dikenal."), code="pilihan_tidak_dikenal")
    before = {"notice_mail": user.notice_mail}
    user.notice_mail = choice
    user.save(update_fields=["notice_mail"])
    record(
        actor=user,
        action="account.notice_mail",
        obj=user,
        before=before,
        after={"notice_mail": choice},
        government=user.government,
    )
    return user
