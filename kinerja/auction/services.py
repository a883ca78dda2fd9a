"""Lelang Kinerja writes: one service per transition, each in one transaction, each audited.

A move from the wrong state is refused with a ValidationError whose message is for the user;
a move by the wrong person with PermissionDenied.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import has_role, is_unit_head, require_planner, unit_ids_of
from kinerja.accounts.models import Notice, Role, User
from kinerja.accounts.notices import notify
from kinerja.auction.models import (
    DEFAULT_CRITERIA,
    AuctionSession,
    ContractTarget,
    Criterion,
    Move,
    PanelSeat,
    Proposal,
    ProposedIndicator,
    Score,
)
from kinerja.auction.selectors import decision_plan
from kinerja.core.audit import record, snapshot
from kinerja.core.numbers import format_decimal
from kinerja.planning.models import Indicator, Objective, Term
from kinerja.planning.services import TargetValues, indicator_targets_set, plan_object_save

Status = AuctionSession.Status
PANEL_ROLES = (Role.PANEL_MEMBER, Role.HEAD_OF_REGION, Role.REGIONAL_SECRETARY)


def _locked(session: AuctionSession) -> AuctionSession:
    return AuctionSession.objects.select_for_update().get(
        pk=session.pk, government_id=session.government_id
    )


@transaction.atomic
def session_create(
    *, term: Term, name: str, scheduled_on: datetime.date, venue: str, by: User
) -> AuctionSession:
    """A new session in draft, with the default scoring rubric."""
    government = require_planner(by)
    if term.government_id != government.pk:
        raise PermissionDenied
    session = AuctionSession.objects.create(
        government=government, term=term, name=name, scheduled_on=scheduled_on, venue=venue
    )
    Criterion.objects.bulk_create(
        Criterion(government=government, session=session, name=n, weight=w, position=i)
        for i, (n, w) in enumerate(DEFAULT_CRITERIA)
    )
    record(actor=by, action="auction.create", obj=session, before=None, after=snapshot(session))
    return session


@transaction.atomic
def criteria_set(
    *, session: AuctionSession, criteria: Sequence[tuple[str, Decimal]], by: User
) -> None:
    """Replace the rubric; only while the session is a draft."""
    require_planner(by)
    session = _locked(session)
    AuctionSession.WORKFLOW.check(session, "edit_criteria")
    names = [n.strip() for n, _w in criteria]
    if not criteria or any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError(
            _("Kriteria harus ada, bernama, dan tidak boleh ganda."),
            code="kriteria_bernama_tidak_boleh",
        )
    if any(w <= 0 for _n, w in criteria):
        raise ValidationError(
            _("Bobot setiap kriteria harus lebih dari nol."), code="bobot_setiap_kriteria_lebih"
        )
    before = [(c.name, str(c.weight)) for c in session.criteria.all()]
    session.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            government_id=session.government_id, session=session, name=n, weight=w, position=i
        )
        for i, (n, w) in enumerate(zip(names, (w for _n, w in criteria), strict=True))
    )
    record(
        actor=by,
        action="auction.criteria",
        obj=session,
        before={"criteria": before},
        after={"criteria": [(n, str(w)) for n, (_x, w) in zip(names, criteria, strict=True)]},
    )


@transaction.atomic
def panel_set(*, session: AuctionSession, members: Sequence[User], chair: User, by: User) -> None:
    """Seat the panel (mayor, deputy, secretary, experts); before the hearings start."""
    require_planner(by)
    session = _locked(session)
    AuctionSession.WORKFLOW.check(session, "seat_panel")
    if chair not in members:
        raise ValidationError(
            _("Ketua harus salah satu anggota tim penilai."), code="ketua_salah_satu_anggota"
        )
    for member in members:
        if member.government_id != session.government_id or not has_role(member, *PANEL_ROLES):
            raise ValidationError(
                _("%(display_name)s tidak dapat menjadi anggota tim penilai."),
                code="tidak_dapat_menjadi_anggota",
                params={"display_name": member.display_name},
            )
    before = sorted(session.panel.values_list("user_id", "is_chair"))
    session.panel.all().delete()
    PanelSeat.objects.bulk_create(
        PanelSeat(government_id=session.government_id, session=session, user=m, is_chair=m == chair)
        for m in members
    )
    record(
        actor=by,
        action="auction.panel",
        obj=session,
        before={"panel": before},
        after={"panel": sorted(session.panel.values_list("user_id", "is_chair"))},
    )


def _transition(
    session: AuctionSession,
    step: str,
    *,
    by: User,
    ready: Callable[[AuctionSession], None] = lambda s: None,
) -> AuctionSession:
    """Take the session's workflow step; `ready` refuses (with its code) what is still
    missing, if anything."""
    require_planner(by)
    session = _locked(session)
    target = AuctionSession.WORKFLOW.check(session, step).target
    ready(session)
    AuctionSession.WORKFLOW.apply(session, step, by=by, action=f"auction.{target}")
    return session


@transaction.atomic
def session_open(*, session: AuctionSession, by: User) -> AuctionSession:
    """Open for proposals: the panel and its chair must be seated, the rubric set."""

    def ready(s: AuctionSession) -> None:
        if not s.panel.filter(is_chair=True).exists():
            raise ValidationError(
                _("Tetapkan tim penilai dan ketuanya sebelum membuka sesi."), code="no_panel"
            )
        if not s.criteria.exists():
            raise ValidationError(
                _("Tetapkan kriteria penilaian sebelum membuka sesi."), code="no_criteria"
            )

    opened = _transition(session, "open", by=by, ready=ready)
    notify(
        User.objects.filter(
            government=opened.government,
            roles__role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR],
        ).distinct(),
        government=opened.government,
        kind=Notice.Kind.AUCTION_OPEN,
        title=f"{opened.name} dibuka: ajukan usulan perangkat daerah Anda",
        body=f"Paparan dijadwalkan {opened.scheduled_on:%d-%m-%Y}.",
        url=reverse("auction:session", args=[opened.pk]),
    )
    return opened


@transaction.atomic
def session_start_hearings(*, session: AuctionSession, by: User) -> AuctionSession:
    """Proposals close and the hearings begin; at least one proposal must be submitted."""

    def ready(s: AuctionSession) -> None:
        if not s.proposals.filter(status=Proposal.Status.SUBMITTED).exists():
            raise ValidationError(_("Belum ada usulan yang diajukan."), code="no_proposals")
        today = timezone.localdate()
        if today < s.scheduled_on:
            raise ValidationError(
                _(
                    "Paparan dijadwalkan %(date)s; hari ini %(today)s. Bila paparan dimajukan, "
                    "ubah dulu jadwal sesi (tercatat di riwayat)."
                ),
                code="before_scheduled_date",
                params={"date": f"{s.scheduled_on:%d-%m-%Y}", "today": f"{today:%d-%m-%Y}"},
            )

    return _transition(session, "start_hearings", by=by, ready=ready)


@transaction.atomic
def session_redate(
    *, session: AuctionSession, scheduled_on: datetime.date, reason: str, by: User
) -> AuctionSession:
    """Move the session's date (before its hearings begin), with the reason, audited: the
    hearings cannot start before the date the session carries."""
    require_planner(by)
    session = _locked(session)
    AuctionSession.WORKFLOW.check(session, "redate")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan perubahan jadwal."), code="redate_reason")
    if not 2000 <= scheduled_on.year <= 2100:
        raise ValidationError(_("Tanggal di luar rentang yang masuk akal."), code="redate_range")
    if scheduled_on == session.scheduled_on:
        return session
    before = snapshot(session)
    session.scheduled_on = scheduled_on
    session.save(update_fields=["scheduled_on"])
    record(
        actor=by,
        action="auction.redate",
        obj=session,
        before=before,
        after=snapshot(session),
        note=reason[:500],
    )
    return session


@transaction.atomic
def session_decide(*, session: AuctionSession, by: User) -> AuctionSession:
    """Close the hearings; every indicator's negotiation must have ended."""

    def ready(s: AuctionSession) -> None:
        still_open = [
            i.name
            for i in ProposedIndicator.objects.filter(
                proposal__session=s, proposal__status=Proposal.Status.SUBMITTED
            )
            if negotiation_open(i)
        ]
        if still_open:
            raise ValidationError(
                _("Masih ada indikator yang belum dijawab sanggup/tidak sanggup: %(names)s"),
                code="negotiations_open",
                params={"names": "; ".join(still_open)},
            )

    session = _transition(session, "decide", by=by, ready=ready)
    _write_contract_targets(session, by=by)
    return session


