import numpy as np
import pandas as pd
import pytest

from enschede_gis import statistics as st
from enschede_gis.errors import InputError


def test_sentinels_and_dots_become_missing_never_zero():
    raw = pd.Series([-99999999, -99997, -99995, ".", "   12,5", None, "0", "  .  "], dtype=object)
    out = st.clean_values(raw)
    assert out.isna().tolist() == [True, True, True, True, False, True, False, True]
    assert out[4] == 12.5
    assert out[6] == 0.0


def test_key_suffix_is_stripped_so_years_resolve():
    assert st.strip_key_suffix("GemiddeldeWOZWaardeVanWoningen_39") == "GemiddeldeWOZWaardeVanWoningen"
    assert st.strip_key_suffix("k_0Tot15Jaar_8") == "k_0Tot15Jaar"
    assert st.strip_key_suffix("AantalInwoners") == "AantalInwoners"


def test_source_columns_match_any_suffix(catalogue):
    cols = st.source_columns(
        catalogue, ["AantalInwoners_5", "AantalInwoners_6x", "Bevolkingsdichtheid_34", "ID"], "cbs"
    )
    assert cols == {"AantalInwoners_5": "inwoners", "Bevolkingsdichtheid_34": "bevolkingsdichtheid"}


def test_level_of():
    assert st.level_of("GM0153    ") == "gemeente"
    assert st.level_of("WK015303") == "wijk"
    assert st.level_of("BU01530301") == "buurt"
    with pytest.raises(InputError):
        st.level_of("XX")


def test_to_long_and_derive(catalogue):
    frame = pd.DataFrame(
        {"code": ["BU01530301", "BU01530302"], "AantalInwoners_5": [200, 100], "k_0Tot15Jaar_8": [50, -99999999]}
    )
    long = st.to_long(
        frame, code_column="code", year=2020, source="T", columns=st.source_columns(catalogue, frame.columns, "cbs")
    )
    derived = st.derive_missing(long, catalogue)
    pct = derived[derived["indicator"] == "pct_0_15"].set_index("code")["value"]
    assert pct["BU01530301"] == 25.0
    assert np.isnan(pct["BU01530302"])  # secret count -> missing share, not 0
    assert derived[derived["indicator"] == "pct_0_15"]["source"].str.contains("afgeleid").all()


def test_snapshot_has_the_real_figures(snap):
    stats = snap.statistics
    one = stats[(stats["code"] == "BU01530301") & (stats["year"] == 2021) & (stats["indicator"] == "inwoners")]
    assert one["value"].item() == 4210
    assert st.years(stats) == [2012, 2016, 2020, 2021, 2022, 2023, 2024]  # 2012, 2016: RIVM health only
    # Kennispark is absent from the 2024 buurt file: it must not appear with a value.
    kp = stats[(stats["code"] == "BU01530703") & (stats["year"] == 2024) & (stats["indicator"] == "inwoners")]
    assert kp.empty
    # Suppressed values are present as NaN (published missing), not 0.
    income = stats[
        (stats["year"] == 2023) & (stats["level"] == "buurt") & (stats["indicator"] == "inkomen_per_inwoner")
    ]
    assert income["value"].isna().sum() == 42
    assert (stats["value"] < -99990).sum() == 0


def test_every_figure_has_a_source(snap):
    assert snap.statistics["source"].notna().all()
    assert st.source_of(snap.statistics, indicator="woz_waarde", year=2023, level="buurt").startswith("CBS Kerncijfers")


def test_renamed_cbs_variables_resolve_through_aliases(catalogue):
    cols = st.source_columns(catalogue, ["GemiddeldeWoningwaarde_35", "GemiddeldeWOZWaardeVanWoningen_39"], "cbs")
    assert cols == {"GemiddeldeWoningwaarde_35": "woz_waarde", "GemiddeldeWOZWaardeVanWoningen_39": "woz_waarde"}
