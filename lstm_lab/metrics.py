"""Forecast error measures: MAE, RMSE, MAPE, sMAPE, MASE and direction accuracy; and scores
for probabilistic forecasts: pinball loss, interval coverage, interval score and CRPS.

Chapter 05 introduces MAE and RMSE; chapter 06 adds MASE and reports all three in °C
(through :func:`lstm_lab.evaluation.results_table`, as do chapters 07 and 08); chapter 13
compares all six and their pitfalls. Every function takes ``(y_true, y_pred, ...)``
and returns a Python float.

Inputs must have the same number of values in the same layout: ``(N,)`` against
``(N, 1)`` is accepted (same values, one is a column), but ``(N,)`` against ``(M,)`` or
``(N, 2)`` raises ``ValueError`` instead of silently broadcasting. Empty inputs,
NaNs and infinities raise ``ValueError``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["mae", "rmse", "mape", "smape", "mase", "direction_accuracy", "pinball_loss",
           "interval_coverage", "interval_score", "crps_ensemble"]


def _as_values(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a finite, non-empty float array, or raise naming ``name``."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be numeric (an array of numbers), "
                        f"got {type(values).__name__}") from err
    if array.size == 0:
        raise ValueError(f"{name} is empty; expected at least one value")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; "
                         f"drop or fill them before scoring")
    return array


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check and flatten a (truth, forecast) pair that must hold the same values' layout."""
    truth = _as_values(y_true, "y_true")
    pred = _as_values(y_pred, "y_pred")
    if np.squeeze(truth).shape != np.squeeze(pred).shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {truth.shape} "
                         f"and {pred.shape}")
    return truth.ravel(), pred.ravel()


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Mean absolute error $\frac{1}{n}\sum_t |y_t - \hat y_t|$, in data units (chapters 05-08)."""
    truth, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(truth - pred)))


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Root mean squared error $\sqrt{\frac{1}{n}\sum_t (y_t - \hat y_t)^2}$ (chapters 05-08)."""
    truth, pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((truth - pred) ** 2)))


