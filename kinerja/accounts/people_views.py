"""Pages for people and posts: the government's civil servants by unit, one person with their
superior and staff, the personnel import (upload, preview, save) and its template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_government_plan,
    get_for_user,
    government_for,
    is_overseer,
    require_planner,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Person, PersonnelImport, Position, Unit, User
from kinerja.accounts.personnel import (
    Organisation,
    Post,
    parse_personnel,
    person_superior_set,
    personnel_import_confirm,
    personnel_import_upload,
    template_xlsx,
)
from kinerja.core.web import attempt, parse_id

PER_PAGE = 50
CATEGORIES = {
    "structural": (
        Position.Kind.UNIT_HEAD,
        Position.Kind.ADMINISTRATOR,
        Position.Kind.SUPERVISOR,
    ),
    "functional": (Position.Kind.FUNCTIONAL,),
    "executor": (Position.Kind.EXECUTOR,),
}
CATEGORY_LABELS = {
    "structural": gettext_lazy("Struktural"),
    "functional": gettext_lazy("Fungsional"),
    "executor": gettext_lazy("Pelaksana"),
}


def _visible_units(user: User) -> set[int] | None:
    """None: every unit (overseers); otherwise the units the user works in."""
    if is_overseer(user):
        return None
    units = unit_ids_of(user)
    if not units:
        raise PermissionDenied(_("Data pegawai hanya untuk perangkat daerah dan pimpinan."))
    return units


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    visible = _visible_units(user)
    units = Unit.objects.filter(government=government)
    if visible is not None:
        units = units.filter(pk__in=visible)
    unit_id = parse_id(request.GET.get("unit", ""))
    unit = units.filter(pk=unit_id).first() if unit_id else None
    category = request.GET.get("kategori", "")
    category = category if category in CATEGORIES else ""
    query = request.GET.get("q", "").strip()[:100]
    org = Organisation(government)
    posts = [p for p in org.own.values() if p.position.unit_id]
    if visible is not None:
        posts = [p for p in posts if p.position.unit_id in visible]
    if unit is not None:
        posts = [p for p in posts if p.position.unit_id == unit.pk]
    if category:
        posts = [p for p in posts if p.position.kind in CATEGORIES[category]]
    if query:
        lowered = query.lower()
        posts = [
            p
            for p in posts
            if lowered in p.person.name.lower()
            or lowered in p.person.nip
            or lowered in p.position.title.lower()
        ]
    order = {Position.Kind.UNIT_HEAD: 0, Position.Kind.ADMINISTRATOR: 1}
    order[Position.Kind.SUPERVISOR] = 2
    posts.sort(
        key=lambda p: (
            p.position.unit.name if p.position.unit else "",
            order.get(p.position.kind, 3),  # type: ignore[call-overload]
            p.person.name,
        )
    )
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("hal"))
    rows = [_row(org, post) for post in page.object_list]
    return render(
        request,
        "accounts/people.html",
        {
            "rows": rows,
            "page": page,
            "units": units.order_by("kind", "name"),
            "unit": unit,
            "tree": _tree(org, unit) if unit else [],
            "category": category,
            "categories": CATEGORY_LABELS,
            "q": query,
            "total": len(posts),
            "can_import": can_edit_government_plan(user),
        },
    )


def _row(org: Organisation, post: Post) -> dict[str, Any]:
    superior = org.superior_of(post.person)
    return {
        "post": post,
        "path": " › ".join(s.name for s in org.path(post.position.sub_unit)),
        "superior": superior,
        "set_by_hand": post.person.pk in org.override,
    }


def _tree(org: Organisation, unit: Unit) -> list[dict[str, Any]]:
    """The unit's sub-units, nested, each with its head and the number of its own staff."""
    staff: dict[int | None, int] = {}
    for post in org.own.values():
        if post.position.unit_id == unit.pk and post.position.kind in (
            Position.Kind.FUNCTIONAL,
            Position.Kind.EXECUTOR,
        ):
            staff[post.position.sub_unit_id] = staff.get(post.position.sub_unit_id, 0) + 1
    subs = [s for s in org.sub_units.values() if s.unit_id == unit.pk]

    def node(sub: Any) -> dict[str, Any]:
        head = org.sub_unit_head.get(sub.pk)
        holder = org.holder.get(head.pk) if head else None
        return {
            "sub": sub,
            "head": head,
            "holder": holder,
            "staff": staff.get(sub.pk, 0),
            "children": [
                node(c) for c in sorted(subs, key=lambda s: s.name) if c.parent_id == sub.pk
            ],
        }

    return [node(s) for s in sorted(subs, key=lambda s: s.name) if s.parent_id is None]


