"""The writer of the mixed load, run by bench/run.py inside the app's environment: every
second, an operator of government sint-0001 corrects one of its unit's verified figures of
the year the pages show, submits it, and the inspector verifies it (through the services, as
the pages would). Runs until SIGTERM; prints how many figures it verified."""

from __future__ import annotations

import os
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from kinerja.accounts.models import Government, Role, Unit, User
from kinerja.monitoring.models import Realisation
from kinerja.monitoring.selectors import models_q_owner_prefixed
from kinerja.monitoring.services import realisation_correct, realisation_submit, realisation_verify
from kinerja.sampledata.synthetic import YEARS, slug

stop = False


def _stop(*_: object) -> None:
    global stop
    stop = True


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    gov = Government.objects.get(slug=slug(1))
    unit = Unit.objects.filter(government=gov).order_by("pk").first()
    assert unit is not None
    operator = User.objects.get(
        roles__government=gov, roles__role=Role.UNIT_OPERATOR, roles__unit=unit
    )
    inspector = User.objects.filter(government=gov, roles__role=Role.INSPECTOR).first()
    assert inspector is not None
    figures = list(
        Realisation.objects.filter(
            models_q_owner_prefixed(unit.pk, prefix="indicator__"),
            government=gov,
            year=YEARS[-1],
            is_current=True,
            status=Realisation.Status.VERIFIED,
        ).values_list("indicator_id", "period")[:50]
    )
    done = 0
    print("ready", flush=True)
    while not stop:
        started = time.monotonic()
        indicator_id, period = figures[done % len(figures)]
        current = Realisation.objects.select_related("indicator").get(
            government=gov,
            indicator_id=indicator_id,
            year=YEARS[-1],
            period=period,
            is_current=True,
        )
        step = Decimal("0.01") if done % 2 == 0 else Decimal("-0.01")
        fix = realisation_correct(
            realisation=current,
            by=operator,
            reason="bench: koreksi",
            value=current.value + step,
            note="bench",
        )
        fix = realisation_submit(realisation=fix, by=operator)
        realisation_verify(realisation=fix, by=inspector)
        done += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    print(done, flush=True)


if __name__ == "__main__":
    main()
