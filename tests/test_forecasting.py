"""lstm_lab.forecasting: the multi-step strategies of chapter 10 against hand computations."""

import numpy as np
import pytest

from lstm_lab import forecasting


def ar2(windows):
    """A fixed one-step rule on the last two values: 1.5 x_t - 0.6 x_{t-1}."""
    w = np.asarray(windows)[:, :, 0]
    return 1.5 * w[:, -1] - 0.6 * w[:, -2]


def test_recursive_forecast_feeds_back_its_own_forecasts():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    P = forecasting.recursive_forecast(ar2, X, steps=6)
    assert P.shape == (5, 6)
    for i in range(5):  # by hand: the AR(2) recursion continued from each window
        history = list(X[i])
        for k in range(6):
            history.append(1.5 * history[-1] - 0.6 * history[-2])
            assert P[i, k] == pytest.approx(history[-1])


def test_recursive_forecast_drops_the_oldest_value():
    seen = []

    def oldest(windows):  # forecasts the window's first value: reveals the window each step
        seen.append(np.asarray(windows)[:, :, 0].copy())
        return np.asarray(windows)[:, 0, :]  # (N, 1) is accepted

    X = np.array([[1.0, 2.0, 3.0]])
    P = forecasting.recursive_forecast(oldest, X[:, :, None], steps=4)
    np.testing.assert_array_equal(P, [[1.0, 2.0, 3.0, 1.0]])
    np.testing.assert_array_equal(seen[1], [[2.0, 3.0, 1.0]])
    assert all(w.shape == (1, 3) for w in seen)


def test_recursive_forecast_with_a_keras_model_matches_its_one_step_forecast():
    keras = pytest.importorskip("keras")
    from lstm_lab import models

    model = models.lstm_forecaster(8, units=4, seed=1)
    X = np.random.default_rng(1).normal(size=(6, 8)).astype("float32")
    P = forecasting.recursive_forecast(model, X, steps=3)
    first = model(X[:, :, None], training=False).numpy().ravel()
    np.testing.assert_allclose(P[:, 0], first, rtol=1e-5, atol=1e-6)
    second_window = np.concatenate([X[:, 1:], P[:, :1]], axis=1)[:, :, None].astype("float32")
    np.testing.assert_allclose(P[:, 1], model(second_window, training=False).numpy().ravel(),
                               rtol=1e-5, atol=1e-6)
    assert isinstance(model, keras.Model)


@pytest.mark.parametrize("call, error, match", [
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4, 2)), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros(4), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((0, 4)), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, [[1.0, np.nan]], 2), ValueError, "NaN"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4)), 0), ValueError, "steps"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4)), 2.0), TypeError, "steps"),
    (lambda: forecasting.recursive_forecast("model", np.zeros((3, 4)), 2), TypeError, "model"),
    (lambda: forecasting.recursive_forecast(lambda w: np.zeros((3, 2)), np.zeros((3, 4)), 2),
     ValueError, "one forecast per window"),
])
def test_recursive_forecast_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_direct_targets_pick_each_step():
    y = np.arange(12.0).reshape(3, 4)
    targets = forecasting.direct_targets(y[:, :, None], [1, 4])
    np.testing.assert_array_equal(targets[1], [0.0, 4.0, 8.0])
    np.testing.assert_array_equal(targets[4], [3.0, 7.0, 11.0])
    with pytest.raises(ValueError, match="between 1 and 4"):
        forecasting.direct_targets(y, [5])
    with pytest.raises(ValueError, match="horizons"):
        forecasting.direct_targets(y, [])
    with pytest.raises(ValueError, match="horizons"):
        forecasting.direct_targets(y, 2)


def test_dirrec_inputs_and_forecast():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert forecasting.dirrec_inputs(X, None).shape == (2, 2, 1)
    np.testing.assert_array_equal(forecasting.dirrec_inputs(X, [[9.0], [8.0]])[:, :, 0],
                                  [[1.0, 2.0, 9.0], [3.0, 4.0, 8.0]])

    def last_plus(c):  # step model: last input value + c
        return lambda inputs: np.asarray(inputs)[:, -1, 0] + c

    P = forecasting.dirrec_forecast([last_plus(1.0), last_plus(10.0), last_plus(100.0)], X)
    np.testing.assert_array_equal(P, [[3.0, 13.0, 113.0], [5.0, 15.0, 115.0]])
    with pytest.raises(ValueError, match="previous"):
        forecasting.dirrec_inputs(X, np.zeros((3, 1)))
    with pytest.raises(ValueError, match="models"):
        forecasting.dirrec_forecast([], X)
    with pytest.raises(ValueError, match=r"models\[0\]"):
        forecasting.dirrec_forecast([lambda inputs: np.zeros((2, 3))], X)
