"""Baseline forecasts that every model must beat (chapters 05-08).

Each baseline only uses values known when the forecast is made:

* :func:`persistence`, :func:`seasonal_naive` and :func:`seasonal_mean` take a 1-D
  ``series`` and return an ``(N, horizon)`` array whose row ``i`` forecasts
  ``series[i + input_width : i + input_width + horizon]`` from the ``input_width`` values
  before it, ``series[i : i + input_width]``. The rows line up with
  ``lstm_lab.windows.make_windows(series, input_width, horizon)``: same ``N``, same targets.
  To give a baseline a longer history than the model (a weekly seasonal naive forecast
  for a model that reads one day), slice the series so that it starts ``input_width``
  values before the first target, as you do for the model.
* :func:`climatology` averages the training period by season (day of year, hour, ...).
* :func:`fit_linear_on_lags` fits a scikit-learn linear model to the same windows as the
  network, so it sees exactly the network's inputs (also the ``{"past", "future"}`` inputs
  of a network with known-future covariates, chapter 08).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from lstm_lab.checks import check_int as _check_int

__all__ = ["persistence", "seasonal_naive", "seasonal_mean", "climatology", "fit_linear_on_lags",
           "LinearOnLags"]



def _check_series(series: ArrayLike, name: str = "series") -> np.ndarray:
    try:
        values = np.asarray(series, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a 1-D array of numbers, "
                        f"got {type(series).__name__}") from err
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D (the target series only), got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinite values; fill or drop them first")
    return values


def _target_index(n_values: int, input_width: int, horizon: int) -> np.ndarray:
    """Index of each forecast's target: row i, step h -> i + input_width + h, shape (N, horizon)."""
    n_rows = n_values - input_width - horizon + 1
    if n_rows < 1:
        raise ValueError(f"series has {n_values} values, too few for input_width={input_width} "
                         f"and horizon={horizon} (need at least {input_width + horizon})")
    return input_width + np.arange(n_rows)[:, None] + np.arange(horizon)[None, :]


def persistence(series: ArrayLike, input_width: int = 1, horizon: int = 1) -> np.ndarray:
    r"""Naive forecast: every future step equals the last known value (chapter 05).

    $\hat y_{t+h} = y_t$ for $h = 1, \dots, H$. Returns ``(N, horizon)``, aligned with
    ``make_windows(series, input_width, horizon)`` (see the module docstring).
    """
    values = _check_series(series)
    input_width = _check_int(input_width, "input_width")
    horizon = _check_int(horizon, "horizon")
    target = _target_index(values.size, input_width, horizon)
    last_known = target[:, 0] - 1  # i + input_width - 1, the window's last value
    return np.repeat(values[last_known][:, None], horizon, axis=1)


