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
