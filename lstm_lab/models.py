"""Keras forecasters used in chapters 05-08 (Keras 3 idioms: ``keras.Input`` first).

* :func:`lstm_forecaster`: windows ``(batch, input_width, n_features)`` to forecasts
  ``(batch, horizon)``, one or more stacked LSTM layers and a linear ``Dense(horizon)`` head
  (chapter 05).
* :func:`lstm_with_future_covariates`: the same, plus a second input with covariates known
  in advance for the forecast steps (calendar, work days) (chapter 08).

The builders return *uncompiled* models; :func:`lstm_lab.training.fit` compiles them with
the loss, optimiser and gradient clipping of the experiment. Keras is imported inside the
functions so that ``import lstm_lab`` stays free of TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence

from lstm_lab.checks import check_int as _positive_int

__all__ = ["lstm_forecaster", "lstm_with_future_covariates"]

_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _units_tuple(units: int | Sequence[int]) -> tuple[int, ...]:
    layers = (units,) if isinstance(units, int) else tuple(units)
    if not layers:
        raise ValueError("units must be an int or a non-empty sequence of ints")
    return tuple(_positive_int(u, "units") for u in layers)


def _check_rate(value: float, name: str) -> float:
    if not 0.0 <= float(value) < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return float(value)


def _lstm_stack(x, units: tuple[int, ...], activation: str, dropout: float,
                recurrent_dropout: float):
    """Apply stacked LSTM layers (all but the last return sequences), dropout after each."""
    import keras

    for k, n_units in enumerate(units, start=1):
        last = k == len(units)
        x = keras.layers.LSTM(n_units, activation=activation, return_sequences=not last,
                              recurrent_dropout=recurrent_dropout, name=f"lstm_{k}")(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{k}")(x)
    return x


def _set_seed(seed: int | None) -> None:
    if seed is not None:
        from lstm_lab.runtime import set_seed

        set_seed(seed)


def lstm_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                    units: int | Sequence[int] = 32, dropout: float = 0.0,
                    recurrent_dropout: float = 0.0, activation: str = "tanh",
                    residual: bool = False, target_feature: int = 0,
                    seed: int | None = None, name: str = "lstm_forecaster"):
    r"""Build an LSTM that maps a window to the next ``horizon`` values (chapter 05).

    ``Input(input_width, n_features) -> LSTM(units[0]) -> ... -> Dense(horizon)``.
    ``units`` is one int (one layer) or a sequence of ints (stacked layers);
    ``dropout`` drops hidden-state outputs between layers and before the head (a
    ``Dropout`` layer), ``recurrent_dropout`` the recurrent connections (much slower on CPU).
    ``activation`` is the cell's candidate/output activation: keep the standard ``"tanh"``;
    chapter 05 shows what ``"relu"`` does. ``seed`` (optional) seeds the weight initialisation.

    ``residual=True`` (chapter 06) adds the window's last value of input feature
    ``target_feature`` to every output: the network then learns the *change* from
    persistence, $\hat y_{t+h} = x_{t,\text{target}} + \text{Dense}(h_T)_h$. This needs the
    target to be that input column, scaled the same way (as ``make_windows`` gives it).
    Returns an uncompiled ``keras.Model`` with output shape ``(batch, horizon)``.
    """
    import keras

    input_width, n_features, horizon, layers, dropout = _checked_common(
        input_width, n_features, horizon, units, dropout, activation, target_feature)
    recurrent_dropout = _check_rate(recurrent_dropout, "recurrent_dropout")
    _set_seed(seed)
    inputs = keras.Input(shape=(input_width, n_features), name="window")
    hidden = _lstm_stack(inputs, layers, activation, dropout, recurrent_dropout)
    outputs = keras.layers.Dense(horizon, name="forecast" if not residual else "change")(hidden)
    if residual:
        outputs = _plus_last_value(outputs, inputs, target_feature)
    return keras.Model(inputs, outputs, name=name)


def _checked_common(input_width, n_features, horizon, units, dropout, activation,
                    target_feature) -> tuple[int, int, int, tuple[int, ...], float]:
    """Check the arguments both builders share; raise naming the bad one."""
    input_width = _positive_int(input_width, "input_width")
    n_features = _positive_int(n_features, "n_features")
    horizon = _positive_int(horizon, "horizon")
    layers = _units_tuple(units)
    dropout = _check_rate(dropout, "dropout")
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")
    _check_target_feature(target_feature, n_features)
    return input_width, n_features, horizon, layers, dropout


def _check_target_feature(target_feature: object, n_features: int) -> None:
    if isinstance(target_feature, bool) or not isinstance(target_feature, int) or not (
            0 <= target_feature < n_features):
        raise ValueError(f"target_feature must be an int in [0, n_features={n_features}), "
                         f"got {target_feature!r}")


def _plus_last_value(change, window, target_feature: int):
    """``change`` plus the window's last value of feature ``target_feature`` (chapters 06, 08)."""
    import keras

    input_width, n_features = window.shape[1], window.shape[2]
    last = keras.layers.Cropping1D((input_width - 1, 0), name="last_step")(window)
    last = keras.layers.Reshape((n_features,), name="last_value")(last)
    last = keras.layers.Dense(1, use_bias=False, trainable=False, name="target_value",
                              kernel_initializer=keras.initializers.Constant(
                                  _one_hot(n_features, target_feature)))(last)
    return keras.layers.Add(name="forecast")([change, last])


