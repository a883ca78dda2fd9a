from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.numbers import NumberError, format_decimal, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", "12.5"),
        ("1.234,56", "1234.56"),
        ("1.234.567", "1234567"),
        ("1234.56", "1234.56"),
        (" 40.900 ", None),  # ambiguous: refused below
        ("-0,25", "-0.25"),
        ("865011", "865011"),
        (0.1, "0.1"),
        (7, "7"),
        (Decimal("3.14159"), "3.14159"),
    ],
)
def test_parse(text, expected):
    if expected is None:
        with pytest.raises(NumberError, match="ambigu"):
            parse_decimal(text)
    else:
        assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "abc", "12,5%", "1,2,3", "1e5", "NaN", True, float("nan"), "1.23.4"]
)
def test_not_numbers_are_refused(text):
    with pytest.raises(NumberError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234567.891"), None, "1.234.567,891"),
        (Decimal("10.500000"), None, "10,5"),
        (Decimal("2019"), None, "2.019"),
        (Decimal("0.125"), 2, "0,13"),
        (None, None, "–"),
    ],
)
def test_format(value, places, expected):
    assert format_decimal(value, places) == expected


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12
    )
)
def test_format_then_parse_gives_the_same_value(value):
    text = format_decimal(value).replace(".", "")  # as a user would type it: no thousands dots
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2.874", "id", "2874"),
        ("1.234,5", "id", "1234.5"),
        ("12,75", "id", "12.75"),
        ("1.234.567,891", "id", "1234567.891"),
        ("-0,25", "id", "-0.25"),
        ("1 234,5", "id", "1234.5"),
        ("865011", "id", "865011"),
        ("2,874", "en", "2874"),
        ("1,234.5", "en", "1234.5"),
        ("12.75", "en", "12.75"),
        ("1,234,567.891", "en", "1234567.891"),
        ("-0.25", "en", "-0.25"),
        ("865011", "en", "865011"),
    ],
)
def test_typed_numbers_are_read_in_the_readers_language(text, language, expected):
    assert parse_decimal(text, language) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("12.5", "id"),  # a decimal point in Indonesian: refused, never read as 125
        ("1.23", "id"),
        ("1,234.5", "id"),
        ("12,5", "en"),  # a decimal comma in English: refused, never read as 125
        ("1.234,5", "en"),
        ("sembilan puluh", "id"),
        ("1,2,3", "en"),
        ("", "id"),
    ],
)
def test_a_separator_in_the_wrong_place_is_refused_quoting_what_was_typed(text, language):
    with pytest.raises(NumberError) as caught:
        parse_decimal(f"  {text} ", language)
    assert caught.value.text == text  # exactly as typed, spaces inside kept


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12
    ),
    st.sampled_from(["id", "en"]),
)
def test_what_kinerja_shows_reads_back_as_the_same_value(value, language):
    """A figure as Kinerja displays it (thousands grouped) is read back as the same figure."""
    assert parse_decimal(format_decimal(value, language=language), language) == value


def test_the_form_field_reads_and_quotes_in_the_active_language():
    from django import forms
    from django.utils import translation

    from kinerja.core.forms import IndonesianDecimalField

    field = IndonesianDecimalField()
    with translation.override("id"):
        assert field.clean("2.874") == Decimal(2874)
        assert field.prepare_value(Decimal("1234.5")) == "1234,5"
        with pytest.raises(forms.ValidationError) as caught:
            field.clean("sembilan puluh")
        assert "“sembilan puluh”" in caught.value.messages[0]
    with translation.override("en"):
        assert field.clean("2,874") == Decimal(2874)
        assert field.clean("1,234.5") == Decimal("1234.5")
        assert field.prepare_value(Decimal("1234.5")) == "1234.5"
        with pytest.raises(forms.ValidationError) as caught:
            field.clean("12,5")
        assert "“12,5”" in caught.value.messages[0] and "not a number" in caught.value.messages[0]


def test_a_very_long_number_is_shown_whole():
    assert format_decimal(Decimal("9" * 60)) == ".".join(["999"] * 20)
    assert format_decimal(Decimal("1" + "0" * 40 + ".5"), 1).endswith("000,5")
