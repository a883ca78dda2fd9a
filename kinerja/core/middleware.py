from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the person chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many officials use browsers set
    to English, and the product is Indonesian first (docs/decisions/0003-language.md).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivatePagesMiddleware:
    """A signed-in person's pages are not kept by the browser or any proxy: once they sign
    out (on a shared office computer), Back shows nothing of what they saw."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than the largest upload allowed is refused before it is read
    (and so before anything is written to disk): 413, with the limit in the message. The
    proxy in front bounds it too (docs/deployment.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)
            return HttpResponse(
                _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
