"""The demo city: seed 000's missions and fourteen units, 40+ indicators, one account per role."""

import re

import pytest
from django.test import Client

from kinerja.accounts.models import Role, Unit, User
from kinerja.planning.models import Indicator
from kinerja.sampledata.demo import DEMO_PASSWORD, load_demo

SEED_UNITS = {
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Perdagangan",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Perindustrian",
    "Dinas Kebudayaan dan Pariwisata",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Perhubungan",
    "Dinas Perumahan dan Kawasan Permukiman",
    "Kecamatan Klojen",
    "Kecamatan Blimbing",
    "Kecamatan Kedungkandang",
    "Kecamatan Lowokwaru",
    "Kecamatan Sukun",
}


@pytest.fixture
def demo(db):
    return load_demo(with_documents=False)


def test_demo_shape(demo):
    term = demo.terms.get(start_year=2018)
    assert (term.start_year, term.end_year, term.target_years) == (
        2018,
        2023,
        [2019, 2020, 2021, 2022, 2023],
    )
    missions = list(term.missions.values_list("title", flat=True))
    assert len(missions) == 4
    assert missions[0].startswith(
        "Menjamin akses dan kualitas pendidikan, kesehatan dan layanan dasar"
    )
    assert set(Unit.objects.filter(government=demo).values_list("name", flat=True)) == SEED_UNITS
    indicators = Indicator.objects.filter(government=demo, objective__term=term)
    assert indicators.count() >= 40
    assert all(i.targets.count() == 5 for i in indicators)
    mmr = indicators.get(name="Angka kematian ibu")
    assert mmr.polarity == "lower" and mmr.baseline_year == 2018
    # Every unit holds at least one objective and has a head on the day the contracts were signed.
    import datetime

    for unit in Unit.objects.filter(government=demo):
        assert unit.objectives.exists(), unit
        assert unit.head(datetime.date(2018, 12, 8)) is not None, unit


def test_the_demo_lives_in_the_present(demo):
    """The earlier term is history; the current one is 2025–2029, its tree carried forward
    under missions written anew, its indicators in the same lineage as the earlier ones."""
    first, current = demo.terms.order_by("start_year")
    assert current.is_current and not first.is_current
    assert (current.first_year, current.end_year) == (2025, 2029)
    old_missions = set(first.missions.values_list("title", flat=True))
    assert not old_missions & set(current.missions.values_list("title", flat=True))
    carried = Indicator.objects.filter(objective__term=current)
    assert carried.count() == Indicator.objects.filter(objective__term=first).count()
    for ind in carried.select_related("carried_from"):
        assert ind.carried_from.objective.term == first and ind.lineage == ind.carried_from.lineage
        assert ind.baseline_year == 2024
        assert ind.targets.count() == 5


def test_one_account_per_role(demo):
    expected = {
        "walikota": Role.HEAD_OF_REGION,
        "sekda": Role.REGIONAL_SECRETARY,
        "penilai1": Role.PANEL_MEMBER,
        "penilai2": Role.PANEL_MEMBER,
        "kadinkes": Role.UNIT_HEAD,
        "operator-dinkes": Role.UNIT_OPERATOR,
        "inspektur": Role.INSPECTOR,
        "perencana": Role.PLANNER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.roles.values_list("role", flat=True)) == [role]
    assert User.objects.get(username="kadinkes").roles.get().unit.short_name == "Dinkes"
    # The head of Dinas Kesehatan's account is the person holding that position.
    kadinkes = User.objects.get(username="kadinkes")
    assert Unit.objects.get(short_name="Dinkes").head().person == kadinkes.person


