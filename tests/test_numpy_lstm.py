"""Tests of lstm_lab.numpy_lstm: equal to keras.layers.LSTM, gradients right, clear errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import lstm_lab  # noqa: F401  (before keras: keeps TensorFlow quiet)
from lstm_lab import numpy_lstm as nl

keras = pytest.importorskip("keras")

# (batch, time, features, units): 1s in every position, then a few random sizes
SIZES = [(1, 1, 1, 1), (1, 5, 1, 1), (3, 1, 2, 1), (1, 1, 1, 4), (2, 6, 1, 3)]
_rng = np.random.default_rng(2024)
SIZES += [tuple(int(v) for v in _rng.integers(1, 9, size=4)) for _ in range(5)]


def keras_lstm(units: int, dtype: str, **kwargs):
    return keras.layers.LSTM(units, return_sequences=True, return_state=True, dtype=dtype,
                             **kwargs)


def random_params(D: int, H: int, seed: int, scale: float = 0.6) -> dict[str, np.ndarray]:
    """Weights larger than the initialiser's, so that every gate is exercised."""
    rng = np.random.default_rng(seed)
    return {"W": scale * rng.standard_normal((D, 4 * H)),
            "U": scale * rng.standard_normal((H, 4 * H)),
            "b": scale * rng.standard_normal(4 * H)}


# ------------------------------------------------------------------ equality with Keras
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("B,T,D,H", SIZES)
def test_forward_equals_keras(B, T, D, H, dtype):
    rng = np.random.default_rng(B * 1000 + T * 100 + D * 10 + H)
    x = rng.standard_normal((B, T, D)).astype(dtype)
    layer = keras_lstm(H, dtype)
    layer(x)  # build with Keras' own initialisation
    params_to_copy = {k: v.astype(dtype) for k, v in random_params(D, H, seed=T).items()}
    nl.params_to_keras(params_to_copy, layer)  # then overwrite with larger weights
    seq, h_T, c_T = (np.asarray(a) for a in layer(x))
    h_seq, cache = nl.lstm_forward(x, nl.params_from_keras(layer))
    assert h_seq.shape == (B, T, H)
    assert h_seq.dtype == np.dtype(dtype)
    np.testing.assert_allclose(h_seq, seq, rtol=0, atol=1e-5)
    np.testing.assert_allclose(h_seq[:, -1], h_T, rtol=0, atol=1e-5)
    np.testing.assert_allclose(cache["c"][:, -1], c_T, rtol=0, atol=1e-5)
    if dtype == "float64":  # same arithmetic in double precision: far tighter than 1e-5
        np.testing.assert_allclose(h_seq, seq, rtol=0, atol=1e-12)


def test_forward_with_keras_default_init_and_float64_numpy():
    """float64 NumPy against a float32 Keras layer (FIELD-NOTES: atol 1e-5)."""
    x = np.random.default_rng(1).standard_normal((4, 30, 3))
    layer = keras_lstm(8, "float32")
    seq, _, _ = layer(x.astype("float32"))
    params = {k: v.astype(np.float64) for k, v in nl.params_from_keras(layer).items()}
    h_seq, _ = nl.lstm_forward(x, params)
    np.testing.assert_allclose(h_seq, np.asarray(seq), rtol=0, atol=1e-5)


def test_forward_matches_a_keras_layer_without_bias():
    x = np.random.default_rng(3).standard_normal((2, 4, 2))
    layer = keras_lstm(3, "float64", use_bias=False)
    seq, _, _ = layer(x)
    params = nl.params_from_keras(layer)
    assert np.all(params["b"] == 0) and params["b"].shape == (12,)
    np.testing.assert_allclose(nl.lstm_forward(x, params)[0], np.asarray(seq), atol=1e-12)


