"""PDFium fails, or crashes the process, when two threads use it at once (seen in the suite's
live server: two page images of one agreement requested together; without the lock this
test fails with "Failed to load document" most runs). The helpers hold one lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from weasyprint import HTML

from kinerja.core import pdfium


def test_pages_rendered_from_many_threads_at_once():
    pdfs = []
    for n in range(4):
        pages = "".join(
            f"<h1 style='break-before: page'>Halaman {p} berkas {n}</h1><p>{'isi ' * 300}</p>"
            for p in range(3)
        )
        pdf = HTML(string=pages).write_pdf()
        assert pdf is not None
        pdfs.append(pdf)

    def render(i: int) -> tuple[int, int]:
        image = pdfium.page_image(pdfs[i % 4], i % 3, scale=1.6)
        assert image is not None
        return pdfium.page_count(pdfs[(i + 1) % 4]), image.width

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render, range(400)))
    assert {count for count, _w in results} == {3}
    assert all(width > 900 for _c, width in results)  # A4, 595 points, at 1.6
    assert pdfium.page_image(pdfs[0], 3, scale=1.0) is None
