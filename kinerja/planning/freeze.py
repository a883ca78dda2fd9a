"""Which yearly targets are frozen: what was agreed or reported does not move.

A year's target of an indicator is frozen once
- that year's Perjanjian Kinerja covering the indicator is signed (a unit's agreement covers
  the indicators the unit is responsible for; the head of region's covers the government's
  own indicators), or
- any realisation of the indicator in that year has been verified, or
- the government has closed that year (its scores and allowances are stored).

The first two are lifted only while a revision of that year's agreement is open (a new
version with its reason, not yet signed): the formal way to change an agreed target. A closed
year is never lifted.

The planning app cannot read agreements, realisations or closed years (they live in the apps
above it), so those apps register a *provider* here when Django starts
(`AppConfig.ready`). Every path that writes targets asks `refuse_frozen` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from kinerja.planning.models import Indicator


@dataclass(frozen=True)
class Freeze:
    """Why one year of one indicator is frozen. `document` names what froze it, for people."""

    year: int
    code: str  # agreement_signed | realisation_verified | year_closed
    document: str
    # Changeable through a revision of the year's agreement (not a closed year).
    revisable: bool = True
    # Lifted while a revision of a covering agreement is open. A signed agreement's own
    # freeze is not: its holder has no open revision, or the latest version would not be
    # the signed one.
    lifted_by_open_revision: bool = False


@dataclass(frozen=True)
class Scope:
    """What a provider is asked about: indicators (saved or about to be created) and years."""

    government_id: int
    indicators: Sequence[Indicator]
    years: frozenset[int]


# A provider answers {(position in scope.indicators, year): [Freeze, ...]}.
Provider = Callable[[Scope], dict[tuple[int, int], list[Freeze]]]
# An opener answers the (position, year) pairs whose agreement has a revision open.
Opener = Callable[[Scope], set[tuple[int, int]]]

_providers: dict[str, Provider] = {}
_openers: dict[str, Opener] = {}


def register(name: str, *, provider: Provider | None = None, opener: Opener | None = None) -> None:
    """Called from an app's `ready()`; registering the same name again replaces it."""
    if provider is not None:
        _providers[name] = provider
    if opener is not None:
        _openers[name] = opener


def covering_agreements(indicator: Indicator) -> set[int | None]:
    """Whose agreements hold the indicator: the responsible unit's, and the head of region's
    (None) for an indicator of the government's own plan."""
    holders: set[int | None] = set()
    try:
        objective = indicator.objective  # may be a new, unsaved objective
    except ObjectDoesNotExist:
        objective = None
    unit_id = objective.unit_id if objective is not None else None
    if unit_id is not None:
        holders.add(unit_id)
    else:
        holders.add(None)
    if indicator.responsible_unit_id is not None:
        holders.add(indicator.responsible_unit_id)
    return holders


def frozen(
    indicators: Sequence[Indicator], years: Iterable[int]
) -> dict[tuple[int, int], list[Freeze]]:
    """{(position of the indicator in `indicators`, year): the freezes that hold}.

    A fixed number of queries per provider, whatever the number of indicators and years.
    """
    year_set = frozenset(int(y) for y in years)
    if not indicators or not year_set:
        return {}
    scope = Scope(government_id=indicators[0].government_id, indicators=indicators, years=year_set)
    found: dict[tuple[int, int], list[Freeze]] = {}
    for provider in _providers.values():
        for key, freezes in provider(scope).items():
            found.setdefault(key, []).extend(freezes)
    if not found:
        return {}
    opened: set[tuple[int, int]] = set()
    for opener in _openers.values():
        opened |= opener(scope)
    held = {}
    for key, freezes in found.items():
        if key in opened and all(f.lifted_by_open_revision for f in freezes):
            continue
        held[key] = sorted(freezes, key=lambda f: (f.revisable, f.code))
    return held


def frozen_years(indicator: Indicator, years: Iterable[int]) -> dict[int, list[Freeze]]:
    """The frozen years among `years` of one indicator, with their reasons."""
    return {year: f for (_pos, year), f in frozen([indicator], years).items()}


def describe(indicator: Indicator, year: int, freezes: list[Freeze]) -> str:
    first = freezes[0]
    if first.revisable:
        return _(
            "Target %(year)s indikator %(code)s dibekukan: %(document)s. Target yang sudah "
            "disepakati hanya dapat diubah melalui revisi Perjanjian Kinerja tahun itu "
            "dengan alasannya."
        ) % {"year": year, "code": indicator.code, "document": first.document}
    return _(
        "Target %(year)s indikator %(code)s dibekukan: %(document)s. Tahun yang sudah "
        "ditutup tidak dapat diubah."
    ) % {"year": year, "code": indicator.code, "document": first.document}


def refuse_frozen(indicator: Indicator, years: Iterable[int]) -> None:
    """Raise a ValidationError (code `target_frozen`) naming each frozen year and the
    document that froze it; do nothing when every year is open."""
    held = frozen_years(indicator, years)
    if held:
        raise ValidationError(
            [
                ValidationError(describe(indicator, year, held[year]), code="target_frozen")
                for year in sorted(held)
            ]
        )
