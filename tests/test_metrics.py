"""lstm_lab.metrics against hand computations, properties and every bad-input path."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_lab import metrics

Y_TRUE = np.array([1.0, 2.0, 3.0, 4.0])
Y_PRED = np.array([1.0, 3.0, 2.0, 6.0])  # errors 0, 1, -1, 2


def test_hand_computed_values():
    assert metrics.mae(Y_TRUE, Y_PRED) == pytest.approx(1.0)
    assert metrics.rmse(Y_TRUE, Y_PRED) == pytest.approx(math.sqrt(6 / 4))
    assert metrics.mape(Y_TRUE, Y_PRED) == pytest.approx(100 * (0 + 1 / 2 + 1 / 3 + 2 / 4) / 4)
    assert metrics.smape(Y_TRUE, Y_PRED) == pytest.approx(100 * (0 + 2 / 5 + 2 / 5 + 4 / 10) / 4)


def test_mase_hand_computed_for_two_seasons():
    train = np.array([1.0, 3.0, 2.0, 5.0])
    # season 1: |3-1|, |2-3|, |5-2| -> mean 2; season 2: |2-1|, |5-3| -> mean 1.5
    assert metrics.mase(Y_TRUE, Y_PRED, train) == pytest.approx(1.0 / 2.0)
    assert metrics.mase(Y_TRUE, Y_PRED, train, season=2) == pytest.approx(1.0 / 1.5)


def test_mase_of_the_in_sample_seasonal_naive_forecast_is_one():
    rng = np.random.default_rng(0)
    train = rng.normal(size=200).cumsum()
    for season in (1, 7, 24):
        assert metrics.mase(train[season:], train[:-season], train, season) == pytest.approx(1.0)


def test_metrics_accept_a_column_against_a_flat_array_and_2d_blocks():
    assert metrics.mae(Y_TRUE[:, None], Y_PRED) == pytest.approx(1.0)
    block_true, block_pred = Y_TRUE.reshape(2, 2), Y_PRED.reshape(2, 2)
    assert metrics.rmse(block_true, block_pred) == pytest.approx(metrics.rmse(Y_TRUE, Y_PRED))


def test_perfect_forecast_scores_zero_and_returns_floats():
    for fn in (metrics.mae, metrics.rmse, metrics.mape, metrics.smape):
        value = fn(Y_TRUE, Y_TRUE)
        assert isinstance(value, float) and value == 0.0
    assert metrics.smape([0.0, 1.0], [0.0, 1.0]) == 0.0  # 0/0 term counts as perfect


def test_direction_accuracy_consecutive_and_with_origins():
    y_true = np.array([1.0, 2.0, 1.0, 1.0])
    y_pred = np.array([0.0, 3.0, 3.0, 1.0])
    # changes from y_true[:-1]: actual +, -, 0 ; forecast +, +, 0 -> 2 of 3 right
    assert metrics.direction_accuracy(y_true, y_pred) == pytest.approx(2 / 3)
    y_prev = np.array([0.0, 0.0, 2.0, 2.0])
    # actual +, +, -, - ; forecast 0, +, +, - -> 2 of 4 right
    assert metrics.direction_accuracy(y_true, y_pred, y_prev) == pytest.approx(0.5)
    # one origin per row of a multi-step forecast
    # row 1 from 2.0: actual -, + ; forecast -, + ; row 2 from 0.0: actual 0, - ; forecast +, -
    block = metrics.direction_accuracy([[1.0, 3.0], [0.0, -1.0]], [[0.5, 4.0], [1.0, -2.0]],
                                       [2.0, 0.0])
    assert block == pytest.approx(3 / 4)
    # persistence never "moves", so it is right only when nothing changed
    assert metrics.direction_accuracy([1.0, 2.0, 2.0], [1.0, 1.0, 2.0]) == pytest.approx(0.5)


@settings(max_examples=50, deadline=None)
@given(arrays(float, st.integers(1, 30), elements=st.floats(-1e3, 1e3)),
       arrays(float, st.integers(1, 30), elements=st.floats(-1e3, 1e3)))
def test_properties(a, b):
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    assert metrics.mae(a, b) == pytest.approx(metrics.mae(b, a))
    assert metrics.rmse(a, b) >= metrics.mae(a, b) - 1e-9
    assert 0.0 <= metrics.smape(a, b) <= 200.0 + 1e-9


@pytest.mark.parametrize("fn", [metrics.mae, metrics.rmse, metrics.mape, metrics.smape,
                                metrics.direction_accuracy])
def test_bad_inputs_raise_naming_the_argument(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="same shape"):
        fn(np.ones(4), np.ones((4, 2)))  # would broadcast silently without the check
    with pytest.raises(ValueError, match="y_true is empty"):
        fn([], [])
    with pytest.raises(ValueError, match="y_pred is empty"):
        fn([1.0], [])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        fn([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(TypeError, match="y_true must be numeric"):
        fn(["a", "b"], [1.0, 2.0])


def test_mape_rejects_zero_actuals():
    with pytest.raises(ValueError, match="y_true contains zeros"):
        metrics.mape([0.0, 1.0], [1.0, 1.0])


def test_mase_bad_inputs():
    with pytest.raises(ValueError, match="y_train must be a 1-D"):
        metrics.mase(Y_TRUE, Y_PRED, np.ones((3, 2)))
    with pytest.raises(ValueError, match="season must be >= 1"):
        metrics.mase(Y_TRUE, Y_PRED, [1.0, 2.0, 4.0], season=0)
    with pytest.raises(TypeError, match="season must be an int"):
        metrics.mase(Y_TRUE, Y_PRED, [1.0, 2.0, 4.0], season=1.5)
    with pytest.raises(ValueError, match="y_train needs more than season=3"):
        metrics.mase(Y_TRUE, Y_PRED, [1.0, 2.0, 4.0], season=3)
    with pytest.raises(ValueError, match="y_train is constant"):
        metrics.mase(Y_TRUE, Y_PRED, [2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="y_train is empty"):
        metrics.mase(Y_TRUE, Y_PRED, [])


def test_direction_accuracy_bad_inputs():
    with pytest.raises(ValueError, match="at least two values"):
        metrics.direction_accuracy([1.0], [1.0])
    with pytest.raises(ValueError, match="y_prev must have the shape"):
        metrics.direction_accuracy([1.0, 2.0], [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y_prev contains NaN"):
        metrics.direction_accuracy([1.0, 2.0], [1.0, 2.0], [1.0, np.nan])


# ----------------------------------------------------------------------------- chapter 12


def test_pinball_loss_by_hand():
    y, p = [1.0, 2.0, 3.0], [2.0, 2.0, 1.0]   # errors y - p: -1, 0, 2
    # q = 0.9: over-forecast by 1 costs 0.1, under-forecast by 2 costs 1.8
    assert metrics.pinball_loss(y, p, 0.9) == pytest.approx((0.1 + 0.0 + 1.8) / 3)
    assert metrics.pinball_loss(y, p, 0.5) == pytest.approx(0.5 * metrics.mae(y, p))


@settings(max_examples=30, deadline=None)
@given(q=st.floats(0.05, 0.95))
def test_pinball_loss_is_smallest_at_the_sample_quantile(q):
    y = np.random.default_rng(0).normal(size=201)
    best = np.quantile(y, q, method="inverted_cdf")
    losses = [metrics.pinball_loss(y, np.full_like(y, c), q) for c in (best - 0.05, best + 0.05)]
    assert metrics.pinball_loss(y, np.full_like(y, best), q) <= min(losses) + 1e-12


def test_interval_coverage_and_score_by_hand():
    y = np.array([0.0, 5.0, -3.0, 1.0])
    lower, upper = np.array([-1.0, -1.0, -1.0, 1.0]), np.array([1.0, 1.0, 1.0, 1.0])
    assert metrics.interval_coverage(y, lower, upper) == pytest.approx(0.5)  # ends count as inside
    # widths 2, 2, 2, 0; penalties (2/0.2) * 4 above and (2/0.2) * 2 below
    assert metrics.interval_score(y, lower, upper, 0.2) == pytest.approx((6 + 40 + 20) / 4)


def test_crps_ensemble_against_the_double_sum():
    rng = np.random.default_rng(3)
    y, samples = rng.normal(size=7), rng.normal(size=(7, 5))
    by_hand = np.mean([np.mean(np.abs(s - t)) - np.abs(s[:, None] - s[None, :]).sum() / (2 * 25)
                       for t, s in zip(y, samples, strict=True)])
    assert metrics.crps_ensemble(y, samples) == pytest.approx(by_hand)
    assert metrics.crps_ensemble(y, y[:, None] + 0.5) == pytest.approx(0.5)  # one draw: the MAE


def test_crps_of_a_normal_ensemble_matches_the_closed_form():
    # CRPS of N(0, 1) at y = 0 is sigma * (2 phi(0) - 1/sqrt(pi)) = 0.2337 (Gneiting & Raftery 2007)
    draws = np.random.default_rng(4).normal(size=(1, 20_000))
    expected = 2 / math.sqrt(2 * math.pi) - 1 / math.sqrt(math.pi)
    assert metrics.crps_ensemble([0.0], draws) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("call, error, match", [
    (lambda: metrics.pinball_loss([1.0], [1.0], 1.0), ValueError, "quantile"),
    (lambda: metrics.pinball_loss([1.0], [1.0], "0.5"), TypeError, "quantile"),
    (lambda: metrics.pinball_loss([1.0, 2.0], [1.0], 0.5), ValueError, "same shape"),
    (lambda: metrics.interval_coverage([1.0, 2.0], [2.0, 0.0], [1.0, 3.0]), ValueError,
     "lower must be <= upper"),
    (lambda: metrics.interval_score([1.0], [0.0], [2.0], 0.0), ValueError, "alpha"),
    (lambda: metrics.interval_score([1.0], [np.nan], [2.0], 0.1), ValueError, "NaN"),
    (lambda: metrics.crps_ensemble([1.0, 2.0], np.zeros((3, 4))), ValueError, r"\(N, S\)"),
    (lambda: metrics.crps_ensemble([1.0], np.zeros(4)), ValueError, "samples"),
])
def test_probabilistic_scores_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
