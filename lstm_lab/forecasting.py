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
* Sequence to sequence: :func:`lstm_lab.models.seq2seq_forecaster` is trained with the true
  previous values (teacher forcing); :func:`free_running_forecast` runs it on its own forecasts.

The windows are the scaled target only, ``(N, W)`` or ``(N, W, 1)``, as
:func:`lstm_lab.windows.make_windows` gives them for one column.

Chapter 12 turns point forecasts into intervals with :func:`conformal_quantiles` of validation
residuals. Chapter 14 saves a trained forecaster with its scaling and windowing as one folder,
:func:`save_forecaster`, and loads it elsewhere, :func:`load_forecaster`, to forecast from raw rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lstm_lab.checks import check_int

__all__ = ["recursive_forecast", "direct_targets", "dirrec_inputs", "dirrec_forecast",
           "teacher_forcing_inputs", "free_running_forecast",
           "save_forecaster", "load_forecaster", "Forecaster", "conformal_quantiles"]


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


def teacher_forcing_inputs(last_value: ArrayLike, y: ArrayLike) -> np.ndarray:
    """The decoder's ``previous`` input under teacher forcing (chapter 10).

    ``[last, y_1 .. y_{H-1}]``: ``last_value`` ``(N,)`` is the last observed target value of
    each window, ``y`` ``(N, H)``
    (or ``(N, H, 1)``) the true values of the forecast steps. Returns ``(N, H)``: step ``k``
    reads the true value of step ``k - 1``.
    """
    targets = _windows(y, "y")
    last = np.asarray(last_value, dtype=float).reshape(-1)
    if last.shape[0] != targets.shape[0]:
        raise ValueError(f"last_value must have one value per row of y ({targets.shape[0]}), "
                         f"got shape {np.shape(last_value)}")
    if not np.all(np.isfinite(last)):
        raise ValueError("last_value contains NaN or infinite values")
    return np.concatenate([last[:, None], targets[:, :-1]], axis=1)


def free_running_forecast(model: Any, inputs: dict, last_value: ArrayLike) -> np.ndarray:
    """Forecast with a seq2seq model fed its own forecasts (chapter 10).

    ``model`` is built by :func:`lstm_lab.models.seq2seq_forecaster`; ``inputs`` is the dict
    of the model's other inputs (``"past"`` and, if it has one,
    ``"future"``), ``last_value`` ``(N,)`` the last observed target value of each window. The
    decoder's ``previous`` input starts as ``[last, 0, ..., 0]``; after step ``k`` its forecast
    is written into position ``k + 1``, and the model is run again (the decoder is causal, so
    the zeros not yet replaced do not affect the steps already forecast). Returns
    ``(N, horizon)``. With ``previous`` from :func:`teacher_forcing_inputs` of these forecasts,
    the teacher-forced model gives the same forecasts.
    """
    if not isinstance(inputs, dict) or "past" not in inputs or "previous" in inputs:
        raise ValueError("inputs must be a dict with 'past' (and 'future' if the model has it), "
                         "without 'previous': the forecasts fill it")
    names = [getattr(t, "name", "").split(":")[0] for t in getattr(model, "inputs", [])]
    if "previous" not in names:
        raise TypeError("model must have a 'previous' input, as models.seq2seq_forecaster has")
    horizon = int(model.inputs[names.index("previous")].shape[1])
    n = np.shape(inputs["past"])[0]
    last = np.asarray(last_value, dtype=float).reshape(-1)
    if last.shape[0] != n:
        raise ValueError(f"last_value must have one value per window ({n}), "
                         f"got shape {np.shape(last_value)}")
    if not np.all(np.isfinite(last)):
        raise ValueError("last_value contains NaN or infinite values")
    batch = {k: np.asarray(v, dtype="float32") for k, v in inputs.items()}
    previous = np.zeros((n, horizon), dtype="float32")
    previous[:, 0] = last
    forecasts = np.empty((n, horizon))
    for k in range(horizon):
        # one traced predict function for all steps: ten times faster than eager calls
        out = np.asarray(model.predict_on_batch({**batch, "previous": previous}), dtype=float)
        forecasts[:, k] = out[:, k]
        if k + 1 < horizon:
            previous[:, k + 1] = out[:, k]
    return forecasts


# ----------------------------------------------------------------------------- chapter 14

_MODEL_FILE = "model.keras"
_JSON_FILE = "forecaster.json"
_FORMAT = "lstm_lab-forecaster-1"


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _canonical(payload: dict) -> bytes:
    import json

    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _scaler_payload(scaler: Any) -> dict:
    from lstm_lab.windows import TrainScaler

    if not isinstance(scaler, TrainScaler):
        raise TypeError(f"scaler must be a fitted lstm_lab.windows.TrainScaler, "
                        f"got {type(scaler).__name__}")
    if scaler.scaler is None:
        raise ValueError("scaler is not fitted yet: call fit(train) first")
    # the scikit-learn attributes themselves, so that loading reproduces transform() exactly
    names = ("mean_", "scale_") if scaler.kind == "standard" else ("min_", "scale_")
    return {"kind": scaler.kind, "columns": list(scaler.columns),
            **{name.rstrip("_"): getattr(scaler.scaler, name).tolist() for name in names}}


