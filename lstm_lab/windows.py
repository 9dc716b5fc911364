"""Turning a time series into supervised windows, splitting it and scaling it (chapter 04).

* :func:`create_sequences` - the windowing loop common in tutorials, same semantics, vectorised.
* :func:`make_windows` - the course's windowing: several input features, a horizon, target
  column(s) by name or index.
* :class:`WindowSpec` - one reusable description of a windowing (inputs, targets, width,
  horizon) that gives NumPy arrays or a ``tf.data.Dataset``; it holds no data.
* :func:`chronological_split`, :func:`split_by_date` - train/validation/test in time order.
* :class:`TrainScaler` - a scikit-learn scaler fitted on the training part only, with the
  inverse transform back to physical units.
* :func:`find_gaps`, :func:`reindex_regular`, :func:`fill_short_gaps`,
  :func:`flag_impossible` - missing timestamps and bad readings.
* :func:`complete_windows` - :func:`make_windows` for a series that keeps long gaps as NaN:
  only the windows that touch no gap (chapter 08).

Keras is imported only inside :meth:`WindowSpec.dataset`: this module stays TensorFlow-free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lstm_lab.checks import check_int as _check_int

# ----------------------------------------------------------------------------- validation



def _as_2d_float(values: Any, name: str = "values",
                 allow_nan: bool = False) -> tuple[np.ndarray, list | None]:
    """Return ``(array (T, F) of float64, column names or None)``; reject 3-D, text, NaN, inf."""
    columns = None
    if isinstance(values, pd.DataFrame):
        columns = list(values.columns)
        values = values.to_numpy()
    elif isinstance(values, pd.Series):
        columns = [values.name]
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be numeric (an array, Series or DataFrame of numbers): "
                        f"{err}") from err
    if array.ndim == 1:
        array = array[:, None]
    elif array.ndim != 2:
        raise ValueError(f"{name} must be 1-D (T,) or 2-D (T, F), got {array.ndim}-D with "
                         f"shape {array.shape}")
    if array.shape[1] == 0:
        raise ValueError(f"{name} has no columns")
    if np.isinf(array).any():
        raise ValueError(f"{name} contains infinite values")
    if not allow_nan and np.isnan(array).any():
        bad = int(np.isnan(array).any(axis=1).sum())
        raise ValueError(f"{name} contains NaN values in {bad} row(s); fill or drop them first "
                         "(see fill_short_gaps)")
    return array, columns


def _column_positions(selection: Any, columns: list | None, n_columns: int,
                      name: str) -> list[int]:
    """Positions of the columns named (or numbered) by ``selection``."""
    if isinstance(selection, (str, int, np.integer)):
        items = [selection]
    elif isinstance(selection, (list, tuple, np.ndarray, pd.Index)):
        items = list(selection)
    else:
        raise TypeError(f"{name} must be a column name, an index, or a list of them; "
                        f"got {selection!r}")
    if not items:
        raise ValueError(f"{name} must name at least one column")
    positions = []
    for item in items:
        if isinstance(item, str):
            if columns is None or item not in columns:
                known = f"the columns are {columns}" if columns else "values has no column names"
                raise ValueError(f"{name}: unknown column {item!r}; {known}")
            positions.append(columns.index(item))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not -n_columns <= item < n_columns:
                raise ValueError(f"{name}: column index {item} is out of range for "
                                 f"{n_columns} column(s)")
            positions.append(int(item) % n_columns)
        else:
            raise TypeError(f"{name} must be a column name, an index, or a list of them; "
                            f"got {item!r}")
    return positions


# ----------------------------------------------------------------------------- windows


def _window_layout(values: Any, input_width: int, horizon: int, target: Any, inputs: Any,
                   allow_nan: bool) -> tuple[np.ndarray, int, list[int], list[int]]:
    """Checked ``(array (T, F), number of windows N, input columns, target columns)``."""
    input_width = _check_int(input_width, "input_width")
    horizon = _check_int(horizon, "horizon")
    array, columns = _as_2d_float(values, allow_nan=allow_nan)
    T, F = array.shape
    n = T - input_width - horizon + 1
    if n < 1:
        raise ValueError(f"input_width + horizon ({input_width} + {horizon}) is longer than "
                         f"values (length {T}): no complete window")
    input_cols = (list(range(F)) if inputs is None
                  else _column_positions(inputs, columns, F, "inputs"))
    target_cols = _column_positions(target, columns, F, "target")
    return array, n, input_cols, target_cols


def create_sequences(data: Any, seq_length: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``create_sequences`` loop common in LSTM tutorials, vectorised (chapters 03, 04).

    For ``i`` in ``range(len(data) - seq_length)``: ``X[i] = data[i : i + seq_length]`` and
    ``y[i] = data[i + seq_length]``. A 1-D series gives ``X (N, seq_length)`` and ``y (N,)``
    with ``N = len(data) - seq_length``. Unlike the tutorial loop, a series too short for a
    single window raises ``ValueError`` instead of returning empty arrays.
    """
    seq_length = _check_int(seq_length, "seq_length")
    array = np.asarray(data)
    if array.ndim == 0:
        raise ValueError("data must be a sequence, got a scalar")
    n = len(array) - seq_length
    if n < 1:
        raise ValueError(f"seq_length ({seq_length}) must be shorter than data "
                         f"(length {len(array)}) to give at least one window")
    windows = np.lib.stride_tricks.sliding_window_view(array, seq_length, axis=0)[:n]
    X = np.moveaxis(windows, -1, 1).copy()  # (N, seq_length, ...)
    y = array[seq_length:].copy()
    return X, y


