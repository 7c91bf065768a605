"""Live boundaries from PDOK's OGC API Features (CBS wijk- en buurtkaart), one gemeente at a time.

``{settings.PDOK_OGC_URL}/collections/{gemeenten|wijken|buurten}/items?gemeentecode=GM0153&limit=1000
&crs=<RD New>&f=json``. The server (PDOK's gokoala) pages with a cursor: every page but the last has a
``links[rel=next]`` whose ``href`` repeats all parameters, so it is followed as it is. Coordinates come
in the CRS named by the ``Content-Crs`` response header (CRS84 when no ``crs`` was asked for). Water
parts of an area are separate features with ``water == "JA"``; only the land parts are kept.

The result goes through :func:`enschede_gis.boundaries.standardise`, so it has exactly the columns of
the embedded snapshot.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import requests

from enschede_gis import boundaries, settings
from enschede_gis._cbs import check_gemeente, plain, without_query
from enschede_gis.errors import InputError, SourceError

COLLECTIONS = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
#: Property names of code and name per level (snake_case, as in the 2021 wijk- en buurtkaart).
CODE_NAME = {
    "gemeente": ("gemeentecode", "gemeentenaam"),
    "wijk": ("wijkcode", "wijknaam"),
    "buurt": ("buurtcode", "buurtnaam"),
}
RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: PDOK's maximum page size; a gemeente has far fewer buurten, but paging is followed regardless.
PAGE_LIMIT = 1000
#: A guard against a server that keeps sending ``next`` links.
MAX_PAGES = 200


def base_url(year: int) -> str:
    """The OGC API of the wijk- en buurtkaart of one year; other years are an :class:`InputError`."""
    if int(year) not in settings.PDOK_OGC_YEARS:
        known = ", ".join(str(y) for y in settings.PDOK_OGC_YEARS)
        raise InputError(
            f"PDOK heeft geen wijk- en buurtkaart als OGC API voor {plain(year)} (wel voor {known}).",
            en=f"PDOK has no wijk- en buurtkaart as an OGC API for {plain(year)} (only for {known}).",
        )
    return settings.PDOK_OGC_URL.format(year=int(year)).rstrip("/")


def items_url(year: int, level: str) -> str:
    return f"{base_url(year)}/collections/{COLLECTIONS[level]}/items"


def fetch_boundaries(gemeente: str, year: int, *, timeout: float | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Gemeente, wijk and buurt outlines of one gemeente, in RD New with the standard columns."""
    gemeente = check_gemeente(gemeente)
    base_url(year)  # an unknown year fails before any request
    with requests.Session() as session:
        return {
            level: fetch_level(gemeente, year, level, session=session, timeout=timeout)
            for level in ("buurt", "wijk", "gemeente")
        }


def fetch_level(
    gemeente: str,
    year: int,
    level: str,
    *,
    session: requests.Session | None = None,
    timeout: float | None = None,
) -> gpd.GeoDataFrame:
    """The land parts of one level's areas in one gemeente, standardised; every failure is one clear error."""
    if level not in COLLECTIONS:
        raise InputError(
            f"Onbekend niveau '{plain(level)}': kies buurt, wijk of gemeente.",
            en=f"Unknown level '{plain(level)}': choose buurt, wijk or gemeente.",
        )
    gemeente = check_gemeente(gemeente)
    url = items_url(year, level)
    params = {"gemeentecode": gemeente, "limit": PAGE_LIMIT, "crs": RD_URI, "f": "json"}
    timeout = settings.HTTP_TIMEOUT_S if timeout is None else timeout
    own = session or requests.Session()
    try:
        pages = _pages(own, url, params, timeout=timeout)
    finally:
        if session is None:
            own.close()
    frame = _combine(pages, url=url, level=level, gemeente=gemeente, year=year)
    return boundaries.standardise(frame, level)


def _pages(session: requests.Session, url: str, params: dict, *, timeout: float) -> list[gpd.GeoDataFrame]:
    """Every page of an items request, each already in RD New."""
    pages, seen, next_url = [], set(), url
    while next_url is not None:
        if next_url in seen or len(pages) >= MAX_PAGES:
            raise SourceError(
                f"PDOK ({without_query(url)}) blijft naar een volgende pagina verwijzen; opgehouden.",
                en=f"PDOK ({without_query(url)}) keeps pointing to a next page; stopped.",
            )
        seen.add(next_url)
        body, crs = _get(session, next_url, params, timeout=timeout)
        pages.append(_page_frame(body, crs, url=url))
        next_url, params = _next_link(body), None
    return pages


