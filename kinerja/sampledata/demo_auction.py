"""The demo's Lelang Kinerja: the completed 2018 auction (seed articles 000 and 002) and a
second session still in hearings, built through the real services so that every move is on
record. Move times are set to the hearing days so the history reads as it happened."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.accounts.models import Government, Person, Role, RoleAssignment, Unit, User
from kinerja.auction import services
from kinerja.auction.documents import session_documents_issue
from kinerja.auction.models import AuctionSession, Move, Proposal, ProposedIndicator
from kinerja.auction.supporting import table_add
from kinerja.documents.services import document_sign
from kinerja.planning.models import Indicator
from kinerja.sampledata.signing import demo_passphrase

TITLES = {
    "Dindik": "Sekolah ramah anak dan terakreditasi di setiap kelurahan",
    "Dinkes": "Menekan kematian ibu dengan data kehamilan per kelurahan",
    "Disdag": "Revitalisasi pasar rakyat berbasis pengelolaan modern",
    "DPMPTSP": "Izin terbit dalam satu hari",
    "Disperin": "Sertifikasi halal dan SNI untuk industri kecil",
    "Disbudpar": "Kalender event budaya berskala nasional",
    "DPUPR": "Jalan mantap dan kota bebas genangan",
    "Dishub": "Simpang cerdas terhubung ATCS",
    "Disperkim": "Kota tanpa permukiman kumuh",
}
DISTRICT_TITLE = "Layanan kecamatan selesai dalam satu hari di {name}"
COUNTER_UNITS = {"DPUPR", "Disperkim", "Sukun"}  # heads who bargained, as some did


def _q(value: Decimal, like: Decimal) -> Decimal:
    if like == like.to_integral() and value == value.to_integral_value(ROUND_HALF_UP):
        return value.to_integral_value(ROUND_HALF_UP)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    start = datetime.datetime.combine(day, datetime.time(9, 0))
    return timezone.make_aware(start + datetime.timedelta(minutes=minutes))


def _head_account(gov: Government, unit: Unit) -> User:
    """The unit head's account: it acts in the record but cannot sign in (no password)."""
    existing = User.objects.filter(roles__role=Role.UNIT_HEAD, roles__unit=unit).first()
    if existing:
        return existing
    holder = unit.head(datetime.date(2018, 11, 13))
    person = (
        holder.person
        if holder
        else Person.objects.create(government=gov, name=f"Kepala {unit.name}")
    )
    user = User.objects.create_user(
        username=f"kepala-{unit.short_name.lower()}", password=None, government=gov, person=person
    )
    RoleAssignment.objects.create(user=user, role=Role.UNIT_HEAD, unit=unit)
    return user


def score_all(
    session: AuctionSession, panel: list[User], rng: random.Random, *, low: int, high: int
) -> None:
    """Every panel member scores every proposal of the session on every criterion."""
    for proposal in session.proposals.all():
        for judge in panel:
            for criterion in session.criteria.all():
                services.score_submit(
                    proposal=proposal,
                    criterion=criterion,
                    value=Decimal(rng.randint(low, high)),
                    by=judge,
                )


