"""lstm_lab.baselines: hand-computed forecasts, alignment with the windows, no look-ahead."""

import numpy as np
import pytest

from lstm_lab import baselines


def reference_windows(series, input_width, horizon):
    """The windowing contract of COURSE.md section 5, written as a plain loop."""
    n = len(series) - input_width - horizon + 1
    X = np.array([series[i:i + input_width] for i in range(n)])
    y = np.array([series[i + input_width:i + input_width + horizon] for i in range(n)])
    return X, y


SERIES = np.arange(20, dtype=float) ** 2  # strictly increasing: no forecast can equal its target


def test_persistence_is_the_last_input_of_each_window():
    X, y = reference_windows(SERIES, 5, 3)
    forecast = baselines.persistence(SERIES, input_width=5, horizon=3)
    assert forecast.shape == y.shape == (13, 3)
    np.testing.assert_array_equal(forecast, np.repeat(X[:, -1:], 3, axis=1))
    # a one-step shift (forecasting with the target itself) would make the first step exact
    assert np.all(forecast[:, 0] < y[:, 0])


def test_seasonal_naive_hand_computed_beyond_one_season():
    series = np.arange(12, dtype=float)
    forecast = baselines.seasonal_naive(series, season=3, input_width=3, horizon=5)
    # row 0 forecasts the values at 3..7 with the latest known value at the same phase
    np.testing.assert_array_equal(forecast[0], [0, 1, 2, 0, 1])
    np.testing.assert_array_equal(forecast[-1], forecast[0] + len(forecast) - 1)
    assert forecast.shape == (12 - 3 - 5 + 1, 5)


def test_seasonal_naive_is_exact_on_a_periodic_series_and_persistence_for_season_one():
    pattern = np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0])
    series = np.tile(pattern, 10)
    _, y = reference_windows(series, 14, 4)
    np.testing.assert_array_equal(baselines.seasonal_naive(series, 7, 14, 4), y)
    np.testing.assert_array_equal(baselines.seasonal_naive(SERIES, 1, 4, 2),
                                  baselines.persistence(SERIES, 4, 2))


def test_seasonal_mean_hand_computed():
    series = np.arange(10, dtype=float)
    forecast = baselines.seasonal_mean(series, season=2, n_seasons=3)
    assert forecast.shape == (4, 1)
    assert forecast[0, 0] == pytest.approx((4 + 2 + 0) / 3)  # target 6: values at 4, 2, 0
    np.testing.assert_allclose(forecast[:, 0], np.arange(4) + 2.0)


def check_no_look_ahead(baseline, input_width):
    """Changing a row's targets and everything after them must not change that row's forecast."""
    rng = np.random.default_rng(1)
    series = rng.normal(size=40)
    before = baseline(series)
    for row in (0, 7, len(before) - 2):
        changed = series.copy()
        changed[row + input_width:] += 100.0  # the row's first target and all later values
        after = baseline(changed)
        np.testing.assert_array_equal(after[:row + 1], before[:row + 1])
        if row == 0:  # the change is visible to later rows, so the comparison means something
            assert not np.allclose(after[1:], before[1:])


@pytest.mark.parametrize("baseline", [
    lambda s: baselines.persistence(s, 6, 3),
    lambda s: baselines.seasonal_naive(s, 4, 6, 3),
    lambda s: baselines.seasonal_naive(s, 2, 6, 5),
    lambda s: baselines.seasonal_mean(s, 3, 2, 6, 3),
])
def test_no_look_ahead(baseline):
    check_no_look_ahead(baseline, input_width=6)


def test_the_look_ahead_check_catches_a_one_step_shift():
    """A persistence forecast shifted by one step (it reads its own target) fails the check."""
    def peeking(series):  # row i "forecasts" series[i + 6], its own first target
        return np.repeat(series[6:len(series) - 2][:, None], 3, axis=1)

    assert peeking(SERIES).shape == baselines.persistence(SERIES, 6, 3).shape

    with pytest.raises(AssertionError):
        check_no_look_ahead(peeking, input_width=6)
    # and the alignment test above would fail too: the shifted forecast hits its target
    X, y = reference_windows(SERIES, 5, 1)
    assert np.array_equal(SERIES[5:][:, None], y)
    assert not np.array_equal(SERIES[5:][:, None], X[:, -1:])


