"""Comparing forecasters on one test split (chapters 06-08, 13).

:func:`results_table` scores every forecaster against the same truth in the data's
physical units (MAE, RMSE) and as MASE, one row per forecaster; a forecaster given as a
list of forecasts (one per seed) gets the mean and the standard deviation over seeds.
:func:`error_by_group` breaks the MAE down by season, hour of day or forecast step.
:func:`block_bootstrap_difference` asks whether two forecasters' mean losses on the same
test targets differ by more than the test period's sampling error (chapter 06).
:func:`rolling_origin_splits` lays out a rolling-origin backtest and :func:`diebold_mariano`
tests whether two forecasters' errors differ by more than chance (chapter 13);
:func:`lag_correlation` shows a forecast that only repeats the last value (chapter 13).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from lstm_lab import metrics
from lstm_lab.checks import check_int

__all__ = ["scores", "results_table", "format_results", "error_by_group", "error_by_horizon",
           "BootstrapInterval", "block_bootstrap_difference", "rolling_origin_splits",
           "diebold_mariano", "lag_correlation"]

_METRICS = ("MAE", "RMSE", "MASE")


def scores(y_true: ArrayLike, y_pred: ArrayLike, y_train: ArrayLike,
           season: int = 1) -> dict[str, float]:
    """MAE and RMSE (data units) and MASE (scaled by the seasonal naive error) (chapters 06-08)."""
    return {"MAE": metrics.mae(y_true, y_pred), "RMSE": metrics.rmse(y_true, y_pred),
            "MASE": metrics.mase(y_true, y_pred, y_train, season=season)}


def _runs(name: str, forecast: ArrayLike | Sequence[ArrayLike]) -> list[np.ndarray]:
    """One array per run: an array is one run, a list or tuple of arrays is one run per seed."""
    if isinstance(forecast, (list, tuple)):
        if not forecast:
            raise ValueError(f"forecasts[{name!r}] is an empty list; expected one array per seed")
        return [np.asarray(run, dtype=float) for run in forecast]
    return [np.asarray(forecast, dtype=float)]


def results_table(y_true: ArrayLike, forecasts: Mapping[str, ArrayLike | Sequence[ArrayLike]], *,
                  y_train: ArrayLike, season: int = 1) -> pd.DataFrame:
    """Score several forecasters on the same test targets: one row each (chapters 06-08).

    ``forecasts`` maps a name to a forecast shaped like ``y_true`` (a baseline), or to a
    list of such forecasts, one per seed (a neural network). ``y_train`` and ``season``
    define the MASE scale (see :func:`lstm_lab.metrics.mase`). Columns: ``runs``, then
    ``MAE``, ``RMSE``, ``MASE`` (the mean over runs) and ``MAE sd``, ``RMSE sd``,
    ``MASE sd`` (the sample standard deviation over runs, NaN for a single run). Rows keep
    the order of ``forecasts``; MAE and RMSE are in the units of ``y_true``.
    """
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise ValueError("forecasts must be a non-empty dict {name: forecast or list of forecasts}")
    rows = {}
    for name, forecast in forecasts.items():
        runs = _runs(name, forecast)
        per_run = pd.DataFrame([scores(y_true, run, y_train, season) for run in runs])
        row = {"runs": len(per_run)}
        for metric in _METRICS:
            row[metric] = per_run[metric].mean()
            row[f"{metric} sd"] = per_run[metric].std(ddof=1) if len(per_run) > 1 else np.nan
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "forecaster"
    return table[["runs", *_METRICS, *(f"{m} sd" for m in _METRICS)]]


def format_results(table: pd.DataFrame, unit: str = "", digits: int = 2) -> pd.DataFrame:
    """Format a :func:`results_table` for printing: ``"2.31 ± 0.05"``, units in the headers.

    ``print(format_results(table, "°C").to_string())`` gives a stable, readable table.
    """
    missing = [c for c in (*_METRICS, *(f"{m} sd" for m in _METRICS)) if c not in table]
    if missing:
        raise ValueError(f"table lacks the columns {missing}; pass the result of results_table")
    out = pd.DataFrame(index=table.index)
    out["runs"] = table["runs"]
    for metric in _METRICS:
        label = f"{metric} ({unit})" if unit and metric != "MASE" else metric
        mean, sd = table[metric], table[f"{metric} sd"]
        out[label] = [f"{m:.{digits}f}" if np.isnan(s) else f"{m:.{digits}f} ± {s:.{digits}f}"
                      for m, s in zip(mean, sd, strict=True)]
    return out


def error_by_group(y_true: ArrayLike, forecasts: Mapping[str, ArrayLike | Sequence[ArrayLike]],
                   groups: ArrayLike, statistic: str = "mae") -> pd.DataFrame:
    """MAE or bias per group (season, hour of day, ...) for each forecaster (chapters 06, 07).

    ``y_true`` is ``(N,)`` or ``(N, 1)``; ``groups`` gives one label per row.
    ``statistic="mae"`` gives the mean absolute error, ``"bias"`` the mean of
    ``y_pred - y_true`` (positive: the forecast is too high). A forecaster given as a list of
    runs is scored over the mean of its runs' errors. Returns a DataFrame with one row per
    group (sorted) and one column per forecaster.
    """
    if statistic not in ("mae", "bias"):
        raise ValueError(f"statistic must be 'mae' or 'bias', got {statistic!r}")
    truth = np.asarray(y_true, dtype=float)
    labels = np.asarray(groups)
    if truth.ndim == 2 and truth.shape[1] == 1:
        truth = truth[:, 0]
    if truth.ndim != 1:
        raise ValueError(f"y_true must be (N,) or (N, 1), got shape {truth.shape}; "
                         "use error_by_horizon for multi-step forecasts")
    if labels.shape != truth.shape:
        raise ValueError(f"groups must have one label per row of y_true ({truth.shape[0]}), "
                         f"got shape {labels.shape}")
    columns = {}
    for name, forecast in forecasts.items():
        errors = []
        for run in _runs(name, forecast):
            metrics.mae(truth, run)  # validates shape and values
            errors.append(run.reshape(truth.shape) - truth)
        per_row = np.mean(errors if statistic == "bias" else np.abs(errors), axis=0)
        columns[name] = pd.Series(per_row).groupby(labels, sort=True).mean()
    table = pd.DataFrame(columns)
    table.index.name = "group"
    return table


def error_by_horizon(y_true: ArrayLike,
                     forecasts: Mapping[str, ArrayLike | Sequence[ArrayLike]]) -> pd.DataFrame:
    """MAE at each forecast step 1..H for multi-step forecasts ``(N, H)`` (chapters 07, 10)."""
    truth = np.asarray(y_true, dtype=float)
    if truth.ndim != 2:
        raise ValueError(f"y_true must be (N, horizon), got shape {truth.shape}")
    columns = {}
    for name, forecast in forecasts.items():
        errors = []
        for run in _runs(name, forecast):
            metrics.mae(truth, run)  # validates shape and values
            errors.append(np.abs(truth - run.reshape(truth.shape)))
        columns[name] = np.mean(errors, axis=0).mean(axis=0)
    table = pd.DataFrame(columns, index=pd.RangeIndex(1, truth.shape[1] + 1, name="step"))
    return table


# ----------------------------------------------------------------------------- chapter 13


def rolling_origin_splits(n: int, initial: int, horizon: int, step: int = 1,
                          max_train: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs of a rolling-origin backtest over ``n`` time steps (chapter 13).

    Fold ``k`` ends training at ``e = initial + k * step``: it trains on ``[0, e)`` (an
    expanding window) or, with ``max_train``, on the last ``max_train`` steps ``[e - max_train, e)``
    (a sliding window; shorter while ``e < max_train``), and tests on ``[e, e + horizon)``. Folds
    continue while ``e + horizon <= n``. Returns a list of ``(train_idx, test_idx)`` int arrays.
    """
    n = check_int(n, "n")
    initial = check_int(initial, "initial")
    horizon = check_int(horizon, "horizon")
    step = check_int(step, "step")
    if max_train is not None:
        max_train = check_int(max_train, "max_train")
    if initial + horizon > n:
        raise ValueError(f"initial + horizon must be <= n: {initial} + {horizon} > {n}, so there "
                         f"is not a single fold")
    folds = []
    for end in range(initial, n - horizon + 1, step):
        start = 0 if max_train is None else max(0, end - max_train)
        folds.append((np.arange(start, end), np.arange(end, end + horizon)))
    return folds