def seasonal_naive(series: ArrayLike, season: int, input_width: int | None = None,
                   horizon: int = 1) -> np.ndarray:
    r"""Seasonal naive forecast: the value one season earlier (chapters 06, 07).

    $\hat y_{t+h} = y_{t+h-mk}$ with $k = \lfloor (h-1)/m \rfloor + 1$, the most recent known
    value at the same phase of the season $m$ = ``season`` (e.g. 7 for daily data with a
    weekly cycle, 48 for half-hourly data and a daily cycle). ``input_width`` (default
    ``season``) must be at least ``season``. Returns ``(N, horizon)``.
    """
    values = _check_series(series)
    season = _check_int(season, "season")
    input_width = season if input_width is None else _check_int(input_width, "input_width")
    horizon = _check_int(horizon, "horizon")
    if input_width < season:
        raise ValueError(f"input_width={input_width} is shorter than season={season}: the "
                         f"forecast needs the value one season back")
    target = _target_index(values.size, input_width, horizon)
    steps_back = season * (np.arange(horizon) // season + 1)
    return values[target - steps_back[None, :]]


def seasonal_mean(series: ArrayLike, season: int, n_seasons: int, input_width: int | None = None,
                  horizon: int = 1) -> np.ndarray:
    r"""Mean of the last ``n_seasons`` known values at the same phase of the season (chapter 06).

    With ``season=24`` and ``n_seasons=7`` on hourly data: the average of the same hour on
    the last seven days, a recent "climatology" that needs no earlier years. ``input_width``
    (default ``season * n_seasons``) must be at least ``season * n_seasons``. Returns
    ``(N, horizon)``.
    """
    values = _check_series(series)
    season = _check_int(season, "season")
    n_seasons = _check_int(n_seasons, "n_seasons")
    needed = season * n_seasons
    input_width = needed if input_width is None else _check_int(input_width, "input_width")
    horizon = _check_int(horizon, "horizon")
    if input_width < needed:
        raise ValueError(f"input_width={input_width} is shorter than season * n_seasons = {needed}")
    target = _target_index(values.size, input_width, horizon)
    steps_back = season * (np.arange(horizon) // season + 1)
    first = target - steps_back[None, :]
    return np.mean([values[first - season * j] for j in range(n_seasons)], axis=0)


def _check_phase(phase: ArrayLike, name: str, period: int) -> np.ndarray:
    array = np.asarray(phase)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must be a 1-D array of ints (e.g. day of year - 1), "
                        f"got dtype {array.dtype} and shape {array.shape}")
    if array.size and (array.min() < 0 or array.max() >= period):
        raise ValueError(f"{name} must lie in [0, period={period}), "
                         f"got values from {array.min()} to {array.max()}")
    return array


def climatology(train_values: ArrayLike, train_phase: ArrayLike, target_phase: ArrayLike,
                period: int, half_width: int = 0) -> np.ndarray:
    r"""Climatology: the training-period mean at each phase of the season (chapter 06).

    ``train_phase[t]`` is the phase (an int in ``[0, period)``) of ``train_values[t]``: the
    day of year minus one with ``period=366``, the hour with ``period=24``, and so on. The
    forecast for a target at phase $p$ is the mean of the training values whose phase is
    within ``half_width`` of $p$ (counted around the circle, so 31 December neighbours
    1 January). Only the training values are used, so no test value can leak in.
    Returns an array shaped like ``target_phase``.
    """
    values = _check_series(train_values, "train_values")
    period = _check_int(period, "period")
    half_width = _check_int(half_width, "half_width", minimum=0)
    if 2 * half_width + 1 > period:
        raise ValueError(f"half_width={half_width} covers more than one period={period}")
    phase = _check_phase(train_phase, "train_phase", period)
    target = _check_phase(target_phase, "target_phase", period)
    if phase.size != values.size:
        raise ValueError(f"train_phase has {phase.size} values but train_values has {values.size}")
    sums = np.bincount(phase, weights=values, minlength=period)
    counts = np.bincount(phase, minlength=period).astype(float)
    offsets = np.arange(-half_width, half_width + 1)
    sums = sum(np.roll(sums, k) for k in offsets)
    counts = sum(np.roll(counts, k) for k in offsets)
    missing = np.unique(target[counts[target] == 0])
    if missing.size:
        raise ValueError(f"target_phase has phases never seen in training: {missing[:5].tolist()}"
                         f"; use a larger half_width or a longer training period")
    return sums[target] / counts[target]


def _last_lags(X: np.ndarray, n_lags: int | None) -> np.ndarray:
    """Flatten the last ``n_lags`` time steps of windows (N, W[, F]) into (N, n_lags * F)."""
    X = X[:, :, None] if X.ndim == 2 else X
    if n_lags is not None:
        X = X[:, -n_lags:, :]
    return X.reshape(X.shape[0], -1)


def _past_and_future(X: ArrayLike | Mapping,
                     name: str = "X") -> tuple[np.ndarray, np.ndarray | None]:
    """Split model inputs into the past windows and the known-future covariates (or None)."""
    if not isinstance(X, Mapping):
        return np.asarray(X, dtype=float), None
    if set(X) != {"past", "future"}:
        raise ValueError(f"{name} given as a dict must have the keys 'past' and 'future' (the "
                         f"inputs of models.lstm_with_future_covariates), got {sorted(X)}")
    past, future = np.asarray(X["past"], dtype=float), np.asarray(X["future"], dtype=float)
    if future.ndim not in (2, 3) or past.ndim < 1 or future.shape[0] != past.shape[0]:
        raise ValueError(f"{name}['future'] must be (N, horizon) or (N, horizon, F) with the "
                         f"N = {past.shape[0] if past.ndim else 0} rows of {name}['past'], "
                         f"got shape {future.shape}")
    return past, future


def _features(past: np.ndarray, future: np.ndarray | None, n_lags: int | None) -> np.ndarray:
    """The regression's inputs: the last lags of every feature, then the future covariates."""
    lags = _last_lags(past, n_lags)
    return lags if future is None else np.hstack([lags, future.reshape(future.shape[0], -1)])


class LinearOnLags:
    """A fitted linear autoregression; made by :func:`fit_linear_on_lags` (chapters 06-08)."""

    def __init__(self, regression, window_shape: tuple[int, ...], y_ndim: int,
                 n_lags: int | None, future_shape: tuple[int, ...] | None = None):
        self.regression = regression  # the scikit-learn pipeline (scaler + linear model)
        self.window_shape = window_shape
        self.y_ndim = y_ndim
        self.n_lags = n_lags
        self.future_shape = future_shape  # None unless fitted with known-future covariates

    def predict(self, X: ArrayLike | Mapping) -> np.ndarray:
        """Forecast every window of ``X``; the result has the layout of the training ``y``.

        ``X`` has the layout the model was fitted on: windows, or ``{"past", "future"}``.
        """
        past, future = _past_and_future(X)
        if past.shape[1:] != self.window_shape:
            raise ValueError(f"X must hold windows of shape {self.window_shape} like the training "
                             f"windows, got {past.shape[1:]}")
        got = None if future is None else future.shape[1:]
        if got != self.future_shape:
            raise ValueError(f"X['future'] must have shape (N, *{self.future_shape}) like the "
                             f"training inputs, got {got}" if self.future_shape else
                             "X has known-future covariates but the model was fitted without "
                             "them; pass the windows only")
        forecast = self.regression.predict(_features(past, future, self.n_lags))
        return forecast.reshape(past.shape[0], -1) if self.y_ndim == 2 else forecast.ravel()


def fit_linear_on_lags(X: ArrayLike | Mapping, y: ArrayLike, n_lags: int | None = None,
                       alpha: float = 0.0) -> LinearOnLags:
    r"""Fit a linear autoregression on the model's input windows (chapters 06-08).

    $\hat y_{t+h} = b_h + \sum_{j,f} w_{h,j,f}\, x_{t-j,f}$: one linear regression per horizon
    step on the last ``n_lags`` steps (default: the whole window) of every feature, with
    ridge penalty ``alpha`` on standardised inputs (0 = ordinary least squares). ``X`` is
    ``(N, W)`` or ``(N, W, F)``, ``y`` is ``(N,)`` or ``(N, horizon)``, both as given to the
    network. ``model.predict(X_test)`` returns forecasts in ``y``'s layout.

    ``X`` may also be the dict ``{"past": windows, "future": covariates}`` that
    ``models.lstm_with_future_covariates`` reads (chapter 08): every known-future value
    ``future[i]`` (shape ``(horizon,)`` or ``(horizon, F)``) then is an input of every step's
    regression too, and ``predict`` needs the same dict.
    """
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, future = _past_and_future(X)
    y = np.asarray(y, dtype=float)
    if X.ndim not in (2, 3):
        raise ValueError(f"X must be windows of shape (N, W) or (N, W, F), got shape {X.shape}")
    if y.ndim not in (1, 2) or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be (N,) or (N, horizon) with N = {X.shape[0]} rows like X, "
                         f"got shape {y.shape}")
    if n_lags is not None and not 1 <= _check_int(n_lags, "n_lags") <= X.shape[1]:
        raise ValueError(f"n_lags must be between 1 and the window length {X.shape[1]}, "
                         f"got {n_lags}")
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))
            and (future is None or np.all(np.isfinite(future)))):
        raise ValueError("X or y contains NaN or infinite values")
    linear = LinearRegression() if alpha == 0 else Ridge(alpha=alpha)
    regression = make_pipeline(StandardScaler(), linear).fit(_features(X, future, n_lags), y)
    return LinearOnLags(regression, X.shape[1:], y.ndim, n_lags,
                        None if future is None else future.shape[1:])