def _write_contract_targets(session: AuctionSession, *, by: User) -> None:
    """Every accepted target goes into the unit's plan with its provenance: the agreed value
    from its year on, a straight path from the proposal's baseline before it; only into
    years that are not frozen (auction.selectors.decision_plan, which the confirmation page
    showed). The plan takes the proposal's baseline, so that plan, pact and contract agree;
    the contract row keeps the baseline and path as decided."""
    for row in decision_plan(session):
        move = row.move
        indicator = move.indicator
        proposal = indicator.proposal
        plan_indicator = row.plan_indicator or _new_plan_indicator(indicator, by=by)
        if (plan_indicator.baseline_value, plan_indicator.baseline_year) != (
            row.baseline_new,
            row.baseline_year,
        ):
            plan_indicator.baseline_value = row.baseline_new
            plan_indicator.baseline_year = row.baseline_year
            plan_object_save(obj=plan_indicator, by=by)
        provenance = (
            f"Lelang Kinerja: {session.name}; {proposal.unit.label}; "
            f"langkah #{move.seq} sanggup {timezone.localtime(move.at):%d-%m-%Y}"
        )[:300]
        # Years already at the agreed figure take the auction as their provenance too.
        writes: TargetValues = {
            y.year: (y.new, None) for y in row.years if y.action in ("write", "same")
        }
        if writes:
            indicator_targets_set(
                indicator=plan_indicator, targets=writes, by=by, provenance=provenance
            )
        ContractTarget.objects.create(
            government_id=session.government_id,
            session=session,
            proposal=proposal,
            move=move,
            plan_indicator=plan_indicator,
            baseline_value=row.baseline_new,
            baseline_year=row.baseline_year,
            path={str(y): format(v.normalize(), "f") for y, v in row.path.items()},
            left_alone=[
                {
                    "year": y.year,
                    "kept": None if y.old is None else format(y.old, "f"),
                    "offered": format(y.new, "f"),
                    "reason": y.reason,
                }
                for y in row.left
            ],
        )