def diebold_mariano(errors_a: ArrayLike, errors_b: ArrayLike, horizon: int = 1,
                    power: int = 2) -> tuple[float, float]:
    r"""Diebold-Mariano test of equal accuracy, with the small-sample correction (chapter 13).

    The loss differential is $d_t = |e_{a,t}|^p - |e_{b,t}|^p$ (``power`` $p$: 2 for squared,
    1 for absolute errors). Its mean $\bar d$ is divided by its standard error from the
    autocovariances $\gamma_k$ of $d$ up to lag $h - 1$ (``horizon`` $h$: $h$-step forecasts
    made every step overlap, so their errors are correlated up to that lag):
    $DM = \bar d / \sqrt{(\gamma_0 + 2\sum_{k=1}^{h-1}\gamma_k)/n}$ (Diebold & Mariano 1995).
    Harvey, Leybourne & Newbold (1997) multiply it by
    $\sqrt{(n + 1 - 2h + h(h-1)/n)/n}$ and compare it with Student's $t$ on $n - 1$ degrees of
    freedom. Returns ``(statistic, p_value)``, two-sided; a negative statistic means forecaster
    a is the more accurate. ``errors_a`` and ``errors_b`` are the two forecasters' errors on the
    same targets, in time order.
    """
    from scipy import stats

    a = np.asarray(metrics._as_values(errors_a, "errors_a"), dtype=float).ravel()
    b = np.asarray(metrics._as_values(errors_b, "errors_b"), dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"errors_a and errors_b must be errors on the same targets, got "
                         f"{np.size(errors_a)} and {np.size(errors_b)} values")
    horizon = check_int(horizon, "horizon")
    power = check_int(power, "power")
    n = a.size
    if n < 2 * horizon + 1:
        raise ValueError(f"diebold_mariano needs more than 2 * horizon = {2 * horizon} errors, "
                         f"got {n}")
    d = np.abs(a) ** power - np.abs(b) ** power
    centred = d - d.mean()
    gammas = [float(centred[k:] @ centred[:n - k]) / n for k in range(horizon)]
    variance = (gammas[0] + 2.0 * sum(gammas[1:])) / n
    if not variance > 0:
        raise ValueError("the loss differential has no positive variance (identical errors, or "
                         "negative autocovariances at this horizon): the test is undefined")
    statistic = d.mean() / np.sqrt(variance)
    statistic *= np.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    p_value = 2.0 * stats.t.sf(abs(statistic), df=n - 1)
    return float(statistic), float(p_value)


