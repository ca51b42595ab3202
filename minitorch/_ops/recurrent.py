"""LSTM and GRU as fused differentiable ops: a whole sequence as one node, or one step's gates.

Written with ordinary ops, an LSTM step is about ten recorded nodes (a chunk, three sigmoids,
two tanhs, three products and a sum), a GRU step a dozen, and a sequence repeats them at every
step: for the small hidden sizes of tutorials the per-node bookkeeping, not the arithmetic, is
the cost. So, as torch's CPU LSTM is one `MkldnnRnnLayerBackward0` node per layer,
`lstm_sequence` and `gru_sequence` run one direction of a layer over the whole sequence as one
node (a cell's step is a sequence of length 1), and backpropagate through time by hand.
`lstm_gates` and `gru_gates` are one step's gates alone, for the step-by-step loops that
remain (packed sequences, LSTM projections).

LSTM, from the pre-activations `gates` = x W_ih^T + b_ih + h W_hh^T + b_hh (chunks i, f, g, o)
and the cell state c:

    i, f, g, o = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)
    c' = f * c + i * g
    h' = o * tanh(c')

    dc' = grad_c' + grad_h' * o * (1 - tanh(c')^2)
    d(pre-activations of) i, f, g, o = dc' g i (1-i),  dc' c f (1-f),  dc' i (1-g^2),  grad_h' tanh(c') o (1-o)
    dc  = dc' * f

GRU, from the input's and the hidden state's products x_proj = x W_ih^T + b_ih and
h_proj = h W_hh^T + b_hh (chunks r, z, n each) and the hidden state h:

    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = tanh(x_n + r * h_n)
    h' = (1 - z) * n + z * h

    dn = grad (1-z) (1-n^2),  dr = dn h_n r (1-r),  dz = grad (h-n) z (1-z)
    d x_proj = (dr, dz, dn),  d h_proj = (dr, dz, dn r),  dh = grad z

Through time, a step's gradient of h' is the output's gradient at that step plus what the
next step sends back through h W_hh^T (d h_proj W_hh); the weights' gradients are summed over
the steps, as one product each over all of them (d x_proj^T x, d h_proj^T h_before).

The loops are written once for arrays and tensors (`_ARRAYS`, `_TENSORS`): on numpy arrays
for an ordinary backward (a step's gradients by the compiled kernels of
`kernels/recurrent.py`, one pass instead of twenty numpy calls), on tensors when the backward
itself is being recorded (create_graph=True, where a sequence's steps are first recomputed
as recorded ops, and the formulas are `_lstm_gradients` and `_gru_gradients` below), so these
ops can be differentiated twice, as torch's can.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from ..kernels import blas
from ..kernels import recurrent as compiled
from .join import cat, stack
from .layers import linear
from .math import _sigmoid

__all__ = ["lstm_sequence", "gru_sequence", "lstm_gates", "gru_gates"]


class _Ops(NamedTuple):
    """What the sequence loops use, for numpy arrays or for tensors."""
    split: Callable           # (a, k) -> k equal chunks of the last dim
    sigmoid: Callable
    tanh: Callable
    stack: Callable           # arrays -> one array, along a new first dim
    affine: Callable          # (x, w, b) -> x @ w^T + b (b may be None)
    matmul: Callable
    lstm_gradients: Callable  # a step's gradients: the formulas below, compiled for arrays
    gru_gradients: Callable


def _split_array(a: np.ndarray, k: int) -> list:
    n = a.shape[-1] // k
    return [a[..., j * n:(j + 1) * n] for j in range(k)]  # views, cheaper than np.split's


def _affine_arrays(x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    out = blas.matmul(x, w.T)
    if b is not None:
        out += b
    return out


def _lstm_gradients_compiled(activations: tuple, c: np.ndarray, grad_h: np.ndarray, grad_c: np.ndarray) -> tuple:
    i, f, g, o, _, tanh_c = activations
    d_gates, d_c = np.empty(c.shape[:-1] + (4 * c.shape[-1],), c.dtype), np.empty_like(c)
    compiled.lstm_step_backward(i, f, g, o, c, tanh_c, grad_h, grad_c, d_gates, d_c)
    return d_gates, d_c


def _gru_gradients_compiled(activations: tuple, h: np.ndarray, grad: np.ndarray) -> tuple:
    d_x_proj, d_h_proj = (np.empty(h.shape[:-1] + (3 * h.shape[-1],), h.dtype) for _ in range(2))
    d_h = np.empty_like(h)
    compiled.gru_step_backward(*activations, h, grad, d_x_proj, d_h_proj, d_h)
    return d_x_proj, d_h_proj, d_h


# ----- one step ---------------------------------------------------------------------------
def _lstm_activations(gates: Any, c: Any, ops: _Ops) -> tuple:
    """(i, f, g, o, c', tanh(c')) of one step."""
    i, f, _, o = ops.split(ops.sigmoid(gates), 4)  # one call for three gates (g's sigmoid unused)
    g = ops.tanh(ops.split(gates, 4)[2])
    c_next = f * c + i * g
    return i, f, g, o, c_next, ops.tanh(c_next)


def _lstm_gradients(activations: tuple, c: Tensor, grad_h: Tensor, grad_c: Tensor) -> tuple:
    """(d gates, d c) from the gradients of h' and c' (the module docstring's formulas), as
    recorded ops; `kernels.recurrent.lstm_step_backward` computes the same on arrays."""
    i, f, g, o, _, tanh_c = activations
    dc = grad_c + grad_h * o * (1 - tanh_c * tanh_c)
    return cat([dc * g * i * (1 - i), dc * c * f * (1 - f), dc * i * (1 - g * g),
                grad_h * tanh_c * o * (1 - o)], -1), dc * f


def _gru_activations(x_proj: Any, h_proj: Any, ops: _Ops) -> tuple:
    """(r, z, n, h_n) of one step."""
    (x_r, x_z, x_n), (h_r, h_z, h_n) = ops.split(x_proj, 3), ops.split(h_proj, 3)
    r = ops.sigmoid(x_r + h_r)
    return r, ops.sigmoid(x_z + h_z), ops.tanh(x_n + r * h_n), h_n


def _gru_gradients(activations: tuple, h: Tensor, grad: Tensor) -> tuple:
    """(d x_proj, d h_proj, d h) from the gradient of h' (the module docstring's formulas), as
    recorded ops; `kernels.recurrent.gru_step_backward` computes the same on arrays."""
    r, z, n, h_n = activations
    d_n = grad * (1 - z) * (1 - n * n)
    d_r = d_n * h_n * r * (1 - r)
    d_z = grad * (h - n) * z * (1 - z)
    return cat([d_r, d_z, d_n], -1), cat([d_r, d_z, d_n * r], -1), grad * z


_ARRAYS = _Ops(_split_array, _sigmoid, np.tanh, np.stack, _affine_arrays, blas.matmul, _lstm_gradients_compiled,
               _gru_gradients_compiled)
_TENSORS = _Ops(lambda t, k: t.chunk(k, -1), Tensor.sigmoid, Tensor.tanh, stack, linear, Tensor.__matmul__,
                _lstm_gradients, _gru_gradients)


# ----- a sequence: the steps, then backpropagation through time ------------------------------
def _time_steps(x: Any, reverse: bool) -> range:
    return range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])


def _lstm_steps(x, h, c, w_ih, w_hh, b_ih, b_hh, reverse: bool, ops: _Ops) -> tuple[list, list]:
    """Run x (T, N, I) from (h, c): [(t, h before, c before, activations)] and each h', in the order run."""
    x_proj = ops.affine(x, w_ih, b_ih)  # every step's input product at once: (T, N, 4H)
    steps, hs = [], []
    for t in _time_steps(x, reverse):
        activations = _lstm_activations(x_proj[t] + ops.affine(h, w_hh, b_hh), c, ops)
        steps.append((t, h, c, activations))
        h, c = activations[3] * activations[5], activations[4]
        hs.append(h)
    return steps, hs


