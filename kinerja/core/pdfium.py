"""PDFium (pypdfium2) renders our PDFs as pictures: a page to read before signing, a chart
for the Word report. PDFium is not thread-safe: two threads of one process inside it at once
crash the process (a development server or a threaded worker serving two page images of one
agreement). Every use holds this lock; processes each have their own."""

from __future__ import annotations

import threading

import pypdfium2
from PIL.Image import Image

LOCK = threading.Lock()


def page_count(pdf: bytes) -> int:
    with LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_image(pdf: bytes, index: int, *, scale: float) -> Image | None:
    """Page `index` (from 0) as a picture, or None when the file has no such page."""
    with LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            if not 0 <= index < len(document):
                return None
            image: Image = document[index].render(scale=scale).to_pil()
            return image
        finally:
            document.close()
