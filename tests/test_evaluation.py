"""lstm_lab.evaluation: the results table against hand computations, grouping, bad inputs."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lstm_lab import evaluation, metrics

Y_TRAIN = np.array([1.0, 3.0, 2.0, 5.0])  # naive in-sample MAE: 2.0
Y_TRUE = np.array([[1.0], [2.0], [3.0], [4.0]])


def test_results_table_hand_computed_with_runs():
    baseline = Y_TRUE + np.array([[1.0], [-1.0], [1.0], [-1.0]])  # MAE 1, RMSE 1
    runs = [Y_TRUE + 0.5, Y_TRUE - 1.5]  # MAE 0.5 and 1.5
    table = evaluation.results_table(Y_TRUE, {"naive": baseline, "lstm": runs}, y_train=Y_TRAIN)
    assert list(table.index) == ["naive", "lstm"]
    assert list(table.columns) == ["runs", "MAE", "RMSE", "MASE", "MAE sd", "RMSE sd", "MASE sd"]
    assert table.loc["naive", "runs"] == 1 and np.isnan(table.loc["naive", "MAE sd"])
    assert table.loc["naive", "MAE"] == pytest.approx(1.0)
    assert table.loc["naive", "MASE"] == pytest.approx(0.5)
    assert table.loc["lstm", "MAE"] == pytest.approx(1.0)
    assert table.loc["lstm", "MAE sd"] == pytest.approx(np.std([0.5, 1.5], ddof=1))
    assert table.loc["lstm", "MASE"] == pytest.approx(np.mean([0.25, 0.75]))
    assert table.loc["lstm", "RMSE"] == pytest.approx(1.0)


def test_scores_match_metrics_with_a_season():
    rng = np.random.default_rng(0)
    train, truth, pred = rng.normal(size=50), rng.normal(size=10), rng.normal(size=10)
    got = evaluation.scores(truth, pred, train, season=7)
    assert got == {"MAE": metrics.mae(truth, pred), "RMSE": metrics.rmse(truth, pred),
                   "MASE": metrics.mase(truth, pred, train, 7)}


def test_format_results():
    table = evaluation.results_table(Y_TRUE, {"naive": Y_TRUE + 1, "lstm": [Y_TRUE, Y_TRUE + 0.2]},
                                     y_train=Y_TRAIN)
    text = evaluation.format_results(table, "°C")
    assert list(text.columns) == ["runs", "MAE (°C)", "RMSE (°C)", "MASE"]
    assert text.loc["naive", "MAE (°C)"] == "1.00"
    assert text.loc["lstm", "MAE (°C)"] == "0.10 ± 0.14"
    with pytest.raises(ValueError, match="table lacks the columns"):
        evaluation.format_results(pd.DataFrame({"MAE": [1.0]}))


def test_error_by_group_and_by_horizon():
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    groups = np.array(["b", "a", "b", "a"])
    table = evaluation.error_by_group(truth, {"f": truth + [1, 2, 3, 4],
                                              "g": [truth, truth + 2]}, groups)
    assert list(table.index) == ["a", "b"]
    assert table.loc["a", "f"] == pytest.approx(3.0) and table.loc["b", "f"] == pytest.approx(2.0)
    assert table.loc["a", "g"] == pytest.approx(1.0)
    runs = [truth - 1, truth + 3]
    bias = evaluation.error_by_group(truth, {"f": truth + [1, -2, 3, 4], "g": runs}, groups,
                                     statistic="bias")
    assert bias.loc["a", "f"] == pytest.approx(1.0) and bias.loc["b", "f"] == pytest.approx(2.0)
    assert bias.loc["a", "g"] == pytest.approx(1.0)
    block = np.arange(6.0).reshape(3, 2)
    steps = evaluation.error_by_horizon(block, {"f": block + [0.5, 2.0]})
    assert list(steps.index) == [1, 2]
    np.testing.assert_allclose(steps["f"], [0.5, 2.0])


def test_bad_inputs():
    with pytest.raises(ValueError, match="forecasts must be a non-empty dict"):
        evaluation.results_table(Y_TRUE, {}, y_train=Y_TRAIN)
    with pytest.raises(ValueError, match="forecasts\\['lstm'\\] is an empty list"):
        evaluation.results_table(Y_TRUE, {"lstm": []}, y_train=Y_TRAIN)
    with pytest.raises(ValueError, match="same shape"):
        evaluation.results_table(Y_TRUE, {"f": Y_TRUE[:3]}, y_train=Y_TRAIN)
    with pytest.raises(ValueError, match="groups must have one label per row"):
        evaluation.error_by_group(Y_TRUE, {"f": Y_TRUE}, ["a", "b"])
    with pytest.raises(ValueError, match="statistic must be 'mae' or 'bias'"):
        evaluation.error_by_group(Y_TRUE, {"f": Y_TRUE}, list("abcd"), statistic="rmse")
    with pytest.raises(ValueError, match="use error_by_horizon"):
        evaluation.error_by_group(np.ones((4, 2)), {"f": np.ones((4, 2))}, list("abcd"))
    with pytest.raises(ValueError, match="y_true must be \\(N, horizon\\)"):
        evaluation.error_by_horizon(np.ones(4), {"f": np.ones(4)})


# ----------------------------------------------------------------------------- chapter 13


def test_rolling_origin_splits_match_a_hand_loop():
    folds = evaluation.rolling_origin_splits(20, initial=8, horizon=3, step=4)
    expected, end = [], 8
    while end + 3 <= 20:
        expected.append((list(range(end)), list(range(end, end + 3))))
        end += 4
    assert [(tr.tolist(), te.tolist()) for tr, te in folds] == expected
    assert [te[0] for _, te in folds] == [8, 12, 16]
    sliding = evaluation.rolling_origin_splits(20, initial=8, horizon=3, step=4, max_train=5)
    assert [tr.tolist() for tr, _ in sliding] == [list(range(3, 8)), list(range(7, 12)),
                                                 list(range(11, 16))]
    assert all(tr.max() < te.min() for tr, te in folds + sliding)  # never trains on its test
    last = evaluation.rolling_origin_splits(11, initial=8, horizon=3)
    assert len(last) == 1 and last[0][1].tolist() == [8, 9, 10]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=10, initial=0, horizon=2), ValueError, "initial"),
    (dict(n=10, initial=5, horizon=0), ValueError, "horizon"),
    (dict(n=10, initial=5, horizon=2, step=0), ValueError, "step"),
    (dict(n=10, initial=9, horizon=2), ValueError, "initial \\+ horizon"),
    (dict(n=10, initial=5, horizon=2, max_train=0), ValueError, "max_train"),
    (dict(n=10.0, initial=5, horizon=2), TypeError, "n must be an int"),
])
def test_rolling_origin_splits_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        evaluation.rolling_origin_splits(**kwargs)


def dm_by_hand(a, b, h, p):
    d = [abs(x) ** p - abs(y) ** p for x, y in zip(a, b, strict=True)]
    n = len(d)
    mean = sum(d) / n
    gamma = [sum((d[t] - mean) * (d[t - k] - mean) for t in range(k, n)) / n for k in range(h)]
    dm = mean / math.sqrt((gamma[0] + 2 * sum(gamma[1:])) / n)
    return dm * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)


@pytest.mark.parametrize("h, p", [(1, 2), (3, 2), (4, 1)])
def test_diebold_mariano_against_a_hand_computation(h, p):
    rng = np.random.default_rng(h)
    a = rng.normal(size=60)
    b = 1.3 * rng.normal(size=60)
    stat, p_value = evaluation.diebold_mariano(a, b, horizon=h, power=p)
    assert stat == pytest.approx(dm_by_hand(a, b, h, p))
    assert p_value == pytest.approx(2 * stats.t.sf(abs(stat), df=59))
    back, p_back = evaluation.diebold_mariano(b, a, horizon=h, power=p)
    assert back == pytest.approx(-stat) and p_back == pytest.approx(p_value)


def test_diebold_mariano_sign_and_power():
    rng = np.random.default_rng(0)
    small, large = 0.5 * rng.normal(size=400), 2.0 * rng.normal(size=400)
    stat, p_value = evaluation.diebold_mariano(small, large)
    assert stat < 0 and p_value < 1e-6  # a is far more accurate: negative and significant
    same = rng.normal(size=400)
    _, p_null = evaluation.diebold_mariano(same, rng.permutation(same))
    assert p_null > 0.01  # equally accurate by construction


@pytest.mark.parametrize("call, error, match", [
    (lambda: evaluation.diebold_mariano([1.0, 2.0], [1.0]), ValueError, "same targets"),
    (lambda: evaluation.diebold_mariano(np.ones(10), np.ones(10)), ValueError, "variance"),
    (lambda: evaluation.diebold_mariano(np.ones(4), np.zeros(4), horizon=2), ValueError,
     "more than"),
    (lambda: evaluation.diebold_mariano([1.0, np.nan, 2.0], [1.0, 1.0, 1.0]), ValueError, "NaN"),
    (lambda: evaluation.diebold_mariano(np.ones(9), np.zeros(9), horizon=1.5), TypeError,
     "horizon"),
])
def test_diebold_mariano_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ----------------------------------------------------------------------------- block bootstrap


def test_block_bootstrap_resamples_are_the_hand_enumerated_block_means():
    # d = a - b = [1, 0, 2, 5]; block_length 2 -> starts 0, 1, 2 give the blocks
    # [1, 0], [0, 2], [2, 5]; two blocks fill N = 4, so a resample's mean is
    # (sum of block i + sum of block j) / 4 with block sums 1, 2, 7: 9 equally likely pairs
    a = np.array([3.0, 1.0, 4.0, 6.0])
    b = np.array([2.0, 1.0, 2.0, 1.0])
    block_sums = np.array([1.0, 2.0, 7.0])
    pairs = (block_sums[:, None] + block_sums[None, :]).ravel() / 4
    possible, counts = np.unique(pairs, return_counts=True)  # 0.5, 0.75, 1, 2, 2.25, 3.5
    result = evaluation.block_bootstrap_difference(a, b, block_length=2, n_resamples=9000, seed=1)
    assert result.difference == pytest.approx(2.0)  # mean of d
    assert result.resamples.shape == (9000,)
    assert np.isin(result.resamples, possible).all()
    seen = np.array([np.mean(result.resamples == value) for value in possible])
    np.testing.assert_allclose(seen, counts / 9, atol=0.02)
    # the exact 2.5 % and 97.5 % points of the 9-value distribution are 0.5 and 3.5
    assert (result.low, result.high) == (0.5, 3.5)


def test_block_bootstrap_edge_cases_by_hand():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=12), rng.normal(size=12)
    # one block as long as the series: every resample is the series itself
    whole = evaluation.block_bootstrap_difference(a, b, block_length=12, n_resamples=50)
    assert (whole.low, whole.high) == pytest.approx((np.mean(a - b), np.mean(a - b)))
    # a constant difference has no sampling error, whatever the blocks
    const = evaluation.block_bootstrap_difference(b + 0.25, b, block_length=5, n_resamples=50)
    assert (const.difference, const.low, const.high) == pytest.approx((0.25, 0.25, 0.25))
    # blocks of 1 are the ordinary bootstrap: resample means spread like sd(d) / sqrt(N)
    d = rng.normal(size=400)
    iid = evaluation.block_bootstrap_difference(d, np.zeros(400), block_length=1, n_resamples=4000)
    assert np.std(iid.resamples) == pytest.approx(np.std(d) / np.sqrt(400), rel=0.05)
    # (N, 1) columns are accepted; the same seed gives the same interval
    again = evaluation.block_bootstrap_difference(a[:, None], b[:, None], block_length=3)
    assert again[:3] == evaluation.block_bootstrap_difference(a, b, block_length=3)[:3]


def test_block_bootstrap_is_wider_for_dependent_differences():
    # a slowly wandering difference: blocks of 20 see its dependence, blocks of 1 do not
    rng = np.random.default_rng(0)
    d = np.convolve(rng.normal(size=620), np.ones(20) / 20, mode="valid")[:600]
    short = evaluation.block_bootstrap_difference(d, np.zeros(600), block_length=1)
    long = evaluation.block_bootstrap_difference(d, np.zeros(600), block_length=20)
    assert (long.high - long.low) > 2.5 * (short.high - short.low)


def test_block_bootstrap_bad_inputs():
    a, b = np.arange(6.0), np.ones(6)
    boot = evaluation.block_bootstrap_difference
    with pytest.raises(TypeError, match="loss_a must be numeric"):
        boot(["x"] * 6, b, block_length=2)
    with pytest.raises(ValueError, match="loss_b must be \\(N,\\) or \\(N, 1\\)"):
        boot(a, np.ones((6, 2)), block_length=2)
    with pytest.raises(ValueError, match="must be paired.*6 and 5"):
        boot(a, b[:5], block_length=2)
    with pytest.raises(ValueError, match="loss_a contains NaN"):
        boot(np.r_[a[:5], np.nan], b, block_length=2)
    with pytest.raises(ValueError, match="at least 2 paired losses"):
        boot(a[:1], b[:1], block_length=1)
    with pytest.raises(TypeError, match="block_length must be an int"):
        boot(a, b, block_length=2.0)
    with pytest.raises(ValueError, match="block_length must be >= 1"):
        boot(a, b, block_length=0)
    with pytest.raises(ValueError, match="block_length \\(7\\) must not exceed .* \\(6\\)"):
        boot(a, b, block_length=7)
    with pytest.raises(ValueError, match="n_resamples must be >= 1"):
        boot(a, b, block_length=2, n_resamples=0)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        boot(a, b, block_length=2, confidence=95)
    with pytest.raises(TypeError, match="confidence must be a number"):
        boot(a, b, block_length=2, confidence="0.95")


def test_lag_correlation_finds_persistence_at_lag_one():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=300)
    persistence = np.r_[0.0, truth[:-1]]  # the forecast for t is the value at t - 1
    corr = evaluation.lag_correlation(truth, persistence, max_lag=3)
    assert list(corr.index) == [-3, -2, -1, 0, 1, 2, 3] and corr.index.name == "lag"
    assert corr.idxmax() == 1 and corr[1] == pytest.approx(1.0)
    assert abs(corr[0]) < 0.2
    # by hand: lag k pairs the forecast at t with the truth at t - k
    assert corr[2] == pytest.approx(np.corrcoef(persistence[2:], truth[:-2])[0, 1])
    assert corr[-1] == pytest.approx(np.corrcoef(persistence[:-1], truth[1:])[0, 1])
    assert evaluation.lag_correlation(truth, truth, max_lag=0)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("args, kwargs, error, match", [
    (([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0]), {}, ValueError, "paired"),
    (([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]), {"max_lag": 2}, ValueError, "max_lag"),
    ((np.arange(10.0), np.arange(10.0)), {"max_lag": -1}, ValueError, "max_lag"),
    ((np.arange(10.0), np.arange(10.0)), {"max_lag": 1.5}, TypeError, "max_lag"),
    ((np.arange(10.0), np.r_[np.nan, np.arange(9.0)]), {}, ValueError, "y_pred"),
    ((np.ones((10, 2)), np.ones((10, 2))), {}, ValueError, "y_true"),
    (("abc", np.arange(3.0)), {}, TypeError, "y_true"),
])
def test_lag_correlation_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        evaluation.lag_correlation(*args, **kwargs)