def test_gradients_equal_tensorflow_autodiff():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 6, 2))
    dh_seq = rng.standard_normal((3, 6, 4))
    layer = keras_lstm(4, "float64")
    layer(x)
    nl.params_to_keras(random_params(2, 4, seed=7), layer)
    x_tf = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        seq = layer(x_tf)[0]
        loss = tf.reduce_sum(seq * dh_seq)
    cell = layer.cell
    variables = [cell.kernel.value, cell.recurrent_kernel.value, cell.bias.value]
    g_x, g_W, g_U, g_b = tape.gradient(loss, [x_tf, *variables])
    _, cache = nl.lstm_forward(x, nl.params_from_keras(layer))
    dx, grads = nl.lstm_backward(dh_seq, cache)
    for mine, theirs in ((dx, g_x), (grads["W"], g_W), (grads["U"], g_U), (grads["b"], g_b)):
        np.testing.assert_allclose(mine, np.asarray(theirs), rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------ gradient checks
def numerical_gradient(f, arr: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to ``arr`` (perturbed in place)."""
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + eps
        up = f()
        arr[idx] = old - eps
        down = f()
        arr[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


@pytest.mark.parametrize("B,T,D,H", [(2, 5, 3, 4), (1, 1, 1, 1), (3, 8, 1, 2)])
@pytest.mark.parametrize("last_step_only", [False, True])
def test_gradient_check(B, T, D, H, last_step_only):
    rng = np.random.default_rng(B + T + D + H)
    params = random_params(D, H, seed=T)
    x = rng.standard_normal((B, T, D))
    weights = rng.standard_normal((B, T, H))  # L = sum(weights * h_seq)
    if last_step_only:
        weights[:, :-1] = 0.0

    def loss() -> float:
        return float(np.sum(weights * nl.lstm_forward(x, params)[0]))

    _, cache = nl.lstm_forward(x, params)
    dx, grads = nl.lstm_backward(weights, cache)
    assert set(grads) == {"W", "U", "b"}
    for key in ("W", "U", "b"):
        assert grads[key].shape == params[key].shape
        err = relative_error(grads[key], numerical_gradient(loss, params[key]))
        assert err < 1e-6, f"d{key}: relative error {err:.2e}"
    assert dx.shape == x.shape
    err = relative_error(dx, numerical_gradient(loss, x))
    assert err < 1e-6, f"dx: relative error {err:.2e}"


def test_gradient_check_detects_a_wrong_gradient():
    """The check itself can fail: a gradient off by 1e-4 in one entry is caught."""
    params = random_params(2, 3, seed=0)
    x = np.random.default_rng(0).standard_normal((2, 4, 2))
    _, cache = nl.lstm_forward(x, params)
    _, grads = nl.lstm_backward(np.ones((2, 4, 3)), cache)
    num = numerical_gradient(lambda: float(nl.lstm_forward(x, params)[0].sum()), params["U"])
    wrong = grads["U"].copy()
    wrong[0, 0] += 1e-4
    assert relative_error(grads["U"], num) < 1e-6 < relative_error(wrong, num)


def test_backward_in_float32_stays_float32():
    params = {k: v.astype(np.float32) for k, v in nl.init_params(2, 3).items()}
    x = np.ones((2, 3, 2), dtype=np.float32)
    h, cache = nl.lstm_forward(x, params)
    dx, grads = nl.lstm_backward(np.ones_like(h), cache)
    assert h.dtype == dx.dtype == grads["W"].dtype == np.float32


# -------------------------------------------------------------- layouts and round trips
def test_params_round_trip_through_keras():
    params = random_params(3, 5, seed=11)
    layer = keras_lstm(5, "float64")
    layer(np.zeros((1, 2, 3)))
    nl.params_to_keras(params, layer)
    back = nl.params_from_keras(layer)
    for key in ("W", "U", "b"):
        np.testing.assert_array_equal(back[key], params[key])
    layer32 = keras_lstm(5, "float32")
    layer32(np.zeros((1, 2, 3), dtype="float32"))
    nl.params_to_keras(params, layer32)
    back32 = nl.params_from_keras(layer32)
    assert back32["W"].dtype == np.float32
    np.testing.assert_allclose(back32["U"], params["U"], rtol=1e-7)


def test_split_and_stack_are_inverse_and_match_keras_slices():
    params = random_params(2, 3, seed=5)
    gates = nl.split_params(params)
    assert gates["W_f"].shape == (3 + 2, 3)
    # the forget gate is the second block; its first H rows come from U
    np.testing.assert_array_equal(gates["W_f"][:3], params["U"][:, 3:6])
    np.testing.assert_array_equal(gates["W_f"][3:], params["W"][:, 3:6])
    back = nl.stack_gate_weights(gates)
    for key in ("W", "U", "b"):
        np.testing.assert_array_equal(back[key], params[key])


def test_cell_step_step_and_forward_agree():
    rng = np.random.default_rng(9)
    params = random_params(2, 3, seed=9)
    x = rng.standard_normal((4, 5, 2))
    h_seq, cache = nl.lstm_forward(x, params)
    gates = nl.split_params(params)
    h = c = np.zeros((4, 3))
    h2 = c2 = np.zeros((4, 3))
    for t in range(5):
        h, c = nl.lstm_cell_step(x[:, t], h, c, gates)
        h2, c2 = nl.lstm_step(x[:, t], h2, c2, params)
        np.testing.assert_allclose(h, h_seq[:, t], atol=1e-14)
        np.testing.assert_allclose(h2, h_seq[:, t], atol=1e-14)
        np.testing.assert_allclose(c, cache["c"][:, t + 1], atol=1e-14)
    # one sample as 1-D vectors works in the gate functions too
    h1, c1 = nl.lstm_cell_step(x[0, 0], np.zeros(3), np.zeros(3), gates)
    np.testing.assert_allclose(h1, h_seq[0, 0], atol=1e-14)


def test_cache_gates_hold_i_f_c_tilde_o_in_keras_order():
    # one name for the candidate everywhere: c~ = tanh(z_c), the third block, weights W_c / b_c
    rng = np.random.default_rng(4)
    params = random_params(2, 3, seed=4)
    x = rng.standard_normal((4, 1, 2))
    _, cache = nl.lstm_forward(x, params)
    per_gate = nl.split_params(params)
    h0 = np.zeros((4, 3))
    act = cache["gates"][:, 0]
    expected = {"i": nl.input_gate(h0, x[:, 0], per_gate["W_i"], per_gate["b_i"]),
                "f": nl.forget_gate(h0, x[:, 0], per_gate["W_f"], per_gate["b_f"]),
                "c": nl.candidate(h0, x[:, 0], per_gate["W_c"], per_gate["b_c"]),
                "o": nl.output_gate(h0, x[:, 0], per_gate["W_o"], per_gate["b_o"])}
    assert nl.GATES == ("i", "f", "c", "o")
    for k, gate in enumerate(nl.GATES):
        np.testing.assert_allclose(act[:, 3 * k:3 * (k + 1)], expected[gate], atol=1e-14)
    assert "c_tilde" in nl.update_cell.__code__.co_varnames     # the name used in the code
    assert " g " not in (nl.__doc__ or "") and "``g" not in (nl.__doc__ or "")


def test_gate_functions_follow_their_equations():
    h_prev, x_t = np.array([0.5, -1.0]), np.array([2.0])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]])  # (H + D, H)
    b = np.array([0.1, -0.2])
    z = np.array([0.5 + 1.0 + 0.1, -1.0 - 1.0 - 0.2])
    expected_sig = 1 / (1 + np.exp(-z))
    for gate in (nl.forget_gate, nl.input_gate, nl.output_gate):
        np.testing.assert_allclose(gate(h_prev, x_t, W, b), expected_sig, rtol=1e-14)
    np.testing.assert_allclose(nl.candidate(h_prev, x_t, W, b), np.tanh(z), rtol=1e-14)
    np.testing.assert_allclose(nl.update_cell([1.0], [0.5], [0.25], [-0.8]), [0.3])
    np.testing.assert_allclose(nl.hidden_state([0.5], [0.0]), [0.0])
    np.testing.assert_allclose(nl.hidden_state([0.5], [1.0]), [0.5 * np.tanh(1.0)])


def test_sigmoid_is_the_logistic_function_and_does_not_overflow():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(nl.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-300)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert nl.sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


def test_init_params_like_keras():
    p = nl.init_params(3, 4, seed=1)
    assert p["W"].shape == (3, 16) and p["U"].shape == (4, 16) and p["b"].shape == (16,)
    np.testing.assert_allclose(p["U"] @ p["U"].T, np.eye(4), atol=1e-12)
    assert np.all(p["b"][4:8] == 1.0) and np.all(np.delete(p["b"], range(4, 8)) == 0.0)
    assert np.abs(p["W"]).max() <= np.sqrt(6 / (3 + 16))
    np.testing.assert_array_equal(nl.init_params(3, 4, seed=1)["W"], p["W"])
    assert not np.array_equal(nl.init_params(3, 4, seed=2)["W"], p["W"])
    assert nl.init_params(1, 2, dtype=np.float32, forget_bias=3.0)["b"][2] == np.float32(3.0)
    gw = nl.init_gate_weights(3, 4, seed=1)
    np.testing.assert_array_equal(nl.stack_gate_weights(gw)["U"], p["U"])


def test_import_does_not_load_tensorflow():
    code = ("import sys, lstm_lab.numpy_lstm; "
            "sys.exit(int('tensorflow' in sys.modules or 'keras' in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ------------------------------------------------------------------------- training parts
def test_adam_matches_keras_adam():
    # Keras keeps the learning rate and the betas in float32; with values that float32
    # holds exactly, the two implementations agree to float64 precision.
    hyper = {"learning_rate": 2.0**-7, "beta_1": 0.875, "beta_2": 1 - 2.0**-9}
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3, 2))
    grads_seq = [rng.standard_normal((3, 2)) for _ in range(5)]
    params = {"w": start.copy()}
    opt = nl.Adam(**hyper)
    var = keras.Variable(start.copy(), dtype="float64")
    kopt = keras.optimizers.Adam(**hyper)
    for g in grads_seq:
        opt.step(params, {"w": g})
        kopt.apply_gradients([(keras.ops.convert_to_tensor(g, dtype="float64"), var)])
    assert opt.iterations == 5
    np.testing.assert_allclose(params["w"], np.asarray(var), rtol=1e-12, atol=1e-14)
    assert not np.allclose(params["w"], start)


def test_clip_by_global_norm():
    clipped, norm = nl.clip_by_global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["a"], [0.6])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    same, norm = nl.clip_by_global_norm({"a": np.array([0.3, 0.4])}, 1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(same["a"], [0.3, 0.4])
    zero, norm = nl.clip_by_global_norm({"a": np.zeros(2)}, 1.0)
    assert norm == 0.0 and np.all(zero["a"] == 0)


# ------------------------------------------------------------------------ bad input paths
P = random_params(2, 3, seed=0)
X = np.zeros((2, 4, 2))


def _cache():
    return nl.lstm_forward(X, P)[1]


def _bad(**changes):
    out = dict(P)
    out.update(changes)
    return out


def _missing(key):
    return {k: v for k, v in P.items() if k != key}


GW = nl.split_params(P)


BAD_CALLS = [
    # lstm_forward: x
    (lambda: nl.lstm_forward(np.zeros((4, 2)), P), ValueError, "x must be 3-D"),
    (lambda: nl.lstm_forward(np.zeros((1, 2, 4, 2)), P), ValueError, "x must be 3-D"),
    (lambda: nl.lstm_forward(np.zeros((2, 4, 3)), P), ValueError, "x has 3 features"),
    (lambda: nl.lstm_forward(np.zeros((2, 0, 2)), P), ValueError, "x must have at least one"),
    (lambda: nl.lstm_forward(np.full((2, 4, 2), np.nan), P), ValueError, "x contains NaN"),
    (lambda: nl.lstm_forward(np.full((1, 1, 2), np.inf), P), ValueError, "x contains NaN"),
    (lambda: nl.lstm_forward(np.full((2, 4, 2), "a"), P), TypeError, "x must be a numeric"),
    (lambda: nl.lstm_forward(np.zeros((2, 4, 2), bool), P), TypeError, "x must be a numeric"),
    (lambda: nl.lstm_forward(np.zeros((2, 4, 2), complex), P), TypeError, "x must be real"),
    (lambda: nl.lstm_forward([[[1.0, 2.0]], [[1.0]]], P), TypeError, "x must be a numeric"),
    # lstm_forward: params
    (lambda: nl.lstm_forward(X, [1, 2, 3]), TypeError, "params must be a dict"),
    (lambda: nl.lstm_forward(X, _missing("U")), ValueError, r"params is missing \['U'\]"),
    (lambda: nl.lstm_forward(X, _bad(U=np.zeros((3, 3)))), ValueError, r"params\['U'\]"),
    (lambda: nl.lstm_forward(X, _bad(U=np.zeros(12))), ValueError, r"params\['U'\]"),
    (lambda: nl.lstm_forward(X, _bad(W=np.zeros((2, 8)))), ValueError, r"params\['W'\]"),
    (lambda: nl.lstm_forward(X, _bad(W=np.zeros(12))), ValueError, r"params\['W'\]"),
    (lambda: nl.lstm_forward(X, _bad(b=np.zeros(3))), ValueError, r"params\['b'\]"),
    (lambda: nl.lstm_forward(X, _bad(b=np.full(12, np.nan))), ValueError, r"params\['b'\]"),
    (lambda: nl.lstm_forward(X, _bad(W=[["a"] * 12] * 2)), TypeError, r"params\['W'\]"),
    # lstm_backward
    (lambda: nl.lstm_backward(np.zeros((2, 4, 3)), {"x": X}), TypeError, "cache must be"),
    (lambda: nl.lstm_backward(np.zeros((2, 4, 3)), "cache"), TypeError, "cache must be"),
    (lambda: nl.lstm_backward(np.zeros((2, 4, 2)), _cache()), ValueError, "dh_seq must have"),
    (lambda: nl.lstm_backward(np.zeros((2, 3)), _cache()), ValueError, "dh_seq must have"),
    (lambda: nl.lstm_backward(np.full((2, 4, 3), np.nan), _cache()), ValueError,
     "dh_seq contains NaN"),
    # gate functions
    (lambda: nl.forget_gate(np.zeros(3), np.zeros((1, 2)), GW["W_f"], GW["b_f"]), ValueError,
     "h_prev and x_t must both be"),
    (lambda: nl.forget_gate(np.zeros((2, 3)), np.zeros((3, 2)), GW["W_f"], GW["b_f"]),
     ValueError, "same batch size"),
    (lambda: nl.input_gate(np.zeros(3), np.zeros(2), GW["W_i"][:4], GW["b_i"]), ValueError,
     "W_i must have shape"),
    (lambda: nl.output_gate(np.zeros(3), np.zeros(2), GW["W_o"], np.zeros(2)), ValueError,
     "b_o must have shape"),
    (lambda: nl.candidate(np.zeros(3), np.zeros(3), GW["W_c"], GW["b_c"]), ValueError,
     "W_c must have shape"),
    (lambda: nl.candidate(np.zeros(3), "abc", GW["W_c"], GW["b_c"]), TypeError,
     "x_t must be a numeric"),
    (lambda: nl.update_cell(np.zeros(3), np.zeros(3), np.zeros(2), np.zeros(3)), ValueError,
     "c_prev, f_t, i_t and c_tilde must have the same shape"),
    (lambda: nl.hidden_state(np.zeros(3), np.zeros(2)), ValueError, "o_t and c_t"),
    (lambda: nl.lstm_cell_step(np.zeros(2), np.zeros(3), np.zeros(3), P), ValueError,
     "gate_weights is missing"),
    (lambda: nl.lstm_cell_step(np.zeros(2), np.zeros(3), np.zeros(3), [1]), TypeError,
     "gate_weights must be a dict"),
    # layouts
    (lambda: nl.stack_gate_weights({**GW, "W_o": GW["W_o"][:, :2]}), ValueError,
     "W_o must have shape"),
    (lambda: nl.stack_gate_weights({**GW, "W_o": np.zeros((6, 3))}), ValueError,
     "every W_\\* must have the same shape"),
    (lambda: nl.stack_gate_weights({**GW, "b_i": np.zeros((3, 1))}), ValueError,
     "b_i shape"),
    (lambda: nl.split_params({"W": 1}), ValueError, "params is missing"),
    # lstm_step
    (lambda: nl.lstm_step(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)), P), ValueError,
     r"x_t must have shape \(B, 2\)"),
    (lambda: nl.lstm_step(np.zeros((2, 2)), np.zeros((1, 3)), np.zeros((2, 3)), P), ValueError,
     "h_prev must have shape"),
    (lambda: nl.lstm_step(np.zeros((2, 2)), np.zeros((2, 3)), np.zeros((2, 4)), P), ValueError,
     "c_prev must have shape"),
    # init
    (lambda: nl.init_params(0, 3), ValueError, "input_dim must be >= 1"),
    (lambda: nl.init_params(2.0, 3), TypeError, "input_dim must be an int"),
    (lambda: nl.init_params(2, True), TypeError, "units must be an int"),
    (lambda: nl.init_params(2, -1), ValueError, "units must be >= 1"),
    (lambda: nl.init_params(2, 3, forget_bias=np.nan), ValueError, "forget_bias"),
    # training helpers
    (lambda: nl.clip_by_global_norm([1.0], 1.0), TypeError, "grads must be"),
    (lambda: nl.clip_by_global_norm({}, 1.0), TypeError, "grads must be"),
    (lambda: nl.clip_by_global_norm({"a": np.ones(2)}, "1"), TypeError, "max_norm must be"),
    (lambda: nl.clip_by_global_norm({"a": np.ones(2)}, 0.0), ValueError, "max_norm must be"),
    (lambda: nl.clip_by_global_norm({"a": np.ones(2)}, np.inf), ValueError, "max_norm must be"),
    (lambda: nl.clip_by_global_norm({"a": [np.nan]}, 1.0), ValueError, "grads contain NaN"),
    (lambda: nl.Adam(learning_rate=0), ValueError, "learning_rate must be"),
    (lambda: nl.Adam(learning_rate="fast"), TypeError, "learning_rate must be a number"),
    (lambda: nl.Adam(beta_1=1.0), ValueError, "beta_1 must be in"),
    (lambda: nl.Adam(beta_2=-0.1), ValueError, "beta_2 must be in"),
    (lambda: nl.Adam(epsilon=0.0), ValueError, "epsilon must be"),
    (lambda: nl.Adam().step([1], {}), TypeError, "params and grads must be dicts"),
    (lambda: nl.Adam().step({"a": np.ones(2)}, {"b": np.ones(2)}), ValueError,
     "grads must have the keys"),
    (lambda: nl.Adam().step({"a": np.ones(2)}, {"a": np.ones(3)}), ValueError,
     r"grads\['a'\] has shape"),
]


@pytest.mark.parametrize("call,error,match", BAD_CALLS,
                         ids=[f"{i:02d}-{m[:30]}" for i, (_, _, m) in enumerate(BAD_CALLS)])
def test_bad_input_raises_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _built(**kwargs):
    layer = keras.layers.LSTM(3, **kwargs)
    layer(np.zeros((1, 2, 2), dtype="float32"))
    return layer


def test_keras_exchange_bad_inputs():
    with pytest.raises(TypeError, match="layer must be a keras.layers.LSTM"):
        nl.params_from_keras(keras.layers.GRU(3))
    with pytest.raises(ValueError, match="layer must be built"):
        nl.params_from_keras(keras.layers.LSTM(3))
    with pytest.raises(ValueError, match="layer must use activation='tanh'"):
        nl.params_from_keras(_built(activation="relu"))
    with pytest.raises(ValueError, match="params do not fit layer"):
        nl.params_to_keras(random_params(2, 4, seed=0), _built())
    with pytest.raises(ValueError, match="params do not fit layer"):
        nl.params_to_keras(random_params(3, 3, seed=0), _built())
    no_bias = _built(use_bias=False)
    with pytest.raises(ValueError, match="use_bias=False"):
        nl.params_to_keras(P, no_bias)
    nl.params_to_keras(_bad(b=np.zeros(12)), no_bias)  # a zero bias is fine
    np.testing.assert_allclose(nl.params_from_keras(no_bias)["U"], P["U"], rtol=1e-6)


# ------------------------------------------------------------------------ BLAS threads
def test_forward_and_backward_restore_the_blas_thread_setting():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [lib["num_threads"] for lib in threadpoolctl.threadpool_info()
              if lib["user_api"] == "blas"]
    h, cache = nl.lstm_forward(np.ones((2, 3, 2)), P)
    nl.lstm_backward(np.ones_like(h), cache)
    after = [lib["num_threads"] for lib in threadpoolctl.threadpool_info()
             if lib["user_api"] == "blas"]
    assert before == after


# ------------------------------------------------ the chapter 02 diagram (lstm_lab.plotting)
def test_draw_lstm_cell_draws_every_gate():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lstm_lab import plotting

    fig, ax = plt.subplots()
    fig2, ax2 = plotting.draw_lstm_cell(ax)
    assert (fig2, ax2) == (fig, ax)
    texts = " ".join(t.get_text() for t in ax.texts)
    for label in ("forget", "input", "candidate", "output", r"$c_{t-1}$", r"$h_{t-1}$", r"$x_t$"):
        assert label in texts
    assert ax.get_title() == "One LSTM cell, one time step"
    fig3, _ = plotting.draw_lstm_cell(show_equations=False)
    assert "W_f" not in " ".join(t.get_text() for t in fig3.axes[0].texts)
    plt.close("all")
