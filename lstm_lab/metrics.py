"""Forecast error measures: MAE, RMSE, MAPE, sMAPE, MASE and direction accuracy.

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

__all__ = ["mae", "rmse", "mape", "smape", "mase", "direction_accuracy"]


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
