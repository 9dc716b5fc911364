"""An LSTM written in NumPy, in the layout of ``keras.layers.LSTM`` (Part I).

Chapter 02 teaches the single gates (:func:`forget_gate`, :func:`input_gate`,
:func:`candidate`, :func:`update_cell`, :func:`output_gate`, :func:`hidden_state`),
each with its own weight matrix acting on the row vector ``[h_{t-1}, x_t]``.
Chapter 03 stacks those matrices into the Keras layout and builds a whole layer:

* ``params["W"]`` (D, 4H), ``params["U"]`` (H, 4H), ``params["b"]`` (4H,), gate order i, f, c, o;
* ``z_t = x_t W + h_{t-1} U + b``, cut into the blocks ``z_i, z_f, z_c, z_o``;
  ``i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)`` and the candidate ``c~ = tanh(z_c)``;
  ``c_t = f * c_{t-1} + i * c~``; ``h_t = o * tanh(c_t)``; ``h_0 = c_0 = 0``.

The candidate is called ``c~`` in formulas and ``c_tilde`` in code everywhere in the course
(chapter 02's :func:`candidate`, its weights ``W_c`` and ``b_c``, the third block of ``W``,
``U`` and ``b``).

It then adds backpropagation through time (:func:`lstm_backward`), weight exchange with
Keras (:func:`params_from_keras`, :func:`params_to_keras`), and what training needs
(:class:`Adam`, :func:`clip_by_global_norm`). Everything is vectorised over the batch;
the only Python loop runs over time. Keras is imported only inside the two functions
that talk to it, so ``import lstm_lab.numpy_lstm`` stays TensorFlow-free.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from lstm_lab.checks import check_int as _check_positive_int

#: Gate order of the stacked matrices, as in ``keras.layers.LSTM``.
GATES = ("i", "f", "c", "o")
PARAM_KEYS = ("W", "U", "b")

__all__ = [
    "GATES", "PARAM_KEYS", "Adam", "candidate", "clip_by_global_norm", "forget_gate",
    "hidden_state", "init_gate_weights", "init_params", "input_gate", "lstm_backward",
    "lstm_cell_step", "lstm_forward", "lstm_step", "output_gate", "params_from_keras",
    "params_to_keras", "sigmoid", "split_params", "stack_gate_weights", "update_cell",
]


# --------------------------------------------------------------------------- checks
def _as_float_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a floating array; TypeError naming ``name`` if it is not numeric."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}") from exc
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")


def _check_params(params: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a Keras-layout parameter dict and return ``(W, U, b)``."""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict with keys 'W', 'U', 'b', "
                        f"got {type(params).__name__}")
    missing = [k for k in PARAM_KEYS if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys 'W', 'U', 'b'")
    W, U, b = (_as_float_array(params[k], f"params['{k}']") for k in PARAM_KEYS)
    if U.ndim != 2 or U.shape[1] != 4 * U.shape[0] or U.shape[0] < 1:
        raise ValueError(f"params['U'] must have shape (H, 4H), got {U.shape}")
    H = U.shape[0]
    if W.ndim != 2 or W.shape[1] != 4 * H or W.shape[0] < 1:
        raise ValueError(f"params['W'] must have shape (D, {4 * H}) to match params['U'] "
                         f"{U.shape}, got {W.shape}")
    if b.shape != (4 * H,):
        raise ValueError(f"params['b'] must have shape ({4 * H},), got {b.shape}")
    for k, arr in zip(PARAM_KEYS, (W, U, b), strict=True):
        _check_finite(arr, f"params['{k}']")
    return W, U, b


def _check_sequence(x: Any, n_features: int) -> np.ndarray:
    x = _as_float_array(x, "x")
    if x.ndim != 3:
        raise ValueError(f"x must be 3-D (batch, time, features), got {x.ndim}-D shape {x.shape}")
    if min(x.shape) < 1:
        raise ValueError(f"x must have at least one sample, time step and feature, got {x.shape}")
    if x.shape[2] != n_features:
        raise ValueError(f"x has {x.shape[2]} features but params['W'] expects {n_features} "
                         f"(W has shape ({n_features}, 4H))")
    _check_finite(x, "x")
    return x



_BLAS_CONTROLLER: Any = None


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Run NumPy's matrix products on one BLAS thread inside the ``with`` block.

    One LSTM step multiplies small matrices (batch x units). A second thread gained nothing at
    chapter 03's sizes (forward + backward, batch 64, 48 steps, 32 units: 9.1 ms on one thread,
    8.5 ms on two, equal medians, idle two-core machine); one thread keeps the layer from
    competing with other processes for the cores. The previous setting is restored on exit.
    Without ``threadpoolctl`` (a dependency of scikit-learn) nothing changes.
    """
    global _BLAS_CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return contextlib.nullcontext()
    if _BLAS_CONTROLLER is None:
        _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER.limit(limits=1, user_api="blas")


# ------------------------------------------------------------ chapter 02: one gate each
def sigmoid(z: Any) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))`` (chapter 02).

    Written with ``exp(-|z|)`` so that it never overflows and stays accurate for large ``|z|``.
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _gate_preactivation(h_prev: Any, x_t: Any, W_gate: Any, b_gate: Any,
                        name: str) -> np.ndarray:
    """``[h_prev, x_t] @ W_gate + b_gate`` with shapes checked; ``name`` is the gate's letter."""
    h_prev = _as_float_array(h_prev, "h_prev")
    x_t = _as_float_array(x_t, "x_t")
    W_gate = _as_float_array(W_gate, f"W_{name}")
    b_gate = _as_float_array(b_gate, f"b_{name}")
    if h_prev.ndim not in (1, 2) or x_t.ndim != h_prev.ndim:
        raise ValueError(f"h_prev and x_t must both be 1-D (one sample) or 2-D (batch, size), "
                         f"got shapes {h_prev.shape} and {x_t.shape}")
    if h_prev.ndim == 2 and h_prev.shape[0] != x_t.shape[0]:
        raise ValueError(f"h_prev and x_t must have the same batch size, "
                         f"got {h_prev.shape[0]} and {x_t.shape[0]}")
    H, D = h_prev.shape[-1], x_t.shape[-1]
    if W_gate.shape != (H + D, H):
        raise ValueError(f"W_{name} must have shape (H + D, H) = ({H + D}, {H}) for "
                         f"h_prev of size {H} and x_t of size {D}, got {W_gate.shape}")
    if b_gate.shape != (H,):
        raise ValueError(f"b_{name} must have shape ({H},), got {b_gate.shape}")
    return np.concatenate([h_prev, x_t], axis=-1) @ W_gate + b_gate


