import re
from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from kinerja.core.numbers import format_brief, format_decimal

register = template.Library()


@register.filter
def angka(value: Any, places: Any = None) -> str:
    """A number the Indonesian way: {{ x|angka }} keeps every digit, {{ x|angka:2 }} rounds."""
    if value is None or value == "":
        return "–"
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return format_decimal(number, int(places) if places not in (None, "") else None)


@register.filter
def angka_ringkas(value: Any) -> str:
    """A figure with at most four decimals, trailing zeros dropped (a count stays whole)."""
    if value is None or value == "":
        return "–"
    try:
        return format_brief(value if isinstance(value, Decimal) else Decimal(str(value)))
    except ArithmeticError:
        return str(value)


@register.filter
def rupiah(value: Any) -> str:
    if value is None:
        return "–"
    return "Rp " + format_decimal(Decimal(str(value)), 0)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def target_for(indicator: Any, year: int) -> Any:
    """The indicator's target for a year, from prefetched targets (no query)."""
    return next((t for t in indicator.targets.all() if t.year == year), None)


@register.filter
def budget_for(programme: Any, year: int) -> Any:
    return next((b for b in programme.budgets.all() if b.year == year), None)


@register.filter
def angka_text(value: str) -> str:
    """A stored decimal text ("12.5", or a range "2.5 – 4.5") the Indonesian way."""
    parts = [p.strip() for p in str(value).split("–")]
    try:
        return " – ".join(format_decimal(Decimal(p)) for p in parts)
    except ArithmeticError:
        return str(value)


@register.filter
def of_kind(rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The rows of one kind (a table of programmes only, numbered without the activities)."""
    return [r for r in rows if r.get("kind") == kind]


@register.filter
def programme_total(rows: list[dict[str, Any]]) -> Decimal:
    """The sum of programme-level budgets (activities are part of their programme)."""
    return sum((Decimal(r["budget"]) for r in rows if r.get("kind") == "programme"), Decimal(0))


# The achievement and warning badges appear once per row of every overview table: tags, not
# {% include %}s, because an include per row costs more than the rest of the row.
_WARNINGS = {
    "green": ("warn-green", gettext_lazy("hijau")),
    "yellow": ("warn-yellow", gettext_lazy("kuning")),
    "red": ("warn-red", gettext_lazy("merah")),
}


@register.simple_tag
def warn(level: str) -> str:
    """The warning badge of a level: green, yellow, red, or not measured yet."""
    css, label = _WARNINGS.get(level, ("warn-none", gettext_lazy("belum terukur")))
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def rollup(r: Any) -> str:
    """A rolled-up achievement (its value to two places, and how many indicators had none)."""
    if r.value is not None:
        html = format_html('<strong class="achv">{}%</strong>', angka(r.value, 2))
    else:
        html = mark_safe('<span class="muted">–</span>')
    if r.undefined:
        html += format_html(
            ' <small class="muted" title="{}">({})</small>',
            gettext("Indikator tanpa capaian terdefinisi tidak ikut dihitung."),
            ngettext("%(n)s tanpa capaian", "%(n)s tanpa capaian", r.undefined)
            % {"n": r.undefined},
        )
    return html


@register.filter
def can(obj: Any, transition: str) -> bool:
    """{% if realisation|can:"submit" %}: whether the object's workflow allows the step now
    (kinerja/core/workflow.py); an unknown step name is an error, not a silent false."""
    if obj is None or obj == "":
        return False
    workflow = type(obj).WORKFLOW
    if transition not in workflow.transitions:
        raise template.TemplateSyntaxError(f"{type(obj).__name__} has no step {transition!r}")
    return bool(workflow.can(obj, transition))


@register.filter
def is_state(obj: Any, states: str) -> bool:
    """{% if session|is_state:"hearings decided closed" %}: whether the object is in one of the
    named states of its workflow; an unknown state name is an error, not a silent false."""
    if obj is None or obj == "":
        return False
    workflow = type(obj).WORKFLOW
    names = states.split()
    unknown = [n for n in names if n not in workflow.labels]
    if unknown:
        raise template.TemplateSyntaxError(f"{type(obj).__name__} has no state {unknown}")
    return workflow.state_of(obj) in names


_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")


@register.filter
def audit_value(value: Any) -> str:
    """A value from the audit trail as people read it: a mapping as "key: value" pairs, a list
    joined, decimals the Indonesian way (96,1), yes/no for booleans, "–" for nothing. Whole
    numbers stay as stored, so that a year never reads "2.019"."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {audit_value(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(
            " ".join(audit_value(part) for part in item)
            if isinstance(item, list | tuple)
            else audit_value(item)
            for item in value
        )
    if isinstance(value, float):
        return format_decimal(Decimal(str(value)))
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        return format_decimal(Decimal(value))
    return str(value)


@register.simple_tag(takes_context=True)
def navlink(context: Any, name: str, label: str) -> str:
    """A menu entry; the entry of the section being shown is marked as the current page
    (aria-current), for sight and for screen readers alike."""
    url = reverse(name)
    request = context.get("request")
    path = request.path if request is not None else ""
    current = path == url if url == "/" else path.startswith(url)
    return format_html(
        '<a href="{}"{}>{}</a>', url, mark_safe(' aria-current="page"') if current else "", label
    )