def _new_plan_indicator(indicator: ProposedIndicator, *, by: User) -> Indicator:
    """An accepted indicator that the plan does not have yet: added under the unit's
    objective serving the proposal's government objective (created if there is none)."""
    proposal = indicator.proposal
    term = proposal.session.term
    # A submitted proposal always has both (proposal_submit checks).
    assert indicator.baseline_value is not None and indicator.baseline_year is not None
    objective = (
        Objective.objects.filter(term=term, unit=proposal.unit, serves=proposal.objective)
        .order_by("code")
        .first()
    )
    if objective is None:
        objective = plan_object_save(
            obj=Objective(
                term=term,
                unit=proposal.unit,
                serves=proposal.objective,
                code=f"{proposal.objective.code}.{proposal.unit.code}.L{proposal.pk}",
                title=proposal.title,
            ),
            by=by,
        )
    return plan_object_save(
        obj=Indicator(
            objective=objective,
            responsible_unit=proposal.unit,
            code=f"{objective.code}.L{indicator.pk}",
            name=indicator.name,
            unit_of_measure=indicator.unit_of_measure,
            polarity=indicator.polarity,
            baseline_value=indicator.baseline_value,
            baseline_year=indicator.baseline_year,
            data_source=indicator.baseline_source,
        ),
        by=by,
    )


@transaction.atomic
def session_close(*, session: AuctionSession, by: User) -> AuctionSession:
    return _transition(session, "close", by=by)


# --- proposals ------------------------------------------------------------------------------


def _require_unit_member(user: User, proposal: Proposal) -> None:
    if proposal.unit_id not in unit_ids_of(user):
        raise PermissionDenied(
            _("Hanya kepala atau operator perangkat daerah ini yang dapat mengubah usulannya.")
        )


def proposal_missing(proposal: Proposal) -> list[str]:
    """What still keeps a proposal from being submitted, in words for its authors."""
    missing = []
    indicators = list(proposal.indicators.all())
    if not indicators:
        missing.append(_("Usulan belum memiliki indikator."))
    for ind in indicators:
        gaps = [
            label
            for label, value in (
                ("kondisi awal", ind.baseline_value),
                ("tahun kondisi awal", ind.baseline_year),
                ("sumber data kondisi awal", ind.baseline_source),
                ("target akhir", ind.end_target),
                ("tahun target akhir", ind.end_year),
            )
            if value in (None, "")
        ]
        if gaps:
            missing.append(
                _("%(name)s: belum ada %(value)s.") % {"name": ind.name, "value": ", ".join(gaps)}
            )
        elif ind.end_year <= ind.baseline_year:  # type: ignore[operator]
            missing.append(
                _("%(name)s: tahun target akhir harus sesudah tahun kondisi awal.")
                % {"name": ind.name}
            )
    return missing