def forget_gate(h_prev: Any, x_t: Any, W_f: Any, b_f: Any) -> np.ndarray:
    """Forget gate ``f_t = sigmoid([h_{t-1}, x_t] W_f + b_f)``, values in (0, 1) (chapter 02).

    ``h_prev`` (H,) or (B, H); ``x_t`` (D,) or (B, D); ``W_f`` (H + D, H); ``b_f`` (H,).
    """
    return sigmoid(_gate_preactivation(h_prev, x_t, W_f, b_f, "f"))


def input_gate(h_prev: Any, x_t: Any, W_i: Any, b_i: Any) -> np.ndarray:
    """Input gate ``i_t = sigmoid([h_{t-1}, x_t] W_i + b_i)`` (chapter 02)."""
    return sigmoid(_gate_preactivation(h_prev, x_t, W_i, b_i, "i"))


def candidate(h_prev: Any, x_t: Any, W_c: Any, b_c: Any) -> np.ndarray:
    """Candidate values ``c~_t = tanh([h_{t-1}, x_t] W_c + b_c)``, in (-1, 1) (chapter 02)."""
    return np.tanh(_gate_preactivation(h_prev, x_t, W_c, b_c, "c"))


def output_gate(h_prev: Any, x_t: Any, W_o: Any, b_o: Any) -> np.ndarray:
    """Output gate ``o_t = sigmoid([h_{t-1}, x_t] W_o + b_o)`` (chapter 02)."""
    return sigmoid(_gate_preactivation(h_prev, x_t, W_o, b_o, "o"))


def update_cell(c_prev: Any, f_t: Any, i_t: Any, c_tilde: Any) -> np.ndarray:
    """Cell update ``c_t = f_t * c_{t-1} + i_t * c~_t``, element by element (chapter 02)."""
    arrays = {name: _as_float_array(v, name) for name, v in
              (("c_prev", c_prev), ("f_t", f_t), ("i_t", i_t), ("c_tilde", c_tilde))}
    shapes = {name: a.shape for name, a in arrays.items()}
    if len(set(shapes.values())) != 1:
        raise ValueError(f"c_prev, f_t, i_t and c_tilde must have the same shape, got {shapes}")
    return arrays["f_t"] * arrays["c_prev"] + arrays["i_t"] * arrays["c_tilde"]


