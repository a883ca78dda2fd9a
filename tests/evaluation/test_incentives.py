"""Scorecards, reward and punishment: by hand, and a closed year that does not move."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.core.models import AuditEvent
from kinerja.evaluation import selectors, services
from kinerja.evaluation.models import IncentivePolicy, PersonAllowance, UnitScore
from kinerja.monitoring import services as monitoring_services
from kinerja.monitoring.models import MonitoringPolicy
from kinerja.monitoring.selectors import overview
from tests.evaluation.conftest import BANDS, save_policy
from tests.refusals import refused


def test_scorecard_by_hand(scored_2019):
    world = scored_2019
    save_policy(world)
    card = selectors.scorecard(world.gov, 2019)
    rows = {r.unit.pk: r for r in card.rows}
    a, b = rows[world.unit_a.pk], rows[world.unit_b.pk]
    assert (a.score, a.rank, a.indicators) == (Decimal(100), 1, 2)
    assert (b.score, b.rank, b.indicators) == (Decimal(90), 2, 1)
    # Bands 95 → 100%, 85 → 80%, 0 → 40%; warning below 95, sanction below 80.
    assert (a.factor, a.consequence) == (Decimal(100), "none")
    assert (b.factor, b.consequence) == (Decimal(80), "warning")
    assert not card.frozen


def test_rank_shares_equal_scores_and_puts_unscored_last(world):
    units = [world.unit_a, world.unit_b, world.other_unit]
    ranked = selectors.rank([(units[0], Decimal(80)), (units[1], None), (units[2], Decimal(80))])
    assert [(u.pk, r) for u, _s, r in ranked] == [
        (world.unit_a.pk, 1),
        (world.other_unit.pk, 1),
        (world.unit_b.pk, None),
    ]


def test_person_allowance_by_hand(scored_2019):
    world = scored_2019
    save_policy(world)
    card = selectors.scorecard(world.gov, 2019)
    (row,) = selectors.person_allowances(card)
    # Head of unit A all of 2019: Rp 120.000.000; 70% at factor 100% → 84.000.000; 30% → 36.000.000.
    assert row.unit == world.unit_a and row.days_held == 365
    assert (row.performance_part, row.discipline_part) == (Decimal(84_000_000), Decimal(36_000_000))


def test_a_closed_year_does_not_move(scored_2019):
    world = scored_2019
    policy = save_policy(world)
    services.incentive_year_close(policy=policy, by=world.users["planner"])
    before = [
        (r.unit.pk, r.score, r.rank, r.factor, r.consequence)
        for r in selectors.scorecard(world.gov, 2019).rows
    ]
    people_before = [
        (p.person.pk, p.performance_part)
        for p in selectors.person_allowances(selectors.scorecard(world.gov, 2019))
    ]
    assert UnitScore.objects.filter(policy=policy).count() == 2
    assert PersonAllowance.objects.filter(policy=policy).count() == 1

    # The policy of a closed year is refused, and stays as it was.
    with refused("wrong_state"):
        save_policy(world, performance_share=Decimal(60), bands=[(Decimal(0), Decimal(10))])
    policy.refresh_from_db()
    assert policy.performance_share == 70
    assert [(b.min_score, b.factor) for b in policy.bands.order_by("min_score")] == sorted(BANDS)

    # The achievement policy changes (a cap of 100 would not change these; weighting and a
    # correction do): live figures move, the closed year does not.
    MonitoringPolicy.objects.create(government=world.gov, achievement_cap=Decimal(100))
    r = monitoring_services.realisation_correct(
        realisation=world.indicator_b.realisations.get(year=2019, period=4, is_current=True),
        by=world.users["operator_b"],
        value=Decimal("13.2"),
        reason="Salah ketik",
        note="uji",
    )
    r = monitoring_services.realisation_submit(realisation=r, by=world.users["operator_b"])
    monitoring_services.realisation_verify(realisation=r, by=world.users["inspector"])
    live = {n.obj.pk: n.to_date.value for n in overview(world.gov, year=2019).units}
    assert live[world.unit_b.pk] == Decimal(80)  # (2 − 13,2/11) × 100
    after = [
        (r.unit.pk, r.score, r.rank, r.factor, r.consequence)
        for r in selectors.scorecard(world.gov, 2019).rows
    ]
    assert after == before
    assert [
        (p.person.pk, p.performance_part)
        for p in selectors.person_allowances(selectors.scorecard(world.gov, 2019))
    ] == people_before

    # Closing twice is refused; another year is still open to change.
    with refused("wrong_state"):
        services.incentive_year_close(policy=policy, by=world.users["planner"])
    save_policy(world, year=2020, performance_share=Decimal(80))
    assert IncentivePolicy.objects.get(government=world.gov, year=2020).performance_share == 80
    assert AuditEvent.objects.filter(action="evaluation.year_close").count() == 1


def test_policy_validation_and_refusals(scored_2019):
    world = scored_2019
    with refused("batas_sanksi_batas_peringatan"):
        save_policy(world, sanction_below=Decimal(96))
    with refused("nilai_awal_pita_tidak"):
        save_policy(world, bands=[(Decimal(0), Decimal(10)), (Decimal(0), Decimal(20))])
    with refused("isi_paling_sedikit_satu"):
        save_policy(world, bands=[])
    for persona in ("operator_a", "head_a", "mayor", "inspector", "other_gov"):
        with pytest.raises(PermissionDenied):
            save_policy(world, by=persona)
    assert not IncentivePolicy.objects.exists()
    policy = save_policy(world)
    with pytest.raises(PermissionDenied):
        services.incentive_year_close(policy=policy, by=world.users["operator_a"])
    # A year without figures has nothing to close.
    empty = save_policy(world, year=2021)
    with refused("belum_capaian_tahun_tidak"):
        services.incentive_year_close(policy=empty, by=world.users["planner"])
    assert not UnitScore.objects.exists()
