"""Public verification (no sign-in) and downloads of signed documents; signing, with the
document shown page by page and the signer's passphrase; the signer's certificate page."""

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts.access import government_for, signed_in_user
from kinerja.accounts.models import User
from kinerja.core import pdfium
from kinerja.documents.forms import (
    CertificateUploadForm,
    ForgetPassphraseForm,
    PassphraseForm,
    SignForm,
    VerifyUploadForm,
)
from kinerja.documents.models import Document, SignerCertificate, SigningSecret
from kinerja.documents.routes import sign_url
from kinerja.documents.services import (
    certificate_upload,
    document_sign,
    signing_passphrase_forget,
    signing_passphrase_set,
    verify_code,
    verify_file,
)

# Pages shown as pictures on the signing page; a longer document is read as its PDF.
PREVIEW_PAGES = 30


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a document by its code or by uploading the PDF."""
    if request.GET.get("kode"):
        return redirect("documents:verify_code", request.GET["kode"].strip().upper())
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = verify_file(form.cleaned_data["file"])
    return render(request, "documents/verify.html", {"form": form, "result": result})


@login_not_required
@require_GET
def verify_by_code(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "documents/verify.html",
        {"form": VerifyUploadForm(), "result": verify_code(code), "code": code},
    )


@login_not_required
@require_GET
def download(request: HttpRequest, code: str) -> HttpResponse:
    """The latest stored file of a document, by its public code: exactly the stored bytes."""
    document = Document.objects.filter(code=code).first()
    if document is None:
        raise Http404
    return stored_pdf(document, disposition="inline")


def stored_pdf(document: Document, *, disposition: str, version: int | None = None) -> HttpResponse:
    """The latest stored file of a document, exactly the stored bytes, with their SHA-256."""
    latest = document.latest_file
    if latest is None:
        raise Http404(_("Dokumen ini belum memiliki berkas."))
    with latest.file.open("rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{document.code}-v{version or document.version}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-SHA256"] = latest.sha256
    return response


def _stored_bytes(document: Document) -> bytes:
    latest = document.latest_file
    if latest is None:
        raise Http404(_("Dokumen ini belum memiliki berkas."))
    with latest.file.open("rb") as fh:
        return bytes(fh.read())


def _document_of_code(user: User, code: str) -> Document:
    """A document of the signed-in user's government, by its code, in one query (one shard
    on Citus); a code of another government is not found."""
    document = Document.objects.filter(government=government_for(user), code=code).first()
    if document is None:
        raise Http404
    return document


def _page_count(document: Document) -> int:
    return pdfium.page_count(_stored_bytes(document))


_FIELDS_OF_CODE = {
    "passphrase_required": ("passphrase", "current"),
    "passphrase_wrong": ("passphrase", "current"),
    "passphrase_paused": ("passphrase", "current"),
    "passphrase_not_set": ("passphrase",),
    "passphrase_length": ("new_passphrase",),
    "passphrase_is_password": ("new_passphrase",),
    "passphrase_mismatch": ("repeat",),
    "password_wrong": ("password",),
}


def _add_errors(form: Any, exc: ValidationError) -> None:
    """A refusal from a service, shown beside the field it is about (or above the form)."""
    for error in exc.error_list:
        names = [n for n in _FIELDS_OF_CODE.get(error.code or "", ()) if n in form.fields]
        form.add_error(names[0] if names else None, error)


def sign_page(
    request: HttpRequest,
    document: Document,
    *,
    sign: Callable[[User, str], Any],
    done: str,
    back: str,
) -> HttpResponse:
    """The signing step, for any document: GET shows the document page by page, who signs in
    which order, and asks for the confirmation and the signer's passphrase (chosen here on
    first use); POST signs through `sign(user, passphrase)` and returns to `back`. Nothing is
    signed without both."""
    user = signed_in_user(request)
    slots = list(document.slots.select_related("person").order_by("order"))
    if not any(s.person_id == user.person_id for s in slots if user.person_id):
        raise PermissionDenied(_("Anda bukan penanda tangan dokumen ini."))
    done_mine = [s for s in slots if s.person_id == user.person_id and s.signed_at]
    already = ""
    if done_mine and not any(s.person_id == user.person_id and not s.signed_at for s in slots):
        # A second click, a page left open, an old notice: already done, said plainly.
        already = _("Anda sudah menandatangani dokumen ini pada %(when)s.") % {
            "when": f"{timezone.localtime(done_mine[0].signed_at):%d-%m-%Y %H:%M}"
        }
    first_use = not (
        user.person_id
        and SigningSecret.objects.filter(
            government_id=user.government_id or 0, person_id=user.person_id
        ).exists()
    )
    form = SignForm(request.POST or None, first_use=first_use)
    if request.method == "POST" and not already and form.is_valid():
        data = form.cleaned_data
        try:
            if first_use:
                signing_passphrase_set(
                    user=user, passphrase=data["new_passphrase"], repeat=data["repeat"]
                )
                passphrase = data["new_passphrase"]
            else:
                passphrase = data["passphrase"]
            sign(user, passphrase)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    total = _page_count(document)  # reads and parses the stored PDF: once
    pages = min(total, PREVIEW_PAGES)
    mine = [s for s in slots if s.signed_at is None and s.person_id == user.person_id]
    if document.superseded_by_id or document.status != Document.Status.AWAITING:
        mine = []
    return render(
        request,
        "documents/sign.html",
        {
            "document": document,
            "slots": slots,
            "my_slot": mine[0] if mine else None,
            "pages": range(1, pages + 1),
            "more_pages": total > pages,
            "form": form,
            "first_use": first_use,
            "back": back,
            "already": already,
        },
        status=400 if request.method == "POST" and not already else 200,
    )


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, code: str) -> HttpResponse:
    """A pact or contract from the auction: the signatory whose turn it is signs it."""
    user = signed_in_user(request)
    document = _document_of_code(user, code)
    elsewhere = sign_url(document)
    if elsewhere != request.path:  # a kind with its own signing page (the agreement's)
        return redirect(elsewhere)
    return sign_page(
        request,
        document,
        sign=lambda u, passphrase: document_sign(document=document, by=u, passphrase=passphrase),
        done=_("Dokumen ditandatangani secara elektronik."),
        back=_back(request, reverse("documents:verify_code", args=[code])),
    )


@require_GET
def page_image(request: HttpRequest, code: str, page: int) -> HttpResponse:
    """One page of a document's latest file as a picture, for reading it before signing."""
    user = signed_in_user(request)
    document = _document_of_code(user, code)
    if not 1 <= page <= PREVIEW_PAGES:
        raise Http404
    image = pdfium.page_image(_stored_bytes(document), page - 1, scale=1.6)
    if image is None:
        raise Http404
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_http_methods(["GET", "POST"])
def my_certificate(request: HttpRequest) -> HttpResponse:
    """The signed-in user's signing certificates and passphrase: set or change the passphrase,
    start again when it is forgotten, or upload their own PKCS#12."""
    user = signed_in_user(request)
    has_secret = bool(
        user.person_id
        and SigningSecret.objects.filter(
            government_id=user.government_id or 0, person_id=user.person_id
        ).exists()
    )
    which = request.POST.get("form", "") if request.method == "POST" else ""
    upload = CertificateUploadForm(
        request.POST if which == "upload" else None, request.FILES if which == "upload" else None
    )
    passphrase = PassphraseForm(
        request.POST if which == "passphrase" else None, first_use=not has_secret
    )
    forget = ForgetPassphraseForm(request.POST if which == "forget" else None)
    actions: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "upload": (
            upload,
            lambda d: certificate_upload(
                user=user, data=d["file"], password=d["password"], passphrase=d["passphrase"]
            ),
            _("Sertifikat disimpan; tanda tangan Anda berikutnya memakainya."),
        ),
        "passphrase": (
            passphrase,
            lambda d: signing_passphrase_set(
                user=user,
                passphrase=d["new_passphrase"],
                repeat=d["repeat"],
                current=d.get("current", ""),
            ),
            _("Passphrase tanda tangan disimpan."),
        ),
        "forget": (
            forget,
            lambda d: signing_passphrase_forget(user=user, password=d["password"]),
            _(
                "Passphrase dihapus dan sertifikat lama dicabut; tanda tangan berikutnya "
                "meminta passphrase baru dan memakai sertifikat baru."
            ),
        ),
    }
    if which in actions:
        form, action, done = actions[which]
        if form.is_valid():
            try:
                action(form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("my_certificate")
    certificates = (
        SignerCertificate.objects.filter(person=user.person).order_by("-created_at")
        if user.person
        else []
    )
    return render(
        request,
        "documents/certificate.html",
        {
            "upload": upload,
            "passphrase_form": passphrase,
            "forget": forget,
            "has_secret": has_secret,
            "certificates": certificates,
        },
        status=400 if which in actions else 200,
    )