@transaction.atomic
def proposal_save(*, proposal: Proposal, by: User) -> Proposal:
    """Create or edit a draft proposal of the user's own unit while the session is open."""
    if proposal.pk:
        current = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=proposal.pk, government_id=proposal.government_id)
        )
        require_proposal_editable(current, by)
        before = snapshot(current)
    else:
        _require_unit_member(by, proposal)
        proposal.session = AuctionSession.objects.get(pk=proposal.session_id)
        AuctionSession.WORKFLOW.check(proposal.session, "propose", doing=_("membuat usulan"))
        before = None
    term = proposal.session.term
    if proposal.mission.term_id != term.pk or proposal.objective.term_id != term.pk:
        raise ValidationError(
            _("Misi dan sasaran harus dari periode sesi ini."), code="misi_sasaran_periode_sesi"
        )
    goal = proposal.objective.goal
    if goal is None or goal.mission_id != proposal.mission_id:
        raise ValidationError(
            _("Pilih sasaran daerah di bawah misi yang dipilih."), code="pilih_sasaran_daerah_bawah"
        )
    proposal.government_id = proposal.session.government_id
    proposal.status = Proposal.Status.DRAFT
    proposal.full_clean()
    proposal.save()
    action = "proposal.update" if before else "proposal.create"
    after = snapshot(proposal)
    if before != after:
        record(actor=by, action=action, obj=proposal, before=before, after=after)
    return proposal


@transaction.atomic
def proposed_indicator_save(*, indicator: ProposedIndicator, by: User) -> ProposedIndicator:
    """Add or edit an indicator of a draft proposal (baseline, source, end target, history)."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(
            pk=indicator.proposal_id,
            government_id=indicator.government_id or indicator.proposal.government_id,
        )
    )
    require_proposal_editable(proposal, by)
    before = snapshot(ProposedIndicator.objects.get(pk=indicator.pk)) if indicator.pk else None
    if (
        indicator.plan_indicator
        and indicator.plan_indicator.government_id != proposal.government_id
    ):
        raise PermissionDenied
    indicator.government_id = proposal.government_id
    _fill_from_plan(indicator)
    indicator.full_clean()
    indicator.save()
    after = snapshot(indicator)
    if before != after:
        action = "proposal.indicator." + ("update" if before else "create")
        record(
            actor=by,
            action=action,
            obj=indicator,
            before=before,
            after=after,
            government=proposal.government,
        )
    return indicator


def _fill_from_plan(indicator: ProposedIndicator) -> None:
    """A proposed indicator of the plan takes the plan's name, unit of measure, polarity and
    baseline where left empty; a baseline other than the plan's needs an explanation, which the
    panel reads beside it."""
    plan = indicator.plan_indicator
    if plan is None:
        return
    indicator.name = indicator.name or plan.name
    indicator.unit_of_measure = indicator.unit_of_measure or plan.unit_of_measure
    indicator.polarity = indicator.polarity or plan.polarity
    if indicator.baseline_value is None:
        indicator.baseline_value = plan.baseline_value
        indicator.baseline_year = indicator.baseline_year or plan.baseline_year
        indicator.baseline_source = indicator.baseline_source or plan.data_source[:300]
    differs = (indicator.baseline_value, indicator.baseline_year) != (
        plan.baseline_value,
        plan.baseline_year,
    )
    indicator.baseline_note = indicator.baseline_note.strip()
    if differs and not indicator.baseline_note:
        raise ValidationError(
            {
                "baseline_note": _(
                    "Kondisi awal berbeda dari indikator rencana %(code)s (%(value)s, %(year)s): "
                    "jelaskan mengapa, untuk dibaca tim penilai."
                )
                % {
                    "code": plan.code,
                    "value": format_decimal(plan.baseline_value),
                    "year": plan.baseline_year,
                }
            },
            code="baseline_differs",
        )


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by: User) -> Proposal:
    """Submit a complete proposal; from then on it is locked."""
    _require_unit_member(by, proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=proposal.pk, government_id=proposal.government_id)
    )
    AuctionSession.WORKFLOW.check(proposal.session, "propose", doing=_("mengajukan usulan"))
    Proposal.WORKFLOW.check(proposal, "submit")
    missing = proposal_missing(proposal)
    if missing:
        raise ValidationError(missing)
    Proposal.WORKFLOW.apply(
        proposal,
        "submit",
        by=by,
        action="proposal.submit",
        changes={"submitted_at": timezone.now(), "submitted_by": by},
    )
    return proposal


def require_proposal_editable(proposal: Proposal, by: User) -> None:
    """A draft proposal of the user's own unit in a session still open for proposals."""
    _require_unit_member(by, proposal)
    AuctionSession.WORKFLOW.check(proposal.session, "propose")
    Proposal.WORKFLOW.check(proposal, "edit")


