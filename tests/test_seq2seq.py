"""Chapter 10: models.seq2seq_forecaster, teacher forcing and free running."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from lstm_lab import forecasting, models, training  # noqa: E402


def _inputs(rng, n, width, n_features, horizon, n_future):
    X = {"past": rng.normal(size=(n, width, n_features))}
    if n_future:
        X["future"] = rng.normal(size=(n, horizon, n_future))
    return X


@pytest.mark.parametrize("width,n_features,horizon,n_future", [(5, 1, 1, 0), (8, 3, 4, 2),
                                                                 (12, 1, 48, 7)])
@pytest.mark.parametrize("skip", [True, False])
def test_seq2seq_shapes(width, n_features, horizon, n_future, skip):
    model = models.seq2seq_forecaster(width, n_features, horizon, units=4,
                                      n_future_features=n_future, skip=skip, seed=0)
    X = _inputs(np.random.default_rng(0), 3, width, n_features, horizon, n_future)
    X["previous"] = np.zeros((3, horizon))
    assert training.predict(model, X).shape == (3, horizon)


@pytest.mark.parametrize("n_future", [0, 3])
def test_decoder_is_causal_in_previous(n_future):
    horizon = 6
    model = models.seq2seq_forecaster(7, 2, horizon, units=5, n_future_features=n_future, seed=1)
    rng = np.random.default_rng(1)
    X = _inputs(rng, 4, 7, 2, horizon, n_future)
    X["previous"] = rng.normal(size=(4, horizon))
    base = training.predict(model, X)
    changed = {**X, "previous": X["previous"].copy()}
    changed["previous"][:, 3] += 5.0  # the value of step 3, read by the decoder at step 4
    out = training.predict(model, changed)
    np.testing.assert_allclose(out[:, :3], base[:, :3], atol=1e-6)
    assert np.all(np.abs(out[:, 3] - base[:, 3]) > 1e-6)


def test_teacher_forcing_inputs_shift_the_truth_by_one_step():
    y = np.arange(12.0).reshape(3, 4)
    previous = forecasting.teacher_forcing_inputs([10.0, 20.0, 30.0], y[:, :, None])
    np.testing.assert_array_equal(previous, [[10, 0, 1, 2], [20, 4, 5, 6], [30, 8, 9, 10]])


@pytest.mark.parametrize("horizon,n_future", [(1, 0), (5, 2), (9, 1)])
def test_free_running_equals_teacher_forcing_fed_its_own_forecasts(horizon, n_future):
    model = models.seq2seq_forecaster(6, 1, horizon, units=4, n_future_features=n_future, seed=2)
    rng = np.random.default_rng(2)
    X = _inputs(rng, 5, 6, 1, horizon, n_future)
    last = X["past"][:, -1, 0]
    P = forecasting.free_running_forecast(model, X, last)
    assert P.shape == (5, horizon)
    forced = training.predict(model, {**X, "previous": forecasting.teacher_forcing_inputs(last, P)})
    np.testing.assert_allclose(forced, P, atol=1e-5)
    # and by hand, one step at a time: step k reads the forecast of step k - 1
    previous = np.zeros((5, horizon))
    previous[:, 0] = last
    for k in range(horizon):
        out = training.predict(model, {**X, "previous": previous})
        np.testing.assert_allclose(P[:, k], out[:, k], atol=1e-5)
        if k + 1 < horizon:
            previous[:, k + 1] = out[:, k]


def test_non_autoregressive_decoder_has_no_previous_input():
    model = models.seq2seq_forecaster(6, 1, 4, units=3, n_future_features=2,
                                      autoregressive=False, seed=0)
    assert sorted(t.name.split(":")[0] for t in model.inputs) == ["future", "past"]
    X = _inputs(np.random.default_rng(0), 2, 6, 1, 4, 2)
    assert training.predict(model, X).shape == (2, 4)
    with pytest.raises(TypeError, match="previous"):
        forecasting.free_running_forecast(model, X, np.zeros(2))


@pytest.mark.parametrize("call,error,match", [
    (lambda: models.seq2seq_forecaster(0, 1, 4), ValueError, "input_width"),
    (lambda: models.seq2seq_forecaster(5, 1, 0), ValueError, "horizon"),
    (lambda: models.seq2seq_forecaster(5, 1, 4, units=2.5), TypeError, "units"),
    (lambda: models.seq2seq_forecaster(5, 1, 4, n_future_features=-1), ValueError,
     "n_future_features"),
    (lambda: models.seq2seq_forecaster(5, 1, 4, skip="yes"), TypeError, "skip"),
    (lambda: models.seq2seq_forecaster(5, 1, 4, autoregressive=False), ValueError,
     "n_future_features"),
    (lambda: forecasting.teacher_forcing_inputs([1.0], np.zeros((2, 3))), ValueError,
     "last_value"),
    (lambda: forecasting.teacher_forcing_inputs([1.0, np.nan], np.zeros((2, 3))), ValueError,
     "NaN"),
])
def test_seq2seq_bad_arguments_name_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_free_running_bad_inputs():
    model = models.seq2seq_forecaster(6, 1, 3, units=3, seed=0)
    X = {"past": np.zeros((2, 6, 1))}
    with pytest.raises(ValueError, match="last_value"):
        forecasting.free_running_forecast(model, X, np.zeros(3))
    with pytest.raises(ValueError, match="previous"):
        forecasting.free_running_forecast(model, {**X, "previous": np.zeros((2, 3))}, np.zeros(2))
    with pytest.raises(ValueError, match="dict"):
        forecasting.free_running_forecast(model, np.zeros((2, 6, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        forecasting.free_running_forecast(model, X, [0.0, np.nan])