def mape(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Mean absolute percentage error $\frac{100}{n}\sum_t |y_t - \hat y_t| / |y_t|$ (chapter 13).

    Undefined when an actual value is zero (for example a temperature of 0 °C), so zeros
    in ``y_true`` raise ``ValueError``; use :func:`smape` or :func:`mase` there.
    """
    truth, pred = _pair(y_true, y_pred)
    if np.any(truth == 0):
        raise ValueError("y_true contains zeros, where MAPE is undefined; "
                         "use smape or mase instead")
    return float(100.0 * np.mean(np.abs(truth - pred) / np.abs(truth)))


def smape(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Symmetric MAPE, in percent from 0 to 200 (chapter 13).

    $$\mathrm{sMAPE} = \frac{100}{n}\sum_t \frac{2|y_t - \hat y_t|}{|y_t| + |\hat y_t|}$$

    A term whose actual and forecast are both zero is a perfect forecast and counts as 0.
    """
    truth, pred = _pair(y_true, y_pred)
    denominator = np.abs(truth) + np.abs(pred)
    safe = np.where(denominator == 0, 1.0, denominator)
    terms = np.where(denominator == 0, 0.0, 2.0 * np.abs(truth - pred) / safe)
    return float(100.0 * np.mean(terms))


def mase(y_true: ArrayLike, y_pred: ArrayLike, y_train: ArrayLike, season: int = 1) -> float:
    r"""Mean absolute scaled error of Hyndman & Koehler (2006) (chapters 06-08, 13).

    $$\mathrm{MASE} = \frac{\frac{1}{n}\sum_t |y_t - \hat y_t|}
      {\frac{1}{T-m}\sum_{t=m+1}^{T} |y^{\text{train}}_t - y^{\text{train}}_{t-m}|}$$

    The denominator is the in-sample MAE of the seasonal naive forecast with period
    ``season`` (= $m$) on the training series ``y_train`` (1-D, in time order). MASE < 1
    means the forecast beats that naive forecast's training-set error.
    """
    truth, pred = _pair(y_true, y_pred)
    train = _as_values(y_train, "y_train")
    if train.ndim != 1:
        raise ValueError(f"y_train must be a 1-D series in time order, got shape {train.shape}")
    if isinstance(season, bool) or not isinstance(season, (int, np.integer)):
        raise TypeError(f"season must be an int, got {type(season).__name__}")
    if season < 1:
        raise ValueError(f"season must be >= 1, got {season}")
    if train.size <= season:
        raise ValueError(f"y_train needs more than season={season} values, got {train.size}")
    scale = float(np.mean(np.abs(train[season:] - train[:-season])))
    if scale == 0:
        raise ValueError(f"y_train is constant at lag season={season}, so the MASE scale is 0")
    return float(np.mean(np.abs(truth - pred)) / scale)


def direction_accuracy(y_true: ArrayLike, y_pred: ArrayLike,
                       y_prev: ArrayLike | None = None) -> float:
    """Share of forecasts that move in the same direction as the actual value (chapter 13).

    The direction of a forecast is the sign of ``y_pred - y_prev``, that of the actual the
    sign of ``y_true - y_prev``, where ``y_prev`` is the last value known when the forecast
    was made. Without ``y_prev``, the forecasts are taken as consecutive one-step forecasts
    and ``y_prev = y_true[:-1]`` (the first forecast is then not scored). A forecast of "no
    change" counts as right only if the value indeed did not change. Returns a fraction in [0, 1].
    """
    truth, pred = _pair(y_true, y_pred)
    if y_prev is None:
        if truth.size < 2:
            raise ValueError("direction_accuracy needs y_prev or at least two values in y_true")
        prev, truth, pred = truth[:-1], truth[1:], pred[1:]
    else:
        prev = _as_values(y_prev, "y_prev")
        true_2d = np.asarray(y_true, dtype=float)
        if true_2d.ndim == 2 and prev.ndim == 1 and prev.shape[0] == true_2d.shape[0]:
            prev = np.repeat(prev[:, None], true_2d.shape[1], axis=1)  # one origin per row
        if prev.size != truth.size or np.squeeze(prev).shape != np.squeeze(true_2d).shape:
            raise ValueError(f"y_prev must have the shape of y_true {true_2d.shape} (or one value "
                             f"per row), got {np.shape(y_prev)}")
        prev = prev.ravel()
    return float(np.mean(np.sign(truth - prev) == np.sign(pred - prev)))


# ----------------------------------------------------------------------------- chapter 12


def _check_level(value: object, name: str) -> float:
    """A probability strictly between 0 and 1 (a quantile level or an interval's alpha)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in (0, 1), got {type(value).__name__}")
    if not 0.0 < float(value) < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    return float(value)


def _interval(y_true: ArrayLike, lower: ArrayLike,
              upper: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check and flatten truth and interval bounds of one layout; ``lower <= upper`` everywhere."""
    truth, low = _pair(y_true, lower)
    _, high = _pair(y_true, upper)
    crossed = low > high
    if crossed.any():
        raise ValueError(f"lower must be <= upper everywhere; {int(crossed.sum())} of "
                         f"{crossed.size} intervals have lower > upper (repair crossing quantiles, "
                         f"e.g. by sorting them, before scoring)")
    return truth, low, high


def pinball_loss(y_true: ArrayLike, y_pred: ArrayLike, quantile: float) -> float:
    r"""Mean pinball (quantile) loss of a forecast of the ``quantile`` level (chapter 12).

    $\frac{1}{n}\sum_t \max\big(q (y_t - \hat y_t),\ (q - 1)(y_t - \hat y_t)\big)$ with
    $0 < q < 1$: under-forecasts cost $q$ per unit, over-forecasts $1 - q$, so the loss is
    smallest for the true $q$-quantile. At $q = 0.5$ it is half the MAE.
    """
    q = _check_level(quantile, "quantile")
    truth, pred = _pair(y_true, y_pred)
    diff = truth - pred
    return float(np.mean(np.maximum(q * diff, (q - 1.0) * diff)))


def interval_coverage(y_true: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Fraction of values inside their interval, ``lower <= y <= upper`` (chapter 12).

    A calibrated 80 % interval covers about 0.8 of the values, on data it was not fitted to.
    """
    truth, low, high = _interval(y_true, lower, upper)
    return float(np.mean((low <= truth) & (truth <= high)))


def interval_score(y_true: ArrayLike, lower: ArrayLike, upper: ArrayLike, alpha: float) -> float:
    r"""Mean interval score of central $(1 - \alpha)$ intervals (chapter 12).

    Gneiting & Raftery (2007):
    $\frac{1}{n}\sum_t (u_t - l_t) + \frac{2}{\alpha}(l_t - y_t)[y_t < l_t]
    + \frac{2}{\alpha}(y_t - u_t)[y_t > u_t]$: the width, plus a penalty for every value outside,
    in data units; lower is better. ``alpha = 0.2`` scores 80 % intervals.
    """
    a = _check_level(alpha, "alpha")
    truth, low, high = _interval(y_true, lower, upper)
    below = (low - truth) * (truth < low)
    above = (truth - high) * (truth > high)
    return float(np.mean((high - low) + (2.0 / a) * below + (2.0 / a) * above))


def crps_ensemble(y_true: ArrayLike, samples: ArrayLike) -> float:
    r"""Continuous ranked probability score of sample (ensemble) forecasts (chapter 12).

    ``samples`` is ``(N, S)``: ``S`` draws from the forecast distribution of each of the ``N``
    values in ``y_true`` (``(N,)``). Returns the mean over ``N`` of
    $\frac{1}{S}\sum_s |x_s - y| - \frac{1}{2S^2}\sum_{s, s'} |x_s - x_{s'}|$, in data units;
    for a single sample (``S = 1``) it is the absolute error.
    """
    truth = _as_values(y_true, "y_true").ravel()
    draws = _as_values(samples, "samples")
    if draws.ndim != 2 or draws.shape[0] != truth.size:
        raise ValueError(f"samples must be (N, S) with N = {truth.size} rows, one per value of "
                         f"y_true, got shape {draws.shape}")
    accuracy = np.mean(np.abs(draws - truth[:, None]), axis=1)
    # sum over pairs |x_s - x_s'| from the sorted draws: sum_i (2i - S - 1) x_(i), i = 1..S
    ordered = np.sort(draws, axis=1)
    n_draws = draws.shape[1]
    weights = 2.0 * np.arange(1, n_draws + 1) - n_draws - 1
    spread = 2.0 * (ordered @ weights) / (2.0 * n_draws ** 2)
    return float(np.mean(accuracy - spread))
