"""Crafted workbooks on every xlsx import path: a huge declared dimension, one cell at the last
row Excel allows, a zip bomb, a DTD. Each is refused with a message, within bounded memory and
time, and nothing is saved."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from kinerja.auction.supporting import parse_file
from kinerja.monitoring.e81 import e81_read
from kinerja.monitoring.workbook import workbook_read
from kinerja.planning.excel import SHEET_TITLE, apply_plan_matrix
from kinerja.planning.models import Indicator, IndicatorTarget
from tests.conftest import World

PEAK_LIMIT = 100 * 1024 * 1024
SECONDS = 5.0


def _workbook(cells: dict[tuple[int, int], object], title: str = SHEET_TITLE) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for (row, column), value in cells.items():
        ws.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(content: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def huge_dimension() -> bytes:
    """Two cells, but the sheet says it spans A1:XFD1048576 (openpyxl pads rows to it)."""
    base = _workbook({(1, 1): "Kode", (2, 1): "1"})

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return data.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return data

    crafted = _rewrite(base, change)
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(crafted)).read("xl/worksheets/sheet1.xml")
    return crafted


def last_row() -> bytes:
    return _workbook({(1, 1): "Kode", (1_048_576, 1): 1})


def zip_bomb() -> bytes:
    """A sheet part of 40 MB of repeated bytes, a few dozen KB once packed."""
    base = _workbook({(1, 1): "Kode"})

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b"</worksheet>", b" " * (40 * 1024 * 1024) + b"</worksheet>")
        return data

    return _rewrite(base, change)


def with_dtd() -> bytes:
    """An XML entity expansion ("billion laughs") declared in the sheet."""
    base = _workbook({(1, 1): "Kode"})
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return bomb + data[data.index(b"<worksheet") :]
        return data

    return _rewrite(base, change)


CRAFTED = {
    "huge declared dimension": huge_dimension,
    "a cell at row 1,048,576": last_row,
    "zip bomb": zip_bomb,
    "DTD entities": with_dtd,
}


def _measured(action: Callable[[], object]) -> tuple[object, int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome: object = action()
    except ValidationError as exc:
        outcome = exc
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome, peak, elapsed


def _message(outcome: object) -> str:
    if isinstance(outcome, ValidationError):
        return " ".join(outcome.messages)
    errors = getattr(outcome, "errors", [])
    return " ".join(str(getattr(e, "message", e)) for e in errors)


@pytest.mark.parametrize("kind", CRAFTED)
def test_every_import_path_refuses_a_crafted_workbook(world: World, kind: str):
    content = CRAFTED[kind]()
    before = (Indicator.objects.count(), IndicatorTarget.objects.count())
    paths: dict[str, Callable[[], object]] = {
        "plan matrix": lambda: apply_plan_matrix(
            content=content, term=world.term, by=world.users["planner"]
        ),
        "realisation workbook": lambda: workbook_read(world.unit_a, 2019, 1, content),
        "Form E.81": lambda: e81_read(content),
        "supporting table": lambda: parse_file(content, "tabel.xlsx"),
    }
    for path, action in paths.items():
        outcome, peak, elapsed = _measured(action)
        message = _message(outcome)
        assert message, (path, kind, "not refused")
        assert any(words in message for words in ("terlalu besar", "dapat dibaca", "bukan")), (
            path,
            kind,
            message,
        )
        assert peak < PEAK_LIMIT, (path, kind, f"{peak / 1e6:.0f} MB")
        assert elapsed < SECONDS, (path, kind, f"{elapsed:.1f} s")
    assert (Indicator.objects.count(), IndicatorTarget.objects.count()) == before


def test_an_ordinary_workbook_still_reads(world: World):
    header, rows = parse_file(
        _workbook({(1, 1): "Kelurahan", (1, 2): "Ibu hamil", (2, 1): "Bareng", (2, 2): 212}),
        "tabel.xlsx",
    )
    assert header == ["Kelurahan", "Ibu hamil"]
    assert rows == [["Bareng", "212"]]
