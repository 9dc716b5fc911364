import os
import subprocess
import sys

import numpy as np
import pytest

from lstm_lab import plotting, runtime


def test_import_lstm_lab_keeps_tensorflow_out_and_sets_quiet_env():
    code = ("import os, sys, lstm_lab; "
            "print('tensorflow' in sys.modules, os.environ['TF_CPP_MIN_LOG_LEVEL'])")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.split() == ["False", "2"]


def test_tensorflow_import_is_silent_after_lstm_lab():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    out = subprocess.run([sys.executable, "-c", "import lstm_lab, keras, tensorflow"],
                         capture_output=True, text=True, env=env, check=True)
    assert out.stderr == "" and out.stdout == ""


def test_quiet_tensorflow_keeps_user_settings(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    runtime.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"


def _seeded_training_run(seed: int):
    """NumPy draws, then a small model with dropout built and trained on shuffled batches."""
    import keras

    runtime.set_seed(seed)
    draws = np.random.rand(3)
    x, y = np.random.rand(64, 5).astype("float32"), np.random.rand(64, 1).astype("float32")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, shuffle=True, verbose=0)
    return draws, model.get_weights()


def test_set_seed_makes_numpy_and_keras_training_repeatable():
    draws_a, weights_a = _seeded_training_run(7)
    draws_b, weights_b = _seeded_training_run(7)
    np.testing.assert_array_equal(draws_a, draws_b)
    for wa, wb in zip(weights_a, weights_b, strict=True):
        np.testing.assert_array_equal(wa, wb)
    _, weights_c = _seeded_training_run(8)
    assert not np.array_equal(weights_a[0], weights_c[0]), "another seed gives other weights"


@pytest.mark.parametrize("bad, exc", [(1.5, TypeError), ("1", TypeError), (True, TypeError),
                                      (-1, ValueError)])
def test_set_seed_rejects_bad_seed(bad, exc):
    with pytest.raises(exc, match="seed"):
        runtime.set_seed(bad)


def test_check_versions_reports_ok_missing_too_old_and_too_new():
    rows = runtime.check_versions({"numpy": "1.0", "surely_not_a_package_xyz": "1.0",
                                   "python": "99.0", "pandas": "1.0"}, {"pandas": "2.0"})
    by_name = {r["name"]: r for r in rows}
    assert by_name["numpy"]["ok"] is True
    assert by_name["surely_not_a_package_xyz"] == {"name": "surely_not_a_package_xyz",
                                                  "required": ">= 1.0", "found": "missing",
                                                  "ok": False}
    assert by_name["python"]["ok"] is False
    assert by_name["pandas"]["required"] == ">= 1.0, < 2.0"
    assert by_name["pandas"]["ok"] is False, "pandas 2.2+ is above the maximum 2.0"


def test_check_versions_shows_the_supported_tensorflow_range():
    row = next(r for r in runtime.check_versions() if r["name"] == "tensorflow")
    assert row["required"] == ">= 2.16, < 2.22"


def test_check_versions_rejects_a_maximum_without_minimum():
    with pytest.raises(ValueError, match="maximum"):
        runtime.check_versions({"numpy": "1.0"}, {"pandas": "9"})


def test_course_minimums_hold_in_this_environment():
    assert all(row["ok"] for row in runtime.check_versions()), runtime.check_versions()


def test_check_versions_rejects_non_dict():
    with pytest.raises(TypeError, match="minimum"):
        runtime.check_versions(["numpy"])
    with pytest.raises(TypeError, match="maximum"):
        runtime.check_versions({"numpy": "1.0"}, ["numpy"])


def test_version_tuple_handles_suffixes():
    assert runtime._version_tuple("2.21.0rc1") == (2, 21, 0)
    assert runtime._version_tuple("1.0.4.post1") == (1, 0, 4)


def test_new_axes_requires_labels():
    with pytest.raises(ValueError, match="ylabel"):
        plotting.new_axes("title", "x", "")


def test_plot_history_accepts_dict_and_rejects_bad_input():
    fig, ax = plotting.plot_history({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]})
    assert [line.get_label() for line in ax.get_lines()] == ["training", "validation"]
    with pytest.raises(ValueError, match="loss"):
        plotting.plot_history({"mae": [1, 2]})
    with pytest.raises(TypeError, match="history"):
        plotting.plot_history([1, 2, 3])


def test_use_course_style_sets_palette():
    plotting.use_course_style()
    import matplotlib as mpl

    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == plotting.PALETTE[0]
