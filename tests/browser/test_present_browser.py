"""What a room sees, in a real browser at 1920×1080 with the network blocked: meeting mode in
projector type (body ≥ 28 px, chart text ≥ 18 px), no text cut off, no codes or keys, nothing fetched
from outside the machine, and axe-core's accessibility check on every page.

Screenshots go to tests/output/ for a reviewer to look at.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

import app_state
from enschede_gis import db, meetings
from enschede_gis import scenarios as sc
from enschede_gis.roles import Actor, Role
from tests.browser.conftest import LOCAL_HOSTS, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parents[1] / "output"
AXE = Path(__file__).with_name("vendor") / "axe-core-4.14.1" / "axe.min.js"
TWEKKELERVELD = "BU01530301"
TEAM = Actor(Role.TEAM)
KEY_OR_CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|BU\d{8}")
BODY_PX, CHART_PX = 28, 18

#: Streamlit's own chrome that axe may not judge the app by, each with the reason.
AXE_EXCLUDE = [
    # The page-navigation widget's hidden skip link and the (hidden) toolbar are Streamlit internals.
    '[data-testid="stToolbar"]',
    '[data-testid="stDecoration"]',
]

#: Every text-bearing element in the main area: its font size, and whether its text is cut off
#: (wider than its box while clipped). Elements inside the sidebar, hidden ones and SVG are skipped.
TEXT_PROBE = """
() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('svg') || el.closest('[data-testid="stSidebar"]')) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim())
      .map(n => n.textContent.trim()).join(' ');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    if (style.fontFamily.includes('Material')) continue;  // an icon ligature ("info"), not text
    out.push({text: own, size: parseFloat(style.fontSize),
              cut: el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0, tag: el.tagName});
  }
  return out;
}
"""


def _outside_parentheses(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


@pytest.fixture
def room(isolated_state, monkeypatch, browser):
    """A live app on this test's state (a meeting about Twekkelerveld with one scenario), and a
    1920×1080 tab that records every request for a host other than this machine."""
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    eng = db.engine()
    sc.save_scenario(
        eng,
        sc.make_scenario(
            name="Twekkelerveld +500 (2023)",
            year=2023,
            measures=[
                {
                    "type": "new_dwellings",
                    "area": TWEKKELERVELD,
                    "basis": "evidence",
                    "dwellings": 500,
                    "household_size": 2,
                }
            ],
        ),
        actor=TEAM,
    )
    meeting = meetings.make_meeting(
        title="Buurtavond Twekkelerveld",
        area_code=TWEKKELERVELD,
        held_on=date(2026, 12, 3),
        frame={
            "fixed": "Er komen woningen bij.",
            "open": "Waar en voor wie.",
            "level": "adviseren",
            "purposes": ["kennis"],
        },
        scenarios=["Twekkelerveld +500 (2023)"],
    )
    meetings.save(eng, meetings.with_changes(meeting, started=True, step=1), actor=TEAM)
    db.dispose_all()
    url, process = start_app(isolated_state, {db.DATABASE_URL_ENV: ""})
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    outside: list[str] = []

    def local_only(route) -> None:
        address = route.request.url
        if (urlparse(address).hostname or "") in LOCAL_HOSTS or address.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(address)
            route.abort("internetdisconnected")

    context.route("**/*", local_only)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield url, tab, meeting.id, outside
    context.close()
    stop_app(process)
    if process.returncode is None:  # killed after a slow shutdown: reap it before the next test
        process.wait(timeout=30)
    db.dispose_all()


def _axe(tab) -> list[dict]:
    """Serious and critical axe-core violations (WCAG 2 A/AA) of the page, Streamlit chrome excluded."""
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate(
        """async (exclude) => {
            const result = await axe.run({exclude: exclude.map(s => [s])},
                                         {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
            return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_EXCLUDE,
    )
    return found


def _settle(tab) -> None:
    wait_for_app(tab)
    tab.wait_for_timeout(1500)  # charts and fonts draw after the script run ends


def _present(tab, url: str, meeting_id: str) -> None:
    tab.goto(f"{url}/bijeenkomst?bijeenkomst={meeting_id}")
    wait_for_app(tab)
    resume = tab.get_by_role("button", name="Verder presenteren")
    resume.click()
    resume.wait_for(state="detached", timeout=60_000)  # the preparation has made way for the projector
    _settle(tab)


def _check_room_text(tab, name: str) -> dict:
    OUTPUT.mkdir(exist_ok=True)
    tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    tab.wait_for_timeout(300)
    tab.screenshot(path=str(OUTPUT / f"{name}-1920x1080.png"), full_page=True)
    texts = tab.evaluate(TEXT_PROBE)
    small = [t for t in texts if t["size"] < BODY_PX]
    cut = [t for t in texts if t["cut"]]
    shown = " ".join(t["text"] for t in texts)  # every visible text, icon ligatures left out
    codes = KEY_OR_CODE.findall(_outside_parentheses(shown))
    assert not small, small[:5]
    assert not cut, cut[:5]
    assert not codes, codes
    return {"smallest": min(t["size"] for t in texts), "elements": len(texts)}


MAP_FRAME = "iframe[title='app_state.wijkbeeld_map']"


def _check_room_map(tab) -> None:
    """The situation map on the projector: drawn, the area named in a legend of at least 20 px, names
    on the map larger than on a desk screen, each on a halo."""
    frame = tab.frame_locator(MAP_FRAME)
    frame.locator("body[data-ready].wb-projector").wait_for(timeout=60_000)
    legend = frame.locator(".wb-legend-row").first
    assert legend.inner_text().strip() == "Twekkelerveld"
    assert legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20
    names = frame.locator(".wb-label")
    names.first.wait_for()
    sizes = names.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) >= 5 and min(sizes) >= 19, sizes  # 13 px and 15 px names, 1.5 times
    assert names.first.evaluate("e => getComputedStyle(e).textShadow") != "none"


def test_meeting_mode_reads_from_the_back_of_the_room(room):
    url, tab, meeting_id, outside = room
    _present(tab, url, meeting_id)
    assert tab.get_by_role("heading", name="De situatie").is_visible()
    _check_room_map(tab)
    situation = _check_room_text(tab, "meeting-situatie")
    assert "€ " in tab.locator('[data-testid="stMain"]').inner_text()  # WOZ in euros, not "x € 1.000"
    violations = _axe(tab)
    for step in ("Prioriteiten", "Scenario's"):
        tab.get_by_role("button", name="Volgende ▶").click()
        tab.get_by_role("heading", name=step, exact=True).wait_for(timeout=60_000)
        _settle(tab)
    shown = tab.locator('[data-testid="stMain"]').inner_text()
    assert "500 nieuwe woningen in Twekkelerveld" in shown and "(2023) (2023)" not in shown
    scenarios = _check_room_text(tab, "meeting-scenarios")
    violations += _axe(tab)
    print(f"meeting mode: smallest text {situation['smallest']} px / {scenarios['smallest']} px")
    assert not violations, violations
    assert not outside, outside  # nothing asked of another machine (page icon, fonts, tiles)


def test_charts_use_projector_text_and_every_page_passes_axe(room):
    url, tab, _meeting_id, outside = room
    tab.goto(f"{url}/profiel?gebied={TWEKKELERVELD}")
    _settle(tab)
    tab.get_by_role("tab", name=re.compile("Positie|Position")).click()
    tab.wait_for_selector(".vega-embed")
    tab.wait_for_timeout(1500)
    sizes = tab.evaluate(
        """() => [...document.querySelectorAll('.vega-embed svg text')]
                 .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize))"""
    )
    assert sizes and min(sizes) >= CHART_PX, sorted(sizes)[:5]
    cut = [t for t in tab.evaluate(TEXT_PROBE) if t["cut"]]
    assert not cut, cut[:5]
    tab.screenshot(path=str(OUTPUT / "profile-position-1920x1080.png"), full_page=True)
    print(f"chart text: smallest {min(sizes)} px over {len(sizes)} labels")
    problems, uploaders = {}, []
    for _path, _title, _icon, slug in app_state.PAGES:
        tab.goto(f"{url}/{slug}")
        _settle(tab)
        found = _axe(tab)
        if found:
            problems[slug] = found
        # a file uploader: not Streamlit's "5MB per file" under a label that states the real limit
        for box in tab.locator('[data-testid="stFileUploader"]').all():
            shown = box.inner_text()
            uploaders.append(slug)
            assert "hoogstens" in shown and "per file" not in shown, (slug, shown)
    assert {"eigen-gegevens", "scenarios"} <= set(uploaders), uploaders
    # On a phone the profile's key-figure tables are wider than the page: each scrolls in a box of its
    # own, which a keyboard can reach and scroll (axe: scrollable-region-focusable).
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(f"{url}/profiel?gebied={TWEKKELERVELD}")
    _settle(tab)
    boxes = tab.locator(".wb-table[role=region]")
    wide = [i for i in range(boxes.count()) if boxes.nth(i).evaluate("e => e.scrollWidth > e.clientWidth + 1")]
    assert wide, "no key-figure table is wider than a phone: the check below would test nothing"
    box = boxes.nth(wide[0])
    assert box.get_attribute("aria-label")
    box.focus()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_timeout(300)
    assert box.evaluate("e => e.scrollLeft") > 0  # the keyboard scrolls the table
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390  # the page itself does not
    found = _axe(tab)
    if found:
        problems["profiel (390 px)"] = found
    tab.screenshot(path=str(OUTPUT / "profile-figures-390x844.png"))
    tab.set_viewport_size({"width": 1920, "height": 1080})
    (OUTPUT / "axe-per-page.json").write_text(json.dumps(problems, indent=1, ensure_ascii=False))
    assert not problems, problems
    assert not outside, outside
