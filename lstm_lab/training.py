"""Training Keras forecasters the way practitioners do (chapter 05; used by chapters 06-14).

:func:`fit` compiles a model with Adam, a loss and gradient clipping, then trains it with
early stopping and learning-rate reduction on a plateau of the validation loss, silently
(``verbose=0``), and returns the Keras ``History``. :func:`fit_seeds` repeats build, fit and
forecast for several seeds, because one training run is one sample of a random outcome.
:class:`FullBatchTrainer` runs plain full-batch Adam steps, for the many small refits of a
rolling-origin backtest (chapter 13).
Chapter 11 adds :func:`continue_training` (fine-tuning without recompiling) and
:func:`lean_tuner` (Keras Tuner without the tensorboard package, for small CPU searches).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from lstm_lab.checks import check_int

__all__ = ["fit", "predict", "gradient_norm", "best_epoch", "fit_seeds", "SeedRuns",
           "FullBatchTrainer", "continue_training", "lean_tuner"]


def _n_rows(data: object, name: str) -> int:
    """Rows of an array or of every array in a dict of model inputs; all must be finite."""
    arrays = data.values() if isinstance(data, Mapping) else [data]
    counts = set()
    for array in arrays:
        try:
            values = np.asarray(array, dtype=float)
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name} must be a numeric array (or a dict of them)") from err
        if values.ndim == 0 or values.shape[0] == 0:
            raise ValueError(f"{name} must have at least one row, got shape {values.shape}")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} contains NaN or infinite values")
        counts.add(values.shape[0])
    if len(counts) != 1:
        raise ValueError(f"the arrays in {name} have different numbers of rows: {sorted(counts)}")
    return counts.pop()


def _check_xy(model, X, y, name_x: str, name_y: str) -> None:
    n_x, n_y = _n_rows(X, name_x), _n_rows(y, name_y)
    if n_x != n_y:
        raise ValueError(f"{name_x} has {n_x} rows but {name_y} has {n_y}")
    y_shape = np.shape(y)
    if len(model.output_shape) == 3 and model.output_shape[1] != 1:
        # quantile models (chapter 12): (batch, horizon, n_quantiles) against y (N, horizon)
        horizon = model.output_shape[1]
        if y_shape[1:] not in {(horizon,), (horizon, 1)}:
            raise ValueError(f"{name_y} has shape {y_shape} but the model forecasts {horizon} "
                             f"steps (with {model.output_shape[2]} quantiles each); expected "
                             f"({n_y}, {horizon})")
        return
    out_dim = model.output_shape[-1]
    # (N, horizon) from make_windows, (N,) for one step, (N, horizon, 1) from WindowSpec
    allowed = {(out_dim,), (out_dim, 1)} | ({()} if out_dim == 1 else set())
    if y_shape[1:] not in allowed:
        raise ValueError(f"{name_y} has shape {y_shape} but the model forecasts {out_dim} "
                         f"value(s) per window; expected ({n_y}, {out_dim})")


def _check_validation_pair(model, validation_data) -> None:
    """``validation_data`` must be a pair ``(X_val, y_val)`` that fits ``model``."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError("validation_data must be a pair (X_val, y_val)")
    _check_xy(model, *validation_data, "validation_data[0]", "validation_data[1]")


