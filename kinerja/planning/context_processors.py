from typing import Any

from django.http import HttpRequest

from kinerja.planning import calendar


def government_calendar(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's government's current and reporting year, for the header."""
    if not request.user.is_authenticated:
        return {}
    government = getattr(request.user, "government", None)
    if government is None:
        return {}
    return {
        "calendar_current_year": calendar.current_year(government),
        "calendar_reporting_year": calendar.reporting_year(government),
    }
