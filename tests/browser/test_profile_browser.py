"""In a real browser: define the custom area "Broekheurne", open its profile, download the PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def _pick(page, label: str, text: str) -> None:
    """Choose an option in a Streamlit multiselect by typing part of its label."""
    box = page.locator('[data-testid="stMultiSelect"]', has_text=label)
    box.locator("input").click()
    page.keyboard.type(text)
    page.get_by_role("option", name=text, exact=False).first.click()
    page.keyboard.press("Escape")


def test_custom_area_profile_downloads_as_pdf_with_name_and_inhabitants(app_url, page):
    page.goto(f"{app_url}/gebieden")
    wait_for_app(page)
    page.get_by_label("Naam van het gebied").fill("Broekheurne")
    _pick(page, "Buurten in het gebied", "Buurtschap Broekheurne (BU01530905)")
    _pick(page, "Buurten in het gebied", "Buurtschap Zuid-Esmarke (BU01530904)")
    page.get_by_role("button", name="Gebied opslaan").click()
    page.get_by_text("Gebied 'Broekheurne' is opgeslagen.").wait_for()
    wait_for_app(page)

    page.get_by_role("link", name="Open het wijkpaspoort van dit gebied").click()
    page.wait_for_url("**/profiel?**")
    wait_for_app(page)
    page.get_by_role("heading", name="Broekheurne").wait_for()
    assert "gebied=custom%3ABroekheurne" in page.url or "gebied=custom:Broekheurne" in page.url

    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("button", name="Wijkpaspoort om mee te nemen (PDF, 2 pagina's)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("wijkpaspoort_Broekheurne_")
    data = Path(download.path()).read_bytes()
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 2  # the handout
    text = "\n".join(p.extract_text() for p in pages)
    assert "Wijkpaspoort Broekheurne" in text
    assert "1.785 inwoners" in text  # 1,500 (Broekheurne) + 285 (Zuid-Esmarke) in 2024, the latest year
    assert "Buurtschap Broekheurne, Buurtschap Zuid-Esmarke" in text  # a custom area lists its buurten
    assert "Bron: CBS, Kadaster/PDOK — CC BY 4.0" in text
