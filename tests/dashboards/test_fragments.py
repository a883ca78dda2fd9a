"""Pages rendered once per state (kinerja.core.cache.fragment): what they show follows every
change at once, figures (their markers) and everything else they count (the latest audit
row), in the reader's language."""

from __future__ import annotations

import datetime
import re

from django.conf import settings

from kinerja.auction.services import session_create
from kinerja.monitoring import services as monitoring_services
from tests.monitoring.conftest import enter


def _pending(html: str) -> int:
    found = re.search(r"Menunggu verifikasi</span>.*?<strong>(\d+)</strong>", html, re.S)
    assert found, html[:2000]
    return int(found.group(1))


def test_the_dashboard_counts_follow_a_submission_at_once(scored_2019):
    world = scored_2019
    mayor = world.client("mayor")
    before = _pending(mayor.get("/dasbor/?tahun=2019").content.decode())
    again = mayor.get("/dasbor/?tahun=2019").content.decode()
    assert _pending(again) == before  # served from what was kept
    figure = enter(world, world.indicator_a, 1, "5", year=2020, note="data sementara")
    monitoring_services.realisation_submit(realisation=figure, by=world.users["operator_a"])
    after = _pending(mayor.get("/dasbor/?tahun=2019").content.decode())
    assert after == before + 1


def test_the_dashboard_follows_a_change_outside_the_figures(scored_2019):
    """A new auction session touches no figure (no marker): the latest audit row says it."""
    world = scored_2019
    mayor = world.client("mayor")
    assert "Lelang Kinerja Ulang" not in mayor.get("/dasbor/?tahun=2019").content.decode()
    session_create(
        term=world.term,
        name="Lelang Kinerja Ulang",
        scheduled_on=datetime.date(2019, 11, 1),
        venue="Balai Kota",
        by=world.users["planner"],
    )
    assert "Lelang Kinerja Ulang" in mayor.get("/dasbor/?tahun=2019").content.decode()


def test_one_state_is_kept_per_language(scored_2019):
    world = scored_2019
    mayor = world.client("mayor")
    indonesian = mayor.get("/dasbor/?tahun=2019").content.decode()
    assert "Capaian pemerintah daerah" in indonesian
    mayor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = mayor.get("/dasbor/?tahun=2019").content.decode()
    assert "Government achievement" in english
    assert "Capaian pemerintah daerah" not in english
    public = world.client("anonymous")
    public.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    portal = public.get(f"/publik/{world.gov.slug}/?tahun=2019").content.decode()
    assert "Only verified realisations are shown." in portal
    public.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert (
        "Hanya realisasi yang telah diverifikasi"
        in public.get(f"/publik/{world.gov.slug}/?tahun=2019").content.decode()
    )


def test_the_portal_follows_a_verification_at_once(scored_2019):
    """A correction verified after the portal was rendered shows on the next view."""
    world = scored_2019
    public = world.client("anonymous")
    url = f"/publik/{world.gov.slug}/pd/{world.unit_b.pk}/?tahun=2019"
    before = public.get(url).content.decode()
    assert "90,00" in before  # unit B: (2 − 12,1/11) × 100
    current = world.indicator_b.realisations.get(year=2019, period=4, is_current=True)
    ops, inspector = world.users["operator_b"], world.users["inspector"]
    fix = monitoring_services.realisation_correct(
        realisation=current, by=ops, reason="salah ketik", value=current.value - 1
    )
    fix = monitoring_services.realisation_submit(realisation=fix, by=ops)
    monitoring_services.realisation_verify(realisation=fix, by=inspector)
    after = public.get(url).content.decode()
    assert after != before
    assert "90,00" not in after
