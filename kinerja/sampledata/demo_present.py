"""The demo's present: after the regional elections of November 2024 the head of region was
re-elected and the city adopted a new RPJMD for 2025–2029, carrying most of the earlier tree
forward (its indicators keep their lineage, so their series run across the change of term)
under missions written anew. In it:

- the Lelang Kinerja 2025, decided, with the pacts and five-year contracts signed;
- the Perjanjian Kinerja of every year from 2025 to the current one, signed;
- realisations: every past year of the term complete and verified; the current year up to
  the last quarter ended, its last quarter partly awaiting verification, two units late and
  some indicators red;
- the SAKIP evaluation of the year before the current one under way at its second tier, with
  evidence and two consistency warnings, Dinkes's self-assessment, and the open reward year.

Everything is relative to today's date ("the demo lives in the present"): run in 2027, the
current year is 2027. Built through the services, so every step is on record. Deterministic
for a given date.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.accounts.models import Government, Notice, Person, Role, RoleAssignment, Unit, User
from kinerja.agreements.models import Agreement, BudgetApproval
from kinerja.agreements.services import (
    agreement_draft,
    agreement_revise,
    agreement_send,
    agreement_sign,
)
from kinerja.auction import services as auction
from kinerja.auction.documents import session_documents_issue
from kinerja.auction.models import Move, Proposal, ProposedIndicator
from kinerja.documents.services import document_sign
from kinerja.evaluation import services as evaluation
from kinerja.monitoring.models import Realisation
from kinerja.monitoring.services import realisation_return
from kinerja.planning import calendar
from kinerja.planning.models import (
    Budget,
    Indicator,
    IndicatorTarget,
    Mission,
    Programme,
    Term,
)
from kinerja.planning.services import indicator_targets_set, plan_object_save, programme_save
from kinerja.planning.services import year_publish as planning_publish
from kinerja.planning.terms import Carry, term_create
from kinerja.sampledata.demo_auction import score_all
from kinerja.sampledata.demo_cascade import load_demo_cascade
from kinerja.sampledata.demo_evaluation import (
    BANDS,
    demo_lhe,
    demo_lkjip_analysis,
    evaluate_under_way,
    record_spending,
    unit_self_assessment,
)
from kinerja.sampledata.demo_monitoring import Season, realisation_rows
from kinerja.sampledata.demo_people import load_demo_people
from kinerja.sampledata.signing import demo_passphrase

FIRST, LAST = 2025, 2029
VISION = "Kota Malang yang Sejahtera, Berdaya Saing, dan Berkelanjutan"
MISSIONS = [
    "Memperluas layanan pendidikan, kesehatan dan perlindungan sosial yang merata",
    "Menumbuhkan ekonomi kreatif, perdagangan dan industri yang berdaya saing",
    "Merawat kota yang hijau, tertata, tangguh bencana dan lancar bergerak",
    "Menghadirkan pemerintahan digital yang bersih, cepat dan melayani",
]
AUCTION_UNITS = ("Dinkes", "Dindik", "Dishub", "DPMPTSP", "Klojen")
RED_NOW = frozenset({"Dishub"})  # congestion at the new ring-road works
LATE_NOW = frozenset({"Disbudpar", "Lowokwaru"})  # the current quarter not yet reported


def _factor(short: str, year: int, rng: random.Random) -> Decimal:
    if short in RED_NOW and year >= FIRST + 1:
        return Decimal(str(round(rng.uniform(0.6, 0.72), 3)))
    if short == "Disperin" and year == FIRST:
        return Decimal(str(round(rng.uniform(0.8, 0.88), 3)))  # yellow
    return Decimal(str(round(rng.uniform(0.95, 1.07), 3)))


def _step(value: Decimal, share: Decimal, *, whole: bool = False) -> Decimal:
    """value × share, to the figure's precision; a count (`whole`) stays a whole number."""
    if whole:
        return (value * share).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    places = Decimal("0.01") if abs(value) >= 10 else Decimal("0.001")
    return (value * share).quantize(places, rounding=ROUND_HALF_UP)


