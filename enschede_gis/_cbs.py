"""Live CBS figures: Kerncijfers wijken en buurten for one gemeente and year, through ``cbsodata``.

A small, replaceable adapter around the OData v3 feed (``cbsodata`` 1.3). CBS will switch that feed off
some months after the move to OData4 (``datasets.cbs.nl``); only this module then needs rewriting: it
returns the canonical long table of :mod:`enschede_gis.statistics` and a region list, nothing
v3-specific.

What ``cbsodata.get_data`` does (1.3.5, read from its source): GET ``<scheme>://<catalog_url>/ODataFeed/
odata/<table>/`` for the list of entity sets, then every set except ``UntypedDataSet`` (its ``typed``
flag is inverted, so the default downloads the TypedDataSet), following ``odata.nextLink``; the
``$filter`` goes to the data set only. Extra keyword arguments go to ``requests`` (there is no default
timeout). Afterwards it replaces dimension codes by their titles, so ``WijkenEnBuurten`` holds the
region *name*; ``Codering_3`` keeps the code, right-padded to 10 characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import cbsodata
import pandas as pd
import requests

from enschede_gis import settings
from enschede_gis import statistics as st
from enschede_gis.errors import InputError, SourceError
from enschede_gis.indicators import Catalogue
from enschede_gis.provenance import belongs_to

#: Host of the CBS OData v3 catalogue, as ``cbsodata`` wants it (no scheme). Tests point it at a local
#: server; ``cbsodata.options.use_https`` decides the scheme.
CATALOG_URL = "opendata.cbs.nl"

CODE_COLUMN = "Codering_3"  # the region code; WijkenEnBuurten comes back as the region's name
NAME_COLUMN = "WijkenEnBuurten"
_GEMEENTE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class CbsFigures:
    """What one fetch brought back: long figures, the regions they describe, and where from."""

    statistics: pd.DataFrame  # columns of statistics.COLUMNS
    regions: pd.DataFrame  # code, name, level, wijkcode, gemeentecode
    table: str
    url: str
    source: str


def check_gemeente(code: str) -> str:
    """A CBS gemeente code (``GM`` + 4 digits), upper-cased; anything else is an :class:`InputError`."""
    cleaned = str(code).strip().upper()
    if not _GEMEENTE.match(cleaned):
        raise InputError(
            f"'{plain(code)}' is geen geldige gemeentecode: gebruik GM gevolgd door vier cijfers, bijvoorbeeld GM0153.",
            en=f"'{plain(code)}' is not a valid gemeente code: use GM followed by four digits, for example GM0153.",
        )
    return cleaned


def table_for(year: int) -> str:
    """The Kerncijfers wijken en buurten table id of a year, from :data:`settings.KWB_TABLES`."""
    try:
        return settings.KWB_TABLES[int(year)]
    except (KeyError, TypeError, ValueError):
        known = ", ".join(str(y) for y in sorted(settings.KWB_TABLES))
        raise InputError(
            f"Voor het jaar {plain(year)} is geen CBS-tabel Kerncijfers wijken en buurten bekend (wel: {known}).",
            en=f"No CBS table Kerncijfers wijken en buurten is known for the year {plain(year)} (known: {known}).",
        ) from None


def table_url(table: str) -> str:
    """The table's feed address (for messages and the manifest), as cbsodata builds it."""
    scheme = "https" if cbsodata.options.use_https else "http"
    return f"{scheme}://{CATALOG_URL}/ODataFeed/odata/{table}/"


def region_filter(gemeente: str) -> str:
    """OData filter for the gemeente, its wijken and buurten (``substringof`` would match BU0599**0153**)."""
    number = gemeente[2:]
    return " or ".join(f"startswith(WijkenEnBuurten,'{prefix}{number}')" for prefix in ("GM", "WK", "BU"))


def fetch(gemeente: str, year: int, *, catalogue: Catalogue, timeout: float | None = None) -> CbsFigures:
    """Kerncijfers wijken en buurten of one gemeente (gemeente, wijken, buurten) for one year.

    Keys are matched to the catalogue with their numeric suffix stripped, CBS sentinels and empty cells
    become NaN, and ratios whose counts are published are derived (marked in ``source``).
    Every failure is a :class:`SourceError` or :class:`InputError` naming table, year and gemeente.
    """
    gemeente = check_gemeente(gemeente)
    table = table_for(year)
    source = f"CBS StatLine {table} (Kerncijfers wijken en buurten {int(year)})"
    rows = _download(table, gemeente, timeout=settings.HTTP_TIMEOUT_S if timeout is None else timeout)
    frame = _frame(rows, table=table, gemeente=gemeente)
    columns = st.source_columns(catalogue, frame.columns, "cbs")
    if not columns:
        raise SourceError(
            f"CBS-tabel {table} ({int(year)}) heeft geen enkele bekende kolom (zoals AantalInwoners_5); "
            "de tabel heeft een onverwachte vorm.",
            en=f"CBS table {table} ({int(year)}) has none of the known columns (such as AantalInwoners_5); "
            "the table has an unexpected shape.",
        )
    long = st.to_long(frame, code_column=CODE_COLUMN, year=int(year), source=source, columns=columns)
    long = long.drop_duplicates(["code", "year", "indicator"], keep="first")
    long = st.derive_missing(long, catalogue).sort_values(["level", "code", "indicator"], ignore_index=True)
    for col in ("code", "level", "indicator", "source"):
        long[col] = long[col].astype("string")
    return CbsFigures(
        statistics=long, regions=_regions(frame, gemeente), table=table, url=table_url(table), source=source
    )


