"""lstm_lab.models: output shapes for several horizons and feature counts, idioms, bad inputs."""

import numpy as np
import pytest

import lstm_lab  # noqa: F401  (silences TensorFlow before keras is imported)
from lstm_lab import models

keras = pytest.importorskip("keras")


@pytest.mark.parametrize(("input_width", "n_features", "horizon", "units"), [
    (10, 1, 1, 8), (24, 3, 6, 8), (7, 5, 48, (8, 4)),
])
def test_lstm_forecaster_shapes(input_width, n_features, horizon, units):
    model = models.lstm_forecaster(input_width, n_features, horizon, units=units, dropout=0.1)
    assert model.input_shape == (None, input_width, n_features)
    assert model.output_shape == (None, horizon)
    x = np.zeros((5, input_width, n_features), dtype="float32")
    assert model(x).shape == (5, horizon)
    lstms = [layer for layer in model.layers if isinstance(layer, keras.layers.LSTM)]
    assert len(lstms) == len(np.atleast_1d(units))
    assert all(layer.activation is keras.activations.tanh for layer in lstms)
    assert [layer.return_sequences for layer in lstms][-1] is False
    assert model.get_layer("forecast").units == horizon


def test_lstm_forecaster_relu_variant_and_seed_reproducibility():
    relu = models.lstm_forecaster(5, activation="relu", units=4)
    assert relu.get_layer("lstm_1").activation is keras.activations.relu
    a = models.lstm_forecaster(5, units=4, seed=3).get_weights()
    b = models.lstm_forecaster(5, units=4, seed=3).get_weights()
    c = models.lstm_forecaster(5, units=4, seed=4).get_weights()
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(("n_features", "horizon", "target_feature"), [(1, 1, 0), (3, 4, 2)])
def test_residual_forecaster_adds_the_last_target_value(n_features, horizon, target_feature):
    model = models.lstm_forecaster(6, n_features, horizon, units=4, residual=True,
                                   target_feature=target_feature, seed=0)
    x = np.random.default_rng(1).normal(size=(5, 6, n_features)).astype("float32")
    change = keras.Model(model.input, model.get_layer("change").output)(x).numpy()
    out = model(x).numpy()
    assert out.shape == (5, horizon)
    np.testing.assert_allclose(out - change, np.repeat(x[:, -1, [target_feature]], horizon, axis=1),
                               atol=1e-6)
    assert len(model.non_trainable_weights) == 1  # the fixed selection of the target feature
    with pytest.raises(ValueError, match="target_feature must be an int in"):
        models.lstm_forecaster(6, n_features, residual=True, target_feature=n_features)


def test_residual_forecaster_survives_save_and_load(tmp_path):
    model = models.lstm_forecaster(4, 2, 3, units=4, residual=True, target_feature=1, seed=0)
    path = tmp_path / "residual.keras"
    model.save(path)
    again = keras.models.load_model(path)
    x = np.ones((2, 4, 2), dtype="float32")
    np.testing.assert_allclose(again(x).numpy(), model(x).numpy(), atol=1e-6)


@pytest.mark.parametrize(("n_features", "target_feature"), [(1, 0), (2, 1)])
def test_residual_future_covariates_model_adds_the_last_target_value(n_features, target_feature):
    """Chapter 08: the two-input model learns the change from persistence too."""
    model = models.lstm_with_future_covariates(6, n_features, 4, 3, units=4, dense_units=4,
                                               residual=True, target_feature=target_feature,
                                               seed=0)
    rng = np.random.default_rng(2)
    inputs = {"past": rng.normal(size=(5, 6, n_features)).astype("float32"),
              "future": rng.normal(size=(5, 4, 3)).astype("float32")}
    change = keras.Model(model.input, model.get_layer("change").output)(inputs).numpy()
    out = model(inputs).numpy()
    assert out.shape == (5, 4) and len(model.non_trainable_weights) == 1
    np.testing.assert_allclose(out - change,
                               np.repeat(inputs["past"][:, -1, [target_feature]], 4, axis=1),
                               atol=1e-6)
    with pytest.raises(ValueError, match="target_feature must be an int in"):
        models.lstm_with_future_covariates(6, n_features, 4, 3, residual=True,
                                           target_feature=n_features)


@pytest.mark.parametrize(("horizon", "n_future"), [(1, 1), (48, 3)])
def test_lstm_with_future_covariates_shapes(horizon, n_future):
    model = models.lstm_with_future_covariates(12, 2, horizon, n_future, units=8, dense_units=8)
    out = model({"past": np.zeros((4, 12, 2), "float32"),
                 "future": np.zeros((4, horizon, n_future), "float32")})
    assert out.shape == (4, horizon)
    assert model.output_shape == (None, horizon)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="input_width must be >= 1"):
        models.lstm_forecaster(0)
    with pytest.raises(TypeError, match="horizon must be an int"):
        models.lstm_forecaster(5, horizon=2.0)
    with pytest.raises(ValueError, match="n_features must be >= 1"):
        models.lstm_forecaster(5, n_features=0)
    with pytest.raises(ValueError, match="units must be >= 1"):
        models.lstm_forecaster(5, units=(8, 0))
    with pytest.raises(ValueError, match="units must be an int or a non-empty"):
        models.lstm_forecaster(5, units=())
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        models.lstm_forecaster(5, dropout=1.0)
    with pytest.raises(ValueError, match="activation must be one of"):
        models.lstm_forecaster(5, activation="softmax")
    with pytest.raises(ValueError, match="n_future_features must be >= 1"):
        models.lstm_with_future_covariates(5, 1, 2, 0)