def test_climatology_by_phase_with_wraparound_smoothing():
    values = np.array([10.0, 20.0, 30.0, 12.0, 22.0, 32.0, 14.0])
    phase = np.array([0, 1, 2, 0, 1, 2, 0])
    np.testing.assert_allclose(baselines.climatology(values, phase, np.array([0, 1, 2]), 3),
                               [12.0, 21.0, 31.0])
    # period 4: phase 3 never seen, but its neighbours 2 and (around the circle) 0 are
    smooth = baselines.climatology(values, phase, np.array([3]), period=4, half_width=1)
    np.testing.assert_allclose(smooth, [(30 + 32 + 10 + 12 + 14) / 5])


def test_climatology_bad_inputs():
    values, phase = np.array([1.0, 2.0]), np.array([0, 1])
    with pytest.raises(ValueError, match="target_phase has phases never seen"):
        baselines.climatology(values, phase, np.array([2]), period=3)
    with pytest.raises(ValueError, match="train_phase has 1 values"):
        baselines.climatology(values, np.array([0]), np.array([0]), period=3)
    with pytest.raises(TypeError, match="train_phase must be a 1-D array of ints"):
        baselines.climatology(values, np.array([0.0, 1.0]), np.array([0]), period=3)
    with pytest.raises(ValueError, match=r"target_phase must lie in \[0, period=3\)"):
        baselines.climatology(values, phase, np.array([3]), period=3)
    with pytest.raises(ValueError, match="half_width=2 covers more than one period"):
        baselines.climatology(values, phase, np.array([0]), period=3, half_width=2)
    with pytest.raises(ValueError, match="train_values contains NaN"):
        baselines.climatology([1.0, np.nan], phase, np.array([0]), period=3)


def test_series_baselines_bad_inputs():
    with pytest.raises(ValueError, match="series must be 1-D"):
        baselines.persistence(np.ones((10, 2)), 3)
    with pytest.raises(ValueError, match="series contains NaN"):
        baselines.persistence([1.0, np.nan, 2.0], 1)
    with pytest.raises(ValueError, match="too few for input_width=8 and horizon=3"):
        baselines.persistence(np.ones(10), 8, 3)
    with pytest.raises(ValueError, match="horizon must be >= 1"):
        baselines.persistence(np.ones(10), 3, 0)
    with pytest.raises(TypeError, match="input_width must be an int"):
        baselines.persistence(np.ones(10), 2.0)
    with pytest.raises(ValueError, match="input_width=3 is shorter than season=7"):
        baselines.seasonal_naive(np.ones(30), 7, input_width=3)
    with pytest.raises(ValueError, match="season must be >= 1"):
        baselines.seasonal_naive(np.ones(30), 0)
    with pytest.raises(ValueError, match="shorter than season \\* n_seasons = 12"):
        baselines.seasonal_mean(np.ones(30), 4, 3, input_width=8)
    with pytest.raises(TypeError, match="series must be a 1-D array of numbers"):
        baselines.persistence(["a", "b"], 1)


def test_linear_on_lags_recovers_an_autoregression():
    rng = np.random.default_rng(2)
    n = 12000
    series = np.zeros(n)
    for t in range(2, n):
        series[t] = 0.6 * series[t - 1] - 0.3 * series[t - 2] + rng.normal(scale=0.1)
    X, y = reference_windows(series, 5, 1)
    model = baselines.fit_linear_on_lags(X[:10000], y[:10000])
    expected = 0.6 * X[10000:, -1] - 0.3 * X[10000:, -2]
    forecast = model.predict(X[10000:])
    assert forecast.shape == (len(X) - 10000, 1)
    np.testing.assert_allclose(forecast[:, 0], expected, atol=0.02)
    two_lags = baselines.fit_linear_on_lags(X[:10000, :, None], y[:10000], n_lags=2, alpha=1.0)
    np.testing.assert_allclose(two_lags.predict(X[10000:, :, None])[:, 0], expected, atol=0.02)


def test_linear_on_lags_multistep_multifeature_shapes():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(50, 8, 3)), rng.normal(size=(50, 4))
    assert baselines.fit_linear_on_lags(X, y).predict(X).shape == (50, 4)
    assert baselines.fit_linear_on_lags(X, y[:, 0]).predict(X).shape == (50,)


