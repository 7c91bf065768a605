"""Render PDF pages to PNG in tests/output/ so a reviewer (and the test's author) can look at them."""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).with_name("output")


def pdf_pages_to_png(pdf: bytes, name: str, *, scale: float = 1.5) -> list[Path]:
    """Write each page of ``pdf`` as ``tests/output/<name>-<n>.png``; returns the files written."""
    import pypdfium2  # test-only dependency (requirements-dev.txt)

    OUTPUT.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    written = []
    for number in range(len(document)):
        path = OUTPUT / f"{name}-{number + 1}.png"
        document[number].render(scale=scale).to_pil().save(path)
        written.append(path)
    document.close()
    return written