def hidden_state(o_t: Any, c_t: Any) -> np.ndarray:
    """New hidden state ``h_t = o_t * tanh(c_t)`` (chapter 02)."""
    o_t, c_t = _as_float_array(o_t, "o_t"), _as_float_array(c_t, "c_t")
    if o_t.shape != c_t.shape:
        raise ValueError(f"o_t and c_t must have the same shape, got {o_t.shape} and {c_t.shape}")
    return o_t * np.tanh(c_t)


def _check_gate_weights(gate_weights: Any) -> None:
    if not isinstance(gate_weights, Mapping):
        raise TypeError(f"gate_weights must be a dict with keys W_i, b_i, W_f, b_f, W_c, b_c, "
                        f"W_o, b_o, got {type(gate_weights).__name__}")
    missing = [f"{p}_{gate}" for gate in GATES for p in ("W", "b")
               if f"{p}_{gate}" not in gate_weights]
    if missing:
        raise ValueError(f"gate_weights is missing {missing}")


def lstm_cell_step(x_t: Any, h_prev: Any, c_prev: Any,
                   gate_weights: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step from the four gate functions; returns ``(h_t, c_t)`` (chapter 02).

    ``gate_weights`` holds ``W_i, b_i, W_f, b_f, W_c, b_c, W_o, b_o`` as made by
    :func:`init_gate_weights` (each ``W_*`` of shape (H + D, H)).
    """
    _check_gate_weights(gate_weights)
    gw = gate_weights
    f_t = forget_gate(h_prev, x_t, gw["W_f"], gw["b_f"])
    i_t = input_gate(h_prev, x_t, gw["W_i"], gw["b_i"])
    c_tilde = candidate(h_prev, x_t, gw["W_c"], gw["b_c"])
    c_t = update_cell(c_prev, f_t, i_t, c_tilde)
    o_t = output_gate(h_prev, x_t, gw["W_o"], gw["b_o"])
    return hidden_state(o_t, c_t), c_t


# ------------------------------------------------------ initialisation and the layouts
def init_params(input_dim: int, units: int, *, seed: int = 0, forget_bias: float = 1.0,
                dtype: Any = np.float64) -> dict[str, np.ndarray]:
    """Random LSTM weights in Keras layout, initialised as Keras does (chapters 02-03).

    ``W`` Glorot-uniform, ``U`` orthogonal (its rows orthonormal), ``b`` zero except the
    forget-gate block, which is ``forget_bias`` (Keras: ``unit_forget_bias=True`` gives 1).
    """
    D = _check_positive_int(input_dim, "input_dim")
    H = _check_positive_int(units, "units")
    if not np.isfinite(forget_bias):
        raise ValueError(f"forget_bias must be a finite number, got {forget_bias}")
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6.0 / (D + 4 * H))
    W = rng.uniform(-limit, limit, size=(D, 4 * H))
    q, r = np.linalg.qr(rng.standard_normal((4 * H, H)))
    U = (q * np.sign(np.diag(r))).T  # (H, 4H), U @ U.T = I
    b = np.zeros(4 * H)
    b[H:2 * H] = forget_bias
    return {k: np.asarray(v, dtype=dtype) for k, v in (("W", W), ("U", U), ("b", b))}


def split_params(params: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Keras-layout ``{W, U, b}`` -> per-gate ``{W_i, b_i, ..., W_o, b_o}`` (chapter 03).

    Each ``W_g`` is ``U``'s block stacked on ``W``'s block, shape (H + D, H), so that
    ``[h, x] @ W_g == h @ U_g + x @ W_g^x``.
    """
    W, U, b = _check_params(params)
    H = U.shape[0]
    out = {}
    for k, gate in enumerate(GATES):
        block = slice(k * H, (k + 1) * H)
        out[f"W_{gate}"] = np.concatenate([U[:, block], W[:, block]], axis=0)
        out[f"b_{gate}"] = b[block].copy()
    return out


def stack_gate_weights(gate_weights: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Per-gate weights -> Keras-layout ``{W, U, b}``, gate order i, f, c, o (chapter 03).

    The inverse of :func:`split_params`.
    """
    _check_gate_weights(gate_weights)
    W_gates = [_as_float_array(gate_weights[f"W_{gate}"], f"W_{gate}") for gate in GATES]
    b_gates = [_as_float_array(gate_weights[f"b_{gate}"], f"b_{gate}") for gate in GATES]
    H = b_gates[0].shape[-1] if b_gates[0].ndim == 1 else -1
    for gate, Wg, bg in zip(GATES, W_gates, b_gates, strict=True):
        if bg.shape != (H,) or Wg.ndim != 2 or Wg.shape[1] != H or Wg.shape[0] <= H:
            raise ValueError(f"W_{gate} must have shape (H + D, H) and b_{gate} shape (H,) with "
                             f"the same H and D >= 1 for every gate, got {Wg.shape} and {bg.shape}")
    if len({Wg.shape for Wg in W_gates}) != 1:
        raise ValueError(f"every W_* must have the same shape, got {[w.shape for w in W_gates]}")
    return {"W": np.concatenate([Wg[H:] for Wg in W_gates], axis=1),
            "U": np.concatenate([Wg[:H] for Wg in W_gates], axis=1),
            "b": np.concatenate(b_gates)}


def init_gate_weights(input_dim: int, units: int, *, seed: int = 0,
                      forget_bias: float = 1.0) -> dict[str, np.ndarray]:
    """Per-gate weights ``W_g`` (H + D, H) and ``b_g`` (H,), initialised like Keras (chapter 02)."""
    return split_params(init_params(input_dim, units, seed=seed, forget_bias=forget_bias))


# ------------------------------------------------------------- chapter 03: the layer
def lstm_step(x_t: Any, h_prev: Any, c_prev: Any,
              params: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """One step with the stacked Keras-layout weights; returns ``(h_t, c_t)`` (chapter 03).

    ``x_t`` (B, D), ``h_prev`` and ``c_prev`` (B, H). One matrix product per input instead
    of four: the same numbers as :func:`lstm_cell_step`.
    """
    W, U, b = _check_params(params)
    H = U.shape[0]
    x_t = _as_float_array(x_t, "x_t")
    h_prev, c_prev = _as_float_array(h_prev, "h_prev"), _as_float_array(c_prev, "c_prev")
    if x_t.ndim != 2 or x_t.shape[1] != W.shape[0]:
        raise ValueError(f"x_t must have shape (B, {W.shape[0]}), got {x_t.shape}")
    for name, arr in (("h_prev", h_prev), ("c_prev", c_prev)):
        if arr.shape != (x_t.shape[0], H):
            raise ValueError(f"{name} must have shape ({x_t.shape[0]}, {H}), got {arr.shape}")
    z = x_t @ W + h_prev @ U + b
    i, f, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 3 * H:])
    c_t = f * c_prev + i * np.tanh(z[:, 2 * H:3 * H])
    return o * np.tanh(c_t), c_t


def lstm_forward(x: Any, params: Mapping[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Run the LSTM over a batch of sequences; returns ``(h_seq, cache)`` (chapter 03).

    ``x`` (B, T, D) -> ``h_seq`` (B, T, H), the hidden state after every step, as
    ``keras.layers.LSTM(H, return_sequences=True)`` computes it (``h_0 = c_0 = 0``).
    The final states are ``h_seq[:, -1]`` and ``cache["c"][:, -1]``. ``cache`` keeps what
    :func:`lstm_backward` needs: ``x``, ``W``, ``U``, ``b``, ``h`` and ``c`` (B, T + 1, H, with the
    zero initial state first), ``gates`` (B, T, 4H: i, f, c~, o after their activations) and
    ``tanh_c`` (B, T, H). Computed in float32 only if ``x`` and all weights are float32.
    """
    W, U, b = _check_params(params)
    x = _check_sequence(x, W.shape[0])
    dtype = np.result_type(x.dtype, W.dtype, U.dtype, b.dtype)
    x, W, U, b = (a.astype(dtype, copy=False) for a in (x, W, U, b))
    B, T, _ = x.shape
    H = U.shape[0]
    h = np.zeros((B, T + 1, H), dtype=dtype)
    c = np.zeros((B, T + 1, H), dtype=dtype)
    gates = np.empty((B, T, 4 * H), dtype=dtype)
    tanh_c = np.empty((B, T, H), dtype=dtype)
    with _one_blas_thread():
        xw = x @ W + b  # the input part of every step in one product
        for t in range(T):
            z = xw[:, t] + h[:, t] @ U
            act = sigmoid(z)
            act[:, 2 * H:3 * H] = np.tanh(z[:, 2 * H:3 * H])
            i, f, c_tilde, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
            c[:, t + 1] = f * c[:, t] + i * c_tilde
            tanh_c[:, t] = np.tanh(c[:, t + 1])
            h[:, t + 1] = o * tanh_c[:, t]
            gates[:, t] = act
    cache = {"x": x, "W": W, "U": U, "b": b, "h": h, "c": c, "gates": gates, "tanh_c": tanh_c}
    return h[:, 1:], cache


_CACHE_KEYS = ("x", "W", "U", "b", "h", "c", "gates", "tanh_c")


def lstm_backward(dh_seq: Any, cache: Mapping[str, np.ndarray]
                  ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Backpropagation through time; returns ``(dx, grads)`` (chapter 03).

    ``dh_seq`` (B, T, H) is dL/dh_t for every step (zeros where the loss does not look);
    ``cache`` comes from :func:`lstm_forward`. ``dx`` (B, T, D) is dL/dx and ``grads`` has
    the keys and shapes of ``params``: dL/dW, dL/dU, dL/db.
    """
    if not isinstance(cache, Mapping) or any(k not in cache for k in _CACHE_KEYS):
        raise TypeError("cache must be the dict returned by lstm_forward "
                        f"(keys {list(_CACHE_KEYS)})")
    x, W, U, h, c, gates, tanh_c = (cache[k] for k in ("x", "W", "U", "h", "c", "gates", "tanh_c"))
    B, T, D = x.shape
    H = U.shape[0]
    dh_seq = _as_float_array(dh_seq, "dh_seq")
    if dh_seq.shape != (B, T, H):
        raise ValueError(f"dh_seq must have the shape of h_seq, ({B}, {T}, {H}), "
                         f"got {dh_seq.shape}")
    _check_finite(dh_seq, "dh_seq")
    dh_seq = dh_seq.astype(x.dtype, copy=False)
    dz = np.empty((B, T, 4 * H), dtype=x.dtype)
    dh_next = np.zeros((B, H), dtype=x.dtype)
    dc_next = np.zeros((B, H), dtype=x.dtype)
    with _one_blas_thread():
        for t in range(T - 1, -1, -1):
            act = gates[:, t]
            i, f, c_tilde, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
            tc = tanh_c[:, t]
            dh = dh_seq[:, t] + dh_next
            dc = dc_next + dh * o * (1.0 - tc * tc)
            dz[:, t, :H] = dc * c_tilde * i * (1.0 - i)
            dz[:, t, H:2 * H] = dc * c[:, t] * f * (1.0 - f)
            dz[:, t, 2 * H:3 * H] = dc * i * (1.0 - c_tilde * c_tilde)
            dz[:, t, 3 * H:] = dh * tc * o * (1.0 - o)
            dc_next = dc * f
            dh_next = dz[:, t] @ U.T
        dz_flat = dz.reshape(B * T, 4 * H)
        grads = {"W": x.reshape(B * T, D).T @ dz_flat,
                 "U": h[:, :-1].reshape(B * T, H).T @ dz_flat,
                 "b": dz_flat.sum(axis=0)}
        dx = dz @ W.T
    return dx, grads


# ------------------------------------------------------------------ Keras exchange
def _check_keras_lstm(layer: Any):
    import keras  # only here: the rest of the module works without TensorFlow

    if not isinstance(layer, keras.layers.LSTM):
        raise TypeError(f"layer must be a keras.layers.LSTM, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError("layer must be built: call it on an input or use it in a model first")
    cell = layer.cell
    if keras.activations.serialize(cell.activation) != "tanh" or \
            keras.activations.serialize(cell.recurrent_activation) != "sigmoid":
        raise ValueError("layer must use activation='tanh' and recurrent_activation='sigmoid' "
                         "(the standard cell this module implements)")
    return cell


def params_from_keras(layer: Any) -> dict[str, np.ndarray]:
    """Copy a built ``keras.layers.LSTM``'s weights into ``{"W", "U", "b"}`` (chapter 03).

    Keras stores exactly this layout: ``kernel`` (D, 4H), ``recurrent_kernel`` (H, 4H),
    ``bias`` (4H,), gate order i, f, c, o. A layer without bias gives ``b`` = 0.
    """
    cell = _check_keras_lstm(layer)
    W = np.array(cell.kernel.numpy())
    U = np.array(cell.recurrent_kernel.numpy())
    b = np.array(cell.bias.numpy()) if cell.use_bias else np.zeros(U.shape[1], dtype=U.dtype)
    return {"W": W, "U": U, "b": b}


def params_to_keras(params: Mapping[str, Any], layer: Any) -> None:
    """Write ``{"W", "U", "b"}`` into a built ``keras.layers.LSTM`` of equal size (chapter 03)."""
    cell = _check_keras_lstm(layer)
    W, U, b = _check_params(params)
    expected = (tuple(cell.kernel.shape), tuple(cell.recurrent_kernel.shape))
    if (W.shape, U.shape) != expected:
        raise ValueError(f"params do not fit layer: W {W.shape} and U {U.shape}, but the layer "
                         f"has kernel {expected[0]} and recurrent_kernel {expected[1]}")
    if not cell.use_bias and np.any(b != 0):
        raise ValueError("params['b'] is not zero but layer has use_bias=False")
    cell.kernel.assign(W.astype(cell.kernel.dtype))
    cell.recurrent_kernel.assign(U.astype(cell.recurrent_kernel.dtype))
    if cell.use_bias:
        cell.bias.assign(b.astype(cell.bias.dtype))


# --------------------------------------------------------------- chapter 03: training
def clip_by_global_norm(grads: Mapping[str, Any], max_norm: float
                        ) -> tuple[dict[str, np.ndarray], float]:
    """Scale all gradients together so their joint L2 norm is at most ``max_norm`` (chapter 03).

    Returns ``(clipped, norm_before)``; the direction is kept. Keras' optimizers do the
    same with ``global_clipnorm=max_norm``.
    """
    if not isinstance(grads, Mapping) or not grads:
        raise TypeError(f"grads must be a non-empty dict of arrays, got {type(grads).__name__}")
    if isinstance(max_norm, bool) or not isinstance(max_norm, (int, float, np.number)):
        raise TypeError(f"max_norm must be a number, got {type(max_norm).__name__}")
    if not max_norm > 0 or not np.isfinite(max_norm):
        raise ValueError(f"max_norm must be a positive finite number, got {max_norm}")
    arrays = {k: _as_float_array(v, f"grads['{k}']") for k, v in grads.items()}
    norm = float(np.sqrt(sum(float(np.sum(a * a)) for a in arrays.values())))
    if not np.isfinite(norm):
        raise ValueError("grads contain NaN or infinite values")
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: a * scale for k, a in arrays.items()}, norm


class Adam:
    """The Adam optimiser of Kingma & Ba (2015), as Keras implements it (chapter 03).

    ``m = b1 m + (1 - b1) grad``; ``v = b2 v + (1 - b2) grad^2``;
    ``p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)``. :meth:`step` updates the
    arrays of a parameter dict in place.
    """

    def __init__(self, learning_rate: float = 1e-3, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7) -> None:
        for name, value in (("learning_rate", learning_rate), ("beta_1", beta_1),
                            ("beta_2", beta_2), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise TypeError(f"{name} must be a number, got {type(value).__name__}")
        for name, value in (("learning_rate", learning_rate), ("epsilon", epsilon)):
            if not (0 < value < np.inf):
                raise ValueError(f"{name} must be a positive finite number, got {value}")
        for name, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not (0 <= value < 1):
                raise ValueError(f"{name} must be in [0, 1), got {value}")
        self.learning_rate, self.beta_1, self.beta_2 = learning_rate, beta_1, beta_2
        self.epsilon = epsilon
        self.iterations = 0
        self._m: dict[str, np.ndarray] = {}
        self._v: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, Any]) -> None:
        """Apply one update to ``params`` (arrays changed in place) from ``grads``."""
        if not isinstance(params, Mapping) or not isinstance(grads, Mapping):
            raise TypeError("params and grads must be dicts of arrays")
        if set(params) != set(grads):
            raise ValueError(f"grads must have the keys of params {sorted(params)}, "
                             f"got {sorted(grads)}")
        self.iterations += 1
        t = self.iterations
        lr_t = self.learning_rate * np.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        for key, p in params.items():
            grad = _as_float_array(grads[key], f"grads['{key}']")
            if grad.shape != np.shape(p):
                raise ValueError(f"grads['{key}'] has shape {grad.shape}, params['{key}'] "
                                 f"has {np.shape(p)}")
            m = self._m.setdefault(key, np.zeros_like(grad))
            v = self._v.setdefault(key, np.zeros_like(grad))
            m += (1 - self.beta_1) * (grad - m)
            v += (1 - self.beta_2) * (grad * grad - v)
            p -= lr_t * m / (np.sqrt(v) + self.epsilon)
