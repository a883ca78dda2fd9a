"""The government's calendar: the current year, the reporting year, the years a picker
offers, the term a year belongs to, the quarter shown by default, and what is public.

The years are the government's own setting (Government.current_year / reporting_year);
when empty they follow today's date: the current year is the year in progress and the
reporting year (LKjIP, SAKIP, scorecards, allowances) the one before it. They are never
derived from the newest figure anyone typed.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import Government
from kinerja.planning.models import Term, YearPublication

QUARTERS = 4


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def current_year(government: Government, today: datetime.date | None = None) -> int:
    return government.current_year or _today(today).year


def reporting_year(government: Government, today: datetime.date | None = None) -> int:
    return government.reporting_year or current_year(government, today) - 1


def terms(government: Government) -> list[Term]:
    return list(Term.objects.filter(government=government).order_by("start_year"))


def term_for_year(government: Government, year: int) -> Term | None:
    """The term whose yearly targets include the year (the latest, if two overlap)."""
    return (
        Term.objects.filter(government=government, start_year__lt=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )


def years(
    government: Government, today: datetime.date | None = None, *, ahead: int = 0
) -> list[int]:
    """The years a picker offers: every target year of the government's terms up to the
    current year (a plan year is a year with data; `ahead` more years for pages that
    prepare the next one, such as the agreements), and the current and reporting years."""
    upto = current_year(government, today) + ahead
    found = {
        y
        for start, end in Term.objects.filter(government=government).values_list(
            "start_year", "end_year"
        )
        for y in range(start + 1, end + 1)
        if y <= upto
    }
    found |= {current_year(government, today), reporting_year(government, today)}
    return sorted(found)


def year_from(
    value: object,
    government: Government,
    default: int,
    today: datetime.date | None = None,
    *,
    ahead: int = 0,
) -> tuple[int, list[int]]:
    """A year asked for in a request (`?tahun=`): none given is the default; otherwise it must
    be one of the picker's years, else "not found" (404) with the reason, never a loop over a
    range the user chose or a server error. Returns it with the picker's years."""
    offered = years(government, today, ahead=ahead)
    if default not in offered:
        offered = sorted({*offered, default})
    text = "" if value is None else str(value).strip()
    if not text:
        return default, offered
    if not (text.isdigit() and len(text) == 4 and int(text) in offered):
        raise Http404(
            _("Tahun %(year)s di luar periode pemerintah daerah ini.") % {"year": text[:12]}
        )
    return int(text), offered


def quarter_from(value: object, default: int) -> int:
    """A quarter asked for (`?tw=`): none given is the default; 1–4, else not found."""
    text = "" if value is None else str(value).strip()
    if not text:
        return default
    if text not in ("1", "2", "3", "4"):
        raise Http404(_("Triwulan harus 1–4."))
    return int(text)


def default_quarter(government: Government, year: int, today: datetime.date | None = None) -> int:
    """The quarter a page shows by default: the last one ended by today in the year in
    progress (at least the first), every quarter of a past year."""
    day = _today(today)
    if year < day.year:
        return QUARTERS
    if year > day.year:
        return 1
    return max(1, (day.month - 1) // 3)


def publications(government: Government) -> dict[int, int]:
    """{year: the last published quarter}: what the public portal shows."""
    return dict(
        YearPublication.objects.filter(government=government)
        .order_by("year")
        .values_list("year", "quarter")
    )
