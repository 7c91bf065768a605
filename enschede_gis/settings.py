"""Settings in one place, each with the reason it exists."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository; the embedded snapshot lives under it.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: The embedded snapshot the app runs on offline. Overridable so tests and the refresh command can
#: point at a temporary copy without touching the committed one.
DATA_DIR = Path(os.environ.get("WIJKBEELD_DATA_DIR", REPO_ROOT / "data"))

#: Where user-made state (custom areas, uploads, meetings, input) is kept; outside `data/` so a
#: snapshot refresh never touches it.
STATE_DIR = Path(os.environ.get("WIJKBEELD_STATE_DIR", REPO_ROOT / "state"))

#: The gemeente the app opens on; nothing else assumes Enschede.
DEFAULT_GEMEENTE = "GM0153"

#: RD New, the Dutch national grid in metres: all geometry work (areas, simplification) happens here.
CRS_RD = "EPSG:28992"
#: What Leaflet draws in.
CRS_WEB = "EPSG:4326"

#: CBS and PDOK publish under CC BY 4.0 and ask for this credit wherever figures are shown.
ATTRIBUTION = "Bron: CBS, Kadaster/PDOK — CC BY 4.0; gezondheid: RIVM/GGD'en/CBS (50090NED)"

#: An online background map is optional: by default the map works fully offline on its own outlines.
#: A gemeente may configure its tile service here (a Leaflet URL template), e.g. PDOK's
#: BRT-Achtergrondkaart "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png";
#: then the map opens with it and credits it (only once tiles have loaded).
TILE_URL = os.environ.get("WIJKBEELD_TILE_URL", "").strip()
TILE_ATTRIBUTION = os.environ.get("WIJKBEELD_TILE_ATTRIBUTION", "Achtergrondkaart: Kadaster/PDOK (CC BY 4.0)").strip()

#: Moderation clean-ups write a full export (residents' pins and facts included) to state/exports
#: before deleting hidden input, as a safety net; it is kept this many days, then deleted, so
#: personal input does not stay on disk forever (AVG: no longer than needed).
EXPORT_RETENTION_DAYS = int(os.environ.get("WIJKBEELD_EXPORT_RETENTION_DAYS", "30"))

#: Live requests must not hang a meeting: cbsodata and requests have no default timeout.
HTTP_TIMEOUT_S = float(os.environ.get("WIJKBEELD_HTTP_TIMEOUT", "30"))

#: Kerncijfers wijken en buurten table ids by year (CBS StatLine, OData v3).
KWB_TABLES: dict[int, str] = {
    2015: "83220NED",
    2016: "83487NED",
    2017: "83765NED",
    2018: "84286NED",
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
    2025: "86165NED",
}

#: Years for which PDOK serves the CBS wijk- en buurtkaart as an OGC API of its own.
PDOK_OGC_YEARS = (2023, 2024, 2025)
PDOK_OGC_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"

#: Geometry sent to the browser is simplified to this tolerance (metres, RD New): well below what a
#: buurt map at city scale can show, and it cuts the payload several-fold.
SIMPLIFY_TOLERANCE_M = 8.0
#: Coordinates sent to the browser are rounded to this many decimals (1e-5 degrees is about 1 m).
COORD_DECIMALS = 5

#: The 14 gemeenten of Twente, for the regional comparison.
TWENTE = (
    "GM0141",
    "GM0147",
    "GM0153",
    "GM0158",
    "GM0163",
    "GM0164",
    "GM0168",
    "GM0173",
    "GM0183",
    "GM0189",
    "GM1700",
    "GM1735",
    "GM1742",
    "GM1774",
)

#: A request from the laptop itself (loopback) gets the area team's rights without signing in, so
#: ``./dev run`` works with no set-up. Behind a reverse proxy every request looks local: set
#: ``WIJKBEELD_TRUST_LOCAL=0`` there (see the README's deployment section).
TRUST_LOCAL = os.environ.get("WIJKBEELD_TRUST_LOCAL", "1").strip().lower() not in {"0", "false", "no", "off"}