def fit(model, X, y, validation_data: tuple | None = None, *, epochs: int = 50,
        batch_size: int = 64, learning_rate: float = 1e-3, loss="mse",
        clipnorm: float | None = 1.0, early_stopping_patience: int | None = 5,
        reduce_lr_patience: int | None = 3, reduce_lr_factor: float = 0.5,
        min_learning_rate: float = 1e-5, seed: int | None = None, shuffle: bool = True):
    """Compile and train ``model``; return its ``keras.callbacks.History`` (chapter 05).

    * optimiser: Adam with ``learning_rate`` and gradient clipping to global norm
      ``clipnorm`` (``None`` turns clipping off);
    * ``loss``: ``"mse"``, ``"mae"``, ``"huber"`` or a ``keras.losses`` object;
    * early stopping after ``early_stopping_patience`` epochs without a better validation
      loss, with the best epoch's weights restored (``None`` turns it off);
    * learning rate times ``reduce_lr_factor`` after ``reduce_lr_patience`` epochs on a
      plateau, down to ``min_learning_rate`` (``None`` turns it off);
    * ``seed`` (optional) seeds shuffling and dropout; the training log stays off.

    ``validation_data=(X_val, y_val)`` is required for early stopping and the schedule: use
    a chronological validation split, never a random one. ``history.history`` holds
    ``loss``, ``val_loss`` and ``learning_rate`` per epoch.
    """
    import keras

    _check_xy(model, X, y, "X", "y")
    if validation_data is not None:
        _check_validation_pair(model, validation_data)
    elif early_stopping_patience is not None or reduce_lr_patience is not None:
        raise ValueError("validation_data is needed for early stopping and the learning-rate "
                         "schedule; pass (X_val, y_val) or set early_stopping_patience=None "
                         "and reduce_lr_patience=None")
    for value, name in ((epochs, "epochs"), (batch_size, "batch_size")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
    if clipnorm is not None and not clipnorm > 0:
        raise ValueError(f"clipnorm must be > 0 or None, got {clipnorm}")
    if seed is not None:
        from lstm_lab.runtime import set_seed

        set_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, clipnorm=clipnorm),
                  loss=loss)
    return _train(model, X, y, validation_data, epochs=epochs, batch_size=batch_size,
                  early_stopping_patience=early_stopping_patience,
                  reduce_lr_patience=reduce_lr_patience, reduce_lr_factor=reduce_lr_factor,
                  min_learning_rate=min_learning_rate, shuffle=shuffle)


#: fit's keyword options and their defaults (fit_seeds passes them on)
_FIT_OPTIONS = {name: p.default for name, p in inspect.signature(fit).parameters.items()
                if p.kind is inspect.Parameter.KEYWORD_ONLY}


def _train(model, X, y, validation_data, *, epochs, batch_size, early_stopping_patience,
           reduce_lr_patience, reduce_lr_factor, min_learning_rate, shuffle):
    """Train a compiled model with the course's callbacks (the second half of :func:`fit`)."""
    import keras

    callbacks = []
    if early_stopping_patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=early_stopping_patience, restore_best_weights=True))
    if reduce_lr_patience is not None:
        callbacks.append(keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=reduce_lr_factor, patience=reduce_lr_patience,
            min_lr=min_learning_rate))
    else:  # log the (constant) learning rate anyway, so every history has the same keys
        def log_rate(epoch, logs):
            logs["learning_rate"] = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))

        callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=log_rate))
    return model.fit(X, y, validation_data=validation_data, epochs=epochs,
                     batch_size=batch_size, validation_batch_size=4096, shuffle=shuffle,
                     callbacks=callbacks, verbose=0)


def predict(model, X, batch_size: int = 4096) -> np.ndarray:
    """Forecast for every window in ``X``; returns ``(N, horizon)`` (chapter 05).

    Calls the model directly in batches (``training=False``, so dropout is off). Unlike
    ``model.predict`` this builds no new TensorFlow function per model, so a loop over
    many models stays fast and free of TensorFlow's retracing warnings.
    """
    n = _n_rows(X, "X")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
    parts = []
    for start in range(0, n, batch_size):
        batch = ({k: np.asarray(v[start:start + batch_size], dtype="float32")
                  for k, v in X.items()} if isinstance(X, Mapping)
                 else np.asarray(X[start:start + batch_size], dtype="float32"))
        parts.append(np.asarray(model(batch, training=False)))
    return np.concatenate(parts, axis=0)


