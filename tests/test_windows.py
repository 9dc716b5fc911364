"""Tests of lstm_lab.windows: windowing, splits, train-only scaling, gaps and bad values."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_lab import windows as w


def seed_create_sequences(data, seq_length):
    """The seeds' function (slide 7), verbatim in behaviour: the reference."""
    sequences = []
    targets = []
    for i in range(len(data) - seq_length):
        sequences.append(data[i:i + seq_length])
        targets.append(data[i + seq_length])
    return np.array(sequences), np.array(targets)


def loop_windows(values, input_width, horizon, target_cols, input_cols):
    """make_windows written as the most direct loop: the reference."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    X, y = [], []
    for i in range(len(values) - input_width - horizon + 1):
        X.append(values[i:i + input_width][:, input_cols])
        y.append(values[i + input_width:i + input_width + horizon][:, target_cols])
    return np.array(X), np.array(y)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def series_and_window(draw):
    n_features = draw(st.integers(1, 4))
    input_width = draw(st.integers(1, 12))
    horizon = draw(st.integers(1, 6))
    length = draw(st.integers(input_width + horizon, input_width + horizon + 40))
    values = draw(arrays(np.float64, (length, n_features), elements=finite))
    target = draw(st.integers(0, n_features - 1))
    return values, input_width, horizon, target


# ----------------------------------------------------------------------------- create_sequences


@settings(max_examples=60, deadline=None)
@given(data=arrays(np.float64, st.integers(2, 60), elements=finite), seq=st.integers(1, 30))
def test_create_sequences_equals_seed_function(data, seq):
    if seq >= len(data):
        with pytest.raises(ValueError, match="seq_length"):
            w.create_sequences(data, seq)
        return
    X, y = w.create_sequences(data, seq)
    X_seed, y_seed = seed_create_sequences(data, seq)
    np.testing.assert_array_equal(X, X_seed)
    np.testing.assert_array_equal(y, y_seed)
    assert X.shape == (len(data) - seq, seq) and y.shape == (len(data) - seq,)


def test_create_sequences_seed_example_and_2d():
    data = np.sin(np.linspace(0, 10, 100))
    X, y = w.create_sequences(data, 10)
    assert X.shape == (90, 10) and y.shape == (90,)
    table = np.arange(30.0).reshape(10, 3)
    X2, y2 = w.create_sequences(table, 4)
    X2_seed, y2_seed = seed_create_sequences(table, 4)
    np.testing.assert_array_equal(X2, X2_seed)
    np.testing.assert_array_equal(y2, y2_seed)
    assert X2.flags.writeable  # a real array, not a read-only view


def test_create_sequences_bad_input():
    with pytest.raises(ValueError, match="seq_length"):
        w.create_sequences(np.arange(5.0), 0)
    with pytest.raises(TypeError, match="seq_length"):
        w.create_sequences(np.arange(5.0), 2.0)
    with pytest.raises(ValueError, match="data"):
        w.create_sequences(3.0, 1)


# ----------------------------------------------------------------------------- make_windows


@settings(max_examples=80, deadline=None)
@given(case=series_and_window())
def test_make_windows_equals_direct_loop(case):
    values, input_width, horizon, target = case
    X, y = w.make_windows(values, input_width, horizon, target=target)
    all_columns = list(range(values.shape[1]))
    X_ref, y_ref = loop_windows(values, input_width, horizon, [target], all_columns)
    n = len(values) - input_width - horizon + 1
    assert X.shape == (n, input_width, values.shape[1])
    assert y.shape == (n, horizon)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref[..., 0])


@settings(max_examples=15, deadline=None)
@given(case=series_and_window())
def test_make_windows_equals_keras_windowing(case):
    keras = pytest.importorskip("keras")
    values, input_width, horizon, target = case
    X, y = w.make_windows(values, input_width, horizon, target=target)
    # Keras pairs the window starting at row i with targets[i] and stops at the last target
    n = len(X)
    targets = np.stack([values[i + input_width:i + input_width + horizon, target]
                        for i in range(n)])
    ds = keras.utils.timeseries_dataset_from_array(values, targets, sequence_length=input_width,
                                                   batch_size=1024)
    X_k, y_k = (np.concatenate(parts) for parts in zip(*[(a.numpy(), b.numpy()) for a, b in ds],
                                                       strict=True))
    np.testing.assert_array_equal(X, X_k)
    np.testing.assert_array_equal(y, y_k)


def test_make_windows_contract_example():
    values = np.arange(20.0).reshape(10, 2)  # column 0: 0, 2, 4, ...; column 1: 1, 3, 5, ...
    X, y = w.make_windows(values, input_width=3, horizon=2)
    assert X.shape == (6, 3, 2) and y.shape == (6, 2)
    np.testing.assert_array_equal(X[1], values[1:4])
    np.testing.assert_array_equal(y[1], values[4:6, 0])
    X1, y1 = w.make_windows(values[:, 0], 3)  # 1-D input
    assert X1.shape == (7, 3, 1) and y1.shape == (7, 1)


def test_make_windows_named_targets_and_inputs():
    frame = pd.DataFrame({"a": np.arange(8.0), "b": 10 + np.arange(8.0), "c": 100 + np.arange(8.0)})
    X, y = w.make_windows(frame, 3, 1, target="b", inputs=["a", "c"])
    assert X.shape == (5, 3, 2) and y.shape == (5, 1)
    np.testing.assert_array_equal(y[:, 0], frame["b"].to_numpy()[3:])
    np.testing.assert_array_equal(X[0], frame[["a", "c"]].to_numpy()[:3])
    X2, y2 = w.make_windows(frame, 3, 2, target=["b", "c"])
    assert y2.shape == (4, 2, 2)
    np.testing.assert_array_equal(y2[0], frame[["b", "c"]].to_numpy()[3:5])
    _, y3 = w.make_windows(frame, 3, 1, target=-1)
    np.testing.assert_array_equal(y3[:, 0], frame["c"].to_numpy()[3:])


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(values=np.array([1.0, np.nan, 3.0, 4.0]), input_width=1), ValueError, "values"),
    (dict(values=np.array([1.0, np.inf, 3.0, 4.0]), input_width=1), ValueError, "values"),
    (dict(values=np.arange(5.0), input_width=5), ValueError, "longer than values"),
    (dict(values=np.arange(5.0), input_width=3, horizon=3), ValueError, "longer than values"),
    (dict(values=np.arange(5.0), input_width=0), ValueError, "input_width"),
    (dict(values=np.arange(5.0), input_width=2, horizon=0), ValueError, "horizon"),
    (dict(values=np.arange(5.0), input_width=2, horizon=-1), ValueError, "horizon"),
    (dict(values=np.zeros((5, 2, 2)), input_width=2), ValueError, "values must be 1-D"),
    (dict(values=np.zeros((5, 0)), input_width=2), ValueError, "values has no columns"),
    (dict(values=["a", "b", "c"], input_width=1), TypeError, "values must be numeric"),
    (dict(values=np.arange(5.0), input_width=2.5), TypeError, "input_width"),
    (dict(values=np.arange(5.0), input_width=True), TypeError, "input_width"),
    (dict(values=np.arange(5.0), input_width=2, horizon=1.0), TypeError, "horizon"),
    (dict(values=np.arange(10.0).reshape(5, 2), input_width=2, target=2), ValueError, "target"),
    (dict(values=np.arange(10.0).reshape(5, 2), input_width=2, target="x"), ValueError, "target"),
    (dict(values=np.arange(10.0).reshape(5, 2), input_width=2, target=[]), ValueError, "target"),
    (dict(values=np.arange(10.0).reshape(5, 2), input_width=2, target=1.5), TypeError, "target"),
    (dict(values=np.arange(10.0).reshape(5, 2), input_width=2, inputs=[5]), ValueError, "inputs"),
])
def test_make_windows_bad_input_names_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        w.make_windows(**kwargs)


# ----------------------------------------------------------------------------- WindowSpec


@pytest.fixture
def frame():
    index = pd.date_range("2024-01-01", periods=60, freq="h")
    rng = np.random.default_rng(0)
    return pd.DataFrame({"temp_c": rng.normal(size=60), "wind_ms": rng.normal(size=60),
                         "hour": index.hour.astype(float)}, index=index)


def test_window_spec_arrays_match_make_windows(frame):
    spec = w.WindowSpec(input_width=6, horizon=3, targets=["temp_c", "wind_ms"],
                        inputs=["temp_c", "hour"])
    X, y = spec.arrays(frame)
    X_ref, y_ref = w.make_windows(frame, 6, 3, target=["temp_c", "wind_ms"],
                                  inputs=["temp_c", "hour"])
    assert X.dtype == np.float32 and X.shape == (52, 6, 2) and y.shape == (52, 3, 2)
    assert spec.n_windows(len(frame)) == 52
    np.testing.assert_allclose(X, X_ref, rtol=1e-6)
    np.testing.assert_allclose(y, y_ref, rtol=1e-6)


def test_window_specs_are_independent(frame):
    """Two specs with other targets/horizons do not affect each other (no hidden state)."""
    one = w.WindowSpec(input_width=4, targets="temp_c")
    two = w.WindowSpec(input_width=4, horizon=5, targets=["wind_ms", "temp_c"])
    _, y1_before = one.arrays(frame)
    _, y2 = two.arrays(frame)
    _, y1_after = one.arrays(frame)
    np.testing.assert_array_equal(y1_before, y1_after)
    assert y1_before.shape == (56, 1, 1) and y2.shape == (52, 5, 2)
    np.testing.assert_allclose(y2[0, :, 0], frame["wind_ms"].to_numpy()[4:9], rtol=1e-6)
    assert one.targets == ("temp_c",)


def test_window_spec_dataset_yields_the_same_windows(frame):
    pytest.importorskip("keras")
    spec = w.WindowSpec(input_width=5, horizon=2, targets=["temp_c", "wind_ms"])
    X, y = spec.arrays(frame)
    ds = spec.dataset(frame, batch_size=16)
    batches = list(ds)
    assert len(batches) == int(np.ceil(len(X) / 16))
    X_ds = np.concatenate([b[0].numpy() for b in batches])
    y_ds = np.concatenate([b[1].numpy() for b in batches])
    np.testing.assert_array_equal(X_ds, X)
    np.testing.assert_array_equal(y_ds, y)
    shuffled = spec.dataset(frame, batch_size=100, shuffle=True, seed=1)
    X_sh = next(iter(shuffled))[0].numpy()
    assert not np.array_equal(X_sh, X)  # another order ...

    def by_content(a):
        return a[np.lexsort(a.reshape(len(a), -1).T)]

    np.testing.assert_array_equal(by_content(X_sh), by_content(X))  # ... of the same windows


def test_window_spec_bad_input(frame):
    with pytest.raises(TypeError, match="targets"):
        w.WindowSpec(input_width=3)  # targets is required
    with pytest.raises(TypeError, match="targets"):
        w.WindowSpec(24)
    with pytest.raises(ValueError, match="targets"):
        w.WindowSpec(input_width=3, targets=())
    with pytest.raises(ValueError, match="input_width"):
        w.WindowSpec(input_width=0, targets="temp_c")
    with pytest.raises(ValueError, match="horizon"):
        w.WindowSpec(input_width=3, horizon=0, targets="temp_c")
    with pytest.raises(ValueError, match="inputs"):
        w.WindowSpec(input_width=3, targets="temp_c", inputs=[1, 2])
    with pytest.raises(TypeError, match="frame"):
        w.WindowSpec(input_width=3, targets="temp_c").arrays(frame.to_numpy())
    with pytest.raises(ValueError, match="target"):
        w.WindowSpec(input_width=3, targets="pressure").arrays(frame)
    with pytest.raises(ValueError, match="longer than values"):
        w.WindowSpec(input_width=60, targets="temp_c").arrays(frame)
    with pytest.raises(ValueError, match="batch_size"):
        w.WindowSpec(input_width=3, targets="temp_c").dataset(frame, batch_size=0)


# ----------------------------------------------------------------------------- splits


@settings(max_examples=60, deadline=None)
@given(n=st.integers(10, 500), train=st.floats(0.1, 0.8), val=st.floats(0.05, 0.3))
def test_chronological_split_is_ordered_disjoint_complete(n, train, val):
    if train + val >= 0.95:
        return
    data = pd.DataFrame({"x": np.arange(n)}, index=pd.date_range("2020", periods=n, freq="D"))
    try:
        parts = w.chronological_split(data, train, val)
    except ValueError as err:  # only for tiny parts
        assert "too few" in str(err)
        return
    assert sum(len(p) for p in parts) == n
    assert parts.train.index.max() < parts.val.index.min()
    assert parts.val.index.max() < parts.test.index.min()
    pd.testing.assert_frame_equal(pd.concat(parts), data)  # nothing shuffled, nothing lost
    assert abs(len(parts.train) - train * n) <= 1


def test_split_by_date():
    data = pd.DataFrame({"x": np.arange(48.0)},
                        index=pd.date_range("2024-01-01", periods=48, freq="h"))
    parts = w.split_by_date(data, "2024-01-01 12:00", "2024-01-02 06:00")
    assert [len(p) for p in parts] == [12, 18, 18]
    assert parts.val.index[0] == pd.Timestamp("2024-01-01 12:00")
    assert parts.train.index[-1] < parts.val.index[0] <= parts.val.index[-1] < parts.test.index[0]
    assert [name for name, _ in parts.items()] == ["train", "val", "test"]
    assert all(frame is part for (_, frame), part in zip(parts.items(), parts, strict=True))


@pytest.mark.parametrize("call, error, match", [
    (lambda d: w.chronological_split(d, 0.0, 0.2), ValueError, "train"),
    (lambda d: w.chronological_split(d, 0.7, 1.2), ValueError, "val"),
    (lambda d: w.chronological_split(d, 0.8, 0.2), ValueError, "train \\+ val"),
    (lambda d: w.chronological_split(d.iloc[:3], 0.5, 0.2), ValueError, "too few"),
    (lambda d: w.chronological_split(d.iloc[::-1]), ValueError, "sorted"),
    (lambda d: w.chronological_split(d.to_numpy()), TypeError, "data"),
    (lambda d: w.split_by_date(d, "2024-01-02", "2024-01-01"), ValueError, "val_start"),
    (lambda d: w.split_by_date(d, "2023-01-01", "2024-01-01 05:00"), ValueError, "train part"),
    (lambda d: w.split_by_date(d, "2024-01-01 05:00", "2030-01-01"), ValueError, "test part"),
    (lambda d: w.split_by_date(d.reset_index(drop=True), 1, 2), TypeError, "DatetimeIndex"),
])
def test_split_bad_input(call, error, match):
    data = pd.DataFrame({"x": np.arange(48.0)},
                        index=pd.date_range("2024-01-01", periods=48, freq="h"))
    with pytest.raises(error, match=match):
        call(data)


# ----------------------------------------------------------------------------- scaling


@pytest.mark.parametrize("kind", ["standard", "minmax"])
def test_scaler_never_sees_validation_or_test_rows(kind, monkeypatch):
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"a": rng.normal(size=100), "b": rng.uniform(size=100)},
                        index=pd.date_range("2024", periods=100, freq="D"))
    data.iloc[80:] += 1000.0  # val/test far away: any peek would show in the statistics
    splits = w.chronological_split(data, 0.7, 0.15)
    seen = []
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    def spy(cls):
        original = cls.fit

        def fit(self, X, y=None):
            seen.append(np.array(X, copy=True))
            return original(self, X, y)

        return fit

    for cls in (StandardScaler, MinMaxScaler):
        monkeypatch.setattr(cls, "fit", spy(cls))
    scaled, scaler = w.scale_splits(splits, kind)
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], splits.train.to_numpy())
    assert scaler.scaler.n_samples_seen_ == len(splits.train)
    if kind == "standard":
        np.testing.assert_allclose(scaled.train.mean(), 0, atol=1e-12)
        np.testing.assert_allclose(scaler.scaler.mean_, splits.train.mean())
    else:
        np.testing.assert_allclose(scaled.train.min(), 0, atol=1e-12)
        np.testing.assert_allclose(scaled.train.max(), 1, atol=1e-12)
    assert (scaled.test["a"] > 10).all()  # test rows are scaled with training statistics
    pd.testing.assert_index_equal(scaled.val.index, splits.val.index)


@pytest.mark.parametrize("kind", ["standard", "minmax"])
def test_scaler_inverse_returns_physical_units(kind):
    rng = np.random.default_rng(2)
    data = pd.DataFrame({"temp_c": 10 + 5 * rng.normal(size=50), "wind_ms": rng.gamma(2, size=50)})
    scaler = w.TrainScaler(kind).fit(data.iloc[:30])
    scaled = scaler.transform(data)
    pd.testing.assert_frame_equal(scaler.inverse_transform(scaled), data, atol=1e-10)
    predictions = scaled["wind_ms"].to_numpy().reshape(5, 10)
    np.testing.assert_allclose(scaler.inverse_column(predictions, "wind_ms"),
                               data["wind_ms"].to_numpy().reshape(5, 10))


@pytest.mark.parametrize("kind, names", [("standard", ["mean", "sd"]), ("minmax", ["min", "max"])])
def test_scaler_statistics_are_the_training_statistics(kind, names):
    data = pd.DataFrame({"temp_c": [1.0, 3.0, 5.0, 100.0], "wind_ms": [0.0, 2.0, 4.0, -50.0]})
    scaler = w.TrainScaler(kind).fit(data.iloc[:3])
    stats = scaler.statistics()
    assert list(stats.columns) == names and list(stats.index) == ["temp_c", "wind_ms"]
    expected = {"mean": [3.0, 2.0], "sd": [np.std([1.0, 3.0, 5.0])] * 2,
                "min": [1.0, 0.0], "max": [5.0, 4.0]}
    for name in names:
        np.testing.assert_allclose(stats[name], expected[name])
    a, b = stats.loc["temp_c"]  # scaled = (value - a) / sd, or (value - min) / (max - min)
    spread = b if kind == "standard" else b - a
    np.testing.assert_allclose(scaler.transform(data)["temp_c"], (data["temp_c"] - a) / spread)
    with pytest.raises(ValueError, match="not fitted"):
        w.TrainScaler(kind).statistics()


def test_scaler_keeps_gaps_as_nan():
    data = pd.DataFrame({"pressure_hpa": [1010.0, np.nan, 1014.0, 1012.0]})
    scaler = w.TrainScaler().fit(data)
    assert scaler.statistics().loc["pressure_hpa", "mean"] == pytest.approx(1012.0)  # NaN ignored
    scaled = scaler.transform(data)
    assert np.isnan(scaled.iloc[1, 0]) and scaled.iloc[0, 0] == pytest.approx(-np.sqrt(1.5))
    pd.testing.assert_frame_equal(scaler.inverse_transform(scaled), data)


def test_scaler_bad_input():
    data = pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0)})
    with pytest.raises(ValueError, match="kind"):
        w.TrainScaler("robust")
    with pytest.raises(ValueError, match="not fitted"):
        w.TrainScaler().transform(data)
    scaler = w.TrainScaler().fit(data)
    with pytest.raises(ValueError, match="training columns"):
        scaler.transform(data[["b", "a"]])
    with pytest.raises(TypeError, match="frame"):
        scaler.transform(data.to_numpy())
    with pytest.raises(ValueError, match="column"):
        scaler.inverse_column([0.0], "c")
    with pytest.raises(ValueError, match="train contains infinite"):
        w.TrainScaler().fit(data.assign(a=[1.0, np.inf, 2.0, 3.0, 4.0]))
    with pytest.raises(TypeError, match="train must be numeric"):
        w.TrainScaler().fit(data.assign(a=list("vwxyz")))
    with pytest.raises(TypeError, match="splits"):
        w.scale_splits((data, data, data))


# ----------------------------------------------------------------------------- gaps


def hourly_with_holes():
    index = pd.date_range("2024-01-01", periods=24, freq="h")
    keep = np.ones(24, bool)
    keep[[3, 10, 11, 12, 13, 20]] = False  # gaps of 1, 4 and 1 hours
    return pd.DataFrame({"temp_c": np.arange(24.0)[keep]}, index=index[keep])


def test_find_gaps_and_reindex():
    data = hourly_with_holes()
    gaps = w.find_gaps(data, "h")
    assert gaps["missing"].tolist() == [1, 4, 1]
    assert gaps["start"].tolist() == [pd.Timestamp("2024-01-01 03:00"),
                                      pd.Timestamp("2024-01-01 10:00"),
                                      pd.Timestamp("2024-01-01 20:00")]
    assert gaps["end"].iloc[1] == pd.Timestamp("2024-01-01 13:00")
    regular = w.reindex_regular(data, "h")
    assert len(regular) == 24 and regular.index.freq == "h"
    assert regular["temp_c"].isna().sum() == 6
    pd.testing.assert_frame_equal(regular.dropna(), data, check_freq=False)
    assert w.find_gaps(regular.index, "h").empty


def test_fill_short_gaps_leaves_long_gaps_alone():
    regular = w.reindex_regular(hourly_with_holes(), "h")
    filled = w.fill_short_gaps(regular, limit=2)
    assert filled.loc["2024-01-01 03:00", "temp_c"] == pytest.approx(3.0)  # linear in time
    assert filled.loc["2024-01-01 20:00", "temp_c"] == pytest.approx(20.0)
    assert filled.loc["2024-01-01 10:00":"2024-01-01 13:00", "temp_c"].isna().all()
    ffilled = w.fill_short_gaps(regular, limit=4, method="ffill")
    assert ffilled.loc["2024-01-01 03:00", "temp_c"] == 2.0
    assert (ffilled.loc["2024-01-01 10:00":"2024-01-01 13:00", "temp_c"] == 9.0).all()
    assert not ffilled.isna().any().any()
    # pandas' own limit would have filled part of the long gap: we do not
    partial = regular["temp_c"].interpolate(limit=2)
    assert partial.loc["2024-01-01 10:00"] == pytest.approx(10.0)


def test_fill_short_gaps_keeps_edges_and_series():
    series = pd.Series([np.nan, 1.0, np.nan, 3.0, np.nan],
                       index=pd.date_range("2024", periods=5, freq="D"), name="x")
    filled = w.fill_short_gaps(series, limit=1)
    assert isinstance(filled, pd.Series)
    assert np.isnan(filled.iloc[0]) and np.isnan(filled.iloc[-1]) and filled.iloc[2] == 2.0


def test_flag_impossible_marks_the_bad_values_only():
    data = pd.DataFrame({"wind_speed_ms": [3.0, 468.66, np.nan, 5.0],
                         "humidity_pct": [50.0, 101.0, 80.0, 0.0],
                         "note": [1.0, 2.0, 3.0, 4.0]})
    flags = w.flag_impossible(data)
    assert flags["wind_speed_ms"].tolist() == [False, True, False, False]
    assert flags["humidity_pct"].tolist() == [False, True, False, False]
    assert not flags["note"].any()
    custom = w.flag_impossible(data, {"note": (2.0, 3.0)})
    assert custom["note"].tolist() == [True, False, False, True]
    assert data.mask(flags)["wind_speed_ms"].isna().sum() == 2


def test_flag_impossible_never_flags_a_world_record():
    # measured extremes (WMO archive): a real extreme is rare, not impossible
    records = pd.DataFrame({
        "temp_c": [56.7, -89.2],            # Death Valley 1913, Vostok 1983
        "dewpoint_c": [35.0, -60.0],        # Dhahran 2003
        "wind_speed_ms": [113.2, 0.0],      # gust, Barrow Island 1996 (408 km/h)
        "wind_gust_ms": [113.2, 0.0],
        "precip_mm": [1825.0, 0.0],         # 24 h, Foc-Foc (Reunion) 1966
        "pressure_hpa": [870.0, 1084.8],    # Typhoon Tip 1979, Tosontsengel 2001
        "humidity_pct": [100.0, 0.0],
    })
    assert not w.flag_impossible(records).to_numpy().any()


@pytest.mark.parametrize("call, error, match", [
    (lambda d: w.find_gaps(d.reset_index(drop=True), "h"), TypeError, "DatetimeIndex"),
    (lambda d: w.find_gaps(d.iloc[::-1], "h"), ValueError, "sorted"),
    (lambda d: w.find_gaps(d, "banana"), ValueError, "freq"),
    (lambda d: w.find_gaps(d, "2h"), ValueError, "off the"),
    (lambda d: w.reindex_regular(d.index, "h"), TypeError, "data"),
    (lambda d: w.fill_short_gaps(d, limit=0), ValueError, "limit"),
    (lambda d: w.fill_short_gaps(d, limit=2, method="bfill"), ValueError, "method"),
    (lambda d: w.fill_short_gaps(d.to_numpy(), limit=2), TypeError, "data"),
    (lambda d: w.flag_impossible(d, {"temp_c": (5.0, 1.0)}), ValueError, "ranges"),
    (lambda d: w.flag_impossible(d, [("temp_c", 0, 1)]), TypeError, "ranges"),
])
def test_gap_functions_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call(hourly_with_holes())


def brute_force_complete_windows(array, width, horizon, target, inputs):
    keep = [i for i in range(len(array) - width - horizon + 1)
            if not np.isnan(array[i:i + width, inputs]).any()
            and not np.isnan(array[i + width:i + width + horizon, target]).any()]
    return np.array(keep, dtype=int)


@settings(max_examples=40, deadline=None)
@given(data=arrays(np.float64, st.tuples(st.integers(8, 40), st.integers(1, 3)),
                   elements=st.sampled_from([0.0, 1.5, -2.0, 7.0, np.nan])),
       width=st.integers(1, 4), horizon=st.integers(1, 3))
def test_complete_windows_equals_a_direct_loop(data, width, horizon):
    target, inputs = [0], list(range(data.shape[1]))
    expected = brute_force_complete_windows(data, width, horizon, target, inputs)
    if expected.size == 0:
        with pytest.raises(ValueError, match="no complete window"):
            w.complete_windows(data, width, horizon)
        return
    X, y, start = w.complete_windows(data, width, horizon)
    np.testing.assert_array_equal(start, expected)
    for row, i in enumerate(start):
        np.testing.assert_array_equal(X[row], data[i:i + width])
        np.testing.assert_array_equal(y[row], data[i + width:i + width + horizon, 0])
    assert not np.isnan(X).any() and not np.isnan(y).any()


def test_complete_windows_skips_only_windows_touching_a_gap():
    values = np.arange(12.0)
    values[5] = np.nan
    X, y, start = w.complete_windows(values, 3, horizon=2)
    # a window i touches row 5 when i <= 5 < i + 5, i.e. i = 1..5
    assert start.tolist() == [0, 6, 7]
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [6, 7, 8], [7, 8, 9]])
    np.testing.assert_array_equal(y, [[3, 4], [9, 10], [10, 11]])
    full_X, full_y = w.make_windows(np.arange(12.0), 3, horizon=2)
    np.testing.assert_array_equal(X, full_X[start])


def test_complete_windows_with_named_columns_ignores_unused_gaps():
    frame = pd.DataFrame({"temp_c": np.arange(10.0), "pressure_hpa": np.arange(10.0) + 1000,
                          "unused": np.nan})
    frame.loc[2, "pressure_hpa"] = np.nan  # an input only
    X, y, start = w.complete_windows(frame, 2, target="temp_c",
                                     inputs=["temp_c", "pressure_hpa"])
    assert start.tolist() == [0, 3, 4, 5, 6, 7]  # the windows reading row 2 (i = 1, 2) go
    assert X.shape == (6, 2, 2) and y.shape == (6, 1)
    frame.loc[2, "pressure_hpa"] = 1002.0
    frame.loc[9, "temp_c"] = np.nan  # only ever a target for the last window
    X, y, start = w.complete_windows(frame, 2, target=["temp_c"], inputs=["pressure_hpa"])
    assert start.tolist() == list(range(7)) and y.shape == (7, 1, 1)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(values=np.full(10, np.nan), input_width=2), ValueError, "no complete window"),
    (dict(values=np.arange(10.0), input_width=0), ValueError, "input_width"),
    (dict(values=np.arange(10.0), input_width=2, horizon=9), ValueError, "longer than"),
    (dict(values=np.arange(10.0), input_width=2.5), TypeError, "input_width"),
    (dict(values=np.array([1.0, np.inf, 2.0, 3.0]), input_width=1), ValueError, "infinite"),
    (dict(values=np.zeros((4, 2, 2)), input_width=1), ValueError, "values must be 1-D"),
    (dict(values=pd.DataFrame({"a": [1.0, 2.0, 3.0]}), input_width=1, target="b"), ValueError,
     "target"),
])
def test_complete_windows_bad_input_names_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        w.complete_windows(**kwargs)


def test_nyc_gaps_found_on_the_real_data():
    from lstm_lab import datasets

    ewr = datasets.load_nyc_weather("EWR")
    gaps = w.find_gaps(ewr, "h")
    assert gaps["missing"].sum() == 27 and gaps["missing"].max() == 5
    flags = w.flag_impossible(ewr)
    assert flags.to_numpy().sum() == 1
    assert flags["wind_speed_ms"].idxmax() == pd.Timestamp("2013-02-12 03:00")


def test_import_does_not_load_tensorflow():
    code = "import sys, lstm_lab.windows; sys.exit('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_plot_splits_draws_each_part_and_rejects_bad_input():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lstm_lab import plotting

    data = pd.DataFrame({"temp_c": np.arange(30.0)},
                        index=pd.date_range("2024-01-01", periods=30, freq="D"))
    parts = w.chronological_split(data, 0.6, 0.2)
    fig, ax = plotting.plot_splits(parts, "temp_c", title="Splits", ylabel="°C")
    labels = [ln.get_label() for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert labels == ["train (18 rows)", "val (6 rows)", "test (6 rows)"]
    assert ax.get_title() == "Splits" and ax.get_ylabel() == "°C"
    plt.close(fig)
    with pytest.raises(ValueError, match="column"):
        plotting.plot_splits(parts, "wind", title="t", ylabel="y")
    with pytest.raises(ValueError, match="names"):
        plotting.plot_splits(parts, "temp_c", title="t", ylabel="y", names=["a", "b"])
    with pytest.raises(ValueError, match="title"):
        plotting.plot_splits(parts, "temp_c", title="", ylabel="y")
