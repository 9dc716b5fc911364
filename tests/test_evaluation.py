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
