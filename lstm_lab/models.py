"""Keras forecasters used in chapters 05-08 (Keras 3 idioms: ``keras.Input`` first).

* :func:`lstm_forecaster`: windows ``(batch, input_width, n_features)`` to forecasts
  ``(batch, horizon)``, one or more stacked LSTM layers and a linear ``Dense(horizon)`` head
  (chapter 05).
* :func:`lstm_with_future_covariates`: the same, plus a second input with covariates known
  in advance for the forecast steps (calendar, work days) (chapter 08).
* Chapter 09's contenders, all mapping the same windows to the same ``(batch, horizon)``
  forecasts: a stacked LSTM is :func:`lstm_forecaster` with ``units=(64, 32)``;
  :func:`bidirectional_forecaster`, :func:`gru_forecaster`, :func:`cnn_lstm_forecaster`,
  :func:`encoder_decoder_forecaster` and :func:`attention_forecaster` (with
  :func:`attention_weights` to read where it looks).
* :func:`quantile_forecaster`: windows to several quantiles of every forecast step,
  ``(batch, horizon, n_quantiles)``, trained with :func:`lstm_lab.training.quantile_loss`
  (chapter 12).
* Chapter 10's :func:`seq2seq_forecaster`: an encoder-decoder whose decoder also reads the
  previous step's value, trained with teacher forcing and run free
  (:func:`lstm_lab.forecasting.free_running_forecast`).

The builders return *uncompiled* models; :func:`lstm_lab.training.fit` compiles them with
the loss, optimiser and gradient clipping of the experiment. Keras is imported inside the
functions so that ``import lstm_lab`` stays free of TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence

from lstm_lab.checks import check_int as _positive_int

__all__ = ["lstm_forecaster", "lstm_with_future_covariates", "bidirectional_forecaster",
           "gru_forecaster", "cnn_lstm_forecaster", "encoder_decoder_forecaster",
           "attention_forecaster", "attention_weights", "quantile_forecaster",
           "seq2seq_forecaster"]

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


# ----------------------------------------------------------------------------- chapter 09


def _checked_window(input_width, n_features, horizon, units) -> tuple[int, int, int, int]:
    """Check the arguments every chapter 09 builder shares; ``units`` is one int here."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise TypeError(f"units must be an int (one recurrent layer), got {type(units).__name__}")
    return (_positive_int(input_width, "input_width"), _positive_int(n_features, "n_features"),
            _positive_int(horizon, "horizon"), _positive_int(units, "units"))


def bidirectional_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                             units: int = 32, seed: int | None = None,
                             name: str = "bidirectional_lstm"):
    """An LSTM that reads the window forwards and backwards (chapter 09).

    ``Input -> Bidirectional(LSTM(units)) -> Dense(horizon)``: the two directions' last states
    are concatenated (``2 * units`` values). Legitimate for windowed forecasting, because every
    value in the window is past; never for outputs at every time step, where the backward pass
    would read the future. It has twice the recurrent weights and twice the work of one LSTM.
    """
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    _set_seed(seed)
    inputs = keras.Input(shape=(input_width, n_features), name="window")
    hidden = keras.layers.Bidirectional(keras.layers.LSTM(units), name="bilstm")(inputs)
    outputs = keras.layers.Dense(horizon, name="forecast")(hidden)
    return keras.Model(inputs, outputs, name=name)


def gru_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *, units: int = 32,
                   seed: int | None = None, name: str = "gru"):
    """A GRU (Cho et al. 2014) in place of the LSTM: two gates, no cell state (chapter 09).

    ``Input -> GRU(units) -> Dense(horizon)``; about three quarters of an LSTM's weights.
    """
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    _set_seed(seed)
    inputs = keras.Input(shape=(input_width, n_features), name="window")
    hidden = keras.layers.GRU(units, name="gru")(inputs)
    outputs = keras.layers.Dense(horizon, name="forecast")(hidden)
    return keras.Model(inputs, outputs, name=name)


def cnn_lstm_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                        filters: int = 32, kernel_size: int = 3, pool_size: int = 2,
                        units: int = 32, seed: int | None = None, name: str = "cnn_lstm"):
    """A Conv1D front end that summarises short stretches, then an LSTM (chapter 09).

    ``Input -> Conv1D(filters, kernel_size, relu, causal) -> MaxPooling1D(pool_size) -> LSTM(units)
    -> Dense(horizon)``. The pooling shortens the sequence the LSTM reads by ``pool_size``,
    which is where the speed comes from; ``causal`` padding keeps each output on past steps.
    """
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    filters = _positive_int(filters, "filters")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    pool_size = _positive_int(pool_size, "pool_size")
    if pool_size > input_width:
        raise ValueError(f"pool_size must be at most input_width={input_width}, got {pool_size}")
    _set_seed(seed)
    inputs = keras.Input(shape=(input_width, n_features), name="window")
    x = keras.layers.Conv1D(filters, kernel_size, activation="relu", padding="causal",
                            name="conv")(inputs)
    x = keras.layers.MaxPooling1D(pool_size, name="pool")(x)
    hidden = keras.layers.LSTM(units, name="lstm")(x)
    outputs = keras.layers.Dense(horizon, name="forecast")(hidden)
    return keras.Model(inputs, outputs, name=name)