def save_forecaster(path: Any, model: Any, scaler: Any, spec: Any,
                    metadata: dict | None = None, *, freq: str | None = None) -> Any:
    """Save a trained forecaster as one folder: model, scaling, windowing (chapter 14).

    The folder holds ``model.keras`` (Keras' native format) and ``forecaster.json`` with the
    scaler's training statistics, the :class:`~lstm_lab.windows.WindowSpec`, the time step
    ``freq`` (e.g. ``"30min"``; ``None``: taken from the data when forecasting), ``metadata``
    (any JSON-serialisable dict) and SHA-256 checksums of both. No pickle anywhere: loading
    runs no code from the files. Returns the folder as a ``pathlib.Path``.
    """
    import json
    from pathlib import Path

    import keras
    import pandas as pd

    from lstm_lab.windows import WindowSpec

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    if not isinstance(spec, WindowSpec):
        raise TypeError(f"spec must be an lstm_lab.windows.WindowSpec, got {type(spec).__name__}")
    scaling = _scaler_payload(scaler)
    inputs = spec.inputs or tuple(scaling["columns"])
    missing = [c for c in (*inputs, *spec.targets) if c not in scaling["columns"]]
    if missing:
        raise ValueError(f"spec uses columns the scaler was not fitted on: {missing}; the scaler "
                         f"knows {scaling['columns']}")
    if freq is not None:
        try:
            freq = pd.tseries.frequencies.to_offset(freq).freqstr
        except (TypeError, ValueError) as err:
            raise ValueError(f"freq must be a pandas frequency such as '30min', got {freq!r}") \
                from err
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict or None, got {type(metadata).__name__}")
    try:
        json.dumps(metadata)
    except (TypeError, ValueError) as err:
        raise ValueError(f"metadata must be JSON-serialisable: {err}") from err
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"path must be a folder, but {folder} is a file")
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / _MODEL_FILE)
    payload = {"format": _FORMAT, "scaler": scaling, "freq": freq, "metadata": metadata or {},
               "spec": {"input_width": spec.input_width, "horizon": spec.horizon,
                        "targets": list(spec.targets), "inputs": list(inputs)},
               "model_sha256": _sha256((folder / _MODEL_FILE).read_bytes())}
    record = {"payload": payload, "payload_sha256": _sha256(_canonical(payload))}
    (folder / _JSON_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return folder


class Forecaster:
    """A loaded forecaster: ``forecast(frame)`` turns raw rows into a forecast (chapter 14).

    Made by :func:`load_forecaster`. ``spec``, ``freq`` and ``metadata`` are what was saved.
    """

    def __init__(self, model: Any, payload: dict):
        from lstm_lab.windows import WindowSpec

        self.model = model
        spec = payload["spec"]
        self.spec = WindowSpec(spec["input_width"], spec["horizon"], targets=spec["targets"],
                               inputs=spec["inputs"])
        self.freq = payload["freq"]
        self.metadata = payload["metadata"]
        self._scaling = payload["scaler"]

    def _scale(self, values: np.ndarray, columns: Sequence[str]) -> np.ndarray:
        s = self._scaling
        j = [s["columns"].index(c) for c in columns]
        scale = np.asarray(s["scale"])[j]
        if s["kind"] == "standard":
            return (values - np.asarray(s["mean"])[j]) / scale
        return values * scale + np.asarray(s["min"])[j]

    def _unscale(self, values: np.ndarray, columns: Sequence[str]) -> np.ndarray:
        s = self._scaling
        j = [s["columns"].index(c) for c in columns]
        scale = np.asarray(s["scale"])[j]
        if s["kind"] == "standard":
            return values * scale + np.asarray(s["mean"])[j]
        return (values - np.asarray(s["min"])[j]) / scale

    def _check_frame(self, frame: Any):
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        missing = [c for c in self.spec.inputs if c not in frame.columns]
        if missing:
            raise ValueError(f"frame is missing the input column(s) {missing}; the forecaster "
                             f"reads {list(self.spec.inputs)}")
        width = self.spec.input_width
        if len(frame) < width:
            raise ValueError(f"frame needs at least input_width = {width} rows, got {len(frame)}")
        index = frame.index
        if not isinstance(index, pd.DatetimeIndex):
            raise ValueError(f"frame must have a DatetimeIndex, got {type(index).__name__}")
        recent = index[-width:]
        steps = (recent[1:] - recent[:-1]).unique()  # resolution-independent Timedeltas
        if len(steps) > 1 or (len(steps) and steps[0] <= pd.Timedelta(0)):
            raise ValueError("frame's index is not regular over the last input_width rows (gaps, "
                             "duplicates or unsorted times): reindex and fill it first")
        step = pd.Timedelta(steps[0]) if len(steps) else None
        if self.freq is not None:
            expected = pd.Timedelta(pd.tseries.frequencies.to_offset(self.freq))
            if step is not None and step != expected:
                raise ValueError(f"frame's time step is {step}, but the forecaster was trained on "
                                 f"steps of {self.freq}")
            step = expected
        if step is None:
            raise ValueError("cannot tell the time step from one row: save with freq=...")
        values = frame[list(self.spec.inputs)].iloc[-width:].to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            raise ValueError("frame's last input_width rows contain NaN or infinite values")
        return values, index[-1], step

    def forecast(self, frame: Any):
        """Forecast the ``horizon`` steps after ``frame``'s last row, in physical units.

        ``frame``: raw rows with a regular ``DatetimeIndex`` holding the spec's input columns,
        at least ``input_width`` of them. Returns a DataFrame indexed by the next ``horizon``
        timestamps, one column per target: scaler, last window, model, inverse scaling.
        """
        import pandas as pd

        from lstm_lab.training import predict

        values, last, step = self._check_frame(frame)
        window = self._scale(values, self.spec.inputs)[None].astype("float32")
        output = np.asarray(predict(self.model, window), dtype=float)
        horizon, targets = self.spec.horizon, list(self.spec.targets)
        if output.size != horizon * len(targets):
            raise ValueError(f"the model returned {output.shape[1:]} per window, but the spec "
                             f"expects horizon {horizon} x {len(targets)} target(s)")
        scaled = output.reshape(horizon, len(targets))
        index = pd.date_range(last + step, periods=horizon, freq=step, name=frame.index.name)
        return pd.DataFrame(self._unscale(scaled, targets), index=index, columns=targets)


def load_forecaster(path: Any) -> Forecaster:
    """Load a folder written by :func:`save_forecaster`, checking every file (chapter 14).

    The model is loaded in Keras' safe mode (no code from the file runs). A missing folder or
    file, a file whose checksum does not match (edited or corrupted), or an unknown format
    raises ``ValueError`` naming the file.
    """
    import json
    from pathlib import Path

    import keras

    folder = Path(path)
    json_path, model_path = folder / _JSON_FILE, folder / _MODEL_FILE
    for file in (json_path, model_path):
        if not file.is_file():
            raise ValueError(f"{file} is missing: is {folder} a folder written by save_forecaster?")
    try:
        record = json.loads(json_path.read_text())
        payload = record["payload"]
        stored = record["payload_sha256"]
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{json_path} is not a valid forecaster description ({err})") from err
    if _sha256(_canonical(payload)) != stored:
        raise ValueError(f"{json_path} was edited or corrupted: its checksum does not match")
    if payload.get("format") != _FORMAT:
        raise ValueError(f"{json_path} has format {payload.get('format')!r}, expected {_FORMAT!r}")
    if _sha256(model_path.read_bytes()) != payload["model_sha256"]:
        raise ValueError(f"{model_path} was edited or corrupted: its checksum does not match the "
                         f"one in {json_path.name}")
    model = keras.saving.load_model(model_path, safe_mode=True)
    return Forecaster(model, payload)


# ----------------------------------------------------------------------------- chapter 12


def conformal_quantiles(residuals: ArrayLike, levels: Sequence[float]) -> np.ndarray:
    r"""Split-conformal quantiles of held-out residuals, one set per forecast step (chapter 12).

    ``residuals`` are ``y - forecast`` on a calibration split the model was not fitted to,
    ``(n,)`` or ``(n, horizon)``; ``levels`` are quantile levels in (0, 1). Returns
    ``(len(levels),)`` or ``(horizon, len(levels))``: adding them to a new forecast gives its
    quantiles. The finite-sample rule of split conformal prediction (Vovk et al. 2005; Lei et
    al. 2018) takes the $\lceil (n + 1)\tau \rceil$-th smallest residual for $\tau > 0.5$ and the
    $\lfloor (n + 1)\tau \rfloor$-th for $\tau < 0.5$ (clipped to the sample), so that an
    interval between two such quantiles covers at least its nominal share of new values when
    calibration and new errors are exchangeable. With too few residuals for a level (rank
    above ``n`` or below 1, e.g. ``n = 9`` at ``0.95``) the quantile is ``+inf`` or ``-inf``:
    no finite value keeps the guarantee.
    """
    values = np.asarray(residuals, dtype=float)
    if values.ndim not in (1, 2) or values.shape[0] < 2:
        raise ValueError(f"residuals must be (n,) or (n, horizon) with n >= 2, got shape "
                         f"{values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("residuals contain NaN or infinite values")
    taus = np.asarray(levels, dtype=float).ravel()
    if taus.size == 0 or not np.all((taus > 0) & (taus < 1)):
        raise ValueError(f"levels must be quantile levels strictly between 0 and 1, got "
                         f"{list(np.asarray(levels).ravel())}")
    n = values.shape[0]
    ordered = np.sort(values, axis=0)
    rank = np.where(taus > 0.5, np.ceil((n + 1) * taus), np.floor((n + 1) * taus)).astype(int)
    index = np.clip(rank, 1, n) - 1
    out = ordered[index]
    # too few residuals for the level: no finite quantile keeps the guarantee
    out[rank > n] = np.inf
    out[rank < 1] = -np.inf
    return out.T if values.ndim == 2 else out