def test_walikota_reaches_the_tree_with_four_missions_and_fourteen_units(demo):
    client = Client()
    assert (
        client.post("/masuk/", {"username": "walikota", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    home = client.get("/").content.decode()
    assert 'href="/plan/"' in home
    tree = client.get("/plan/").content.decode()
    assert len(re.findall(r'<details class="mission"', tree)) == 4
    badges = set(re.findall(r'<span class="badge unit">([^<]+)</span>', tree))
    assert badges == set(Unit.objects.filter(government=demo).values_list("short_name", flat=True))
    assert len(badges) == 14


def test_demo_refuses_to_load_twice(demo):
    with pytest.raises(ValueError, match="sudah ada"):
        load_demo(with_documents=False)


def test_load_demo_command_refuses_production(settings, db):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo database"):
        call_command("load_demo")
    assert not User.objects.filter(username="walikota").exists()


def test_demo_2018_auction_is_complete_and_its_targets_are_in_the_plan(demo):
    from kinerja.auction.models import AuctionSession, ContractTarget, Move, ProposedIndicator
    from kinerja.auction.selectors import session_results

    first = AuctionSession.objects.get(government=demo, name="Lelang Kinerja 2018")
    assert first.status == "closed"
    assert first.proposals.filter(status="submitted").count() == 14
    assert first.panel.get(is_chair=True).user.username == "walikota"
    proposed = ProposedIndicator.objects.filter(proposal__session=first)
    assert proposed.count() == ContractTarget.objects.filter(session=first).count() >= 14
    # Every negotiation ended in acceptance; three heads bargained first.
    assert (
        Move.objects.filter(indicator__proposal__session=first, kind="accept").count()
        == proposed.count()
    )
    assert Move.objects.filter(indicator__proposal__session=first, kind="counter").count() >= 3
    for contract in ContractTarget.objects.filter(session=first).select_related(
        "move", "plan_indicator"
    ):
        target = contract.plan_indicator.targets.get(year=2023)
        assert target.value == contract.move.value
        assert target.provenance.startswith("Lelang Kinerja: Lelang Kinerja 2018")
    results = session_results(first)
    assert len(results) == 14 and all(r.score is not None for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_demo_second_auction_can_be_tried_live(demo):
    from decimal import Decimal

    from kinerja.auction.models import AuctionSession
    from kinerja.auction.services import offer_answer

    second = AuctionSession.objects.get(government=demo, status="hearings")
    indicator = second.proposals.get().indicators.get()
    # The panel's offer waits for the head of Dinkes: he answers it.
    assert indicator.moves.get().kind == "offer"
    move = offer_answer(
        indicator=indicator, kind="accept", by=User.objects.get(username="kadinkes")
    )
    assert (move.value, move.year) == (Decimal(85), 2023)


def test_demo_unit_heads_without_demo_accounts_cannot_sign_in(demo):
    heads = User.objects.filter(username__startswith="kepala-")
    assert heads.count() == 13  # every unit but Dinkes, whose head is kadinkes
    assert not any(u.has_usable_password() for u in heads)


@pytest.mark.django_db
def test_demo_pacts_and_contracts_of_all_fourteen_units_are_signed(tmp_path):
    import subprocess

    from kinerja.documents.models import Document

    gov = load_demo()
    documents = Document.objects.filter(government=gov)
    # Fourteen units in 2018; the five of the 2025 Lelang Kinerja in the present term.
    assert documents.filter(kind="pact").count() == 14 + 5
    assert documents.filter(kind="contract").count() == 14 + 5
    assert set(documents.exclude(kind="agreement").values_list("status", flat=True)) == {"signed"}
    # Every document is signed, but today's revision of Dinkes' agreement, which waits for its
    # head's signature (the demo's work of the day).
    waiting = documents.filter(status="awaiting")
    assert [(d.kind, d.version) for d in waiting] == [("agreement", 2)]
    assert "Dinas Kesehatan" in waiting.get().title
    dinkes_contract = documents.get(kind="contract", title__contains="Dinas Kesehatan 2019")
    path = tmp_path / "kontrak-dinkes.pdf"
    with dinkes_contract.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    report = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert report.count("Signature is Valid.") == 2
    assert "dr. Ratna Kusumawati" in report and "Surya Adiwijaya" in report
    # ... and the 2019 Perjanjian Kinerja of the fourteen units and of the head of region.
    from kinerja.agreements.models import Agreement

    agreements = Agreement.objects.filter(government=gov, year=2019)
    assert agreements.filter(status="signed").count() == 15
    # Signed on 15 January 2019 by the holders on that day (before Disbudpar's Plt).
    disbudpar = agreements.get(unit__short_name="Disbudpar")
    assert disbudpar.document.slots.get(order=1).person.name == "Dra. Sri Rahayu, M.Si."
    # The cascade to people in the current year: Dinkes' and Klojen's agreements at three
    # echelons signed, action plans reported, SKPs rated, Klojen's year closed after a refusal.
    from kinerja.agreements.cascade import budget_flags
    from kinerja.employees.models import ActionPlan, OrganisationRating, Skp, SkpAssessment
    from kinerja.employees.skp import distribution
    from kinerja.planning import calendar

    year = calendar.current_year(gov)
    below = Agreement.objects.filter(government=gov, year=year, position__isnull=False)
    assert below.count() == 16 and set(below.values_list("status", flat=True)) == {"signed"}
    assert {a.level for a in below} == {"administrator", "supervisor"}
    dinkes = gov.units.get(short_name="Dinkes")
    (flag,) = budget_flags(dinkes, year)
    assert flag.carried < flag.upper_budget
    assert ActionPlan.objects.filter(unit=dinkes, year=year).count() >= 10
    skps = Skp.objects.filter(government=gov, year=year)
    assert skps.count() == 33 and set(skps.values_list("status", flat=True)) == {"approved"}
    assert set(SkpAssessment.objects.filter(skp__unit=dinkes).values_list("period", flat=True)) == {
        1,
        2,
    }
    klojen = gov.units.get(short_name="Klojen")
    assert OrganisationRating.objects.get(unit=klojen, year=year).closed_at is not None
    result = distribution(klojen, year)
    assert result.allowed and result.counts["butuh_perbaikan"] == 1
    from kinerja.core.models import AuditEvent

    corrected = AuditEvent.objects.filter(action="skp.assess", before__predicate="baik").count()
    assert corrected == 1  # the rating changed after the refusal