def lag_correlation(y_true: ArrayLike, y_pred: ArrayLike, max_lag: int = 5) -> pd.Series:
    r"""Correlation of a forecast with the truth shifted by each lag (chapter 13).

    Entry $k$ is $\mathrm{corr}(\hat y_t, y_{t-k})$ over the $t$ where both exist, for
    $k = -\text{max\_lag}, \dots, \text{max\_lag}$. A forecast that tracks the truth peaks at
    $k = 0$; one that repeats the last known value (persistence in disguise) peaks at $k = 1$.
    Apply it to changes (``np.diff``) rather than to levels: levels of a slowly moving series
    correlate at every small lag. Returns a Series indexed by ``lag``.
    """
    truth = _loss_series(y_true, "y_true")
    pred = _loss_series(y_pred, "y_pred")
    if truth.shape != pred.shape:
        raise ValueError(f"y_true and y_pred must be paired, one value per time step; got "
                         f"{truth.size} and {pred.size} values")
    max_lag = check_int(max_lag, "max_lag", minimum=0)
    if truth.size - max_lag < 3:
        raise ValueError(f"max_lag={max_lag} leaves fewer than 3 pairs of the {truth.size} values")
    values = {}
    for k in range(-max_lag, max_lag + 1):
        a = pred[k:] if k >= 0 else pred[:k]
        b = truth[:truth.size - k] if k >= 0 else truth[-k:]
        values[k] = float(np.corrcoef(a, b)[0, 1])
    return pd.Series(values, name="correlation").rename_axis("lag")


