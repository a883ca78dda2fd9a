from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kinerja.core.numbers import NumberError, format_decimal, language_of, parse_decimal


class IndonesianDecimalField(forms.DecimalField):
    """A decimal typed the Indonesian way (1.234,56) or with a point (1234.56), kept exact."""

    widget = forms.TextInput

    def __init__(self, *, understood: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        # Where a misreading would matter, the value understood is shown back as it is typed
        # (core/_field.html puts the <output> after the input; views.read_number fills it).
        self.understood = understood
        if understood:
            self.widget.attrs.update(
                {
                    "hx-get": reverse_lazy("read_number"),
                    "hx-trigger": "input changed delay:300ms, load",
                    "hx-target": "next output",
                    "hx-swap": "innerHTML",
                }
            )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        return read_number(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            language = language_of(get_language())
            thousands = "," if language == "en" else "."
            return format_decimal(value, language=language).replace(thousands, "")
        return value


def read_number(value: Any) -> Decimal:
    """A number typed by a person, read in their language (Indonesian: 2.874 = 2874 and
    1.234,5; English: 2,874 = 2874 and 1,234.5). The refusal quotes exactly what was typed."""
    try:
        return parse_decimal(value, language_of(get_language()))
    except NumberError as exc:
        raise forms.ValidationError(
            _(
                "“%(typed)s” bukan angka. Tulis misalnya 1.234,5 atau 12,75: koma untuk "
                "desimal, titik untuk ribuan."
            ),
            code="invalid",
            params={"typed": exc.text},
        ) from exc