def _gru_steps(x, h, w_ih, w_hh, b_ih, b_hh, reverse: bool, ops: _Ops) -> tuple[list, list]:
    """Run x (T, N, I) from h: [(t, h before, activations)] and each h', in the order run."""
    x_proj = ops.affine(x, w_ih, b_ih)
    steps, hs = [], []
    for t in _time_steps(x, reverse):
        activations = _gru_activations(x_proj[t], ops.affine(h, w_hh, b_hh), ops)
        steps.append((t, h, activations))
        _, z, n, _ = activations
        h = n + z * (h - n)
        hs.append(h)
    return steps, hs


def _in_time_order(values: list, reverse: bool) -> list:
    return values[::-1] if reverse else values


def _weight_gradients(d_x_proj: list, d_h_proj: list, x, h_before: list, w_ih, needs: tuple, reverse: bool,
                      ops: _Ops) -> tuple:
    """d x, d w_ih, d w_hh, d b_ih, d b_hh from each step's d x_proj and d h_proj (lists in the
    order the backward ran, the reverse of the forward's): the products over all steps at once."""
    d_x_proj = ops.stack(_in_time_order(d_x_proj[::-1], reverse))  # (T, N, G*H)
    d_h_proj = ops.stack(_in_time_order(d_h_proj[::-1], reverse))
    h_before = ops.stack(_in_time_order(h_before, reverse))         # (T, N, H)
    rows = lambda a: a.reshape(-1, a.shape[-1])
    return (ops.matmul(d_x_proj, w_ih) if needs[0] else None,
            ops.matmul(rows(d_x_proj).T, rows(x)) if needs[3] else None,
            ops.matmul(rows(d_h_proj).T, rows(h_before)) if needs[4] else None,
            d_x_proj.sum((0, 1)) if needs[5] else None,
            d_h_proj.sum((0, 1)) if needs[6] else None)