def gradient_norm(model, X, y, loss="mse") -> float:
    r"""Global norm $\lVert g \rVert_2$ of the loss gradient for one batch (chapter 05).

    This is the quantity that ``clipnorm`` caps: with clipping at $c$, Keras rescales the
    gradient to $g \cdot \min(1, c / \lVert g \rVert_2)$. ``X`` and ``y`` are one batch; dropout
    is off. Uses TensorFlow's ``GradientTape`` (the course's Keras backend).
    """
    import keras
    import tensorflow as tf

    _check_xy(model, X, y, "X", "y")
    loss_fn = keras.losses.get(loss)
    inputs = (tf.constant(np.asarray(X, dtype="float32")) if not isinstance(X, Mapping)
              else {k: tf.constant(np.asarray(v, dtype="float32")) for k, v in X.items()})
    target = tf.constant(np.asarray(y, dtype="float32").reshape(len(np.asarray(y)), -1))
    with tf.GradientTape() as tape:
        value = tf.reduce_mean(loss_fn(target, model(inputs, training=False)))
    grads = tape.gradient(value, model.trainable_variables)
    return float(tf.linalg.global_norm(grads))


def best_epoch(history) -> int:
    """The (1-based) epoch with the lowest validation loss, kept by early stopping (chapter 05)."""
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "val_loss" not in curves:
        raise ValueError("history has no 'val_loss'; train with validation_data")
    return int(np.argmin(curves["val_loss"])) + 1


@dataclass
class SeedRuns:
    """Results of :func:`fit_seeds`: one entry per seed, in the order of ``seeds`` (chapter 06)."""

    seeds: tuple[int, ...]
    predictions: list[np.ndarray] = field(default_factory=list)
    histories: list = field(default_factory=list)
    models: list = field(default_factory=list)