def _new_term(gov: Government, planner: User) -> Term:
    old = Term.objects.get(government=gov, is_current=True)
    carry = Carry(
        source=old,
        objectives=set(old.objectives.values_list("pk", flat=True)),
        indicators=set(Indicator.objects.filter(objective__term=old).values_list("pk", flat=True)),
    )
    term, _carried = term_create(
        name=f"RPJMD Kota Malang {FIRST}–{LAST}",
        first_year=FIRST,
        last_year=LAST,
        vision=VISION,
        carry=carry,
        make_current=True,
        by=planner,
    )
    # The missions are written anew; the tree under them is kept.
    for mission in Mission.objects.filter(term=term).order_by("number"):
        mission.title = MISSIONS[(mission.number - 1) % len(MISSIONS)]
        plan_object_save(obj=mission, by=planner)
    # Baselines measured in 2024 and a yearly path to the term's end.
    old_end = {
        t.indicator_id: (t.value, t.value_high)
        for t in IndicatorTarget.objects.filter(indicator__objective__term=old, year=old.end_year)
    }
    for ind in Indicator.objects.filter(objective__term=term).order_by("code"):
        rng = random.Random(f"{ind.code}/baseline")  # noqa: S311 - demo figures
        if ind.carried_from_id not in old_end:
            continue
        low, high = old_end[ind.carried_from_id]
        whole = low == low.to_integral_value()
        ind.baseline_value = _step(
            low, Decimal(str(round(rng.uniform(0.97, 1.02), 3))), whole=whole
        )
        ind.baseline_year = FIRST - 1
        ind.data_source = "Data terukur 2024 (demo)"
        plan_object_save(obj=ind, by=planner)
        targets: dict[int, tuple[Decimal, Decimal | None] | None] = {}
        for k, year in enumerate(term.target_years, start=1):
            if ind.polarity == "range" and high is not None:
                targets[year] = (low, high)
            elif ind.polarity == "lower":
                share = Decimal(1) - Decimal("0.02") * k
                targets[year] = (_step(ind.baseline_value, share, whole=whole), None)
            else:
                share = Decimal(1) + Decimal("0.02") * k
                targets[year] = (_step(ind.baseline_value, share, whole=whole), None)
        indicator_targets_set(indicator=ind, targets=targets, by=planner)
    return term


def _programmes(gov: Government, old: Term, term: Term, planner: User, years: list[int]) -> None:
    """The units' programmes go on in the new term, with a budget for each year so far."""
    objectives = {o.code: o for o in term.objectives.all()}
    for programme in Programme.objects.filter(term=old, kind=Programme.Kind.PROGRAMME).order_by(
        "unit__code", "code"
    ):
        base = programme.budgets.order_by("-year").values_list("amount", flat=True).first()
        if base is None:
            continue
        served = [objectives[o.code] for o in programme.objectives.all() if o.code in objectives]
        programme_save(
            programme=Programme(
                term=term,
                unit=programme.unit,
                kind=Programme.Kind.PROGRAMME,
                code=programme.code,
                name=programme.name,
            ),
            objectives=served,
            budgets={y: _step(base, Decimal("1.04") ** (y - old.end_year + 1)) for y in years},
            by=planner,
        )


