"""Multi-step forecasting strategies (chapter 10).

A model that forecasts one step can forecast many in several ways:

* :func:`recursive_forecast` (recursive, "iterated"): one one-step model, fed its own forecasts.
  Step ``k``'s forecast is appended to the window and the window's oldest value dropped before
  step ``k + 1``. One model, but errors feed back into the inputs.
* :func:`direct_targets` (direct): one model per horizon step ``h``, each trained on the same
  windows to predict ``y[:, h - 1]`` alone. No feedback, but ``H`` models that know nothing of
  each other.
* :func:`dirrec_inputs` (DirRec, Taieb et al. 2012): the model for step ``h`` reads the window
  *and* the forecasts of steps ``1 .. h - 1``: direct models with a recursive input.
* Multiple output (MIMO): one model with ``Dense(H)`` outputs, e.g.
  :func:`lstm_lab.models.lstm_forecaster` with ``horizon=H``; nothing to add here.

The windows are the scaled target only, ``(N, W)`` or ``(N, W, 1)``, as
:func:`lstm_lab.windows.make_windows` gives them for one column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lstm_lab.checks import check_int

__all__ = ["recursive_forecast", "direct_targets", "dirrec_inputs", "dirrec_forecast"]


def _windows(X: ArrayLike, name: str = "X") -> np.ndarray:
    """``X`` as a finite float array of shape (N, W), from (N, W) or (N, W, 1)."""
    try:
        values = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of windows, got {type(X).__name__}") from err
    if values.ndim == 3 and values.shape[2] == 1:
        values = values[:, :, 0]
    if values.ndim != 2 or values.shape[0] < 1 or values.shape[1] < 1:
        raise ValueError(f"{name} must be windows of one series, shape (N, W) or (N, W, 1) with "
                         f"N, W >= 1, got shape {np.shape(X)}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return values


def _one_step(model: Any) -> Callable[[np.ndarray], Any]:
    """A function from windows (N, W, 1) to forecasts, for a Keras model or any callable."""
    import sys

    keras = sys.modules.get("keras")
    if keras is not None and isinstance(model, keras.Model):
        from lstm_lab.training import predict

        return lambda windows: predict(model, windows)
    if callable(model):
        return model
    raise TypeError(f"model must be a Keras model or a callable mapping windows (N, W, 1) to "
                    f"one-step forecasts, got {type(model).__name__}")


def recursive_forecast(model: Any, X: ArrayLike, steps: int) -> np.ndarray:
    r"""Forecast ``steps`` ahead with a one-step model fed its own forecasts (chapter 10).

    ``model`` is a Keras model or any callable that maps windows ``(N, W, 1)`` to one-step
    forecasts ``(N,)`` or ``(N, 1)``; ``X`` holds ``(N, W)`` or ``(N, W, 1)`` windows of the
    (scaled) target. Returns ``P`` of shape ``(N, steps)``: ``P[:, 0]`` is the model's forecast
    for the window, and before step ``k + 1`` the forecast of step ``k`` is appended to the
    window and its oldest value dropped,
    $\hat y_{t+k+1} = f(x_{t-W+k+1}, \dots, x_t, \hat y_{t+1}, \dots, \hat y_{t+k})$.
    """
    windows = _windows(X)
    steps = check_int(steps, "steps")
    one_step = _one_step(model)
    n = windows.shape[0]
    forecasts = np.empty((n, steps))
    for k in range(steps):
        step = np.asarray(one_step(windows[:, :, None]), dtype=float)
        if step.shape not in ((n,), (n, 1)):
            raise ValueError(f"model must return one forecast per window, shape ({n},) or "
                             f"({n}, 1), got {step.shape}")
        forecasts[:, k] = step.reshape(n)
        windows = np.concatenate([windows[:, 1:], forecasts[:, k:k + 1]], axis=1)
    return forecasts


def direct_targets(y: ArrayLike, horizons: Sequence[int]) -> dict[int, np.ndarray]:
    """The training targets of the direct strategy: ``{h: y[:, h - 1]}`` for each step (chapter 10).

    ``y`` is ``(N, H)`` or ``(N, H, 1)`` (all horizon steps of each window); ``horizons`` are the
    1-based steps that get their own model, e.g. ``[1, 12, 24, 48]``.
    """
    targets = _windows(y, "y")
    if isinstance(horizons, (int, np.integer)) or not len(horizons):
        raise ValueError(f"horizons must be a non-empty sequence of steps, got {horizons!r}")
    out = {}
    for h in horizons:
        h = check_int(h, "horizons")
        if h > targets.shape[1]:
            raise ValueError(f"horizons must be between 1 and {targets.shape[1]} (the steps in y), "
                             f"got {h}")
        out[h] = targets[:, h - 1]
    return out


def dirrec_inputs(X: ArrayLike, previous: ArrayLike | None) -> np.ndarray:
    """DirRec inputs for step ``h``: the window, then steps ``1 .. h - 1`` (chapter 10).

    ``X`` is ``(N, W)`` or ``(N, W, 1)``; ``previous`` is ``(N, h - 1)`` (true values of the
    earlier steps when training, the earlier models' forecasts when forecasting) or ``None``
    for step 1. Returns ``(N, W + h - 1, 1)``: one longer window, oldest first.
    """
    windows = _windows(X)
    if previous is None:
        return windows[:, :, None]
    earlier = np.asarray(previous, dtype=float)
    earlier = earlier[:, None] if earlier.ndim == 1 else earlier
    if earlier.ndim != 2 or earlier.shape[0] != windows.shape[0]:
        raise ValueError(f"previous must be (N, h - 1) with the N = {windows.shape[0]} rows of X, "
                         f"got shape {np.shape(previous)}")
    if not np.all(np.isfinite(earlier)):
        raise ValueError("previous contains NaN or infinite values")
    return np.concatenate([windows, earlier], axis=1)[:, :, None]


def dirrec_forecast(models: Sequence[Any], X: ArrayLike) -> np.ndarray:
    """Forecast with DirRec models, one per step, in order (chapter 10).

    ``models[h - 1]`` maps :func:`dirrec_inputs` ``(N, W + h - 1, 1)`` to step ``h``'s forecast
    ``(N,)`` or ``(N, 1)``. Returns ``(N, len(models))``.
    """
    windows = _windows(X)
    if isinstance(models, (str, bytes)) or not isinstance(models, Sequence) or not models:
        raise ValueError("models must be a non-empty sequence, one model per step")
    n = windows.shape[0]
    forecasts = np.empty((n, len(models)))
    for k, model in enumerate(models):
        inputs = dirrec_inputs(windows, forecasts[:, :k] if k else None)
        step = np.asarray(_one_step(model)(inputs), dtype=float)
        if step.shape not in ((n,), (n, 1)):
            raise ValueError(f"models[{k}] must return one forecast per window, shape ({n},) "
                             f"or ({n}, 1), got {step.shape}")
        forecasts[:, k] = step.reshape(n)
    return forecasts
