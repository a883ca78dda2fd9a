"""Charts as SVG drawn on the server, so the same chart appears on a page, on the public
portal and in the LKjIP PDF, with no JavaScript and nothing fetched from elsewhere.

Values are percentages (achievements) or scores; a missing value is drawn as a gap with a
dash, never as a zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.core.numbers import format_decimal

COLOURS = {
    "green": "#2e7d32",
    "yellow": "#f9a825",
    "red": "#c62828",
    "none": "#607d8b",
}
SERIES_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    warning: str = "none"
    href: str | None = None


def _number(value: Decimal | None) -> str:
    return "–" if value is None else format_decimal(value, places=2)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    reference: Decimal | None = Decimal(100),
    suffix: str = "%",
    width: int = 640,
    label_width: int = 230,
    limit: int = 34,
    stacked: bool = False,
) -> SafeString:
    """Horizontal bars, one per item, with the value written at the end and a dashed line at
    the reference (100%). `stacked`: each label on its own line above its bar, drawn 360 wide,
    so that it reads at its own size on a phone."""
    if stacked:
        return _stacked_bars(bars, title=title, reference=reference, suffix=suffix)
    row, top = 22, 8
    height = top * 2 + row * max(len(bars), 1) + 14
    plot = width - label_width - 70
    values = [b.value for b in bars if b.value is not None]
    scale_max = max([Decimal(100), *values]) if values else Decimal(100)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" {_role(bars)} '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        label = escape(_short(bar.label, limit))
        text = (
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="11" '
            f"{FONT}>{label}</text>"
        )
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        parts.append(text)
        if bar.value is not None:
            length = max(float(max(bar.value, Decimal(0)) / scale_max) * plot, 0.0)
            colour = COLOURS.get(bar.warning, COLOURS["none"])
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{colour}"><title>{label}: {_number(bar.value)}{suffix}</title></rect>'
            )
            end = label_width + length + 4
        else:
            end = label_width + 4
        parts.append(
            f'<text x="{end:.1f}" y="{y + 15}" font-size="11" {FONT}>'
            f"{_number(bar.value)}{suffix if bar.value is not None else ''}</text>"
        )
    if reference is not None:
        x = label_width + float(reference / scale_max) * plot
        parts.append(
            _reference_line(x, top, top + row * max(len(bars), 1), reference, suffix, size=10)
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _reference_line(
    x: float, top: float, bottom: float, reference: Decimal, suffix: str, *, size: int
) -> str:
    """The dashed line at the reference value (100%), with its value under it."""
    return (
        f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#333" '
        f'stroke-dasharray="4 3" stroke-width="1"/>'
        f'<text x="{x:.1f}" y="{bottom + 12}" text-anchor="middle" font-size="{size}" {FONT}>'
        f"{_number(reference)}{suffix}</text>"
    )


def _role(bars: Sequence[Bar]) -> str:
    """A chart is one image to assistive technology, unless its bars are links: then a group,
    so that the links inside stay reachable."""
    return 'role="group"' if any(b.href for b in bars) else 'role="img"'


def _stacked_bars(
    bars: Sequence[Bar], *, title: str, reference: Decimal | None, suffix: str
) -> SafeString:
    width, row, top, left, right = 360, 40, 6, 4, 64
    plot = width - left - right
    height = top * 2 + row * max(len(bars), 1) + 14
    values = [b.value for b in bars if b.value is not None]
    scale_max = max([Decimal(100), *values]) if values else Decimal(100)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stacked" {_role(bars)} '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        label = escape(_short(bar.label, 52))
        text = f'<text x="{left}" y="{y + 13}" font-size="12" {FONT}>{label}</text>'
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        parts.append(text)
        end: float = left + 4
        if bar.value is not None:
            length = max(float(max(bar.value, Decimal(0)) / scale_max) * plot, 0.0)
            colour = COLOURS.get(bar.warning, COLOURS["none"])
            parts.append(
                f'<rect x="{left}" y="{y + 18}" width="{length:.1f}" height="14" '
                f'fill="{colour}"><title>{label}: {_number(bar.value)}{suffix}</title></rect>'
            )
            end = left + length + 4
        parts.append(
            f'<text x="{end:.1f}" y="{y + 30}" font-size="12" font-weight="bold" {FONT}>'
            f"{_number(bar.value)}{suffix if bar.value is not None else ''}</text>"
        )
    if reference is not None:
        x = left + float(reference / scale_max) * plot
        parts.append(
            _reference_line(x, top + 16, top + row * max(len(bars), 1), reference, suffix, size=11)
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[int, Decimal | None]]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    reference: Decimal | None = Decimal(100),
    suffix: str = "%",
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Values over the years, one line per series, a gap where a year has no value."""
    left, right, top, bottom = 48, 24, 18, 40 + 12 * ((len(series) - 1) // 3)
    years = sorted({year for s in series for year, _v in s.points})
    values = [v for s in series for _y, v in s.points if v is not None]
    low = min([Decimal(0), *values])
    high = max([Decimal(100) if reference is not None else Decimal(1), *values])
    span = float(high - low) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom

    # The first and last years sit inside the plot, so that a value's label clears the
    # axis's numbers (a value of the first year printed over the axis was unreadable).
    inset = 30

    def x_of(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * years.index(year) / (len(years) - 1)

    def y_of(value: Decimal) -> float:
        return top + plot_h * (1 - float(value - low) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
    ]
    for year in years:
        parts.append(
            f'<text x="{x_of(year):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'font-size="11" {FONT}>{year}</text>'
        )
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{left - 4}" y="{y_of(tick) + 4:.1f}" text-anchor="end" font-size="10" '
            f"{FONT}>{_number(tick)}</text>"
        )
    if reference is not None and low <= reference <= high:
        y = y_of(reference)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#333" '
            f'stroke-dasharray="4 3"/>'
        )
    for index, s in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        segment: list[str] = []
        segments = [segment]
        for year, value in sorted(s.points):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x_of(year):.1f},{y_of(value):.1f}")
            parts.append(
                f'<circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(s.name)} {year}: {_number(value)}{suffix}</title></circle>"
            )
            if len(series) <= 2:
                parts.append(
                    f'<text x="{x_of(year):.1f}" y="{y_of(value) - 6:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="{colour}" {FONT}>{_number(value)}{suffix}</text>'
                )
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(points)}"/>'
                )
        legend_y = top + plot_h + 30 + 12 * (index // 3)
        legend_x = left + (index % 3) * (plot_w // 3)
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{legend_y + 1}" font-size="10" {FONT}>'
            f"{escape(_short(s.name, 40))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