class BootstrapInterval(NamedTuple):
    """Result of :func:`block_bootstrap_difference` (chapter 06)."""

    difference: float  #: mean of ``loss_a - loss_b`` over the test targets
    low: float  #: lower end of the confidence interval
    high: float  #: upper end of the confidence interval
    resamples: np.ndarray  #: the ``n_resamples`` bootstrap means, in the order drawn


def _loss_series(values: ArrayLike, name: str) -> np.ndarray:
    """A finite 1-D float array from ``(N,)`` or ``(N, 1)`` losses, or an error naming ``name``."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be numeric (an array of per-target losses), "
                        f"got {type(values).__name__}") from err
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{name} must be (N,) or (N, 1): one loss per test target in time "
                         f"order, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def block_bootstrap_difference(loss_a: ArrayLike, loss_b: ArrayLike, *, block_length: int,
                               n_resamples: int = 2000, confidence: float = 0.95,
                               seed: int | None = 0) -> BootstrapInterval:
    r"""Moving-block bootstrap interval for the mean difference of paired losses (chapter 06).

    ``loss_a[t]`` and ``loss_b[t]`` are two forecasters' losses (for example absolute
    errors) on the same test target ``t``, in time order. Their differences
    $d_t = \text{loss\_a}_t - \text{loss\_b}_t$ are resampled in blocks of
    ``block_length`` consecutive values, so that each resample keeps the dependence between
    neighbouring targets (Künsch, 1989): a resample joins $\lceil N/L \rceil$ blocks
    $d_{s}, \dots, d_{s+L-1}$, with starts $s$ drawn uniformly from $0, \dots, N-L$
    (blocks may overlap), and is cut to $N$ values; its mean is one bootstrap mean. The
    interval is the central ``confidence`` range of the ``n_resamples`` bootstrap means (the
    percentile interval). A negative ``difference`` means forecaster a has the smaller mean
    loss; an interval that excludes 0 says the test period supports the ranking at that
    confidence.

    Choose ``block_length`` longer than the lags at which $d_t$ is still autocorrelated (a
    week of days, a day or more of hours): too short a block treats dependent targets as
    independent and gives too narrow an interval. ``block_length=1`` is the ordinary
    bootstrap of independent values. Chapter 13 teaches the Diebold-Mariano test, which
    answers the same question with a formula instead of resampling.

    ``seed`` seeds ``numpy.random.default_rng``, so the interval is reproducible.
    Raises ``TypeError`` for non-numeric losses or a non-int ``block_length`` or
    ``n_resamples``; ``ValueError`` for losses that are not one per target, differ in
    length, hold NaN or infinity or are fewer than two, a ``block_length`` outside
    ``1..N``, ``n_resamples < 1`` or a ``confidence`` outside (0, 1).
    """
    a, b = _loss_series(loss_a, "loss_a"), _loss_series(loss_b, "loss_b")
    if a.shape != b.shape:
        raise ValueError(f"loss_a and loss_b must be paired, one loss per test target each; "
                         f"got {a.size} and {b.size} values")
    n = a.size
    if n < 2:
        raise ValueError(f"need at least 2 paired losses to bootstrap, got {n}")
    block_length = check_int(block_length, "block_length")
    if block_length > n:
        raise ValueError(f"block_length ({block_length}) must not exceed the number of "
                         f"paired losses ({n})")
    n_resamples = check_int(n_resamples, "n_resamples")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating)):
        raise TypeError(f"confidence must be a number, got {type(confidence).__name__}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence}")
    difference = a - b
    rng = np.random.default_rng(seed)
    n_blocks = -(-n // block_length)  # ceil(n / block_length)
    starts = rng.integers(0, n - block_length + 1, size=(n_resamples, n_blocks))
    rows = (starts[:, :, None] + np.arange(block_length)).reshape(n_resamples, -1)[:, :n]
    means = difference[rows].mean(axis=1)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return BootstrapInterval(float(difference.mean()), float(low), float(high), means)