def _get(session: requests.Session, url: str, params: dict | None, *, timeout: float) -> tuple[dict, str]:
    where = f"PDOK ({without_query(url)})"
    try:
        response = session.get(url, params=params, timeout=timeout, headers={"Accept": "application/geo+json"})
        response.raise_for_status()
        body = response.json()
    except requests.JSONDecodeError:
        raise SourceError(f"{where} gaf geen geldige JSON terug.", en=f"{where} did not return valid JSON.") from None
    except requests.Timeout:
        raise SourceError(
            f"{where} antwoordde niet binnen {timeout:g} seconden.",
            en=f"{where} did not answer within {timeout:g} seconds.",
        ) from None
    except requests.HTTPError as exc:
        raise SourceError(
            f"{where} gaf een foutmelding (HTTP {exc.response.status_code}).",
            en=f"{where} returned an error (HTTP {exc.response.status_code}).",
        ) from None
    except requests.ConnectionError:
        raise SourceError(
            f"{where} is niet bereikbaar: controleer de internetverbinding.",
            en=f"{where} cannot be reached: check the internet connection.",
        ) from None
    except requests.RequestException as exc:
        raise SourceError(
            f"{where} kon niet worden opgehaald ({type(exc).__name__}).",
            en=f"{where} could not be fetched ({type(exc).__name__}).",
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("features"), list):
        raise SourceError(
            f"{where} gaf geen FeatureCollection met 'features' terug: onverwachte vorm.",
            en=f"{where} did not return a FeatureCollection with 'features': unexpected shape.",
        )
    return body, _crs(response.headers.get("Content-Crs"))


def _crs(header: str | None) -> str:
    """The CRS of a page from its ``Content-Crs`` header (``<uri>``); none means the OGC default CRS84."""
    uri = (header or CRS84_URI).strip().strip("<>").rstrip("/")
    if uri.endswith("/CRS84"):
        return "OGC:CRS84"
    code = uri.rsplit("/", 1)[-1]
    if "/EPSG/" in uri and code.isdigit():
        return f"EPSG:{code}"
    raise SourceError(
        f"PDOK gaf coördinaten in een onbekend stelsel ({plain(uri, 80)}).",
        en=f"PDOK returned coordinates in an unknown reference system ({plain(uri, 80)}).",
    )


def _page_frame(body: dict, crs: str, *, url: str) -> gpd.GeoDataFrame:
    features = body["features"]
    if not features:
        return gpd.GeoDataFrame(geometry=[], crs=settings.CRS_RD)
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(
            f"PDOK ({without_query(url)}) gaf features met een onverwachte vorm ({exc}).",
            en=f"PDOK ({without_query(url)}) returned features with an unexpected shape ({exc}).",
        ) from None
    if frame.geometry.isna().any():
        raise SourceError(
            f"PDOK ({without_query(url)}) gaf features zonder geometrie.",
            en=f"PDOK ({without_query(url)}) returned features without geometry.",
        )
    return frame.to_crs(settings.CRS_RD)


def _next_link(body: dict) -> str | None:
    for link in body.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def _combine(pages: list[gpd.GeoDataFrame], *, url: str, level: str, gemeente: str, year: int) -> gpd.GeoDataFrame:
    """All pages as one frame of this gemeente's land parts, with the standard code and name columns."""
    where = f"PDOK ({without_query(url)})"
    frame = gpd.GeoDataFrame(pd.concat(pages, ignore_index=True), geometry="geometry", crs=settings.CRS_RD)
    if frame.empty:
        raise InputError(
            f"PDOK kent geen {COLLECTIONS[level]} van gemeente {gemeente} in {int(year)}: controleer de gemeentecode.",
            en=f"PDOK has no {COLLECTIONS[level]} of gemeente {gemeente} in {int(year)}: check the gemeente code.",
        )
    code, name = CODE_NAME[level]
    needed = {code, name, "gemeentecode"} | ({"wijkcode"} if level == "buurt" else set())
    missing = needed - set(frame.columns)
    if missing:
        raise SourceError(
            f"{where} gaf features zonder de eigenschappen {sorted(missing)}: onverwachte vorm.",
            en=f"{where} returned features without the properties {sorted(missing)}: unexpected shape.",
        )
    if "water" in frame.columns:
        frame = frame[frame["water"].astype("string").str.strip().str.upper() == "NEE"]
    frame = frame[frame["gemeentecode"].astype("string").str.strip() == gemeente]
    if frame.empty:
        raise InputError(
            f"PDOK kent geen {COLLECTIONS[level]} van gemeente {gemeente} in {int(year)}: controleer de gemeentecode.",
            en=f"PDOK has no {COLLECTIONS[level]} of gemeente {gemeente} in {int(year)}: check the gemeente code.",
        )
    if frame[code].duplicated().any():
        twice = sorted(frame.loc[frame[code].duplicated(), code].astype(str).unique())
        raise SourceError(
            f"{where} gaf {', '.join(twice[:5])} meer dan eens (land): onverwachte vorm.",
            en=f"{where} returned {', '.join(twice[:5])} more than once (land): unexpected shape.",
        )
    renamed = frame.rename(columns={code: "code", name: "name"})
    if level == "wijk":
        renamed["wijkcode"] = renamed["code"]
    for col in ("code", "name", "wijkcode", "gemeentecode"):
        if col in renamed:
            renamed[col] = renamed[col].astype("string").str.strip()
    return renamed
