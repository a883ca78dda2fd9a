"""Perjanjian Kinerja pages: the year's overview, one agreement, versions, signing, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_government_plan,
    can_edit_unit_plan,
    get_for_user,
    get_unit_for_user,
    government_for,
    is_overseer,
    require_plan_editor,
    require_planner,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Government
from kinerja.agreements import services
from kinerja.agreements.cascade import budget_flags
from kinerja.agreements.exports import signed_agreements, zip_agreements
from kinerja.agreements.forms import RevisionForm
from kinerja.agreements.models import Agreement, AgreementBatch
from kinerja.agreements.selectors import due_date, year_overview
from kinerja.agreements.tasks import generate_agreements
from kinerja.core.templatetags.kinerja import angka_text
from kinerja.core.web import attempt, confirm_page, confirmed
from kinerja.documents.models import Document
from kinerja.documents.views import sign_page
from kinerja.planning import calendar


def _year(request: HttpRequest, government: Government) -> tuple[int, list[int]]:
    """The year asked for, bounded to the government's years and the next one (prepared at
    the turn of the year); by default the current year."""
    return calendar.year_from(
        request.GET.get("tahun"), government, calendar.current_year(government), ahead=1
    )


def _posted_year(request: HttpRequest, government: Government) -> int:
    """The year a form posts: one the page offered, never silently another."""
    asked = request.POST.get("tahun") or request.GET.get("tahun")
    year, _years = calendar.year_from(asked, government, calendar.current_year(government), ahead=1)
    if asked is not None and str(year) != str(asked).strip():
        raise Http404(_("Tahun di luar periode pemerintah daerah ini."))
    return year


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    rows = year_overview(government, year, timezone.localdate())
    batch = AgreementBatch.objects.filter(government=government, year=year).first()
    return render(
        request,
        "agreements/overview.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "due": due_date(government, year),
            "late": [r for r in rows if r.late],
            "batch": batch,
            "can_manage": can_edit_government_plan(user),
            # The units whose cascade below the head the user may open.
            "cascade_units": {r.unit.pk for r in rows if r.unit}
            if is_overseer(user)
            else unit_ids_of(user),
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    agreement = get_for_user(
        user, Agreement.objects.select_related("unit", "document", "position"), pk
    )
    versions = Agreement.objects.filter(
        government=agreement.government,
        unit=agreement.unit,
        year=agreement.year,
        position=agreement.position_id,
    ).order_by("version")
    can_edit = (
        can_edit_unit_plan(user, agreement.unit)
        if agreement.unit
        else can_edit_government_plan(user)
    )
    my_turn = False
    if agreement.document and agreement.status == Agreement.Status.AWAITING:
        slot = agreement.document.slots.filter(signed_at__isnull=True).order_by("order").first()
        my_turn = bool(slot and slot.person_id == user.person_id)
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "versions": versions,
            "can_edit": can_edit,
            "my_turn": my_turn,
            "is_latest": versions.last() == agreement,
            "revision_form": RevisionForm(),
            "flags": budget_flags(agreement.unit, agreement.year)
            if agreement.position_id and agreement.unit
            else [],
            "slots": agreement.document.slots.select_related("person")
            if agreement.document
            else [],
        },
    )


@require_POST
def draft(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    unit = get_unit_for_user(user, request.POST["unit"]) if request.POST.get("unit") else None
    year = _posted_year(request, government)
    drafted = attempt(
        request,
        lambda: services.agreement_draft(government=government, unit=unit, year=year, by=user),
        _("Draf perjanjian disusun dari rencana."),
    )
    if drafted:
        return redirect("agreements:detail", drafted.value.pk)
    return redirect(reverse("agreements:overview") + f"?tahun={year}")


def _step(
    request: HttpRequest, pk: int, action: Callable[[Any, Any], Any], success: str
) -> HttpResponse:
    user = signed_in_user(request)
    agreement = get_for_user(user, Agreement.objects.all(), pk)
    attempt(request, lambda: action(agreement, user), success)
    return redirect("agreements:detail", agreement.pk)


@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    def act(a: Agreement, u: Any) -> Any:
        return services.agreement_draft(government=a.government, unit=a.unit, year=a.year, by=u)

    return _step(request, pk, act, _("Draf diperbarui dari rencana."))


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Sending issues the PDF for signature: shown first (the targets it commits to)."""
    if not confirmed(request):
        user = signed_in_user(request)
        agreement = get_for_user(user, Agreement.objects.all(), pk)
        require_plan_editor(user, agreement.unit)
        targets = agreement.content.get("targets", []) if agreement.content else []
        return confirm_page(
            request,
            title=_("Kirim untuk ditandatangani: %(agreement)s") % {"agreement": agreement},
            lead=_(
                "Perjanjian diterbitkan sebagai PDF dan menunggu tanda tangan kedua pihak; "
                "isinya tidak dapat diubah lagi kecuali ditarik kembali sebelum ditandatangani."
            ),
            items=[
                f"{row.get('indicator', '')}: {format_decimal_text(row.get('target'))} "
                f"{row.get('unit_of_measure', '')}".strip()
                for row in targets
            ],
            items_title=_("Target yang diperjanjikan"),
            button=_("Ya, kirim untuk ditandatangani"),
            back=reverse("agreements:detail", args=[agreement.pk]),
        )
    return _step(
        request,
        pk,
        lambda a, u: services.agreement_send(agreement=a, by=u),
        _("Dikirim untuk ditandatangani."),
    )


