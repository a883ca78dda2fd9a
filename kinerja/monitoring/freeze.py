"""Monitoring's part of the target freeze (see kinerja.planning.freeze): a verified
realisation freezes its indicator's target of that year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.monitoring.models import Realisation
from kinerja.planning.freeze import Freeze, Scope


def verified_realisations(scope: Scope) -> dict[tuple[int, int], list[Freeze]]:
    positions = {ind.pk: pos for pos, ind in enumerate(scope.indicators) if ind.pk}
    if not positions:
        return {}
    found: dict[tuple[int, int], list[Freeze]] = {}
    rows = (
        Realisation.objects.filter(
            indicator_id__in=positions,
            year__in=scope.years,
            status=Realisation.Status.VERIFIED,
        )
        .order_by()
        .values_list("indicator_id", "year")
        .distinct()
    )
    for indicator_id, year in rows:
        found[(positions[indicator_id], year)] = [
            Freeze(
                year=year,
                code="realisation_verified",
                document=_("realisasi tahun %(year)s sudah diverifikasi") % {"year": year},
                lifted_by_open_revision=True,
            )
        ]
    return found
