"""Reading and writing numbers the Indonesian way (1.234,56), without losing digits."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_INDONESIAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


class NumberError(ValueError):
    """A text that is not a number; the message is for the user, in Indonesian."""


def parse_decimal(value: object) -> Decimal:
    """A Decimal from a cell or form value.

    Numbers pass through exactly (a float by its shortest repr, so 0.1 stays 0.1). Text is read
    with a decimal comma and dots for thousands ("1.234,5"), or with a plain decimal point
    ("1234.5"). "1.234" alone is refused as ambiguous rather than guessed.
    """
    if isinstance(value, bool):
        raise NumberError("Bukan angka.")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError("Bukan angka.")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError("Bukan angka.")
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise NumberError("Kosong.")
    if _AMBIGUOUS.match(text):
        raise NumberError(
            f"Angka '{text}' ambigu: tulis {text.replace('.', '')} (ribuan) "
            f"atau {text.replace('.', ',')} (desimal)."
        )
    if "," in text or (_INDONESIAN.match(text) and "." in text):
        if not _INDONESIAN.match(text):
            raise NumberError(f"'{text}' bukan angka.")
        text = text.replace(".", "").replace(",", ".")
    elif not _PLAIN.match(text):
        raise NumberError(f"'{text}' bukan angka.")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only numbers
        raise NumberError(f"'{text}' bukan angka.") from exc


def format_decimal(value: Decimal | int | float | None, places: int | None = None) -> str:
    """Indonesian formatting: 1234567.891 -> '1.234.567,891'. Rounds only if `places` given."""
    if value is None:
        return "–"
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is not None:
        # Half up, as officials round by hand (0,125 -> 0,13), not banker's rounding.
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{number:,.{places}f}"
    else:
        normalized = number.normalize()
        if normalized == normalized.to_integral():
            normalized = normalized.quantize(Decimal(1))
        text = f"{normalized:,f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def plain_decimal(value: Decimal | None, places: int | None = None) -> str | None:
    """An exact figure as a plain decimal string for data exchange ("0.81", "100"), rounded
    half up to `places` when given; never a float, never an exponent."""
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(value.normalize(), "f")
