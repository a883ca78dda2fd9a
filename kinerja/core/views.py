"""Small pages of the core: the health check, the reading of a typed number."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from num2words import num2words

from kinerja.core.numbers import NumberError, format_decimal, language_of, parse_decimal


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def read_number(request: HttpRequest) -> HttpResponse:
    """What a number being typed is read as, in the reader's language, in figures and in words:
    shown under the field before anything is saved (htmx sends the field's own value)."""
    typed = str(next(iter(request.GET.values()), ""))[:60]
    if not typed.strip():
        return HttpResponse("")
    language = language_of(get_language())
    try:
        value = parse_decimal(typed, language)
    except NumberError as exc:
        return HttpResponse(
            format_html(
                '<span class="bad">{}</span>',
                _("“%(typed)s” bukan angka.") % {"typed": exc.text},
            )
        )
    if abs(value) >= 10**15:  # no figure of a plan is this large: read back, not spelled
        words = ""
    else:
        words = num2words(value, lang="en" if language == "en" else "id")
    return HttpResponse(
        format_html(
            "{} <strong>{}</strong>{}",
            _("Dibaca:"),
            format_decimal(value, language=language),
            f" ({words})" if words else "",
        )
    )