# --- the hearing ------------------------------------------------------------------------------


def _seat(session: AuctionSession, user: User) -> PanelSeat:
    seat = PanelSeat.objects.filter(session_id=session.pk, user=user).first()
    if seat is None:
        raise PermissionDenied(_("Hanya anggota tim penilai sesi ini yang dapat melakukannya."))
    return seat


def _hearing(proposal: Proposal, doing: str) -> None:
    """The proposal is submitted and its session is in hearings, both read afresh."""
    fresh = Proposal.objects.select_related("session").get(pk=proposal.pk)
    proposal.status, proposal.session = fresh.status, fresh.session
    AuctionSession.WORKFLOW.check(proposal.session, "hear", doing=doing)
    Proposal.WORKFLOW.check(proposal, "hear", doing=doing)


@transaction.atomic
def score_submit(
    *, proposal: Proposal, criterion: Criterion, value: Decimal, by: User, comment: str = ""
) -> Score:
    """A panelist's score for one criterion, with an optional short comment; given once and
    never changed."""
    _seat(proposal.session, by)
    _hearing(proposal, _("memberi nilai"))
    if criterion.session_id != proposal.session_id:
        raise ValidationError(_("Kriteria bukan milik sesi ini."), code="kriteria_bukan_milik_sesi")
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("Nilai harus antara 0 dan 100."), code="nilai_antara")
    try:
        with transaction.atomic():
            score = Score.objects.create(
                government_id=proposal.government_id,
                proposal=proposal,
                panelist=by,
                criterion=criterion,
                value=value,
                comment=comment.strip()[:300],
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Anda sudah memberi nilai untuk '%(name)s'."),
            code="memberi_nilai",
            params={"name": criterion.name},
        ) from exc
    record(
        actor=by,
        action="score.submit",
        obj=proposal,
        before=None,
        after={
            "criterion": criterion.name,
            "value": str(value),
            "panelist": by.pk,
            "comment": score.comment,
        },
    )
    return score


@transaction.atomic
def scores_reveal(*, proposal: Proposal, by: User) -> None:
    if not _seat(proposal.session, by).is_chair:
        raise PermissionDenied(_("Hanya ketua tim penilai yang dapat membuka nilai."))
    if not proposal.scores_revealed:
        Proposal.objects.filter(pk=proposal.pk, government_id=proposal.government_id).update(
            scores_revealed=True
        )
        record(
            actor=by,
            action="score.reveal",
            obj=proposal,
            before={"scores_revealed": False},
            after={"scores_revealed": True},
        )
    proposal.scores_revealed = True


def last_move(indicator: ProposedIndicator) -> Move | None:
    return indicator.moves.order_by("-seq").first()


def negotiation_open(indicator: ProposedIndicator) -> bool:
    last = last_move(indicator)
    return last is None or last.kind not in (Move.Kind.ACCEPT, Move.Kind.REFUSE)


def _append_move(
    indicator: ProposedIndicator,
    *,
    kind: str,
    by: User,
    step: str,
    value: Decimal | None = None,
    year: int | None = None,
    justification: str = "",
    terms_of_last: bool = False,
) -> Move:
    """Append one move after checking the last; `terms_of_last` copies the value and year
    being accepted, so an acceptance states what was accepted."""
    # Serialise moves on one indicator: a second simultaneous move waits, then sees the first.
    ProposedIndicator.objects.select_for_update().get(
        pk=indicator.pk, government_id=indicator.government_id
    )
    last = last_move(indicator)
    Move.NEGOTIATION.check(indicator, step, state=last.kind if last else "none")
    if terms_of_last and last is not None:
        value, year = last.value, last.year
    try:
        with transaction.atomic():
            move = Move.objects.create(
                government_id=indicator.government_id,
                indicator=indicator,
                seq=(last.seq if last else 0) + 1,
                kind=kind,
                actor=by,
                value=value,
                year=year,
                justification=justification,
            )
    except IntegrityError as exc:  # the unique (indicator, seq) pair: someone moved first
        raise ValidationError(
            _("Langkah lain baru saja dicatat untuk indikator ini. Muat ulang untuk melihatnya."),
            code="langkah_lain_baru_saja",
        ) from exc
    record(
        actor=by,
        action=f"move.{kind}",
        obj=indicator,
        before=None,
        after={
            "seq": move.seq,
            "kind": kind,
            "value": None if value is None else str(value),
            "year": year,
        },
        government=indicator.proposal.government,
    )
    return move


