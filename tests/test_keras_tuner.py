"""keras-tuner (pinned for chapter 11) works with the course's Keras, offline, in a temp folder."""

import gc

import numpy as np
import pytest


def test_keras_tuner_random_search_runs_offline(tmp_path):
    kt = pytest.importorskip("keras_tuner")
    from lstm_lab import models, runtime, training

    runtime.set_seed(0)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(96, 8, 1)).astype("float32")
    y = X[:, -1, :] + 0.1 * rng.normal(size=(96, 1)).astype("float32")

    def build(hp):
        model = models.lstm_forecaster(8, units=hp.Choice("units", [2, 4]))
        model.compile(optimizer="adam", loss="mse")
        return model

    # lean_tuner: keras-tuner 1.4 imports tensorboard in every trial, and TensorFlow
    # 2.21 no longer installs it; the trials would fail while the search still "succeeds"
    tuner = training.lean_tuner(kt.RandomSearch)(
        build, objective="val_loss", max_trials=2, seed=0, directory=tmp_path,
        project_name="smoke", overwrite=True)
    tuner.search(X[:64], y[:64], validation_data=(X[64:], y[64:]), epochs=1, verbose=0)
    assert gc.get_freeze_count() == 0  # lean_tuner's search let its frozen objects go again
    best = tuner.get_best_hyperparameters(1)[0]
    assert best.get("units") in (2, 4)
    assert len(tuner.oracle.trials) == 2
    trials = tuner.oracle.trials.values()
    assert all(t.status == "COMPLETED" and np.isfinite(t.score) for t in trials)
    assert any(tmp_path.iterdir())  # the tuner's files stay in the temporary folder