def _encoder_decoder(input_width, n_features, horizon, units, n_future_features, seed):
    """The encoder-decoder graph shared by two builders: inputs, encoder and decoder outputs."""
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    n_future_features = _positive_int(n_future_features, "n_future_features", minimum=0)
    _set_seed(seed)
    past = keras.Input(shape=(input_width, n_features), name="past")
    encoded, state_h, state_c = keras.layers.LSTM(units, return_sequences=True,
                                                  return_state=True, name="encoder")(past)
    # the decoder's input at step k: the encoder's summary (and the known future of step k)
    steps = keras.layers.RepeatVector(horizon, name="repeat")(state_h)
    inputs = past
    if n_future_features:
        future = keras.Input(shape=(horizon, n_future_features), name="future")
        steps = keras.layers.Concatenate(name="decoder_input")([steps, future])
        inputs = {"past": past, "future": future}
    decoded = keras.layers.LSTM(units, return_sequences=True, name="decoder")(
        steps, initial_state=[state_h, state_c])
    return inputs, encoded, decoded


def _per_step_head(hidden, horizon: int):
    """``Dense(1)`` at every decoder step, reshaped to ``(batch, horizon)``."""
    import keras

    step = keras.layers.Dense(1, name="step_forecast")(hidden)
    return keras.layers.Reshape((horizon,), name="forecast")(step)


def encoder_decoder_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                               units: int = 32, n_future_features: int = 0,
                               seed: int | None = None, name: str = "encoder_decoder"):
    """An encoder LSTM reads the window, a decoder LSTM unrolls the horizon (chapter 09).

    The encoder's final states start the decoder; at each of the ``horizon`` steps the decoder
    reads the encoder's last hidden state, plus that step's known-future covariates when
    ``n_future_features > 0`` (then the model takes ``{"past": X, "future": F}``). A shared
    ``Dense(1)`` turns each decoder step into that step's forecast: output ``(batch, horizon)``.
    """
    import keras

    inputs, _, decoded = _encoder_decoder(input_width, n_features, horizon, units,
                                          n_future_features, seed)
    return keras.Model(inputs, _per_step_head(decoded, int(horizon)), name=name)


def attention_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                         units: int = 32, n_future_features: int = 0, seed: int | None = None,
                         name: str = "attention"):
    r"""The encoder-decoder with dot-product attention over the encoder's states (chapter 09).

    At decoder step $k$ with state $s_k$, the weights $a_{kj} = \mathrm{softmax}_j(s_k \cdot h_j)$
    over the encoder's hidden states $h_1 \dots h_W$ (Luong et al. 2015; ``keras.layers.Attention``)
    form a context $c_k = \sum_j a_{kj} h_j$; ``Dense(1)`` reads $[s_k, c_k]$.
    :func:`attention_weights` returns the $a_{kj}$ for given windows.
    """
    import keras

    inputs, encoded, decoded = _encoder_decoder(input_width, n_features, horizon, units,
                                                n_future_features, seed)
    context = keras.layers.Attention(name="attention")([decoded, encoded])
    joined = keras.layers.Concatenate(name="state_and_context")([decoded, context])
    return keras.Model(inputs, _per_step_head(joined, int(horizon)), name=name)


def attention_weights(model, X):
    """The attention weights of an :func:`attention_forecaster` for windows ``X`` (chapter 09).

    Returns an array ``(N, horizon, input_width)``: row ``k`` of window ``i`` is how the
    forecast of step ``k + 1`` weights each step of the window (each row sums to 1).
    ``X`` is what the model takes (windows, or ``{"past", "future"}``).
    """
    import keras
    import numpy as np

    try:
        attention = model.get_layer("attention")
        encoder, decoder = model.get_layer("encoder"), model.get_layer("decoder")
    except (AttributeError, ValueError) as err:
        raise TypeError("model must be built by models.attention_forecaster") from err
    states = keras.Model(model.input, [encoder.output[0], decoder.output])
    inputs = ({k: np.asarray(v, dtype="float32") for k, v in X.items()} if isinstance(X, dict)
              else np.asarray(X, dtype="float32"))
    encoded, decoded = states(inputs, training=False)
    _, scores = attention([decoded, encoded], return_attention_scores=True)
    return np.asarray(scores)


# ----------------------------------------------------------------------------- chapter 10