def test_linear_on_lags_bad_inputs():
    X, y = np.ones((10, 4, 1)), np.ones((10, 1))
    with pytest.raises(ValueError, match="X must be windows"):
        baselines.fit_linear_on_lags(np.ones(10), y)
    with pytest.raises(ValueError, match="y must be"):
        baselines.fit_linear_on_lags(X, np.ones((9, 1)))
    with pytest.raises(ValueError, match="n_lags must be between 1 and the window length 4"):
        baselines.fit_linear_on_lags(X, y, n_lags=5)
    with pytest.raises(ValueError, match="alpha must be"):
        baselines.fit_linear_on_lags(X, y, alpha=-1.0)
    with pytest.raises(ValueError, match="X or y contains NaN"):
        baselines.fit_linear_on_lags(np.full((10, 4), np.nan), y)


def test_linear_on_lags_rejects_windows_of_another_shape():
    model = baselines.fit_linear_on_lags(np.random.default_rng(0).normal(size=(20, 4)), np.ones(20))
    with pytest.raises(ValueError, match=r"X must hold windows of shape \(4,\)"):
        model.predict(np.ones((3, 5)))


def test_linear_on_lags_uses_known_future_covariates():
    """Chapter 08: the target depends on a flag known in advance; the dict inputs find it."""
    rng = np.random.default_rng(5)
    n, width, horizon = 3000, 6, 3
    past = rng.normal(size=(n, width, 2))
    future = rng.integers(0, 2, size=(n, horizon, 1)).astype(float)  # e.g. work-day flags
    y = 0.5 * past[:, -1, :1] + 2.0 * future[:, :, 0] + 0.01 * rng.normal(size=(n, horizon))
    inputs = {"past": past, "future": future}
    model = baselines.fit_linear_on_lags(inputs, y)
    forecast = model.predict(inputs)
    assert forecast.shape == (n, horizon) and model.future_shape == (horizon, 1)
    np.testing.assert_allclose(forecast, y, atol=0.05)
    without = baselines.fit_linear_on_lags(past, y).predict(past)
    assert np.mean(np.abs(without - y)) > 10 * np.mean(np.abs(forecast - y))
    flat = baselines.fit_linear_on_lags({"past": past, "future": future[:, :, 0]}, y, n_lags=1)
    np.testing.assert_allclose(flat.predict({"past": past, "future": future[:, :, 0]}), y,
                               atol=0.05)


def test_linear_on_lags_future_covariates_bad_inputs():
    past, future, y = np.ones((10, 4, 1)), np.ones((10, 2, 1)), np.ones((10, 2))
    with pytest.raises(ValueError, match="keys 'past' and 'future'"):
        baselines.fit_linear_on_lags({"past": past}, y)
    with pytest.raises(ValueError, match=r"X\['future'\] must be"):
        baselines.fit_linear_on_lags({"past": past, "future": np.ones((9, 2))}, y)
    with pytest.raises(ValueError, match="X or y contains NaN"):
        baselines.fit_linear_on_lags({"past": past, "future": np.full((10, 2), np.nan)}, y)
    rng = np.random.default_rng(0)
    past, future = rng.normal(size=(10, 4, 1)), rng.normal(size=(10, 2, 1))
    model = baselines.fit_linear_on_lags({"past": past, "future": future}, rng.normal(size=(10, 2)))
    with pytest.raises(ValueError, match=r"X\['future'\] must have shape"):
        model.predict({"past": past, "future": future[:, :1]})
    with pytest.raises(ValueError, match=r"X\['future'\] must have shape"):
        model.predict(past)
    plain = baselines.fit_linear_on_lags(past, rng.normal(size=(10, 2)))
    with pytest.raises(ValueError, match="fitted without them"):
        plain.predict({"past": past, "future": future})


def test_rows_line_up_with_make_windows():
    """Row i of every series baseline forecasts y[i] of make_windows (COURSE.md section 5)."""
    from lstm_lab.windows import make_windows

    rng = np.random.default_rng(4)
    series = rng.normal(size=60).cumsum()
    X, y = make_windows(series, 8, 4)
    np.testing.assert_array_equal(baselines.persistence(series, 8, 4),
                                  np.repeat(X[:, -1, :], 4, axis=1))
    periodic = np.tile(rng.normal(size=4), 15)
    _, y_periodic = make_windows(periodic, 8, 4)
    np.testing.assert_array_equal(baselines.seasonal_naive(periodic, 4, 8, 4), y_periodic)
    for forecast in (baselines.seasonal_naive(series, 4, 8, 4),
                     baselines.seasonal_mean(series, 2, 4, 8, 4)):
        assert forecast.shape == y.shape