def _auction(gov: Government, term: Term, users: dict[str, User], *, with_documents: bool) -> None:
    planner = users["perencana"]
    panel = [users["walikota"], users["sekda"], users["penilai1"], users["penilai2"]]
    day = datetime.date(FIRST, 3, 12)
    session = auction.session_create(
        term=term,
        name=f"Lelang Kinerja {FIRST}",
        scheduled_on=day,
        venue="Ngalam Command Center (NCC), Balai Kota Malang",
        by=planner,
    )
    auction.panel_set(session=session, members=panel, chair=users["walikota"], by=planner)
    session = auction.session_open(session=session, by=planner)
    rng = random.Random(FIRST)  # noqa: S311 - demo scores
    deals = []
    for short in AUCTION_UNITS:
        unit = Unit.objects.get(government=gov, short_name=short)
        head = User.objects.filter(roles__role="unit_head", roles__unit=unit).first()
        assert head is not None
        objective = term.objectives.filter(unit=unit).select_related("serves__goal").first()
        assert objective is not None and objective.serves is not None
        plan = objective.indicators.exclude(polarity="range").order_by("code").first()
        assert plan is not None
        proposal = auction.proposal_save(
            proposal=Proposal(
                session=session,
                unit=unit,
                title=f"Percepatan {objective.title[:60].lower()}",
                mission=objective.serves.goal.mission,  # type: ignore[union-attr]
                objective=objective.serves,
                description=f"Inovasi {unit.name} untuk RPJMD {FIRST}–{LAST}.",
            ),
            by=head,
        )
        end = plan.targets.get(year=LAST).value
        proposed = auction.proposed_indicator_save(
            indicator=ProposedIndicator(
                proposal=proposal,
                plan_indicator=plan,
                name=plan.name,
                unit_of_measure=plan.unit_of_measure,
                polarity=plan.polarity,
                baseline_value=plan.baseline_value,
                baseline_year=plan.baseline_year,
                baseline_source=plan.data_source,
                end_target=end,
                end_year=LAST,
            ),
            by=head,
        )
        auction.proposal_submit(proposal=proposal, by=head)
        deals.append((proposed, plan, head, end))
    session = auction.session_start_hearings(session=session, by=planner)
    score_all(session, panel, rng, low=65, high=93)
    for proposed, plan, head, end in deals:
        stronger = _step(
            end,
            Decimal("0.97") if plan.polarity == "lower" else Decimal("1.03"),
            whole=end == end.to_integral_value(),
        )
        auction.offer_make(indicator=proposed, value=stronger, year=LAST - 1, by=panel[2])
        auction.offer_answer(indicator=proposed, kind=Move.Kind.ACCEPT, by=head)
    for minute, move in enumerate(Move.objects.filter(indicator__proposal__session=session)):
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        Move.objects.filter(pk=move.pk, government_id=move.government_id).update(
            at=at + datetime.timedelta(minutes=3 * minute)
        )
    session = auction.session_decide(session=session, by=planner)
    auction.session_close(session=session, by=planner)
    if not with_documents:
        return
    signed_on = day + datetime.timedelta(days=7)
    for document in session_documents_issue(session=session, by=planner, on=signed_on):
        for slot in document.slots.order_by("order"):
            signer = User.objects.get(person=slot.person)
            document_sign(
                document=document, by=signer, passphrase=demo_passphrase(signer), on=signed_on
            )


def _agreements(gov: Government, planner: User, years: list[int]) -> None:
    for year in years:
        # The budget is approved in December; the agreements follow within the month, except
        # the first year's, which waited for the new RPJMD and its Lelang Kinerja (late).
        BudgetApproval.objects.create(
            government=gov, year=year, approved_on=datetime.date(year - 1, 12, 20)
        )
        signed_on = datetime.date(year, 1, 15) if year > FIRST else datetime.date(FIRST, 4, 15)
        for unit in [None, *Unit.objects.filter(government=gov).order_by("kind", "code")]:
            agreement = agreement_draft(government=gov, unit=unit, year=year, by=planner)
            agreement = agreement_send(agreement=agreement, by=planner, on=signed_on)
            assert agreement.document is not None
            for slot in agreement.document.slots.order_by("order"):
                signer = _account(gov, slot.person, unit)
                agreement = agreement_sign(
                    agreement=agreement,
                    by=signer,
                    passphrase=demo_passphrase(signer),
                    on=signed_on,
                )
            # The record reads as it happened: signed on that day, not on the day of loading.
            Agreement.objects.filter(pk=agreement.pk, government_id=agreement.government_id).update(
                signed_at=_morning(signed_on)
            )


