from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.numbers import NumberError, format_decimal, parse_decimal


class IndonesianDecimalField(forms.DecimalField):
    """A decimal typed the Indonesian way (1.234,56) or with a point (1234.56), kept exact."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except NumberError as exc:
            raise forms.ValidationError(
                _("Harus berupa angka, misalnya 1.234,5 atau 12,75. %(detail)s"),
                code="invalid",
                params={"detail": str(exc)},
            ) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_decimal(value).replace(".", "")
        return value