def fit_seeds(build_model: Callable[[], object], X, y, validation_data: tuple, X_test, *,
              seeds: Sequence[int] = (0, 1, 2),
              postprocess: Callable[[np.ndarray], np.ndarray] | None = None,
              **fit_kwargs) -> SeedRuns:
    """Build, train and forecast once per seed (chapters 06-08, 11).

    For each seed: seed everything, ``model = build_model()``, :func:`fit` with
    ``fit_kwargs``, then forecast ``X_test`` and apply ``postprocess`` (for example the
    inverse of the training-set scaling, to get physical units). Report the spread of the
    test errors over seeds (``lstm_lab.evaluation.results_table`` does), not one lucky run.

    To save time, the seeds share one compiled copy of the model: each seed's freshly built
    weights (and dropout random state) are copied into it and its optimizer is reset, so
    TensorFlow traces the training step once instead of once per seed. The results are the
    same, bit for bit, as separate :func:`fit` calls (``tests/test_training.py`` checks it).
    ``models[i]`` holds seed ``i``'s trained weights; it is not compiled (``predict`` works,
    and :func:`fit` compiles a model again).
    """
    from lstm_lab.runtime import set_seed

    seeds = tuple(seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be a non-empty sequence of distinct ints, got {seeds}")
    if not callable(build_model) or hasattr(build_model, "fit"):
        raise TypeError("build_model must be a function that returns a new keras.Model "
                        "(not a model: every seed needs fresh weights)")
    if "seed" in fit_kwargs:
        raise TypeError("pass the seeds as seeds=..., not seed=")
    unknown = set(fit_kwargs) - set(_FIT_OPTIONS)
    if unknown:
        raise TypeError(f"fit() got unexpected keyword argument(s): {sorted(unknown)}")
    options = {**_FIT_OPTIONS, **fit_kwargs}
    compile_keys = ("learning_rate", "loss", "clipnorm", "seed")
    train_options = {k: v for k, v in options.items() if k not in compile_keys}
    runs = SeedRuns(seeds=seeds)
    # one seed needs no shared copy; for more, it is built before seeding (its weights are replaced)
    reuse = len(seeds) > 1
    trainer, compiled = (build_model() if reuse else None), False
    for seed in seeds:
        set_seed(seed)
        model = build_model()
        reuse = reuse and _same_variables(model, trainer)  # the builder varies: no sharing
        if not reuse:
            history = fit(model, X, y, validation_data, **fit_kwargs)
        else:
            _copy_variables(model, trainer)
            if not compiled:
                history = fit(trainer, X, y, validation_data, **fit_kwargs)
                compiled = True
            else:
                _restart_optimizer(trainer, options["learning_rate"])
                history = _train(trainer, X, y, validation_data, **train_options)
            _copy_variables(trainer, model)
        runs.histories.append(history)
        forecast = predict(model, X_test)
        runs.predictions.append(postprocess(forecast) if postprocess else forecast)
        runs.models.append(model)
    return runs


def _same_variables(a, b) -> bool:
    """True when two models are one network: the same configuration and variable shapes."""
    va, vb = a.variables, b.variables
    return (len(va) == len(vb) and a.get_config() == b.get_config()
            and all(tuple(x.shape) == tuple(z.shape) for x, z in zip(va, vb, strict=True)))


def _copy_variables(source, target) -> None:
    """Copy every variable of ``source`` (weights, dropout seed states) into ``target``."""
    for dst, src in zip(target.variables, source.variables, strict=True):
        dst.assign(src)


def _restart_optimizer(model, learning_rate: float) -> None:
    """Put a compiled model's Adam back into its initial state: step 0, empty moments."""
    optimizer = model.optimizer
    for variable in optimizer.variables:
        variable.assign(np.zeros(tuple(variable.shape), dtype=variable.dtype))
    optimizer.learning_rate = learning_rate
    model.stop_training = False


# ----------------------------------------------------------------------------- chapter 13


class FullBatchTrainer:
    """Full-batch Adam steps on a small data set, for many refits of one network (chapter 13).

    A rolling-origin backtest refits or fine-tunes a model at every origin, often on a few
    hundred windows. Keras' ``fit`` then spends most of its time on per-epoch bookkeeping
    (data adapters, callbacks, validation), not on learning. This trainer compiles one
    training step, a gradient of the mean squared error over *all* the windows given and one
    Adam update with gradient clipping, and reuses it for every seed and every fold::

        trainer = FullBatchTrainer(lambda: models.lstm_forecaster(28, 1, 7), learning_rate=1e-2)
        trainer.start(seed=0)            # fresh weights built under seed 0, Adam restarted
        losses = trainer.steps(X, y, 100)  # 100 steps on all of (X, y); the training losses
        forecast = trainer.predict(X_new)  # the same as predict(trainer.model, X_new), faster
        trainer.steps(X_more, y_more, 10)  # warm start: continue from the current weights

    ``build_model`` is called once to make the trained network (``trainer.model``) and again
    by every :meth:`start`, whose fresh weights are copied in, so the compiled step is
    traced once. The number of windows may change between calls.
    """

    def __init__(self, build_model: Callable[[], object], *, learning_rate: float = 1e-2,
                 clipnorm: float | None = 1.0):
        import keras

        if not callable(build_model) or hasattr(build_model, "fit"):
            raise TypeError("build_model must be a function that returns a new keras.Model "
                            "(not a model: every start() needs fresh weights)")
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) \
                or not learning_rate > 0:
            raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
        if clipnorm is not None and not clipnorm > 0:
            raise ValueError(f"clipnorm must be > 0 or None, got {clipnorm}")
        self.build_model = build_model
        self.learning_rate = float(learning_rate)
        self.model = build_model()
        self.optimizer = keras.optimizers.Adam(learning_rate=self.learning_rate, clipnorm=clipnorm)
        self.optimizer.build(self.model.trainable_variables)
        self._step = self._forward = None
        self.started = False

    def start(self, seed: int) -> FullBatchTrainer:
        """Fresh weights from ``build_model()`` under ``seed``, Adam at step 0; returns self."""
        from lstm_lab.runtime import set_seed

        set_seed(seed)
        fresh = self.build_model()
        if not _same_variables(fresh, self.model):
            raise ValueError("build_model returned a different network than at construction; "
                             "it must build the same architecture every time")
        _copy_variables(fresh, self.model)
        for variable in self.optimizer.variables:
            variable.assign(np.zeros(tuple(variable.shape), dtype=variable.dtype))
        self.optimizer.learning_rate = self.learning_rate  # zeroed with the other variables
        self.started = True
        return self

    def steps(self, X, y, n_steps: int) -> np.ndarray:
        """Run ``n_steps`` full-batch Adam steps on ``(X, y)``; return the loss before each step."""
        import tensorflow as tf

        if not self.started:
            raise ValueError("call start(seed) before steps(): it sets the initial weights")
        n_steps = check_int(n_steps, "n_steps")
        _check_xy(self.model, X, y, "X", "y")
        x = tf.constant(np.asarray(X, dtype="float32"))
        target = tf.constant(np.asarray(y, dtype="float32").reshape(x.shape[0], -1))
        if self._step is None:
            model, optimizer = self.model, self.optimizer

            @tf.function(reduce_retracing=True)
            def step(inputs, targets):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.square(targets - model(inputs, training=True)))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
                return loss

            self._step = step
        return np.array([float(self._step(x, target)) for _ in range(n_steps)])

    def predict(self, X) -> np.ndarray:
        """Forecasts of ``trainer.model`` for the windows ``X``, as :func:`predict` gives them.

        The forward pass is compiled once, like the training step: a few hundred one-window
        forecasts (one per fold) then cost milliseconds instead of seconds.
        """
        import tensorflow as tf

        _n_rows(X, "X")
        if self._forward is None:
            model = self.model
            self._forward = tf.function(lambda inputs: model(inputs, training=False),
                                        reduce_retracing=True)
        return np.asarray(self._forward(tf.constant(np.asarray(X, dtype="float32"))))


