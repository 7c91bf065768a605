"""Map explorer: colour the wijken or buurten by any CBS figure; click an area for its key figures.

The view (level, figure, year, selected area, colouring) lives in the URL, so a link reopens it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import figures, formatting, maps, webmap
from views._map_options import map_options

LEVELS = ["wijk", "buurt"]
CUSTOM = "custom"  # the stored custom areas, as a level of their own
MAP_KEY = "kaart_map"
MAP_HEIGHT = 600


@st.cache_data(show_spinner=False)
def _years_of(level: str, gemeente: str, catalogue_keys: tuple[str, ...], version: str) -> dict[str, list[int]]:
    """Indicator -> years with data at this level (read from the long table, nothing aggregated)."""
    return maps.indicator_years(ui.data().statistics, ui.catalogue(), level=level, gemeente=gemeente)


@st.cache_data(show_spinner=False)
def _table(
    level: str, year: int, gemeente: str, catalogue_keys: tuple[str, ...], version: str, areas: tuple = ()
) -> pd.DataFrame:
    """Figures of every area of a level in one year (wijk and custom-area figures may be aggregated)."""
    if level == CUSTOM:
        groups = {key: list(codes) for key, _name, codes in areas}
        return figures.groups_table(ui.data(), ui.catalogue(), year=year, groups=groups, gemeente=gemeente)
    return figures.level_table(ui.data(), ui.catalogue(), year=year, level=level, gemeente=gemeente)


@st.cache_data(show_spinner=False)
def _references(year: int, gemeente: str, catalogue_keys: tuple[str, ...], version: str) -> pd.DataFrame:
    return figures.references(ui.data(), ui.catalogue(), year=year, gemeente=gemeente)


@st.cache_data(show_spinner=False)
def _sources(year: int, level: str, lang: str, version: str) -> dict[str, str]:
    return maps.sources_by_indicator(ui.data().statistics, year=year, level=level, lang=lang)


def _pick(key: str, options: list, param_value: object) -> None:
    """Start a widget from the URL and keep its value valid when its options change; a URL value
    the page does not have is said (ui.url_not_followed), not silently replaced."""
    if key not in st.session_state and param_value in options:
        st.session_state[key] = param_value
    elif key not in st.session_state and param_value is not None and options:
        ui.url_not_followed(param_value)
    if options and st.session_state.get(key) not in options:
        st.session_state[key] = options[0]


lang = ui.lang()
gemeente = ui.gemeente()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    gemeente_name = snap.names().get(gemeente, gemeente)

st.title(ui.t("kaart.title"))
st.caption(ui.t("kaart.intro", gemeente=ui.escape(gemeente_name)))

# ---- choices (each starts from the URL) -----------------------------------------------------------
controls = st.columns([1.1, 3, 1])
custom_areas = tuple((a.key, a.label, tuple(a.codes)) for a in ui.selectable_areas() if a.kind == CUSTOM)
levels = LEVELS + ([CUSTOM] if custom_areas else [])
_pick("kaart_level", levels, ui.param("niveau", "buurt"))
level = controls[0].radio(
    ui.t("common.level"), levels, format_func=ui.labeller("level"), key="kaart_level", horizontal=True
)
keys = tuple(catalogue.indicators)
version = ui.data_version()  # the cached tables below include uploaded own data
with ui.user_errors():
    years_of = _years_of(level, gemeente, keys, version)
    asset = ui.map_asset(level, custom_areas if level == CUSTOM else ())
options = [ind.key for inds in catalogue.by_theme(list(years_of)).values() for ind in inds]
if not options:
    st.warning(ui.t("kaart.no_data", level=ui.t(f"level.{level}")))
    st.stop()
_pick("kaart_indicator", options, ui.param("indicator", maps.DEFAULT_INDICATOR))
key = controls[1].selectbox(
    ui.t("kaart.indicator"),
    options,
    format_func=lambda k: f"{catalogue.theme_label(catalogue[k].theme, lang)} › {catalogue[k].label(lang)}",
    key="kaart_indicator",
)
indicator = catalogue[key]
year_options = list(reversed(years_of[key]))
param_year = ui.param("jaar")
_pick("kaart_year", year_options, int(param_year) if param_year and param_year.isdigit() else None)
year = controls[2].selectbox(ui.t("common.year"), year_options, key="kaart_year")

view_options = map_options(gemeente_name)
method, k, relative, scheme = view_options.method, view_options.k, view_options.relative, view_options.scheme


# ---- the map and the side panel: a fragment, so a click reruns only this part ---------------------
def _level_table(y: int) -> pd.DataFrame:
    return _table(level, y, gemeente, keys, version, custom_areas if level == CUSTOM else ())


def _reference_row(y: int) -> pd.Series:
    found = _references(y, gemeente, keys, version)
    return found.loc[gemeente_name] if gemeente_name in found.index else pd.Series(dtype=float)


with ui.user_errors():
    table = _level_table(year)
    ref_row = _reference_row(year)
all_years = sorted({y for found in years_of.values() for y in found})
map_year = year
latest = None
if year == year_options[0]:  # the default: each area at the latest year that has this figure
    latest = figures.latest_by_area(_level_table, key, year_options)
    table = table.assign(**{key: latest["value"].reindex(table.index)})
    map_year = figures.years_label(latest["year"], dict(zip(asset.codes, asset.names, strict=False)), lang)
reference = None
if relative:
    reference = maps.reference_for(
        indicator,
        gemeente_name=gemeente_name,
        gemeente_value=float(ref_row.get(key, float("nan"))),
        area_values=table[key],
        level=level,
        lang=lang,
    )
    if reference is None:
        st.info(ui.t("kaart.no_reference", gemeente=ui.escape(gemeente_name), year=year))
# Custom areas are made of buurten: their figures come from the buurt tables.
source_level = "buurt" if level == CUSTOM else level
sources = _sources(year, source_level, lang, version)
ui.set_params(
    niveau=level,
    indicator=key,
    jaar=year,
    klassen=None if method == "quantiles" else method,
    modus="relatief" if relative else None,
    kleuren=None if scheme in (maps.SEQUENTIAL_SCHEMES[0], maps.DIVERGING_SCHEMES[0]) else scheme,
)


def _selected(codes: set[str]) -> str | None:
    """The area clicked since the last run, else the one in the URL (a buurt in a wijk map: its wijk)."""
    asked = ui.new_click(MAP_KEY, codes) or ui.param("gebied")
    selected = maps.on_map(asked, codes, level=level, buurten=snap.boundaries["buurt"])
    if asked and selected is None and not st.session_state.get("_kaart_url_area_checked"):
        ui.url_not_followed(asked)  # the link's own area, not one left behind by a level switch
    st.session_state["_kaart_url_area_checked"] = True
    return selected


@st.fragment
def map_and_panel() -> None:
    selected = _selected(set(asset.codes))
    ui.set_params(gebied=selected)
    view = webmap.view_args(
        asset,
        table[key],
        indicator=indicator,
        year=map_year,
        source=sources.get(key, ""),
        lang=lang,
        method=method,
        k=k,
        scheme=scheme,
        reference=reference,
        selected=selected,
        outlines=view_options.outlines,
        labels=view_options.labels,
        tiles=view_options.tiles,
    )
    left, right = st.columns([1.9, 1.1])
    with left:
        ui.area_map(view, key=MAP_KEY, height=MAP_HEIGHT)
    with right:
        _panel(selected)


def _panel(selected: str | None) -> None:
    if selected is None:
        st.info(ui.t("kaart.panel.pick"))
        return
    area_name = str(table_names.get(selected, selected))
    st.subheader(ui.escape(area_name))
    st.caption(f"{ui.t(f'level.{level}')} ({selected})")
    value_year = year if latest is None or pd.isna(latest["year"].get(selected)) else int(latest["year"][selected])
    st.metric(
        f"{ui.escape(formatting.tile_label(indicator, lang))}, {value_year}",
        formatting.tile_value(indicator, table.loc[selected, key], lang),
    )
    reference_row = ref_row if value_year == year else _reference_row(value_year)
    st.caption(f"{ui.escape(gemeente_name)}: {indicator.format(reference_row.get(key), lang)}")
    if latest is None:  # one year chosen: a cross-section
        rows = maps.panel_rows(table.loc[selected], ref_row, catalogue, year=year, sources=sources, lang=lang)
    else:  # the default: each figure at the latest year this area has it, the reference from that year
        rows = maps.latest_panel_rows(
            selected,
            {y: _level_table(y) for y in all_years},
            {y: _reference_row(y) for y in all_years},
            catalogue,
            sources={y: _sources(y, source_level, lang, version) for y in all_years},
            lang=lang,
        )
    frame = maps.panel_table(rows, area=area_name, reference=gemeente_name, lang=lang)
    st.dataframe(frame, hide_index=True, width="stretch", height=MAP_HEIGHT - 200)
    ref_sources = _sources(year, "gemeente", lang, version)
    st.caption(
        ui.t(
            "kaart.panel.year_source",
            year=year,
            gemeente=ui.escape(gemeente_name),
            source=ui.escape(ref_sources.get(key, "?")),
        )
    )


# Outside the fragment: what depends only on the figure, so a click does not send it again.
source_col, explain_col = st.columns([6, 1])
source_col.caption(ui.t("kaart.source_year", source=ui.escape(sources.get(key, "?")), year=year))
with explain_col:  # the mapped figure first, then every other figure the panel can show
    explained = [indicator] + [catalogue[k] for k in options if k != key]
    ui.explain_picker(explained, level=source_level, key="kaart_explain_panel")
table_names = dict(zip(asset.codes, asset.names, strict=True))
map_and_panel()