def seq2seq_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                       units: int = 32, n_future_features: int = 0, skip: bool = True,
                       autoregressive: bool = True, seed: int | None = None,
                       name: str = "seq2seq"):
    r"""A sequence-to-sequence forecaster whose decoder reads the previous step (chapter 10).

    The encoder LSTM reads ``"past"`` ``(input_width, n_features)``; its final states start the
    decoder LSTM, which at forecast step $k$ reads ``"previous"`` (the target value of step
    $k - 1$; at $k = 1$ the last observed value) and, when ``n_future_features > 0``, that
    step's known-future covariates from ``"future"`` ``(horizon, n_future_features)``. A
    shared ``Dense(1)`` turns each decoder step into that step's forecast; with ``skip=True``
    it reads the decoder's input as well as its state, a linear path from the inputs.

    Training feeds the *true* previous values, ``previous[:, k] = y[:, k - 1]`` (teacher
    forcing, Williams & Zipser 1989); forecasting has no true values and feeds the model's own
    forecasts, :func:`lstm_lab.forecasting.free_running_forecast`. The decoder is causal: the
    forecast of step $k$ depends on ``previous[:, :k]`` only. Inputs
    ``{"past", "previous"[, "future"]}``, ``previous`` of shape ``(N, horizon)``; output
    ``(batch, horizon)``; uncompiled. ``autoregressive=False`` drops the ``"previous"`` input
    (then ``n_future_features`` must be > 0): the decoder reads the known future only, so
    training and forecasting see the same inputs and there is nothing to feed back.
    """
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    n_future_features = _positive_int(n_future_features, "n_future_features", minimum=0)
    for flag, flag_name in ((skip, "skip"), (autoregressive, "autoregressive")):
        if not isinstance(flag, bool):
            raise TypeError(f"{flag_name} must be True or False, got {type(flag).__name__}")
    if not autoregressive and not n_future_features:
        raise ValueError("autoregressive=False needs n_future_features > 0: the decoder must "
                         "read something at every step")
    _set_seed(seed)
    past = keras.Input(shape=(input_width, n_features), name="past")
    inputs = {"past": past}
    _, state_h, state_c = keras.layers.LSTM(units, return_state=True, name="encoder")(past)
    parts = []
    if autoregressive:
        previous = keras.Input(shape=(horizon,), name="previous")
        inputs["previous"] = previous
        parts.append(keras.layers.Reshape((horizon, 1), name="previous_steps")(previous))
    if n_future_features:
        future = keras.Input(shape=(horizon, n_future_features), name="future")
        inputs["future"] = future
        parts.append(future)
    steps = (keras.layers.Concatenate(name="decoder_input")(parts) if len(parts) > 1
             else parts[0])
    decoded = keras.layers.LSTM(units, return_sequences=True, name="decoder")(
        steps, initial_state=[state_h, state_c])
    if skip:
        decoded = keras.layers.Concatenate(name="state_and_input")([decoded, steps])
    return keras.Model(inputs, _per_step_head(decoded, horizon), name=name)


# ----------------------------------------------------------------------------- chapter 12


def quantile_forecaster(input_width: int, n_features: int = 1, horizon: int = 1, *,
                        n_quantiles: int, units: int = 32, dropout: float = 0.0,
                        monotone: bool = True, seed: int | None = None,
                        name: str = "quantile_lstm"):
    r"""An LSTM whose head forecasts ``n_quantiles`` quantiles of every step (chapter 12).

    ``Input -> LSTM(units) -> Dense(horizon * n_quantiles) -> Reshape(horizon, n_quantiles)``:
    output ``(batch, horizon, n_quantiles)``, one column per quantile level, in the order of the
    levels given to :func:`lstm_lab.training.quantile_loss`. With ``monotone=True`` the head
    outputs the lowest quantile and positive steps between neighbours,
    $\hat q_{k} = \hat q_1 + \sum_{j=2}^{k} \mathrm{softplus}(z_j)$, so quantiles can never cross;
    with ``monotone=False`` each column is free and they may cross (repair them by sorting).
    """
    import keras

    input_width, n_features, horizon, units = _checked_window(input_width, n_features, horizon,
                                                              units)
    n_quantiles = _positive_int(n_quantiles, "n_quantiles")
    dropout = _check_rate(dropout, "dropout")
    _set_seed(seed)
    inputs = keras.Input(shape=(input_width, n_features), name="window")
    hidden = keras.layers.LSTM(units, name="lstm")(inputs)
    if dropout > 0:
        hidden = keras.layers.Dropout(dropout, name="dropout")(hidden)
    flat = keras.layers.Dense(horizon * n_quantiles, name="quantiles_flat")(hidden)
    outputs = keras.layers.Reshape((horizon, n_quantiles), name="quantiles")(flat)
    if monotone:
        outputs = _increasing_layer()(name="increasing_quantiles")(outputs)
    return keras.Model(inputs, outputs, name=name)


_INCREASING = None


def _increasing_layer():
    """The Keras layer class behind ``monotone=True``, defined once, on first use."""
    global _INCREASING
    if _INCREASING is None:
        import keras
        from keras import ops

        @keras.saving.register_keras_serializable(package="lstm_lab")
        class IncreasingQuantiles(keras.layers.Layer):
            """First column as is, then a running sum of softplus steps: increasing columns."""

            def call(self, x):
                first = x[..., :1]
                steps = ops.softplus(x[..., 1:])
                return ops.concatenate([first, first + ops.cumsum(steps, axis=-1)], axis=-1)

        _INCREASING = IncreasingQuantiles
    return _INCREASING