def _download(table: str, gemeente: str, *, timeout: float) -> list[dict]:
    """The TypedDataSet rows through ``cbsodata.get_data``; every failure becomes one clear error."""
    url = table_url(table)
    where = f"CBS-tabel {table} ({url})"
    where_en = f"CBS table {table} ({url})"
    try:
        return cbsodata.get_data(table, filters=region_filter(gemeente), catalog_url=CATALOG_URL, timeout=timeout)
    except requests.Timeout as exc:
        raise SourceError(
            f"{where} antwoordde niet binnen {timeout:g} seconden ({_failed_url(exc)}).",
            en=f"{where_en} did not answer within {timeout:g} seconds ({_failed_url(exc, 'en')}).",
        ) from None
    except requests.HTTPError as exc:
        status = _status(exc)
        raise SourceError(
            f"{where} gaf een foutmelding (HTTP {status}) bij {_failed_url(exc)}.",
            en=f"{where_en} returned an error (HTTP {status}) at {_failed_url(exc, 'en')}.",
        ) from None
    except requests.ConnectionError as exc:
        raise SourceError(
            f"{where} is niet bereikbaar ({_failed_url(exc)}): controleer de internetverbinding.",
            en=f"{where_en} cannot be reached ({_failed_url(exc, 'en')}): check the internet connection.",
        ) from None
    except requests.RequestException as exc:
        raise SourceError(
            f"{where} kon niet worden opgehaald ({type(exc).__name__}).",
            en=f"{where_en} could not be fetched ({type(exc).__name__}).",
        ) from None
    except json.JSONDecodeError:
        raise SourceError(
            f"{where} gaf geen geldige JSON terug.", en=f"{where_en} did not return valid JSON."
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(
            f"{where} gaf een antwoord met een onverwachte vorm ({type(exc).__name__}: {exc}).",
            en=f"{where_en} returned an answer with an unexpected shape ({type(exc).__name__}: {exc}).",
        ) from None


def _frame(rows: object, *, table: str, gemeente: str) -> pd.DataFrame:
    """The downloaded rows as a frame, checked: a code column, and the gemeente itself among them."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise SourceError(
            f"CBS-tabel {table} gaf een antwoord met een onverwachte vorm (geen lijst met rijen).",
            en=f"CBS table {table} returned an answer with an unexpected shape (not a list of rows).",
        )
    frame = pd.DataFrame(rows)
    missing = InputError(
        f"CBS-tabel {table} heeft geen cijfers voor gemeente {gemeente}: controleer de gemeentecode.",
        en=f"CBS table {table} has no figures for gemeente {gemeente}: check the gemeente code.",
    )
    if frame.empty:
        raise missing
    if CODE_COLUMN not in frame.columns:
        raise SourceError(
            f"CBS-tabel {table} gaf rijen zonder de kolom {CODE_COLUMN}: onverwachte vorm.",
            en=f"CBS table {table} returned rows without the column {CODE_COLUMN}: unexpected shape.",
        )
    codes = frame[CODE_COLUMN].astype("string").str.strip()
    frame = frame.assign(**{CODE_COLUMN: codes})
    frame = frame[belongs_to(codes, gemeente).to_numpy()]
    if not (frame[CODE_COLUMN] == gemeente).any():
        raise missing
    return frame.reset_index(drop=True)


def _regions(frame: pd.DataFrame, gemeente: str) -> pd.DataFrame:
    codes = frame[CODE_COLUMN].astype("string")
    names = frame[NAME_COLUMN].astype("string").str.strip() if NAME_COLUMN in frame else codes
    regions = pd.DataFrame({"code": codes.to_numpy(), "name": names.to_numpy()})
    regions["level"] = regions["code"].map(st.level_of)
    regions["wijkcode"] = [
        f"WK{code[2:8]}" if level == "buurt" else code if level == "wijk" else None
        for code, level in zip(regions["code"], regions["level"], strict=True)
    ]
    regions["gemeentecode"] = gemeente
    return regions.astype("string")


def _status(exc: requests.HTTPError) -> str:
    # cbsodata re-raises a new HTTPError without the response; the original is its __cause__.
    for err in (exc, exc.__cause__):
        response = getattr(err, "response", None)
        if response is not None:
            return str(response.status_code)
    found = re.search(r"\b([45]\d\d)\b", str(exc))
    return found.group(1) if found else "?"


def _failed_url(exc: BaseException, lang: str = "nl") -> str:
    for err in (exc, exc.__cause__):
        request = getattr(err, "request", None)
        if request is not None and getattr(request, "url", None):
            return without_query(request.url)
    return "unknown address" if lang == "en" else "onbekend adres"


def without_query(url: str) -> str:
    """A URL without its query string: the ``$`` in OData parameters would read as maths in Markdown."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def plain(value: object, limit: int = 20) -> str:
    """User input made safe to repeat in a Markdown message: letters, digits and a few marks, shortened."""
    text = re.sub(r"[^0-9A-Za-z .\-]", "", str(value))
    return text[:limit] + ("…" if len(text) > limit else "")