@require_POST
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda a, u: services.agreement_recall(agreement=a, by=u),
        _("Ditarik kembali menjadi draf."),
    )


@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft that was never sent, after a confirmation."""
    user = signed_in_user(request)
    agreement = get_for_user(user, Agreement.objects.all(), pk)
    require_plan_editor(user, agreement.unit)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Hapus draf: %(agreement)s") % {"agreement": agreement},
            lead=_(
                "Draf ini belum pernah dikirim untuk ditandatangani. Menghapusnya tidak mengubah "
                "rencana; isinya tetap tercatat di riwayat. Draf baru dapat dibuat lagi kapan "
                "saja dari rencana."
            ),
            button=_("Ya, hapus draf"),
            back=reverse("agreements:detail", args=[agreement.pk]),
        )
    year = agreement.year
    done = attempt(
        request,
        lambda: services.agreement_delete(agreement=agreement, by=user),
        _("Draf dihapus."),
    )
    if done:
        return redirect(reverse("agreements:overview") + f"?tahun={year}")
    return redirect("agreements:detail", agreement.pk)


def format_decimal_text(value: Any) -> str:
    """A stored decimal text ("12.5", or a range "2.5 – 4.5") as the reader writes numbers."""
    return angka_text(str(value)) if value not in (None, "") else "–"


def sign_page_of(document: Document) -> str:
    """The signing page of the agreement that holds this document."""
    agreement = Agreement.objects.filter(document=document).only("pk").first()
    if agreement is None:
        return reverse("documents:verify_code", args=[document.code])
    return reverse("agreements:sign", args=[agreement.pk])


@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement, page by page, and the signer's confirmation and passphrase."""
    user = signed_in_user(request)
    agreement = get_for_user(user, Agreement.objects.all(), pk)
    if agreement.document is None:
        messages.error(request, _("Perjanjian ini tidak sedang menunggu tanda tangan."))
        return redirect("agreements:detail", agreement.pk)
    return sign_page(
        request,
        agreement.document,
        sign=lambda u, passphrase: services.agreement_sign(
            agreement=agreement, by=u, passphrase=passphrase
        ),
        done=_("Perjanjian ditandatangani secara elektronik."),
        back=reverse("agreements:detail", args=[agreement.pk]),
    )


@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    agreement = get_for_user(user, Agreement.objects.all(), pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih alasan revisi."))
        return redirect("agreements:detail", agreement.pk)
    revised = attempt(
        request,
        lambda: services.agreement_revise(
            agreement=agreement,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            by=user,
        ),
        _("Revisi dibuat sebagai versi baru; versi lama tetap tersimpan."),
    )
    return redirect("agreements:detail", revised.value.pk if revised else agreement.pk)


def _rows_by(content: dict[str, Any], table: str, key: str) -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in content.get(table, [])}


@require_GET
def compare(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """What changed between two versions: rows added, removed, or with another figure."""
    user = signed_in_user(request)
    old = get_for_user(user, Agreement.objects.select_related("unit"), pk)
    new = get_for_user(user, Agreement.objects.select_related("unit"), other)
    if (old.unit_id, old.position_id, old.year) != (new.unit_id, new.position_id, new.year):
        raise PermissionDenied(_("Hanya versi dari perjanjian yang sama yang dapat dibandingkan."))
    if old.version > new.version:
        old, new = new, old
    changes = []
    for table, key, field in (("targets", "indicator", "target"), ("programmes", "code", "budget")):
        before, after = _rows_by(old.content, table, key), _rows_by(new.content, table, key)
        for name in sorted(set(before) | set(after)):
            a, b = before.get(name), after.get(name)
            if a is None or b is None or a[field] != b[field]:
                label = (b or a or {}).get("name", name) if table == "programmes" else name
                changes.append(
                    {
                        "table": table,
                        "name": label,
                        "before": a and a[field],
                        "after": b and b[field],
                    }
                )
    return render(request, "agreements/compare.html", {"old": old, "new": new, "changes": changes})


@require_POST
def batch_start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = require_planner(user)
    batch = AgreementBatch.objects.create(
        government=government, year=_posted_year(request, government), created_by=user
    )
    generate_agreements.enqueue(batch.pk)
    return redirect("agreements:batch", batch.pk)


@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    job = get_for_user(user, AgreementBatch.objects.all(), pk)
    template = "agreements/_progress.html" if request.htmx else "agreements/batch.html"  # type: ignore[attr-defined]
    return render(request, template, {"batch": job})


@require_GET
def download_zip(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, _years = _year(request, government)
    agreements = signed_agreements(year=year, government=government)
    if not agreements:
        messages.error(request, _("Belum ada perjanjian bertanda tangan untuk tahun ini."))
        return redirect(reverse("agreements:overview") + f"?tahun={year}")
    response = HttpResponse(zip_agreements(agreements), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="perjanjian-kinerja-{year}.zip"'
    return response
