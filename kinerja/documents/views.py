"""Public verification (no sign-in) and downloads of signed documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import get_for_user, signed_in_user
from kinerja.core.web import attempt
from kinerja.documents.forms import CertificateUploadForm, VerifyUploadForm
from kinerja.documents.models import Document, SignerCertificate
from kinerja.documents.services import certificate_upload, document_sign, verify_code, verify_file


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


@require_POST
def sign(request: HttpRequest, code: str) -> HttpResponse:
    """The signed-in signatory signs the document whose turn it is."""
    user = signed_in_user(request)
    pk = Document.objects.filter(code=code).values_list("pk", flat=True).first()
    document = get_for_user(user, Document.objects.all(), pk)
    attempt(
        request,
        lambda: document_sign(document=document, by=user),
        _("Dokumen ditandatangani secara elektronik."),
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("documents:verify_code", code)


@require_http_methods(["GET", "POST"])
def my_certificate(request: HttpRequest) -> HttpResponse:
    """The signed-in user's signing certificate; they may upload their own PKCS#12."""
    user = signed_in_user(request)
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_upload(
                user=user, data=form.cleaned_data["file"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(
                request, _("Sertifikat disimpan; tanda tangan Anda berikutnya memakainya.")
            )
            return redirect("my_certificate")
    certificates = (
        SignerCertificate.objects.filter(person=user.person).order_by("-created_at")
        if user.person
        else []
    )
    return render(
        request, "documents/certificate.html", {"form": form, "certificates": certificates}
    )
