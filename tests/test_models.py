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