def _lstm_backprop(steps: list, grad_hs, grad_h, grad_c, x, w_ih, w_hh, needs: tuple, reverse: bool,
                   ops: _Ops) -> tuple:
    """Gradients of (x, h0, c0, w_ih, w_hh, b_ih, b_hh) from those of (hs, h_T, c_T)."""
    d_gates = []
    for t, _, c, activations in reversed(steps):
        d, grad_c = ops.lstm_gradients(activations, c, grad_hs[t] + grad_h, grad_c)
        d_gates.append(d)
        grad_h = ops.matmul(d, w_hh)
    d_x, d_w_ih, d_w_hh, d_b_ih, d_b_hh = _weight_gradients(d_gates, d_gates, x, [s[1] for s in steps], w_ih,
                                                            needs, reverse, ops)
    return d_x, grad_h, grad_c, d_w_ih, d_w_hh, d_b_ih, d_b_hh


def _gru_backprop(steps: list, grad_hs, grad_h, x, w_ih, w_hh, needs: tuple, reverse: bool, ops: _Ops) -> tuple:
    """Gradients of (x, h0, w_ih, w_hh, b_ih, b_hh) from those of (hs, h_T)."""
    d_x_proj, d_h_proj = [], []
    for t, h, activations in reversed(steps):
        dx_proj, dh_proj, grad_h = ops.gru_gradients(activations, h, grad_hs[t] + grad_h)
        d_x_proj.append(dx_proj)
        d_h_proj.append(dh_proj)
        grad_h = grad_h + ops.matmul(dh_proj, w_hh)
    needs = needs[:2] + (False,) + needs[2:]  # _weight_gradients counts LSTM's inputs, c0 third
    d_x, d_w_ih, d_w_hh, d_b_ih, d_b_hh = _weight_gradients(d_x_proj, d_h_proj, x, [s[1] for s in steps], w_ih,
                                                            needs, reverse, ops)
    return d_x, grad_h, d_w_ih, d_w_hh, d_b_ih, d_b_hh


