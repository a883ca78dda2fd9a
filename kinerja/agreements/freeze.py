"""The agreements' part of the target freeze (see kinerja.planning.freeze): a year's signed
Perjanjian Kinerja freezes the targets it holds; an open revision of it lets them change."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.agreements.models import Agreement
from kinerja.planning.freeze import Freeze, Scope, covering_agreements


def _latest_versions(
    scope: Scope,
) -> tuple[dict[int, set[int | None]], dict[tuple[int | None, int], Agreement]]:
    holders = {pos: covering_agreements(ind) for pos, ind in enumerate(scope.indicators)}
    units = {u for hs in holders.values() for u in hs if u is not None}
    wanted = Q(unit_id__in=units)
    if any(None in hs for hs in holders.values()):
        wanted |= Q(unit__isnull=True)
    latest: dict[tuple[int | None, int], Agreement] = {}
    for agreement in (
        Agreement.objects.filter(
            wanted, government_id=scope.government_id, year__in=scope.years, position__isnull=True
        )
        .select_related("unit")
        .order_by("year", "version")
    ):
        latest[(agreement.unit_id, agreement.year)] = agreement
    return holders, latest


def _name(agreement: Agreement) -> str:
    who = agreement.unit.name if agreement.unit else _("Kepala Daerah")
    signed = timezone.localtime(agreement.signed_at) if agreement.signed_at else None
    return _("Perjanjian Kinerja %(year)s %(who)s versi %(version)s, ditandatangani %(date)s") % {
        "year": agreement.year,
        "who": who,
        "version": agreement.version,
        "date": f"{signed:%d-%m-%Y}" if signed else "-",
    }


def _covering(scope: Scope) -> Iterator[tuple[int, int, Agreement]]:
    """(position, year, the latest version of a covering agreement of that year)."""
    holders, latest = _latest_versions(scope)
    for pos, hs in holders.items():
        for year in scope.years:
            for holder in hs:
                agreement = latest.get((holder, year))
                if agreement is not None:
                    yield pos, year, agreement


def signed_agreements(scope: Scope) -> dict[tuple[int, int], list[Freeze]]:
    found: dict[tuple[int, int], list[Freeze]] = {}
    for pos, year, agreement in _covering(scope):
        if agreement.status == Agreement.Status.SIGNED:
            found.setdefault((pos, year), []).append(
                Freeze(year=year, code="agreement_signed", document=_name(agreement))
            )
    return found


def open_revisions(scope: Scope) -> set[tuple[int, int]]:
    """A revision is open: a version after the first, not yet signed."""
    return {
        (pos, year)
        for pos, year, agreement in _covering(scope)
        if agreement.version > 1 and agreement.status != Agreement.Status.SIGNED
    }
