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


# ----------------------------------------------------------------------------- chapter 09

CH09_BUILDERS = [models.bidirectional_forecaster, models.gru_forecaster,
                 models.cnn_lstm_forecaster, models.encoder_decoder_forecaster,
                 models.attention_forecaster]


@pytest.mark.parametrize("build", CH09_BUILDERS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("input_width, n_features, horizon", [(12, 1, 1), (24, 3, 6), (8, 2, 48)])
def test_chapter09_builders_give_one_forecast_per_step(build, input_width, n_features, horizon):
    import keras

    model = build(input_width, n_features, horizon, units=4, seed=0)
    X = np.random.default_rng(0).normal(size=(3, input_width, n_features)).astype("float32")
    assert model(X).shape == (3, horizon)
    cells = [layer for layer in model.layers
             if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU))]
    cells += [layer.forward_layer for layer in model.layers
              if isinstance(layer, keras.layers.Bidirectional)]
    assert cells and all(cell.activation.__name__ == "tanh" for cell in cells)
    again = build(input_width, n_features, horizon, units=4, seed=0)
    np.testing.assert_array_equal(model(X), again(X))  # the seed fixes the weights


def test_chapter09_parameter_counts_follow_the_cell_equations():
    units, n_features, horizon = 8, 2, 6
    lstm = 4 * units * (n_features + units + 1)
    assert models.lstm_forecaster(24, n_features, horizon, units=units).count_params() == \
        lstm + (units + 1) * horizon
    assert models.bidirectional_forecaster(24, n_features, horizon, units=units).count_params() \
        == 2 * lstm + (2 * units + 1) * horizon
    gru = 3 * units * (n_features + units + 2)  # Keras' reset_after=True: two bias vectors
    assert models.gru_forecaster(24, n_features, horizon, units=units).count_params() == \
        gru + (units + 1) * horizon


@pytest.mark.parametrize("build", [models.encoder_decoder_forecaster, models.attention_forecaster])
def test_encoder_decoders_read_the_known_future(build):
    model = build(16, 2, 5, units=4, n_future_features=3, seed=1)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4, 16, 2)).astype("float32")
    F = rng.normal(size=(4, 5, 3)).astype("float32")
    out = model({"past": X, "future": F})
    assert out.shape == (4, 5)
    changed = F.copy()
    changed[:, 2] += 1.0  # the future of step 3 changes ...
    diff = np.abs(np.asarray(model({"past": X, "future": changed})) - np.asarray(out))
    assert diff[:, :2].max() < 1e-6 and diff[:, 2].min() > 0  # ... not steps 1-2 (causal decoder)


@pytest.mark.parametrize("n_future", [0, 2])
def test_attention_weights_are_what_the_model_uses(n_future):
    import keras

    model = models.attention_forecaster(10, 1, 4, units=6, n_future_features=n_future, seed=2)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(3, 10, 1)).astype("float32")
    inputs = X if not n_future else {"past": X, "future": rng.normal(size=(3, 4, 2))}
    weights = models.attention_weights(model, inputs)
    assert weights.shape == (3, 4, 10)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
    assert (weights >= 0).all()
    # by hand: softmax of decoder-encoder dot products, as in the docstring
    inner = keras.Model(model.input, [model.get_layer("encoder").output[0],
                                      model.get_layer("decoder").output,
                                      model.get_layer("attention").output])
    cast = inputs if not n_future else {k: np.asarray(v, "float32") for k, v in inputs.items()}
    encoded, decoded, context = (np.asarray(t) for t in inner(cast))
    scores = np.einsum("nku,nju->nkj", decoded, encoded)
    by_hand = np.exp(scores - scores.max(-1, keepdims=True))
    by_hand /= by_hand.sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, by_hand, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(context, np.einsum("nkj,nju->nku", by_hand, encoded),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("call, error, match", [
    (lambda: models.gru_forecaster(0), ValueError, "input_width"),
    (lambda: models.bidirectional_forecaster(12, units=(8, 4)), TypeError, "units"),
    (lambda: models.cnn_lstm_forecaster(12, pool_size=13), ValueError, "pool_size"),
    (lambda: models.cnn_lstm_forecaster(12, kernel_size=0), ValueError, "kernel_size"),
    (lambda: models.encoder_decoder_forecaster(12, horizon=0), ValueError, "horizon"),
    (lambda: models.attention_forecaster(12, n_future_features=-1), ValueError, "n_future"),
    (lambda: models.attention_weights(models.gru_forecaster(4, units=2), np.zeros((1, 4, 1))),
     TypeError, "attention_forecaster"),
])
def test_chapter09_bad_arguments_name_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ----------------------------------------------------------------------------- chapter 12


@pytest.mark.parametrize("horizon, n_quantiles, n_features", [(1, 3, 1), (7, 13, 3)])
def test_quantile_forecaster_shape(horizon, n_quantiles, n_features):
    model = models.quantile_forecaster(10, n_features, horizon, n_quantiles=n_quantiles, units=4,
                                       dropout=0.1, seed=0)
    X = np.zeros((2, 10, n_features), dtype="float32")
    assert model(X).shape == (2, horizon, n_quantiles)
    with pytest.raises(TypeError, match="n_quantiles"):
        models.quantile_forecaster(10, n_quantiles=2.0)
    with pytest.raises(ValueError, match="dropout"):
        models.quantile_forecaster(10, n_quantiles=3, dropout=1.0)


def test_monotone_quantile_head_never_crosses_and_survives_save(tmp_path):
    import keras

    X = np.random.default_rng(3).normal(scale=5.0, size=(64, 10, 2)).astype("float32")
    free = models.quantile_forecaster(10, 2, 3, n_quantiles=9, units=4, monotone=False, seed=3)
    ordered = models.quantile_forecaster(10, 2, 3, n_quantiles=9, units=4, seed=3)
    assert (np.diff(np.asarray(free(X)), axis=-1) < 0).any()  # free columns cross when untrained
    out = np.asarray(ordered(X))
    assert (np.diff(out, axis=-1) > 0).all()
    ordered.save(tmp_path / "q.keras")
    again = keras.saving.load_model(tmp_path / "q.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(again(X)), out, rtol=1e-6)