class LSTMSequence(Function):
    """One direction of an LSTM layer over a sequence: (hs, h_T, c_T) from (x, h0, c0, weights)."""

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse):
        ctx.reverse = reverse
        ctx.save_for_backward(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        ctx.steps, hs = _lstm_steps(x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse, _ARRAYS)
        return np.stack(_in_time_order(hs, reverse)), hs[-1], ctx.steps[-1][3][4]

    @staticmethod
    def backward(ctx, grad_hs, grad_h, grad_c):
        x, h0, c0, w_ih, w_hh, b_ih, b_hh = ctx.saved_tensors
        if grad_mode.is_grad_enabled():  # create_graph=True: the steps recomputed as recorded ops
            steps, _ = _lstm_steps(x, h0, c0, w_ih, w_hh, b_ih, b_hh, ctx.reverse, _TENSORS)
            return _lstm_backprop(steps, grad_hs, grad_h, grad_c, x, w_ih, w_hh, ctx.needs_input_grad,
                                  ctx.reverse, _TENSORS) + (None,)
        grads = _lstm_backprop(ctx.steps, grad_hs._array, grad_h._array, grad_c._array, x._array, w_ih._array,
                               w_hh._array, ctx.needs_input_grad, ctx.reverse, _ARRAYS)
        return tuple(None if g is None else _wrap(g) for g in grads) + (None,)


class GRUSequence(Function):
    """One direction of a GRU layer over a sequence: (hs, h_T) from (x, h0, weights)."""

    @staticmethod
    def forward(ctx, x, h0, w_ih, w_hh, b_ih, b_hh, reverse):
        ctx.reverse = reverse
        ctx.save_for_backward(x, h0, w_ih, w_hh, b_ih, b_hh)
        ctx.steps, hs = _gru_steps(x, h0, w_ih, w_hh, b_ih, b_hh, reverse, _ARRAYS)
        return np.stack(_in_time_order(hs, reverse)), hs[-1]

    @staticmethod
    def backward(ctx, grad_hs, grad_h):
        x, h0, w_ih, w_hh, b_ih, b_hh = ctx.saved_tensors
        if grad_mode.is_grad_enabled():  # create_graph=True: the steps recomputed as recorded ops
            steps, _ = _gru_steps(x, h0, w_ih, w_hh, b_ih, b_hh, ctx.reverse, _TENSORS)
            return _gru_backprop(steps, grad_hs, grad_h, x, w_ih, w_hh, ctx.needs_input_grad, ctx.reverse,
                                 _TENSORS) + (None,)
        grads = _gru_backprop(ctx.steps, grad_hs._array, grad_h._array, x._array, w_ih._array, w_hh._array,
                              ctx.needs_input_grad, ctx.reverse, _ARRAYS)
        return tuple(None if g is None else _wrap(g) for g in grads) + (None,)


class LSTMGates(Function):
    @staticmethod
    def forward(ctx, gates, c):
        ctx.save_for_backward(gates, c)
        ctx.activations = _lstm_activations(gates, c, _ARRAYS)
        i, f, g, o, c_next, tanh_c = ctx.activations
        return o * tanh_c, c_next

    @staticmethod
    def backward(ctx, grad_h, grad_c):
        if grad_mode.is_grad_enabled():  # create_graph=True: the same formulas, recorded
            gates, c = ctx.saved_tensors
            return _lstm_gradients(_lstm_activations(gates, c, _TENSORS), c, grad_h, grad_c)
        c = ctx.saved_tensors[1]._array
        d_gates, d_c = _lstm_gradients_compiled(ctx.activations, c, grad_h._array, grad_c._array)
        return _wrap(d_gates), _wrap(d_c)


class GRUGates(Function):
    @staticmethod
    def forward(ctx, x_proj, h_proj, h):
        ctx.save_for_backward(x_proj, h_proj, h)
        ctx.activations = _gru_activations(x_proj, h_proj, _ARRAYS)
        r, z, n, _ = ctx.activations
        return n + z * (h - n)

    @staticmethod
    def backward(ctx, grad):
        if grad_mode.is_grad_enabled():  # create_graph=True: the same formulas, recorded
            x_proj, h_proj, h = ctx.saved_tensors
            return _gru_gradients(_gru_activations(x_proj, h_proj, _TENSORS), h, grad)
        h = ctx.saved_tensors[2]._array
        return tuple(_wrap(d) for d in _gru_gradients_compiled(ctx.activations, h, grad._array))


def lstm_sequence(x: Tensor, state: tuple[Tensor, Tensor], w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None,
                  b_hh: Tensor | None, reverse: bool = False) -> tuple[Tensor, tuple[Tensor, Tensor]]:
    """One direction of an LSTM layer: x (T, N, I) from state (h0, c0) (each (N, H)), weights
    w_ih (4H, I), w_hh (4H, H), biases (4H) or None, gates in torch's order i, f, g, o; steps
    run from T-1 down to 0 if `reverse`. Returns (every step's h (T, N, H), (h_T, c_T))."""
    hs, h, c = LSTMSequence.apply(x, state[0], state[1], w_ih, w_hh, b_ih, b_hh, reverse)
    return hs, (h, c)


def gru_sequence(x: Tensor, h0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None,
                 reverse: bool = False) -> tuple[Tensor, Tensor]:
    """One direction of a GRU layer: x (T, N, I) from h0 (N, H), weights w_ih (3H, I), w_hh (3H, H),
    biases (3H) or None, chunks in torch's order r, z, n. Returns (every step's h (T, N, H), h_T)."""
    return GRUSequence.apply(x, h0, w_ih, w_hh, b_ih, b_hh, reverse)


def lstm_gates(gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    """(h', c') of one LSTM step from the gate pre-activations `gates` (N, 4H), chunks in torch's
    order i, f, g, o, and the cell state `c` (N, H); both results (N, H)."""
    return LSTMGates.apply(gates, c)


def gru_gates(x_proj: Tensor, h_proj: Tensor, h: Tensor) -> Tensor:
    """h' (N, H) of one GRU step from x W_ih^T + b_ih and h W_hh^T + b_hh (both (N, 3H), chunks in
    torch's order r, z, n) and the hidden state `h` (N, H)."""
    return GRUGates.apply(x_proj, h_proj, h)