# ----------------------------------------------------------------------------- chapter 11

#: options of :func:`fit` that need a new ``compile`` (:func:`continue_training` refuses them)
_COMPILE_OPTIONS = ("loss", "clipnorm", "seed")


def continue_training(model, X, y, validation_data: tuple, **options):
    """Train an already compiled model further, from its current weights (chapter 11).

    This is fine-tuning: set the weights you want to start from (a model pre-trained on
    other data, or fresh ones), then train on the new data with a new Adam state at
    ``learning_rate`` and :func:`fit`'s callbacks. ``options`` are those of :func:`fit`
    (``epochs``, ``batch_size``, ``learning_rate``, patience settings, ``shuffle``) except
    ``loss``, ``clipnorm`` and ``seed``, which need a new ``compile``. Because the model is
    not compiled again, TensorFlow reuses its traced training step: many short trainings
    of one network (several sizes of data, several starting points) cost no new tracing.
    Returns the ``History``.
    """
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", False):
        raise ValueError("model must be compiled: train it once with training.fit first")
    refused = sorted(set(options) & set(_COMPILE_OPTIONS))
    if refused:
        raise TypeError(f"continue_training cannot change {refused}: they need a new compile; "
                        "use training.fit")
    unknown = sorted(set(options) - set(_FIT_OPTIONS))
    if unknown:
        raise TypeError(f"continue_training() got unexpected keyword argument(s): {unknown}")
    settings = {k: v for k, v in {**_FIT_OPTIONS, **options}.items() if k not in _COMPILE_OPTIONS}
    _check_xy(model, X, y, "X", "y")
    _check_validation_pair(model, validation_data)
    for name in ("epochs", "batch_size"):
        check_int(settings[name], name)
    if not settings["learning_rate"] > 0:
        raise ValueError(f"learning_rate must be > 0, got {settings['learning_rate']}")
    _restart_optimizer(model, settings.pop("learning_rate"))
    return _train(model, X, y, validation_data, **settings)


