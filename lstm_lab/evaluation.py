"""Comparing forecasters on one test split (chapters 06-08, 13).

:func:`results_table` scores every forecaster against the same truth in the data's
physical units (MAE, RMSE) and as MASE, one row per forecaster; a forecaster given as a
list of forecasts (one per seed) gets the mean and the standard deviation over seeds.
:func:`error_by_group` breaks the MAE down by season, hour of day or forecast step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from lstm_lab import metrics

__all__ = ["scores", "results_table", "format_results", "error_by_group", "error_by_horizon"]

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