class SuperiorForm(forms.Form):
    superior = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=gettext_lazy("Atasan langsung"),
        empty_label=gettext_lazy("— ikuti struktur organisasi —"),
    )

    def __init__(self, *args: Any, choices: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["superior"]
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in choices]).order_by("name")


@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = get_for_user(user, Person.objects.all(), pk)
    visible = _visible_units(user)
    org = Organisation(person.government_id)
    post = org.post_of(person)
    if visible is not None and (post is None or post.position.unit_id not in visible):
        raise PermissionDenied(_("Pegawai ini bukan dari perangkat daerah Anda."))
    can_edit = can_edit_government_plan(user)
    form = None
    if can_edit and post is not None:
        same_unit = [
            p.person
            for p in org.own.values()
            if p.person.pk != person.pk
            and (
                post.position.kind == Position.Kind.UNIT_HEAD
                or p.position.unit_id == post.position.unit_id
            )
        ]
        form = SuperiorForm(
            request.POST or None,
            choices=same_unit,
            initial={"superior": org.override.get(person.pk)},
        )
        if request.method == "POST" and form.is_valid():
            chosen = form.cleaned_data["superior"]
            if attempt(
                request,
                lambda: person_superior_set(person=person, superior=chosen, by=user),
                _("Atasan %(name)s disimpan.") % {"name": person.name},
            ):
                return redirect("person_detail", person.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Hanya staf perencanaan yang dapat melakukan ini."))
    history = person.assignments.select_related("position__unit", "position__sub_unit").order_by(
        "-start"
    )
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "post": post,
            "path": " › ".join(s.name for s in org.path(post.position.sub_unit)) if post else "",
            "superior": org.superior_of(person),
            "derived": org.derived_superior(person),
            "set_by_hand": person.pk in org.override,
            "subordinates": org.subordinates_of(person),
            "history": history,
            "form": form,
        },
    )


class PersonnelUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas data pegawai (.xlsx)"),
        help_text=gettext_lazy(
            "Ekspor SIASN/SIMPEG atau templat Kinerja: satu baris per pegawai, NIP 18 angka "
            "sebagai teks."
        ),
    )
    on = forms.DateField(
        label=gettext_lazy("Berlaku per tanggal"),
        help_text=gettext_lazy("Jabatan tanpa TMT dianggap mulai pada tanggal ini."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        today = timezone.localdate()
        if not (today.year - 10 <= on.year <= today.year + 1):
            raise ValidationError(
                _("Tanggal harus antara %(lo)s dan %(hi)s."),
                code="tanggal_impor_di_luar_rentang",
                params={"lo": today.year - 10, "hi": today.year + 1},
            )
        return on


@require_http_methods(["GET", "POST"])
def personnel_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = require_planner(user)
    form = PersonnelUploadForm(
        request.POST or None, request.FILES or None, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        from django.conf import settings

        upload = form.cleaned_data["file"]
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                _("Berkas terlalu besar (batas %(mb)s MB).")
                % {"mb": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        else:
            record = personnel_import_upload(
                government=government,
                filename=upload.name,
                content=upload.read(),
                on=form.cleaned_data["on"],
                by=user,
            )
            return redirect("personnel_import_preview", record.pk)
    imports = (
        PersonnelImport.objects.filter(government=government)
        .select_related("uploaded_by__person")
        .defer("content")[:10]
    )
    return render(
        request,
        "accounts/personnel_import.html",
        {"form": form, "imports": imports},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def personnel_template(request: HttpRequest) -> HttpResponse:
    require_planner(signed_in_user(request))
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat-data-pegawai.xlsx"'
    return response


@require_GET
def personnel_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    upload = get_for_user(user, PersonnelImport.objects.all(), pk)
    result = None
    if upload.status == PersonnelImport.Status.PREVIEWED:
        result = parse_personnel(bytes(upload.content), upload.government, upload.on)
    return render(request, "accounts/personnel_preview.html", {"upload": upload, "result": result})


@require_POST
def personnel_import_save(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    upload = get_for_user(user, PersonnelImport.objects.all(), pk)
    try:
        result = personnel_import_confirm(upload=upload, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("personnel_import_preview", pk)
    if not result.ok:
        messages.error(request, _("Berkas tidak lagi valid; tidak ada yang disimpan."))
        return redirect("personnel_import_preview", pk)
    messages.success(request, _("Data pegawai disimpan: %(n)s baris.") % {"n": len(result.rows)})
    return redirect(reverse("people"))
