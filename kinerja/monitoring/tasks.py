"""Scheduled work: the daily reminder to units that have not reported.

The task re-enqueues itself for the next morning, so one `db_worker` keeps it going without
cron; `manage.py send_reminders` does the same work once, for a cron-driven deployment.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from kinerja.monitoring.services import reminders_send

TASK_PATH = "kinerja.monitoring.tasks.remind_late_units"


def next_morning(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now)
    tomorrow = (now + datetime.timedelta(days=1)).date()
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(7, 0)))


def schedule_reminders(now: datetime.datetime | None = None) -> bool:
    """Queue the next run unless one is already waiting. True when it queued one."""
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()
    if waiting:
        return False
    remind_late_units.using(run_after=next_morning(now)).enqueue()
    return True


@task()
def remind_late_units() -> int:
    sent = reminders_send()
    schedule_reminders()
    return sent