def _morning(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _account(gov: Government, person: Person, unit: Unit | None) -> User:
    """The signer's account; an acting head appointed later gets one that cannot sign in."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    assert unit is not None
    user = User.objects.create_user(
        username=f"plt-{unit.short_name.lower()}", password=None, government=gov, person=person
    )
    RoleAssignment.objects.create(user=user, role=Role.UNIT_HEAD, unit=unit)
    return user


def load_demo_present(
    gov: Government, *, today: datetime.date | None = None, with_documents: bool = True
) -> Term:
    """The 2025–2029 term up to today (see the module's docstring). Without documents (a
    quicker load for tests) there are no signed pacts, contracts or agreements."""
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(government=gov)}
    planner = users["perencana"]
    old = Term.objects.get(government=gov, is_current=True)
    current = min(max(today.year, FIRST + 1), LAST)
    quarter = calendar.default_quarter(gov, current, today) if current == today.year else 4
    years = list(range(FIRST, current + 1))

    term = _new_term(gov, planner)
    _programmes(gov, old, term, planner, years)
    _auction(gov, term, users, with_documents=with_documents)
    if with_documents:
        _agreements(gov, planner, years)

    season = Season(
        years=tuple(years),
        last=(current, quarter),
        verified_upto=(current, quarter - 1),
        always_verified=frozenset({"Dinkes", "Dindik"}),
        late=LATE_NOW,
        missing=frozenset({"Disbudpar"}),
        factor=_factor,
    )
    rows = [r for r in realisation_rows(gov, season) if r.indicator.objective.term_id == term.pk]
    Realisation.objects.bulk_create(rows, batch_size=500)

    # What was spent of each closed year's budget (realisasi anggaran), for the LKjIP.
    record_spending(Budget.objects.filter(programme__term=term, year__lt=current), seed=current)

    # The year before the current one is reported: its SAKIP evaluation is under way at the
    # second tier, Dinkes assesses itself, and the reward year is open.
    reported = current - 1
    demo_lhe(gov, 2022)
    evaluate_under_way(gov, reported, Decimal("83.2"))
    dinkes = Unit.objects.get(government=gov, short_name="Dinkes")
    unit_self_assessment(gov, dinkes, reported)
    demo_lkjip_analysis(gov, reported, None)
    demo_lkjip_analysis(gov, reported, dinkes)
    evaluation.incentive_policy_save(
        government=gov,
        year=reported,
        by=planner,
        performance_share=Decimal(70),
        warning_below=Decimal(75),
        sanction_below=Decimal(60),
        yearly_base_head=Decimal(228_000_000),
        yearly_base_other=Decimal(102_000_000),
        bands=BANDS,
    )
    for year in years:
        planning_publish(
            year=year, quarter=4 if year < current else max(quarter - 1, 1), by=planner
        )
    # Dinkes and Klojen below their heads: sub-units and civil servants, from the personnel
    # system's export of the first working day of the year.
    load_demo_people(gov, planner, datetime.date(current, 1, 2))
    if with_documents:
        load_demo_cascade(gov.pk, current, quarter, planner, datetime.date(current, 1, 20))
    _waiting_today(gov, users, current, quarter, with_documents=with_documents)
    return term


def _waiting_today(
    gov: Government,
    users: dict[str, User],
    year: int,
    quarter: int,
    *,
    with_documents: bool,
) -> None:
    """Work the demo's people find waiting on their home page today: the inspectorate returned
    one of Dinkes' latest figures (the operator corrects it), and Dinkes' agreement of the year
    was revised after the budget change and waits for the head's signature, then the mayor's.
    The notices of the loaded past were read long ago: only today's are new."""
    Notice.objects.filter(government=gov).delete()
    dinkes = Unit.objects.get(government=gov, short_name="Dinkes")
    figure = (
        Realisation.objects.filter(
            indicator__responsible_unit=dinkes, year=year, period=quarter, is_current=True
        )
        .order_by("indicator__code")
        .first()
    )
    if figure is not None:
        Realisation.objects.filter(pk=figure.pk, government_id=figure.government_id).update(
            status=Realisation.Status.SUBMITTED
        )
        figure.refresh_from_db()
        realisation_return(
            realisation=figure,
            by=users["inspektur"],
            comment="Lampirkan laporan sumber datanya (PWS-KIA) untuk triwulan ini.",
        )
    if not with_documents:
        return
    signed = (
        Agreement.objects.filter(government=gov, unit=dinkes, year=year)
        .order_by("-version")
        .first()
    )
    if signed is not None and Agreement.WORKFLOW.can(signed, "revise"):
        revised = agreement_revise(
            agreement=signed,
            reason=Agreement.Reason.PROGRAMME,
            note="Perubahan APBD: anggaran program kesehatan masyarakat ditambah.",
            by=users["perencana"],
        )
        agreement_send(agreement=revised, by=users["perencana"])