def load_demo_auctions(gov: Government, *, with_documents: bool = True) -> None:
    term = gov.terms.get(is_current=True)
    users = {u.username: u for u in User.objects.filter(government=gov)}
    planner = users["perencana"]
    panel = [users["walikota"], users["sekda"], users["penilai1"], users["penilai2"]]
    rng = random.Random(2018)  # noqa: S311 - reproducible demo scores, not security
    units = list(Unit.objects.filter(government=gov).order_by("kind", "code"))

    # --- 2018: all fourteen units, decided and closed --------------------------------------
    day = datetime.date(2018, 11, 13)
    first = services.session_create(
        term=term,
        name="Lelang Kinerja 2018",
        scheduled_on=day,
        venue="Ngalam Command Center (NCC), Balai Kota Malang",
        by=planner,
    )
    services.panel_set(session=first, members=panel, chair=users["walikota"], by=planner)
    first = services.session_open(session=first, by=planner)
    minute = 0
    plans: list[tuple[Unit, ProposedIndicator, Indicator, User]] = []
    for unit in units:
        head = _head_account(gov, unit)
        objective = (
            term.objectives.filter(unit=unit)
            .select_related("serves__goal")
            .order_by("code")
            .first()
        )
        assert objective is not None and objective.serves is not None
        title = TITLES.get(unit.short_name, DISTRICT_TITLE.format(name=unit.name))
        proposal = services.proposal_save(
            proposal=Proposal(
                session=first,
                unit=unit,
                title=title,
                mission=objective.serves.goal.mission,  # type: ignore[union-attr]
                objective=objective.serves,
                description=f"Inovasi {unit.name} untuk {objective.title.lower()}.",
            ),
            by=head,
        )
        for plan in objective.indicators.exclude(polarity="range").order_by("code")[:2]:
            end = plan.targets.get(year=term.end_year).value
            base = plan.baseline_value
            step = (end - base) / 5
            proposed = services.proposed_indicator_save(
                indicator=ProposedIndicator(
                    proposal=proposal,
                    plan_indicator=plan,
                    name=plan.name,
                    unit_of_measure=plan.unit_of_measure,
                    polarity=plan.polarity,
                    baseline_value=base,
                    baseline_year=2018,
                    baseline_source=plan.data_source or "Data perangkat daerah",
                    end_target=_q(base + step * Decimal("4"), base),
                    end_year=term.end_year,
                    history={
                        "2016": str(_q(base - step, base)),
                        "2017": str(_q(base - step / 2, base)),
                    },
                ),
                by=head,
            )
            plans.append((unit, proposed, plan, head))
        services.proposal_submit(proposal=proposal, by=head)
    first = services.session_start_hearings(session=first, by=planner)
    score_all(first, panel, rng, low=62, high=92)
    for unit, proposed, plan, head in plans:
        end = plan.targets.get(year=term.end_year).value
        services.offer_make(indicator=proposed, value=end, year=term.end_year, by=rng.choice(panel))
        if unit.short_name in COUNTER_UNITS:
            middle = _q((end + proposed.end_target) / 2, end)  # type: ignore[operator]
            services.offer_answer(
                indicator=proposed,
                kind=Move.Kind.COUNTER,
                value=middle,
                year=term.end_year,
                justification="Anggaran tahun pertama belum mencukupi; percepatan mulai 2020.",
                by=head,
            )
            services.counter_accept(indicator=proposed, by=users["walikota"])
        else:
            services.offer_answer(indicator=proposed, kind=Move.Kind.ACCEPT, by=head)
    for move in Move.objects.filter(indicator__proposal__session=first).order_by("pk"):
        minute += 3
        Move.objects.filter(pk=move.pk, government_id=move.government_id).update(
            at=_at(day, minute)
        )
    Proposal.objects.filter(session=first).update(
        submitted_at=_at(day - datetime.timedelta(days=7), 0)
    )
    first = services.session_decide(session=first, by=planner)
    services.session_close(session=first, by=planner)
    if with_documents:
        # As on 8 December 2018: the pacts and five-year contracts of all fourteen units, signed.
        signed_on = datetime.date(2018, 12, 8)
        for document in session_documents_issue(session=first, by=planner, on=signed_on):
            for slot in document.slots.order_by("order"):
                signer = User.objects.get(person=slot.person)
                document_sign(
                    document=document, by=signer, passphrase=demo_passphrase(signer), on=signed_on
                )

    # --- 2019: a second round still in hearings, to try the live screen --------------------
    second = services.session_create(
        term=term,
        name="Lelang Kinerja 2019: inovasi tahap II",
        scheduled_on=datetime.date(2019, 11, 12),
        venue="Ngalam Command Center (NCC), Balai Kota Malang",
        by=planner,
    )
    services.panel_set(session=second, members=panel, chair=users["walikota"], by=planner)
    second = services.session_open(session=second, by=planner)
    dinkes = Unit.objects.get(government=gov, short_name="Dinkes")
    plan = Indicator.objects.get(government=gov, name="Jumlah kematian ibu")
    served = plan.objective.serves
    assert served is not None
    proposal = services.proposal_save(
        proposal=Proposal(
            session=second,
            unit=dinkes,
            title="Pendampingan ibu hamil risiko tinggi oleh kader kelurahan",
            mission=served.goal.mission,  # type: ignore[union-attr]
            objective=served,
            description=(
                "Setiap ibu hamil di kluster prasejahtera dan wilayah rawan gizi didampingi "
                "kader sejak bulan kedelapan: data per kelurahan dari PWS-KIA."
            ),
        ),
        by=users["operator-dinkes"],
    )
    services.proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            name="Persentase ibu hamil risiko tinggi yang didampingi kader",
            unit_of_measure="%",
            polarity="higher",
            baseline_value=Decimal("38.5"),
            baseline_year=2018,
            baseline_source="Laporan PWS-KIA 2018",
            end_target=Decimal(80),
            end_year=2023,
            history={"2016": "31.0", "2017": "34.2"},
            trajectory={"2019": "48", "2020": "57", "2021": "66", "2022": "73", "2023": "80"},
        ),
        by=users["operator-dinkes"],
    )
    # The seed's own example: the data behind the target, per kelurahan.
    table_add(
        proposal=proposal,
        name="Ibu hamil per kelurahan (PWS-KIA 2018)",
        columns=[
            "Kelurahan",
            "Ibu hamil",
            "Hamil bulan ke-8",
            "Kluster prasejahtera",
            "Wilayah rawan gizi",
        ],
        rows=[
            ["Bareng", "212", "23", "41", "Ya"],
            ["Kauman", "187", "19", "35", "Tidak"],
            ["Kiduldalem", "96", "11", "22", "Ya"],
            ["Oro-oro Dowo", "154", "17", "18", "Tidak"],
            ["Sukoharjo", "131", "14", "29", "Ya"],
        ],
        by=users["operator-dinkes"],
    )
    services.proposal_submit(proposal=proposal, by=users["kadinkes"])
    second = services.session_start_hearings(session=second, by=planner)
    opening = second.criteria.first()
    assert opening is not None
    services.score_submit(
        proposal=proposal, criterion=opening, value=Decimal(84), by=users["sekda"]
    )
    # The panel's first offer waits for the head of Dinkes' answer (try it on a phone).
    services.offer_make(
        indicator=proposal.indicators.get(),
        value=Decimal(85),
        year=2023,
        by=users["penilai1"],
    )