def _validate_offer_terms(
    indicator: ProposedIndicator, value: Decimal | None, year: int | None
) -> None:
    if value is None or year is None:
        raise ValidationError(
            _("Penawaran harus menyebut nilai target dan tahun pencapaiannya."),
            code="penawaran_menyebut_nilai_target",
        )
    if indicator.baseline_year and year <= indicator.baseline_year:
        raise ValidationError(
            _("Tahun pencapaian harus sesudah tahun kondisi awal."),
            code="tahun_pencapaian_sesudah_tahun",
        )
    term = indicator.proposal.session.term
    if year > term.end_year:
        raise ValidationError(
            _("Tahun pencapaian paling lambat %(end_year)s, akhir periode."),
            code="tahun_pencapaian_paling_lambat",
            params={"end_year": term.end_year},
        )


@transaction.atomic
def offer_make(*, indicator: ProposedIndicator, value: Decimal, year: int, by: User) -> Move:
    """The panel offers a target: how much, and by when. One open offer at a time."""
    proposal = indicator.proposal
    _seat(proposal.session, by)
    _hearing(proposal, _("memberi penawaran"))
    _validate_offer_terms(indicator, value, year)
    move = _append_move(
        indicator,
        kind=Move.Kind.OFFER,
        by=by,
        value=value,
        year=year,
        step="offer",
    )
    notify(
        User.objects.filter(
            roles__unit=proposal.unit, roles__role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR]
        ).distinct(),
        government=proposal.government,
        kind=Notice.Kind.OFFER,
        title=f"Penawaran tim penilai: {indicator.name} {format_decimal(value)} pada {year}",
        body=f"Usulan: {proposal.title}. Kepala perangkat daerah menjawab dalam paparan.",
        url=reverse("auction:proposal", args=[proposal.pk]) + f"#indikator-{indicator.pk}",
    )
    return move


@transaction.atomic
def offer_answer(
    *,
    indicator: ProposedIndicator,
    kind: str,
    by: User,
    value: Decimal | None = None,
    year: int | None = None,
    justification: str = "",
) -> Move:
    """The unit head answers the open offer: accept, refuse, or counter (value, year, reason)."""
    proposal = indicator.proposal
    if not is_unit_head(by, proposal.unit):
        raise PermissionDenied(
            _("Hanya kepala perangkat daerah pengusul yang dapat menjawab penawaran.")
        )
    _hearing(proposal, _("menjawab penawaran"))
    if kind not in (Move.Kind.ACCEPT, Move.Kind.REFUSE, Move.Kind.COUNTER):
        raise ValidationError(_("Jawaban tidak dikenal."), code="jawaban_tidak_dikenal")
    if kind == Move.Kind.COUNTER:
        _validate_offer_terms(indicator, value, year)
        if not justification.strip():
            raise ValidationError(
                _("Penawaran balik harus disertai alasan."), code="penawaran_balik_disertai_alasan"
            )
    else:
        value = year = None
    return _append_move(
        indicator,
        kind=kind,
        by=by,
        value=value,
        year=year,
        justification=justification.strip(),
        terms_of_last=kind == Move.Kind.ACCEPT,
        step="answer",
    )


@transaction.atomic
def counter_accept(*, indicator: ProposedIndicator, by: User) -> Move:
    """The panel accepts the unit's counter-offer; its value and year become the agreement."""
    proposal = indicator.proposal
    _seat(proposal.session, by)
    _hearing(proposal, _("menerima penawaran balik"))
    return _append_move(
        indicator,
        kind=Move.Kind.ACCEPT,
        by=by,
        terms_of_last=True,
        step="accept_counter",
    )