def lean_tuner(tuner_class):
    """A Keras Tuner class fit for this course's small CPU searches (chapter 11).

    Two changes, neither of which alters what is trained or how trials are scored:

    * keras-tuner 1.4 imports ``tensorboard`` at the start of every trial when Keras runs on
      TensorFlow, to adapt a ``TensorBoard`` callback if one is passed. TensorFlow 2.21 no
      longer installs tensorboard, and then every trial fails; the search still finishes,
      with every trial marked ``FAILED`` (check ``trial.status``). Without tensorboard the
      subclass skips that step (so do not pass it a ``TensorBoard`` callback).
    * keras-tuner runs a full garbage collection before every trial, which takes a good
      fraction of a second in a process that holds TensorFlow; ``search`` here first moves
      the objects that already exist out of the collector's way (``gc.freeze``), and lets
      them back when it returns.

    ``tuner_class`` is a tuner such as ``keras_tuner.RandomSearch``; use the result exactly
    like it.
    """
    import gc
    import importlib.util

    import keras_tuner

    if not (isinstance(tuner_class, type) and issubclass(tuner_class, keras_tuner.Tuner)):
        raise TypeError(f"tuner_class must be a keras_tuner tuner class such as "
                        f"keras_tuner.RandomSearch, got {tuner_class!r}")
    def search(self, *args, **kwargs):
        gc.freeze()  # the objects that exist now are not scanned by the per-trial collections
        try:
            return tuner_class.search(self, *args, **kwargs)
        finally:
            gc.unfreeze()

    members = {"search": search, "__doc__": tuner_class.__doc__}
    if importlib.util.find_spec("tensorboard") is None:
        members["_configure_tensorboard_dir"] = _no_tensorboard
    return type(tuner_class.__name__, (tuner_class,), members)


def _no_tensorboard(self, callbacks, trial, execution=0):
    """No TensorBoard callback to adapt: tensorboard is not installed (chapter 11)."""


# ----------------------------------------------------------------------------- chapter 12


def _check_levels(levels) -> np.ndarray:
    values = np.asarray(levels, dtype=float).ravel()
    if values.size == 0 or not np.all((values > 0) & (values < 1)) or np.any(np.diff(values) <= 0):
        raise ValueError(f"quantiles must be increasing levels strictly between 0 and 1, got "
                         f"{list(np.asarray(levels).ravel())}")
    return values


def quantile_loss(quantiles):
    r"""A Keras loss: the pinball loss averaged over ``quantiles`` and steps (chapter 12).

    For a model with output ``(batch, horizon, Q)`` (:func:`lstm_lab.models.quantile_forecaster`)
    and targets ``(batch, horizon)``: the mean over steps and levels $\tau_q$ of
    $\max(\tau_q e, (\tau_q - 1) e)$ with $e = y - \hat y_q$, the loss that
    :func:`lstm_lab.metrics.pinball_loss` scores. Its minimiser is the conditional quantile.
    """
    from keras import ops

    levels = _check_levels(quantiles).astype("float32")

    def loss(y_true, y_pred):
        error = ops.expand_dims(ops.reshape(y_true, ops.shape(y_pred)[:2]), -1) - y_pred
        return ops.mean(ops.maximum(levels * error, (levels - 1.0) * error), axis=(-2, -1))

    return loss


def mc_dropout_samples(model, X, n_samples: int = 100, seed: int = 0,
                       batch_size: int = 4096) -> np.ndarray:
    """Monte Carlo dropout: ``n_samples`` forecasts with dropout left on (chapter 12).

    Gal & Ghahramani (2016): calling the model with ``training=True`` keeps its ``Dropout``
    layers active, so every call drops other units; the spread of the calls is taken as the
    model's uncertainty. Returns ``(N, *output_shape, n_samples)``. ``seed`` makes the draws
    repeatable. A model without dropout gives ``n_samples`` identical forecasts: that is an
    error here.
    """
    import keras

    n_samples = check_int(n_samples, "n_samples")
    seed = check_int(seed, "seed", minimum=0)
    dropouts = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    if not dropouts:
        raise ValueError("model has no Dropout layer, so MC dropout gives no spread")
    n = _n_rows(X, "X")
    # each Dropout layer draws from its own generator: start them at `seed`, restore them after
    states = [layer.seed_generator.state for layer in dropouts]
    saved = [np.asarray(state.value) for state in states]
    for k, state in enumerate(states):
        state.assign(np.array([seed, k], dtype=saved[k].dtype))
    try:
        draws = []
        for _ in range(n_samples):
            parts = [np.asarray(model(np.asarray(X[i:i + batch_size], dtype="float32"),
                                      training=True)) for i in range(0, n, batch_size)]
            draws.append(np.concatenate(parts, axis=0))
    finally:
        for state, value in zip(states, saved, strict=True):
            state.assign(value)
    return np.stack(draws, axis=-1)
