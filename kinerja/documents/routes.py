"""Where a document is signed. A pact or contract is signed on the documents' own signing page;
an app whose documents need more checks when signed (the Perjanjian Kinerja: the signer still
holds the office, the content is unchanged) registers its own page for its kind at start-up,
as the target freeze does (planning/freeze.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from kinerja.documents.models import Document

_SIGN_PAGES: dict[str, Callable[[Document], str]] = {}


def register_sign_page(kind: str, page: Callable[[Document], str]) -> None:
    _SIGN_PAGES[kind] = page


def sign_url(document: Document) -> str:
    """The page where the next signatory reads and signs this document."""
    page = _SIGN_PAGES.get(document.kind)
    return page(document) if page else reverse("documents:sign", args=[document.code])
