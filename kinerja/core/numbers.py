"""Reading and writing numbers the Indonesian way (1.234,56), or the English way for a reader
who chose English (1,234.56), without losing digits. Pure: no Django."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

_INDONESIAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
# As people type them, per language: thousands grouped by threes (optional), then decimals.
_TYPED = {
    "id": re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"),
    "en": re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"),
}
_SEPARATORS = {"id": (".", ","), "en": (",", ".")}  # (thousands, decimal)
_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")


class NumberError(ValueError):
    """A text that is not a number. `kind` says why ("empty", "not_number", "ambiguous"),
    `text` is exactly what was typed; the message (str) is in Indonesian, for file imports."""

    def __init__(self, message: str, *, kind: str = "not_number", text: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.text = text


def language_of(code: str | None) -> str:
    """The number convention of a language code: "en" for English, else Indonesian."""
    return "en" if (code or "").lower().startswith("en") else "id"


def parse_decimal(value: object, language: str | None = None) -> Decimal:
    """A Decimal from a cell or form value.

    Numbers pass through exactly (a float by its shortest repr, so 0.1 stays 0.1).

    Text typed by a person is read in their language (`language` "id" or "en"): in Indonesian
    "2.874" is 2874 and "1.234,5" is 1234,5; in English "2,874" is 2874 and "1,234.5" is
    1234.5. A separator in the wrong place ("12.5" in Indonesian, "12,5" in English) is refused,
    never guessed. Spaces between groups of three digits ("1 234") are allowed.

    Without a language (text cells of an uploaded file, API values), either decimal mark is
    read: "1.234,5" and "1234.5"; "1.234" alone is refused as ambiguous rather than guessed.
    """
    if isinstance(value, bool):
        raise NumberError("Bukan angka.", text=str(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError("Bukan angka.", text=str(value))
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError("Bukan angka.", text=str(value))
        return Decimal(repr(value))
    typed = str(value).strip()
    text = _SPACES.sub("", typed)
    if not text:
        raise NumberError("Kosong.", kind="empty", text=typed)
    if language in _TYPED:
        if not _TYPED[language].match(text):
            raise NumberError(f"'{typed}' bukan angka.", text=typed)
        thousands, mark = _SEPARATORS[language]
        return Decimal(text.replace(thousands, "").replace(mark, "."))
    if _AMBIGUOUS.match(text):
        raise NumberError(
            f"Angka '{typed}' ambigu: tulis {text.replace('.', '')} (ribuan) "
            f"atau {text.replace('.', ',')} (desimal).",
            kind="ambiguous",
            text=typed,
        )
    if "," in text or (_INDONESIAN.match(text) and "." in text):
        if not _INDONESIAN.match(text):
            raise NumberError(f"'{typed}' bukan angka.", text=typed)
        text = text.replace(".", "").replace(",", ".")
    elif not _PLAIN.match(text):
        raise NumberError(f"'{typed}' bukan angka.", text=typed)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only numbers
        raise NumberError(f"'{typed}' bukan angka.", text=typed) from exc


def format_decimal(
    value: Decimal | int | float | None, places: int | None = None, language: str = "id"
) -> str:
    """Indonesian formatting: 1234567.891 -> '1.234.567,891' (English, language "en":
    '1,234,567.891'). Rounds only if `places` given."""
    if value is None:
        return "–"
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    with localcontext() as context:
        # Enough digits for any figure (the default 28 would refuse a long one).
        context.prec = max(
            context.prec,
            len(number.as_tuple().digits) + (places or 0) + 2,
            number.adjusted() + (places or 0) + 3,
        )
        if places is not None:
            # Half up, as officials round by hand (0,125 -> 0,13), not banker's rounding.
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            text = f"{number:,.{places}f}"
        else:
            normalized = number.normalize()
            if normalized == normalized.to_integral():
                normalized = normalized.quantize(Decimal(1))
            text = f"{normalized:,f}"
    if language == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def plain_decimal(value: Decimal | None, places: int | None = None) -> str | None:
    """An exact figure as a plain decimal string for data exchange ("0.81", "100"), rounded
    half up to `places` when given; never a float, never an exponent."""
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(value.normalize(), "f")


def format_brief(
    value: Decimal | int | float | None, max_places: int = 4, language: str = "id"
) -> str:
    """A figure with at most `max_places` decimals and no trailing zeros: a count stays whole
    (3.744.658, not 3.744.658,00), a mean of figures does not print thirty digits."""
    if value is None:
        return "–"
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    rounded = number.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, None, language)