def make_windows(values: Any, input_width: int, horizon: int = 1, *,
                 target: Any = 0, inputs: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into input windows and the values that follow them (chapter 04).

    ``values`` is (T,) or (T, F): an array, Series or DataFrame. With
    ``N = T - input_width - horizon + 1``::

        X[i] = values[i : i + input_width, inputs]                 -> X (N, input_width, F_in)
        y[i] = values[i + input_width : i + input_width + horizon, target]  -> y (N, horizon)

    ``target`` is the target column: an index (default 0, the first column) or a name
    (DataFrame). A *list* of columns gives ``y`` of shape (N, horizon, n_targets).
    ``inputs`` selects the input columns the same way (default: all columns).

    Raises ``ValueError`` for NaNs, 3-D values, ``input_width < 1``, ``horizon < 1``, a
    window longer than the series (``N < 1``) or an unknown column; ``TypeError`` for
    non-numeric values or a non-integer width.
    """
    array, n, input_cols, target_cols = _window_layout(values, input_width, horizon, target,
                                                       inputs, allow_nan=False)
    input_width, horizon = int(input_width), int(horizon)
    view = np.lib.stride_tricks.sliding_window_view
    X = np.moveaxis(view(array[: n + input_width - 1, input_cols], input_width, axis=0), -1, 1)
    y = np.moveaxis(view(array[input_width:, target_cols], horizon, axis=0), -1, 1)
    if isinstance(target, (str, int, np.integer)):
        y = y[..., 0]
    return X.copy(), y.copy()


def complete_windows(values: Any, input_width: int, horizon: int = 1, *, target: Any = 0,
                     inputs: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The windows of :func:`make_windows` that touch no missing value (chapter 08).

    Chapter 04 fills short gaps and leaves long ones as NaN; a model that reads such a
    column must skip every window whose inputs or targets meet a NaN. Returns
    ``(X, y, start)``: the complete windows, laid out as by :func:`make_windows` with the
    same ``target`` and ``inputs``, and ``start`` (ints, increasing), the row where each kept
    window's inputs begin, so that its first target is row ``start + input_width`` (for
    example ``frame.index[start + input_width]`` gives the target times). A NaN in a column
    that is neither an input nor a target is ignored. Raises ``ValueError`` when no window
    is complete, and for the bad inputs :func:`make_windows` rejects (other than NaN).
    """
    array, n, input_cols, target_cols = _window_layout(values, input_width, horizon, target,
                                                       inputs, allow_nan=True)
    input_width, horizon = int(input_width), int(horizon)
    # running counts of rows with a NaN in the inputs / targets: a window is complete when
    # the count does not grow across its input rows nor across its target rows
    bad_in = np.concatenate([[0], np.cumsum(np.isnan(array[:, input_cols]).any(axis=1))])
    bad_out = np.concatenate([[0], np.cumsum(np.isnan(array[:, target_cols]).any(axis=1))])
    i = np.arange(n)
    complete = ((bad_in[i + input_width] == bad_in[i])
                & (bad_out[i + input_width + horizon] == bad_out[i + input_width]))
    start = np.flatnonzero(complete)
    if start.size == 0:
        raise ValueError(f"values has no complete window of input_width={input_width} and "
                         f"horizon={horizon}: every one touches a NaN")
    single = isinstance(target, (str, int, np.integer))
    X, y = make_windows(np.nan_to_num(array, nan=0.0), input_width, horizon,
                        target=target_cols[0] if single else target_cols, inputs=input_cols)
    return X[start], y[start], start


@dataclass(frozen=True)
class WindowSpec:
    """A reusable windowing: which columns go in, which come out, how many steps (chapter 04).

    It stores only the *description* - never data - so the same spec windows the training,
    validation and test frames alike, and a second spec with two targets or another horizon
    is independent of the first (no hidden globals)::

        spec = WindowSpec(input_width=48, horizon=1, targets=["temp_c"])
        X, y = spec.arrays(train_df)            # NumPy
        ds = spec.dataset(train_df, batch_size=64)   # tf.data.Dataset of (X, y) batches

    ``targets`` is required and keyword-only (a spec without a target cannot window
    anything). ``inputs=None`` uses every column of the frame, in its order. ``y`` has shape
    (N, horizon, n_targets), also for a single target, so that models see one layout.
    """

    input_width: int
    horizon: int = 1
    targets: tuple[str, ...] | list[str] | str = field(kw_only=True)
    inputs: tuple[str, ...] | list[str] | None = field(default=None, kw_only=True)

    def __post_init__(self):
        _check_int(self.input_width, "input_width")
        _check_int(self.horizon, "horizon")
        targets = (self.targets,) if isinstance(self.targets, str) else tuple(self.targets)
        if not targets or not all(isinstance(t, str) for t in targets):
            raise ValueError(f"targets must be one or more column names, got {self.targets!r}")
        object.__setattr__(self, "targets", targets)
        if self.inputs is not None:
            inputs = (self.inputs,) if isinstance(self.inputs, str) else tuple(self.inputs)
            if not inputs or not all(isinstance(c, str) for c in inputs):
                raise ValueError(f"inputs must be column names or None, got {self.inputs!r}")
            object.__setattr__(self, "inputs", inputs)

    def input_columns(self, frame: pd.DataFrame) -> list[str]:
        """The input column names this spec takes from ``frame``."""
        return list(frame.columns) if self.inputs is None else list(self.inputs)

    def n_windows(self, length: int) -> int:
        """How many windows a series of ``length`` rows gives."""
        return max(0, length - self.input_width - self.horizon + 1)

    def arrays(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """``X (N, input_width, n_inputs)`` and ``y (N, horizon, n_targets)`` as float32."""
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        X, y = make_windows(frame, self.input_width, self.horizon,
                            target=list(self.targets), inputs=self.input_columns(frame))
        return X.astype(np.float32), y.astype(np.float32)

    def dataset(self, frame: pd.DataFrame, batch_size: int = 32, shuffle: bool = False,
                seed: int | None = None):
        """A ``tf.data.Dataset`` of ``(X, y)`` batches from Keras' windowing (chapter 04).

        Built with ``keras.utils.timeseries_dataset_from_array``; it yields exactly the
        windows of :meth:`arrays`. ``shuffle=True`` shuffles whole windows (fine for
        training: each window carries its own past), never the rows inside one.
        """
        batch_size = _check_int(batch_size, "batch_size")
        _, y = self.arrays(frame)  # validates frame
        import keras  # lazily: the data chapters do not need TensorFlow

        # Keras pairs the window that starts at row i with targets[i] and stops at the
        # last target: len(y) windows, exactly those of arrays().
        X_rows = frame[self.input_columns(frame)].to_numpy(dtype=np.float32)
        return keras.utils.timeseries_dataset_from_array(
            X_rows, y, sequence_length=self.input_width, batch_size=batch_size,
            shuffle=shuffle, seed=seed)


# ----------------------------------------------------------------------------- splits


class Splits(NamedTuple):
    """Train, validation and test parts of one series, in time order (chapter 04)."""

    train: pd.DataFrame
    val: pd.DataFrame
    test: pd.DataFrame

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        """``[("train", frame), ("val", frame), ("test", frame)]``, as for a dict."""
        return list(zip(self._fields, self, strict=True))


def _check_frame(data: Any, name: str = "data") -> pd.DataFrame:
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame or Series, got {type(data).__name__}")
    if not data.index.is_monotonic_increasing or not data.index.is_unique:
        raise ValueError(f"{name} must have a sorted index without duplicates (sort_index())")
    return data


def chronological_split(data: pd.DataFrame, train: float = 0.7, val: float = 0.15) -> Splits:
    """Split rows in time order: the first ``train`` fraction, then ``val``, then the rest.

    Never shuffled, never overlapping; the test part gets ``1 - train - val`` (chapter 04).
    """
    data = _check_frame(data)
    for name, value in (("train", train), ("val", val)):
        if isinstance(value, bool) or not isinstance(value, (float, int)) or not 0 < value < 1:
            raise ValueError(f"{name} must be a fraction between 0 and 1, got {value!r}")
    if train + val >= 1:
        raise ValueError(f"train + val must be < 1 to leave a test part, got {train} + {val}")
    n = len(data)
    n_train, n_val = int(round(n * train)), int(round(n * val))
    if min(n_train, n_val, n - n_train - n_val) < 1:
        raise ValueError(f"data has {n} rows: too few for a {train}/{val} split")
    return Splits(data.iloc[:n_train], data.iloc[n_train:n_train + n_val],
                  data.iloc[n_train + n_val:])


def split_by_date(data: pd.DataFrame, val_start: Any, test_start: Any) -> Splits:
    """Split a time-indexed frame at two dates: train < ``val_start`` <= val < ``test_start``.

    The dates are anything ``pd.Timestamp`` accepts (chapter 04).
    """
    data = _check_frame(data)
    if not isinstance(data.index, pd.DatetimeIndex):
        raise TypeError("data must have a DatetimeIndex to be split by date")
    val_start, test_start = pd.Timestamp(val_start), pd.Timestamp(test_start)
    if not val_start < test_start:
        raise ValueError(f"val_start ({val_start}) must be before test_start ({test_start})")
    parts = Splits(data[data.index < val_start],
                   data[(data.index >= val_start) & (data.index < test_start)],
                   data[data.index >= test_start])
    for name, part in parts.items():
        if part.empty:
            raise ValueError(f"the {name} part is empty: val_start={val_start}, "
                             f"test_start={test_start}, data from {data.index[0]} to "
                             f"{data.index[-1]}")
    return parts


# ----------------------------------------------------------------------------- scaling


class TrainScaler:
    """A scikit-learn scaler fitted on the training rows only (chapter 04).

    ``kind`` is ``"standard"`` (zero mean, unit variance) or ``"minmax"`` (0..1). Fit it on
    the training frame, then transform every part with the *training* statistics; the
    inverse transform returns model outputs to physical units. NaNs (gaps) are ignored when
    fitting and stay NaN, as in scikit-learn::

        scaler = TrainScaler("standard").fit(splits.train)
        train_s, val_s, test_s = (scaler.transform(p) for p in splits)
        temp_c = scaler.inverse_column(predictions, "temp_c")
    """

    KINDS = ("standard", "minmax")

    def __init__(self, kind: str = "standard"):
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {self.KINDS}, got {kind!r}")
        self.kind = kind
        self.columns: list[str] | None = None
        self.scaler = None

    def fit(self, train: pd.DataFrame) -> TrainScaler:
        """Learn each column's statistics from ``train`` (and nothing else)."""
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        train = _check_frame(train, "train")
        array, _ = _as_2d_float(train, "train", allow_nan=True)
        self.scaler = StandardScaler() if self.kind == "standard" else MinMaxScaler()
        self.scaler.fit(array)
        self.columns = list(train.columns)
        return self

    def statistics(self) -> pd.DataFrame:
        """The training statistics, one row per column, in the column's own units.

        Columns ``mean`` and ``sd`` for ``"standard"`` (``scaled = (value - mean) / sd``),
        ``min`` and ``max`` for ``"minmax"`` (``scaled = (value - min) / (max - min)``).
        """
        if self.scaler is None:
            raise ValueError("this TrainScaler is not fitted yet: call fit(train) first")
        if self.kind == "standard":
            values = {"mean": self.scaler.mean_, "sd": self.scaler.scale_}
        else:
            values = {"min": self.scaler.data_min_, "max": self.scaler.data_max_}
        return pd.DataFrame(values, index=pd.Index(self.columns, name="column"))

    def _ready(self, frame: Any, name: str) -> pd.DataFrame:
        if self.scaler is None:
            raise ValueError("this TrainScaler is not fitted yet: call fit(train) first")
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
        if list(frame.columns) != self.columns:
            raise ValueError(f"{name} must have the training columns {self.columns}, "
                             f"got {list(frame.columns)}")
        return frame

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Scale ``frame`` with the training statistics; index and columns are kept."""
        frame = self._ready(frame, "frame")
        array, _ = _as_2d_float(frame, "frame", allow_nan=True)
        return pd.DataFrame(self.scaler.transform(array), index=frame.index,
                            columns=frame.columns)

    def inverse_transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Undo :meth:`transform`: back to physical units."""
        frame = self._ready(frame, "frame")
        return pd.DataFrame(self.scaler.inverse_transform(frame.to_numpy(dtype=float)),
                            index=frame.index, columns=frame.columns)

    def inverse_column(self, values: Any, column: str) -> np.ndarray:
        """Return scaled values of one column (any shape, e.g. predictions) in its units."""
        if self.scaler is None:
            raise ValueError("this TrainScaler is not fitted yet: call fit(train) first")
        if column not in self.columns:
            raise ValueError(f"column must be one of {self.columns}, got {column!r}")
        j = self.columns.index(column)
        values = np.asarray(values, dtype=float)
        if self.kind == "standard":
            return values * self.scaler.scale_[j] + self.scaler.mean_[j]
        return (values - self.scaler.min_[j]) / self.scaler.scale_[j]


def scale_splits(splits: Splits, kind: str = "standard") -> tuple[Splits, TrainScaler]:
    """Fit a :class:`TrainScaler` on ``splits.train`` and scale all three parts (chapter 04)."""
    if not isinstance(splits, Splits):
        raise TypeError(f"splits must be a Splits (from chronological_split or split_by_date), "
                        f"got {type(splits).__name__}")
    scaler = TrainScaler(kind).fit(splits.train)
    return Splits(*(scaler.transform(part) for part in splits)), scaler


# ----------------------------------------------------------------------------- gaps, bad values


def _check_time_index(data: Any, freq: Any) -> tuple[pd.DatetimeIndex, pd.Timedelta]:
    index = data if isinstance(data, pd.DatetimeIndex) else getattr(data, "index", None)
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError("data must be a DatetimeIndex or have one (a time-indexed DataFrame)")
    if not index.is_monotonic_increasing or not index.is_unique:
        raise ValueError("data must have a sorted time index without duplicates")
    try:
        step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except (TypeError, ValueError) as err:
        raise ValueError(f"freq must be a fixed frequency such as 'h' or '30min', got "
                         f"{freq!r}") from err
    if step <= pd.Timedelta(0):
        raise ValueError(f"freq must be positive, got {freq!r}")
    if len(index) and ((index - index[0]) % step != pd.Timedelta(0)).any():
        raise ValueError(f"data has timestamps off the {freq!r} grid that starts at {index[0]}")
    return index, step


def find_gaps(data: Any, freq: Any) -> pd.DataFrame:
    """List the runs of missing timestamps in a time index (chapter 04).

    One row per gap: ``start`` and ``end`` (first and last missing timestamp) and
    ``missing`` (how many steps of ``freq`` are absent). Empty when the index is complete.
    """
    index, step = _check_time_index(data, freq)
    if len(index) < 2:
        return pd.DataFrame({"start": pd.DatetimeIndex([]), "end": pd.DatetimeIndex([]),
                             "missing": np.array([], dtype=int)})
    jumps = np.asarray((index[1:] - index[:-1]) // step, dtype=np.int64)
    at = np.flatnonzero(jumps > 1)
    return pd.DataFrame({"start": index[at] + step, "end": index[at + 1] - step,
                         "missing": (jumps[at] - 1).astype(int)})


def reindex_regular(data: pd.DataFrame, freq: Any) -> pd.DataFrame:
    """Insert the missing timestamps as rows of NaN, giving a regular index (chapter 04).

    The new index runs from the first to the last timestamp every ``freq``; existing rows
    are unchanged. Use :func:`find_gaps` first to see what will be inserted.
    """
    index, _ = _check_time_index(data, freq)
    if not isinstance(data, (pd.DataFrame, pd.Series)):
        raise TypeError(f"data must be a DataFrame or Series, got {type(data).__name__}")
    full = pd.date_range(index[0], index[-1], freq=freq, name=index.name)
    out = data.reindex(full)
    out.attrs = dict(data.attrs)
    return out


def _short_runs(missing: pd.Series, limit: int) -> pd.Series:
    """True where a value is missing inside a run of at most ``limit`` missing values."""
    run_id = (missing != missing.shift()).cumsum()
    run_length = missing.groupby(run_id).transform("size")
    return missing & (run_length <= limit)


def fill_short_gaps(data: pd.DataFrame, limit: int, method: str = "interpolate") -> pd.DataFrame:
    """Fill runs of at most ``limit`` consecutive NaNs; leave longer runs as NaN (chapter 04).

    ``method="interpolate"`` draws a straight line in time between the neighbours;
    ``"ffill"`` repeats the last valid value. A longer gap is left *entirely* NaN (pandas'
    own ``limit`` would fill its first ``limit`` steps and invent a plateau). NaNs at the
    start or end of a column are left alone by ``"interpolate"``.
    """
    limit = _check_int(limit, "limit")
    if method not in ("interpolate", "ffill"):
        raise ValueError(f"method must be 'interpolate' or 'ffill', got {method!r}")
    frame = _check_frame(data)
    out = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_numeric_dtype(series):
            continue
        fill_here = _short_runs(series.isna(), limit)
        if not fill_here.any():
            continue
        if method == "ffill":
            filled = series.ffill()
        elif isinstance(frame.index, pd.DatetimeIndex):
            filled = series.interpolate(method="time", limit_area="inside")
        else:
            filled = series.interpolate(limit_area="inside")
        out.loc[fill_here, column] = filled[fill_here]
    return out if isinstance(data, pd.DataFrame) else out.iloc[:, 0]


#: Physically possible ranges (inclusive) for the course's columns; wider than any record.
PLAUSIBLE_RANGES: dict[str, tuple[float, float]] = {
    "temp_c": (-90.0, 60.0),  # records: -89.2 °C (Vostok), 56.7 °C (Death Valley)
    "temp_max_c": (-90.0, 60.0),
    "temp_min_c": (-90.0, 60.0),
    "temperature_c": (-90.0, 60.0),
    "dewpoint_c": (-100.0, 40.0),
    "humidity_pct": (0.0, 100.0),
    "wind_dir_deg": (0.0, 360.0),
    "wind_speed_ms": (0.0, 120.0),  # strongest measured gust: 113.2 m/s (Barrow Island, 1996)
    "wind_gust_ms": (0.0, 120.0),
    "precip_mm": (0.0, 2000.0),  # record: 1,825 mm in one day (Réunion, 1966)
    "pressure_hpa": (850.0, 1090.0),  # records: 870 hPa (Typhoon Tip), 1084.8 hPa (Mongolia)
    "visibility_km": (0.0, 500.0),
    "demand_gw": (0.0, 1000.0),
}


def flag_impossible(data: pd.DataFrame,
                    ranges: Mapping[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """Mark readings outside physically possible ranges (chapter 04).

    Returns a boolean frame of ``data``'s shape: ``True`` where a value lies outside
    ``ranges[column]`` (defaults: :data:`PLAUSIBLE_RANGES`). NaNs are not flagged (they are
    missing, not wrong); columns without a range are all ``False``. Replace flagged values
    with ``data.mask(flags)``, then treat them as gaps.
    """
    frame = _check_frame(data)
    ranges = PLAUSIBLE_RANGES if ranges is None else ranges
    if not isinstance(ranges, Mapping):
        raise TypeError(f"ranges must map column names to (low, high), got {type(ranges).__name__}")
    flags = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for column, bounds in ranges.items():
        if column not in frame.columns:
            continue
        if not (isinstance(bounds, Sequence) and len(bounds) == 2 and bounds[0] <= bounds[1]):
            raise ValueError(f"ranges[{column!r}] must be (low, high) with low <= high, "
                             f"got {bounds!r}")
        values = frame[column]
        flags[column] = (values < bounds[0]) | (values > bounds[1])
    return flags
