"""Mail for notices, from the task queue: at once for those who chose it, and the morning
digest, which re-enqueues itself for the next morning (one `db_worker` keeps it going)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from kinerja.accounts.notices import mail_digests, mail_notices

DIGEST_PATH = "kinerja.accounts.tasks.send_digests"


@task()
def send_notices(notice_ids: list[int]) -> int:
    return mail_notices(notice_ids)


def next_morning(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now)
    tomorrow = (now + datetime.timedelta(days=1)).date()
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(6, 30)))


def schedule_digests(now: datetime.datetime | None = None) -> bool:
    """Queue the next digest unless one is already waiting. True when it queued one."""
    if DBTaskResult.objects.filter(task_path=DIGEST_PATH, status="READY").exists():
        return False
    send_digests.using(run_after=next_morning(now)).enqueue()
    return True


@task()
def send_digests() -> int:
    sent = mail_digests()
    schedule_digests()
    return sent
