"""Messages for people in both languages (decision 0003): every refusal goes through gettext,
and the English catalogue translates every message the code holds, with nothing left fuzzy."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "kinerja"
CATALOGUE = APP / "locale/en/LC_MESSAGES/django.po"
# Where a message for people is the first argument, or the n-th.
REFUSALS = {
    "ValidationError": 0,
    "PermissionDenied": 0,
    "Http404": 0,
    "UploadError": 0,
    "CertificateRefused": 0,
}
ROW_ERRORS = {"err": 1, "RowError": 2}


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""
    )


def _untranslated_refusals() -> list[str]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        if {"migrations", "sampledata"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            position = {**REFUSALS, **ROW_ERRORS}.get(name or "")
            if position is not None and len(node.args) > position and _literal(node.args[position]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_every_refusal_message_goes_through_gettext():
    assert _untranslated_refusals() == []


def test_a_literal_refusal_would_be_found(tmp_path, monkeypatch):
    """The scan above is not vacuous: it finds a literal message when there is one."""
    fake = tmp_path / "kinerja" / "fake.py"
    fake.parent.mkdir()
    fake.write_text('raise ValidationError(f"Tahun {year} salah.")\nerr("Kode", "Kosong.")\n')
    monkeypatch.setattr(sys.modules[__name__], "APP", fake.parent)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _untranslated_refusals() == [
        "kinerja/fake.py:1 ValidationError",
        "kinerja/fake.py:2 err",
    ]


def test_the_english_catalogue_is_complete_and_current(tmp_path):
    """Extract the messages afresh from a copy of the code: the committed catalogue holds
    exactly those, each translated and none fuzzy, and the compiled .mo matches it. Needs GNU
    gettext's xgettext, which `make test` installs."""
    copy = tmp_path / "kinerja"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    committed = polib.pofile(str(CATALOGUE))
    ids = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
    assert ids == {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    assert [e.msgid for e in fresh.untranslated_entries()] == []
    assert [e.msgid for e in fresh.fuzzy_entries()] == []
    with open(CATALOGUE.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in committed.translated_entries():
        if not entry.msgid_plural:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled._catalog.get(key) == entry.msgstr, entry.msgid  # type: ignore[attr-defined]


def test_with_the_english_switch_a_refusal_reads_in_english(world, settings):
    """The same refusal as tests/auction/test_views.py, read by someone who chose English."""
    from kinerja.auction.models import AuctionSession

    session = AuctionSession.objects.create(
        government=world.gov, term=world.term, name="S", scheduled_on="2019-11-12"
    )
    client = world.client("planner")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    opened = client.post(
        f"/lelang/{session.pk}/status/buka/", {"confirm": "yes"}, follow=True
    ).content.decode()
    assert "Seat the panel and its chair before opening the session." in opened
    decided = client.post(
        f"/lelang/{session.pk}/status/putuskan/", {"confirm": "yes"}, follow=True
    ).content.decode()
    assert "Cannot decide the results: the" in decided and "“Draft”" in decided
    assert "Tidak dapat" not in decided
