"""lstm_lab.training: fit learns, stops early, keeps the best weights, reports the schedule."""

import numpy as np
import pytest

import lstm_lab  # noqa: F401  (silences TensorFlow before keras is imported)
from lstm_lab import models, training

keras = pytest.importorskip("keras")


def toy_problem(n=400, width=6, seed=0):
    """The next value is half the last one plus noise: learnable from the window."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, width, 1)).astype("float32")
    y = (0.5 * X[:, -1, :] + 0.05 * rng.normal(size=(n, 1))).astype("float32")
    return X[:300], y[:300], X[300:], y[300:]


def test_fit_learns_and_logs_loss_val_loss_and_learning_rate():
    X, y, X_val, y_val = toy_problem()
    model = models.lstm_forecaster(6, units=8, seed=0)
    history = training.fit(model, X, y, (X_val, y_val), epochs=15, batch_size=32,
                           learning_rate=1e-2, seed=0)
    curves = history.history
    assert {"loss", "val_loss", "learning_rate"} <= set(curves)
    assert curves["val_loss"][-1] < 0.5 * curves["val_loss"][0]
    assert model.optimizer.clipnorm == 1.0
    assert training.predict(model, X_val).shape == (100, 1)
    # the restored weights are those of the best epoch
    assert model.evaluate(X_val, y_val, verbose=0) == pytest.approx(min(curves["val_loss"]),
                                                                    rel=1e-4)
    assert 1 <= training.best_epoch(history) <= len(curves["val_loss"])


def test_early_stopping_and_learning_rate_reduction_on_a_plateau():
    X, y, X_val, _ = toy_problem()
    noise = np.random.default_rng(1).normal(size=(100, 1)).astype("float32")  # unlearnable
    model = models.lstm_forecaster(6, units=4, seed=0)
    history = training.fit(model, X, y, (X_val, noise), epochs=60, learning_rate=1e-2,
                           early_stopping_patience=6, reduce_lr_patience=2, seed=0)
    curves = history.history
    assert len(curves["loss"]) < 60  # stopped early
    assert min(curves["learning_rate"]) < curves["learning_rate"][0]  # reduced on the plateau


def test_fit_is_reproducible_with_a_seed_and_options_turn_off():
    X, y, X_val, y_val = toy_problem()
    losses = []
    for _ in range(2):
        model = models.lstm_forecaster(6, units=4, seed=5)
        history = training.fit(model, X, y, epochs=3, seed=5, clipnorm=None, loss="huber",
                               early_stopping_patience=None, reduce_lr_patience=None)
        losses.append(history.history["loss"])
    assert losses[0] == losses[1]
    assert len(losses[0]) == 3
    assert model.optimizer.clipnorm is None
    assert history.history["learning_rate"] == pytest.approx([1e-3] * 3)  # logged, no schedule


def test_fit_accepts_the_target_layouts_of_make_windows_and_windowspec():
    X, y, X_val, y_val = toy_problem()
    for target, val_target in ((y[:, 0], y_val[:, 0]), (y[:, :, None], y_val[:, :, None])):
        model = models.lstm_forecaster(6, units=4, seed=0)
        history = training.fit(model, X, target, (X_val, val_target), epochs=1)
        assert len(history.history["loss"]) == 1


def test_fit_seeds_gives_one_forecast_per_seed():
    X, y, X_val, y_val = toy_problem()
    runs = training.fit_seeds(lambda: models.lstm_forecaster(6, units=4), X, y, (X_val, y_val),
                              X_val[:10], seeds=(0, 1), postprocess=lambda f: f * 10.0,
                              epochs=2)
    assert runs.seeds == (0, 1)
    assert [p.shape for p in runs.predictions] == [(10, 1), (10, 1)]
    assert not np.allclose(runs.predictions[0], runs.predictions[1])
    np.testing.assert_allclose(runs.predictions[1],
                               10.0 * training.predict(runs.models[1], X_val[:10]), rtol=1e-5)
    assert len(runs.histories) == 2


def test_gradient_norm_matches_a_hand_computed_dense_gradient():
    # a model with one Dense weight w and bias b: loss = mean((w x + b - y)^2)
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones",
                                                   bias_initializer="zeros")(inputs))
    x, y = np.array([[1.0], [2.0]]), np.array([[0.0], [0.0]])
    # d/dw = mean(2 (w x - y) x) = (2*1 + 8)/2 = 5 ; d/db = mean(2 (w x - y)) = (2 + 4)/2 = 3
    assert training.gradient_norm(model, x, y) == pytest.approx(np.hypot(5.0, 3.0), rel=1e-6)
    lstm = models.lstm_forecaster(6, units=4, seed=0)
    X, y6, _, _ = toy_problem()
    assert training.gradient_norm(lstm, X[:32], y6[:32]) > 0
    with pytest.raises(ValueError, match="X has 32 rows but y has 31"):
        training.gradient_norm(lstm, X[:32], y6[:31])


def test_bad_inputs_name_the_argument():
    X, y, X_val, y_val = toy_problem()
    model = models.lstm_forecaster(6, units=4)
    with pytest.raises(ValueError, match="validation_data is needed"):
        training.fit(model, X, y)
    with pytest.raises(ValueError, match="X has 300 rows but y has 299"):
        training.fit(model, X, y[:-1], (X_val, y_val))
    with pytest.raises(ValueError, match=r"y has shape \(300, 2\) but the model forecasts 1"):
        training.fit(model, X, np.zeros((300, 2)), (X_val, y_val))
    with pytest.raises(ValueError, match="validation_data must be a pair"):
        training.fit(model, X, y, X_val)
    with pytest.raises(ValueError, match="X contains NaN"):
        training.fit(model, np.full_like(X, np.nan), y, (X_val, y_val))
    with pytest.raises(ValueError, match="epochs must be an int >= 1"):
        training.fit(model, X, y, (X_val, y_val), epochs=0)
    with pytest.raises(ValueError, match="clipnorm must be > 0"):
        training.fit(model, X, y, (X_val, y_val), clipnorm=0.0)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        training.fit(model, X, y, (X_val, y_val), learning_rate=0.0)
    with pytest.raises(ValueError, match="history has no 'val_loss'"):
        training.best_epoch({"loss": [1.0]})
    with pytest.raises(ValueError, match="seeds must be a non-empty"):
        training.fit_seeds(lambda: model, X, y, (X_val, y_val), X_val, seeds=())
    with pytest.raises(TypeError, match="build_model must be a function"):
        training.fit_seeds(model, X, y, (X_val, y_val), X_val)


def test_fit_seeds_with_a_two_input_model():
    rng = np.random.default_rng(3)
    past = rng.normal(size=(120, 8, 2)).astype("float32")
    future = rng.normal(size=(120, 3, 1)).astype("float32")
    y = (past[:, -1:, 0] + future[:, :, 0]).astype("float32")  # (120, 3)
    X = {"past": past, "future": future}
    val = ({"past": past[:20], "future": future[:20]}, y[:20])
    runs = training.fit_seeds(lambda: models.lstm_with_future_covariates(8, 2, 3, 1, units=4,
                                                                         dense_units=4),
                              X, y, val, {"past": past[:5], "future": future[:5]}, seeds=(0, 1),
                              epochs=2)
    assert [p.shape for p in runs.predictions] == [(5, 3), (5, 3)]
    with pytest.raises(ValueError, match="different numbers of rows"):
        training.predict(runs.models[0], {"past": past[:5], "future": future[:4]})


def _separate_fits(build, X, y, val, X_test, seeds, **kwargs):
    """What fit_seeds computes, one fresh compiled model per seed (the reference)."""
    from lstm_lab.runtime import set_seed

    predictions, curves = [], []
    for seed in seeds:
        set_seed(seed)
        model = build()
        curves.append(training.fit(model, X, y, val, **kwargs).history)
        predictions.append(training.predict(model, X_test))
    return predictions, curves


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_fit_seeds_shares_one_compiled_model_and_equals_separate_fits_bit_for_bit(dropout):
    X, y, X_val, y_val = toy_problem()
    noisy_val = (y_val + np.random.default_rng(2).normal(size=y_val.shape)).astype("float32")
    build = lambda: models.lstm_forecaster(6, units=4, dropout=dropout)  # noqa: E731
    # a noisy validation target makes early stopping and the schedule act within 12 epochs
    kwargs = dict(epochs=12, batch_size=64, learning_rate=3e-2, early_stopping_patience=4,
                  reduce_lr_patience=2)
    expected, curves = _separate_fits(build, X, y, (X_val, noisy_val), X_val, (3, 4, 5), **kwargs)
    runs = training.fit_seeds(build, X, y, (X_val, noisy_val), X_val, seeds=(3, 4, 5), **kwargs)
    assert any(len(c["loss"]) < 12 for c in curves)  # early stopping acted
    assert any(min(c["learning_rate"]) < 3e-2 for c in curves)  # and the schedule
    for got, want in zip(runs.predictions, expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert [h.history for h in runs.histories] == curves
    for model, want in zip(runs.models, expected, strict=True):  # every seed keeps its own weights
        np.testing.assert_array_equal(training.predict(model, X_val), want)


def test_fit_seeds_equals_separate_fits_for_a_two_input_model():
    rng = np.random.default_rng(3)
    past = rng.normal(size=(120, 8, 2)).astype("float32")
    future = rng.normal(size=(120, 3, 1)).astype("float32")
    y = (past[:, -1:, 0] + future[:, :, 0]).astype("float32")
    X = {"past": past, "future": future}
    val = ({"past": past[:20], "future": future[:20]}, y[:20])
    build = lambda: models.lstm_with_future_covariates(8, 2, 3, 1, units=4, dense_units=4)  # noqa: E731
    expected, _ = _separate_fits(build, X, y, val, X, (0, 1), epochs=3, learning_rate=1e-2)
    runs = training.fit_seeds(build, X, y, val, X, seeds=(0, 1), epochs=3, learning_rate=1e-2)
    for got, want in zip(runs.predictions, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_fit_seeds_with_a_builder_whose_models_differ_trains_each_model_itself():
    X, y, X_val, y_val = toy_problem()
    sizes = iter([4, 4, 8, 4])  # the shared copy (4), seed 0 (4), seed 1 (8), seed 2 (4)
    runs = training.fit_seeds(lambda: models.lstm_forecaster(6, units=next(sizes)), X, y,
                              (X_val, y_val), X_val, seeds=(0, 1, 2), epochs=2)
    assert [m.get_layer("lstm_1").units for m in runs.models] == [4, 8, 4]
    for model, forecast in zip(runs.models, runs.predictions, strict=True):
        np.testing.assert_array_equal(training.predict(model, X_val), forecast)
    with pytest.raises(TypeError, match="unexpected keyword"):
        training.fit_seeds(lambda: models.lstm_forecaster(6, units=4), X, y, (X_val, y_val),
                           X_val, seeds=(0,), epoch=2)


def test_fit_seeds_does_not_share_between_networks_that_differ_only_in_configuration():
    X, y, X_val, y_val = toy_problem()
    activations = iter(["tanh", "tanh", "relu"])  # the shared copy, seed 0, seed 1: same shapes
    runs = training.fit_seeds(
        lambda: models.lstm_forecaster(6, units=4, activation=next(activations)),
        X, y, (X_val, y_val), X_val, seeds=(0, 1), epochs=2)
    assert [m.get_layer("lstm_1").activation.__name__ for m in runs.models] == ["tanh", "relu"]
    expected, _ = _separate_fits(lambda: models.lstm_forecaster(6, units=4, activation="relu"),
                                 X, y, (X_val, y_val), X_val, (1,), epochs=2)
    np.testing.assert_array_equal(runs.predictions[1], expected[0])


# ----------------------------------------------------------------------------- chapter 12


def test_quantile_loss_is_the_mean_pinball_loss():
    from lstm_lab import metrics

    levels = [0.1, 0.5, 0.9]
    rng = np.random.default_rng(0)
    y, pred = rng.normal(size=(5, 4)), rng.normal(size=(5, 4, 3))
    loss = training.quantile_loss(levels)
    per_row = np.asarray(loss(y.astype("float32"), pred.astype("float32")))
    assert per_row.shape == (5,)
    expected = np.mean([metrics.pinball_loss(y, pred[..., q], tau) for q, tau in enumerate(levels)])
    assert per_row.mean() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="increasing levels"):
        training.quantile_loss([0.9, 0.1])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        training.quantile_loss([0.0, 0.5])


def test_quantile_model_learns_ordered_quantiles():
    from lstm_lab import models

    rng = np.random.default_rng(1)
    X = rng.normal(size=(512, 6, 1)).astype("float32")
    y = (X[:, -1, 0:1] + rng.normal(scale=0.5, size=(512, 1))).repeat(2, axis=1)  # (N, 2)
    model = models.quantile_forecaster(6, 1, 2, n_quantiles=3, units=8, seed=1)
    training.fit(model, X[:400], y[:400], (X[400:], y[400:]), epochs=40, batch_size=64,
                 learning_rate=1e-2, loss=training.quantile_loss([0.1, 0.5, 0.9]))
    q = training.predict(model, X[400:])
    assert q.shape == (112, 2, 3)
    inside = np.mean((q[..., 0] <= y[400:]) & (y[400:] <= q[..., 2]))
    assert 0.65 < inside < 0.95  # about the nominal 80 % on new data
    assert np.mean(q[..., 0] < q[..., 2]) > 0.95
    with pytest.raises(ValueError, match="expected \\(400, 2\\)"):
        training.fit(model, X[:400], y[:400, :1], epochs=1, early_stopping_patience=None,
                     reduce_lr_patience=None, loss=training.quantile_loss([0.1, 0.5, 0.9]))


def test_mc_dropout_samples_spread_and_repeat():
    from lstm_lab import models

    X = np.random.default_rng(2).normal(size=(8, 5, 1)).astype("float32")
    model = models.lstm_forecaster(5, 1, 3, units=8, dropout=0.3, seed=2)
    draws = training.mc_dropout_samples(model, X, n_samples=20, seed=3)
    assert draws.shape == (8, 3, 20)
    assert draws.std(axis=-1).min() > 0  # dropout is on: the draws differ
    np.testing.assert_array_equal(draws, training.mc_dropout_samples(model, X, 20, seed=3))
    with pytest.raises(ValueError, match="no Dropout layer"):
        training.mc_dropout_samples(models.lstm_forecaster(5, units=2), X)
    with pytest.raises(ValueError, match="n_samples"):
        training.mc_dropout_samples(model, X, n_samples=0)


def test_full_batch_trainer_learns_restarts_and_warm_starts():
    X, y, X_val, y_val = toy_problem()
    trainer = training.FullBatchTrainer(lambda: models.lstm_forecaster(6, units=8),
                                        learning_rate=1e-2)
    first = trainer.start(seed=0).steps(X, y, 60)
    assert first.shape == (60,) and first[-1] < 0.3 * first[0]
    weights = [w.copy() for w in trainer.model.get_weights()]
    # start() gives the same fresh weights and a fresh Adam: the same run again, bit for bit
    again = trainer.start(seed=0).steps(X, y, 60)
    np.testing.assert_array_equal(first, again)
    for a, b in zip(weights, trainer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    other = trainer.start(seed=1).steps(X, y, 60)
    assert not np.array_equal(first, other)
    # warm start on a different number of windows continues from the current weights
    more = trainer.steps(X_val, y_val, 5)
    assert more[0] < first[0]
    np.testing.assert_allclose(trainer.predict(X_val), training.predict(trainer.model, X_val),
                               atol=1e-6)
    assert trainer.predict(X_val[:1]).shape == (1, 1)


def test_full_batch_trainer_bad_input():
    X, y, _, _ = toy_problem()
    with pytest.raises(TypeError, match="build_model"):
        training.FullBatchTrainer(models.lstm_forecaster(6, units=4))
    with pytest.raises(ValueError, match="learning_rate"):
        training.FullBatchTrainer(lambda: models.lstm_forecaster(6, units=4), learning_rate=0)
    with pytest.raises(ValueError, match="clipnorm"):
        training.FullBatchTrainer(lambda: models.lstm_forecaster(6, units=4), clipnorm=-1.0)
    trainer = training.FullBatchTrainer(lambda: models.lstm_forecaster(6, units=4))
    with pytest.raises(ValueError, match="start"):
        trainer.steps(X, y, 1)
    trainer.start(0)
    with pytest.raises(ValueError, match="n_steps"):
        trainer.steps(X, y, 0)
    with pytest.raises(TypeError, match="n_steps"):
        trainer.steps(X, y, 2.5)
    with pytest.raises(ValueError, match="rows"):
        trainer.steps(X, y[:10], 1)
    with pytest.raises(ValueError, match="NaN"):
        trainer.steps(np.full_like(X, np.nan), y, 1)
    with pytest.raises(ValueError, match="NaN"):
        trainer.predict(np.full_like(X, np.nan))
    units = iter([4, 8])
    changing = training.FullBatchTrainer(lambda: models.lstm_forecaster(6, units=next(units)))
    with pytest.raises(ValueError, match="architecture"):
        changing.start(0)


# ----------------------------------------------------------------------------- chapter 11


def test_continue_training_starts_from_the_current_weights_with_a_fresh_optimizer():
    X, y, X_val, y_val = toy_problem()
    model = models.lstm_forecaster(6, units=4, seed=0)
    training.fit(model, X, y, (X_val, y_val), epochs=8, learning_rate=1e-2, seed=0)
    trained_loss = model.evaluate(X_val, y_val, verbose=0)
    function = model.train_function
    history = training.continue_training(model, X, y, (X_val, y_val), epochs=3,
                                         learning_rate=1e-3, early_stopping_patience=None,
                                         reduce_lr_patience=None)
    # it went on from the trained weights (no restart from scratch) at the new rate,
    # with the optimizer's step counter reset, and without compiling again
    assert history.history["val_loss"][0] < 2 * trained_loss
    assert history.history["learning_rate"] == pytest.approx([1e-3] * 3)
    assert int(model.optimizer.iterations) == 3 * int(np.ceil(300 / 64))
    assert model.train_function is function


def test_continue_training_from_fresh_weights_equals_fit():
    X, y, X_val, y_val = toy_problem()
    reference = models.lstm_forecaster(6, units=4, seed=3)
    start = [w.copy() for w in reference.get_weights()]
    training.fit(reference, X, y, (X_val, y_val), epochs=4, learning_rate=1e-2, shuffle=False)
    model = models.lstm_forecaster(6, units=4, seed=9)
    training.fit(model, X, y, (X_val, y_val), epochs=2)  # compiled, then trained elsewhere
    model.set_weights(start)
    training.continue_training(model, X, y, (X_val, y_val), epochs=4, learning_rate=1e-2,
                               shuffle=False)
    for a, b in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_continue_training_rejects_bad_arguments():
    X, y, X_val, y_val = toy_problem()
    model = models.lstm_forecaster(6, units=4, seed=0)
    with pytest.raises(ValueError, match="must be compiled"):
        training.continue_training(model, X, y, (X_val, y_val))
    training.fit(model, X, y, (X_val, y_val), epochs=1)
    with pytest.raises(TypeError, match="clipnorm"):
        training.continue_training(model, X, y, (X_val, y_val), clipnorm=2.0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        training.continue_training(model, X, y, (X_val, y_val), epoch=3)
    with pytest.raises(ValueError, match="learning_rate"):
        training.continue_training(model, X, y, (X_val, y_val), learning_rate=0)
    with pytest.raises(ValueError, match="epochs"):
        training.continue_training(model, X, y, (X_val, y_val), epochs=0)
    with pytest.raises(ValueError, match="validation_data"):
        training.continue_training(model, X, y, X_val)
    with pytest.raises(ValueError, match="rows"):
        training.continue_training(model, X, y[:10], (X_val, y_val))


def test_lean_tuner_returns_a_tuner_class_and_rejects_other_things(monkeypatch):
    kt = pytest.importorskip("keras_tuner")
    import importlib.util

    fixed = training.lean_tuner(kt.RandomSearch)
    assert issubclass(fixed, kt.RandomSearch) and fixed.__name__ == "RandomSearch"
    if importlib.util.find_spec("tensorboard") is None:
        assert fixed._configure_tensorboard_dir is not kt.RandomSearch._configure_tensorboard_dir
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name == "tensorboard" else real(name, *a))
    with_tensorboard = training.lean_tuner(kt.Hyperband)  # only the search changes
    assert with_tensorboard._configure_tensorboard_dir is kt.Hyperband._configure_tensorboard_dir
    for bad in ("RandomSearch", int, None):
        with pytest.raises(TypeError, match="tuner_class"):
            training.lean_tuner(bad)
