"""Own data: upload a CSV or Excel file keyed by buurtcode or wijkcode, describe its columns, import it whole."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import db, profile, uploads
from enschede_gis.boundaries import for_gemeente
from enschede_gis.errors import WijkbeeldError
from enschede_gis.uploads import ColumnSpec, UploadError

KINDS = ("count", "percentage", "average")
DIRECTIONS = ("neutral", "higher_worse", "higher_better")


def _show_problems(exc: UploadError) -> None:
    """The refusal in the UI language, and every problem by row and column in a table."""
    st.error(ui.t("eigen.refused", count=len(exc.problems)))
    st.markdown(f"**{ui.t('eigen.problems')}**")
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("eigen.col_row"): [str(p.row) if p.row is not None else "" for p in exc.problems],
                ui.t("eigen.col_column"): [p.column or "" for p in exc.problems],
                ui.t("eigen.col_problem"): exc.messages(ui.lang()),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _column_specs(layout: uploads.Layout) -> list[ColumnSpec]:
    specs = []
    for column in layout.value_columns:
        use = st.checkbox(ui.t("eigen.use_column", column=column), value=True, key=f"eigen_use_{column}")
        cols = st.columns([3, 2, 3, 3])
        name = cols[0].text_input(ui.t("eigen.name"), value=column[:80], max_chars=80, key=f"eigen_name_{column}")
        unit = cols[1].text_input(ui.t("eigen.unit"), max_chars=30, key=f"eigen_unit_{column}")
        kind = cols[2].selectbox(
            ui.t("eigen.kind"), KINDS, format_func=ui.labeller("eigen.kind"), key=f"eigen_kind_{column}"
        )
        direction = cols[3].selectbox(
            ui.t("eigen.direction"),
            DIRECTIONS,
            format_func=ui.labeller("eigen.direction"),
            key=f"eigen_direction_{column}",
        )
        if use:
            label = name.strip() or column[:80]
            specs.append(uploads.column_spec(column=column, name=label, unit=unit, kind=kind, direction=direction))
    return specs


def _number_formats(frame: pd.DataFrame, layout: uploads.Layout) -> None:
    """Say how the numbers will be read, before anything is saved."""
    formats = uploads.number_formats(frame, layout.value_columns)
    lines = []
    for column, convention in formats.items():
        unsettled = convention is None and uploads.has_ambiguous(frame, column)
        key = convention or ("unsettled" if unsettled else "none")
        lines.append(ui.t(f"eigen.numbers.{key}", column=ui.escape(column)))
    st.caption("  \n".join(lines))


st.title(ui.t("eigen.title"))
st.caption(ui.t("eigen.intro"))
flash = st.session_state.pop("eigen_flash", None)
if flash:
    st.success(flash)

snap = ui.data()
with ui.user_errors():
    known = set(for_gemeente(snap, "buurt", ui.gemeente())["code"]) | set(
        for_gemeente(snap, "wijk", ui.gemeente())["code"]
    )
    eng = db.engine()
    stored = uploads.load_datasets(eng)

upload_version = st.session_state.get("eigen_upload_version", 0)
upload = st.file_uploader(ui.t("eigen.file"), type=["csv", "txt", "xlsx"], key=f"eigen_file_{upload_version}")

if upload is not None:
    try:
        frame = uploads.read_table(upload.name, upload.getvalue())
        layout = uploads.inspect(frame)
    except UploadError as exc:
        _show_problems(exc)
        st.stop()
    level = ui.t(f"level.{layout.level}")
    st.info(ui.t("eigen.found", rows=len(frame), column=ui.escape(layout.code_column), level=level))
    st.dataframe(frame.head(10).astype(str).where(frame.head(10).notna(), ""), hide_index=True)
    _number_formats(frame, layout)
    years = profile.area_years(snap, profile.Area("x", "x", "buurt", ()))
    with st.form(f"eigen_form_{upload_version}"):
        source = st.text_input(ui.t("eigen.source"), max_chars=uploads.MAX_SOURCE, key="eigen_source")
        year = st.selectbox(ui.t("eigen.year"), years, index=len(years) - 1, key="eigen_year")
        try:
            specs = _column_specs(layout)
        except UploadError as exc:
            specs = exc
        submitted = st.form_submit_button(ui.t("eigen.import"), type="primary")
    if submitted:
        try:
            if isinstance(specs, UploadError):
                raise specs
            dataset = uploads.validate(
                frame,
                layout,
                specs,
                known_codes=known,
                source=source,
                year=year,
                file_name=upload.name,
                existing=stored,
            )
            dataset = uploads.save_dataset(eng, dataset, actor=ui.actor())
        except UploadError as exc:
            _show_problems(exc)
            st.stop()
        except WijkbeeldError as exc:  # e.g. not allowed for this role
            st.error(ui.error_text(exc))
            st.stop()
        st.session_state["eigen_flash"] = ui.t(
            "eigen.imported", count=len(dataset.indicators), file=ui.escape(upload.name)
        )
        st.session_state["eigen_upload_version"] = upload_version + 1
        st.rerun()

st.subheader(ui.t("eigen.stored"))
if not stored:
    st.info(ui.t("eigen.none"))
    st.stop()
st.dataframe(
    pd.DataFrame(
        {
            ui.t("eigen.col_file"): [ds.file_name for ds in stored],
            ui.t("common.source"): [ds.source for ds in stored],
            ui.t("common.year"): [ds.year for ds in stored],
            ui.t("eigen.col_level"): [ui.t(f"level.{ds.level}") for ds in stored],
            ui.t("eigen.col_indicators"): [", ".join(i.name for i in ds.indicators) for ds in stored],
            ui.t("eigen.col_rows"): [len(next(iter(ds.values.values()), {})) for ds in stored],
            ui.t("eigen.col_uploaded"): [ds.uploaded for ds in stored],
        }
    ),
    hide_index=True,
    width="stretch",
)
by_id = {ds.id: ds for ds in stored}
removing = st.selectbox(
    ui.t("eigen.remove_choice"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].file_name} — {by_id[i].source}",
    key="eigen_remove",
)
if st.button(ui.t("eigen.remove"), key="eigen_remove_button"):
    with ui.user_errors():
        uploads.delete_dataset(eng, removing, actor=ui.actor())
    st.session_state["eigen_flash"] = ui.t("eigen.removed", file=ui.escape(by_id[removing].file_name))
    st.rerun()
