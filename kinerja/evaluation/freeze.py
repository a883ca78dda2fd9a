"""Evaluation's part of the target freeze (see kinerja.planning.freeze): a closed year's
targets never change, not even through a revision."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.evaluation.models import IncentivePolicy
from kinerja.planning.freeze import Freeze, Scope


def closed_years(scope: Scope) -> dict[tuple[int, int], list[Freeze]]:
    closed = {
        p.year: p.closed_at
        for p in IncentivePolicy.objects.filter(
            government_id=scope.government_id, year__in=scope.years, closed_at__isnull=False
        )
    }
    found: dict[tuple[int, int], list[Freeze]] = {}
    for year, at in closed.items():
        document = _("tahun %(year)s ditutup %(date)s (nilai dan TPP tersimpan)") % {
            "year": year,
            "date": f"{timezone.localtime(at):%d-%m-%Y}",
        }
        for pos in range(len(scope.indicators)):
            found[(pos, year)] = [
                Freeze(year=year, code="year_closed", document=document, revisable=False)
            ]
    return found
