"""Classification: quantiles, equal interval, natural breaks, diverging; NaN and few values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from enschede_gis import classify as cl
from enschede_gis.classify import METHODS, classify, classify_diverging
from enschede_gis.errors import InputError


@pytest.fixture
def values() -> pd.Series:
    return pd.Series([1, 2, 3, np.nan, 5, 6, 7, 8, 9, 10, 100], index=[f"BU{i:02d}" for i in range(11)], dtype=float)


@pytest.mark.parametrize("method", METHODS)
def test_every_value_gets_a_class_and_missing_stays_missing(values, method):
    result = classify(values, method, 5)
    assert result.k == 5
    assert pd.isna(result.classes["BU03"])
    assert result.missing == 1
    assert sum(result.counts) == 10
    assert result.bins[-1] == 100
    assert result.classes["BU10"] == result.k - 1
    assert result.classes["BU00"] == 0
    # a value lies within its class interval
    for code, cls in result.classes.dropna().items():
        lo, hi = result.intervals()[int(cls)]
        assert lo <= values[code] <= hi


def test_quantiles_put_equal_numbers_in_each_class(values):
    assert classify(values, "quantiles", 5).counts == (2, 2, 2, 2, 2)


def test_equal_interval_has_equal_widths(values):
    result = classify(values, "equal_interval", 3)
    widths = [hi - lo for lo, hi in result.intervals()]
    assert widths == pytest.approx([33.0, 33.0, 33.0])


def test_natural_breaks_isolate_the_outlier(values):
    result = classify(values, "natural_breaks", 3)
    assert result.counts[-1] == 1  # 100 alone


@pytest.mark.parametrize("method", METHODS)
def test_few_unique_values_give_fewer_classes_without_warning(method):
    result = classify(pd.Series([0.0, 0.0, 0.0, 1.0, np.nan]), method, 5)
    assert result.bins == (0.0, 1.0)
    assert result.counts == (3, 1)


@pytest.mark.parametrize("method", METHODS)
def test_all_missing_gives_no_classes(method):
    result = classify(pd.Series([np.nan, np.nan]), method, 5)
    assert result.k == 0
    assert result.missing == 2
    assert result.intervals() == []


def test_many_ties_do_not_repeat_bins():
    result = classify(pd.Series([0.0] * 20 + [1, 2, 3, 4, 5, 6]), "quantiles", 5)
    assert list(result.bins) == sorted(set(result.bins))
    assert sum(result.counts) == 26


def test_bad_method_and_k_are_named():
    with pytest.raises(InputError, match="klassenindeling 'jenks'"):
        classify(pd.Series([1.0, 2.0]), "jenks")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="aantal klassen"):
        classify(pd.Series([1.0, 2.0]), "quantiles", 12)


def test_diverging_splits_exactly_at_the_reference(values):
    result = classify_diverging(values, 6.5, "quantiles", 3)
    assert result.k == 6
    assert result.bins[2] == 6.5
    below = values[values < 6.5].index
    above = values[values >= 6.5].index
    assert set(result.classes[below]) <= {0, 1, 2}
    assert set(result.classes[above]) <= {3, 4, 5}
    assert pd.isna(result.classes["BU03"])


def test_diverging_with_everything_below_keeps_upper_classes_empty(values):
    result = classify_diverging(values, 1000.0, "equal_interval", 2)
    assert result.counts[2:] == (0, 0)
    assert sum(result.counts) == 10


def test_diverging_needs_a_known_reference(values):
    with pytest.raises(InputError, match="referentiewaarde"):
        classify_diverging(values, float("nan"))


def test_result_serialises_to_json(values):
    data = json.loads(json.dumps(classify(values, "quantiles", 4).to_dict()))
    assert data["classes"]["BU03"] is None
    assert data["method"] == "quantiles"


@pytest.mark.parametrize("k", [2, 3, 5, 7, 9])
def test_own_quantiles_and_equal_intervals_are_exactly_mapclassify(k):
    import warnings

    import mapclassify

    rng = np.random.default_rng(k)
    samples = [rng.lognormal(7, 1, 70), rng.integers(0, 12, 300).astype(float), rng.normal(size=14_000), np.arange(9.0)]
    for values in samples:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected_q = mapclassify.Quantiles(values, k=k).bins
            expected_e = mapclassify.EqualInterval(values, k=k).bins
        assert np.array_equal(cl.quantile_bins(values, k), expected_q)
        assert np.array_equal(cl.equal_interval_bins(values, k), expected_e)