def _one_hot(size: int, index: int) -> list[list[float]]:
    """A (size, 1) selection matrix: picks feature ``index`` from a vector of ``size``."""
    return [[1.0 if k == index else 0.0] for k in range(size)]


def lstm_with_future_covariates(input_width: int, n_features: int, horizon: int,
                                n_future_features: int, *, units: int | Sequence[int] = 32,
                                dense_units: int = 32, dropout: float = 0.0,
                                activation: str = "tanh", residual: bool = False,
                                target_feature: int = 0, seed: int | None = None,
                                name: str = "lstm_future_covariates"):
    """Build an LSTM forecaster that also reads covariates known in advance (chapter 08).

    Two named inputs: ``"past"`` with shape ``(input_width, n_features)`` (the history of the
    target and past covariates) goes through the LSTM; ``"future"`` with shape
    ``(horizon, n_future_features)`` (calendar, work-day flags, ... for the steps being
    forecast) is flattened and joined to the LSTM's last hidden state, then
    ``Dense(dense_units, relu) -> Dense(horizon)``. Feed it ``{"past": X, "future": F}``.
    ``residual=True`` adds the last past value of feature ``target_feature`` to every output,
    as in :func:`lstm_forecaster`: the network learns the change from persistence.
    Returns an uncompiled ``keras.Model`` with output shape ``(batch, horizon)``.
    """
    import keras

    input_width, n_features, horizon, layers, dropout = _checked_common(
        input_width, n_features, horizon, units, dropout, activation, target_feature)
    n_future_features = _positive_int(n_future_features, "n_future_features")
    dense_units = _positive_int(dense_units, "dense_units")
    _set_seed(seed)
    past = keras.Input(shape=(input_width, n_features), name="past")
    future = keras.Input(shape=(horizon, n_future_features), name="future")
    summary = _lstm_stack(past, layers, activation, dropout, 0.0)
    joined = keras.layers.Concatenate(name="join")(
        [summary, keras.layers.Flatten(name="future_flat")(future)])
    hidden = keras.layers.Dense(dense_units, activation="relu", name="hidden")(joined)
    outputs = keras.layers.Dense(horizon, name="forecast" if not residual else "change")(hidden)
    if residual:
        outputs = _plus_last_value(outputs, past, target_feature)
    return keras.Model({"past": past, "future": future}, outputs, name=name)
