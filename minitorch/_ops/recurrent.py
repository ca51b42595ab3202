"""The elementwise half of an LSTM or GRU time step as one differentiable op.

Written with ordinary ops, an LSTM step is about ten recorded nodes (a chunk, three sigmoids,
two tanhs, three products and a sum), a GRU step a dozen, and a sequence repeats them at every
step: for the small hidden sizes of tutorials the per-node bookkeeping, not the arithmetic, is
the cost. `LSTMGates` and `GRUGates` compute a step's gates as one node each and differentiate
it by hand. LSTM, from the pre-activations `gates` (chunks i, f, g, o) and the cell state c:

    i, f, g, o = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)
    c' = f * c + i * g
    h' = o * tanh(c')

    dc' = grad_c' + grad_h' * o * (1 - tanh(c')^2)
    d(pre-activations of) i, f, g, o = dc' g i (1-i),  dc' c f (1-f),  dc' i (1-g^2),  grad_h' tanh(c') o (1-o)
    dc  = dc' * f

GRU, from the input's and the hidden state's products x_proj, h_proj (chunks r, z, n each)
and the hidden state h:

    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = tanh(x_n + r * h_n)
    h' = (1 - z) * n + z * h

    dn = grad (1-z) (1-n^2),  dr = dn h_n r (1-r),  dz = grad (h-n) z (1-z)
    d x_proj = (dr, dz, dn),  d h_proj = (dr, dz, dn r),  dh = grad z

The formulas are written once for anything with * and + (`_lstm_*`, `_gru_*`): on numpy arrays
for an ordinary backward, on tensors when the backward itself is being recorded
(create_graph=True), so a step can be differentiated twice, as torch's can.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from .join import cat
from .math import _sigmoid

__all__ = ["lstm_gates", "gru_gates"]


def _lstm_activations(gates: Any, c: Any, split: Callable, sigmoid: Callable, tanh: Callable) -> tuple:
    """(i, f, g, o, c', tanh(c')) of one step, for arrays or tensors."""
    i, f, g, o = split(gates, 4)
    i, f, g, o = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)
    c_next = f * c + i * g
    return i, f, g, o, c_next, tanh(c_next)


def _lstm_gradients(activations: tuple, c: Any, grad_h: Any, grad_c: Any, concat: Callable) -> tuple:
    """(d gates, d c) from the gradients of h' and c' (the module docstring's formulas)."""
    i, f, g, o, _, tanh_c = activations
    dc = grad_c + grad_h * o * (1 - tanh_c * tanh_c)
    return concat([dc * g * i * (1 - i), dc * c * f * (1 - f), dc * i * (1 - g * g),
                   grad_h * tanh_c * o * (1 - o)]), dc * f


def _gru_activations(x_proj: Any, h_proj: Any, split: Callable, sigmoid: Callable, tanh: Callable) -> tuple:
    """(r, z, n, h_n) of one step, for arrays or tensors."""
    (x_r, x_z, x_n), (h_r, h_z, h_n) = split(x_proj, 3), split(h_proj, 3)
    r = sigmoid(x_r + h_r)
    return r, sigmoid(x_z + h_z), tanh(x_n + r * h_n), h_n


def _gru_gradients(activations: tuple, h: Any, grad: Any, concat: Callable) -> tuple:
    """(d x_proj, d h_proj, d h) from the gradient of h' (the module docstring's formulas)."""
    r, z, n, h_n = activations
    d_n = grad * (1 - z) * (1 - n * n)
    d_r = d_n * h_n * r * (1 - r)
    d_z = grad * (h - n) * z * (1 - z)
    return concat([d_r, d_z, d_n]), concat([d_r, d_z, d_n * r]), grad * z


_NUMPY = dict(split=lambda a, k: np.split(a, k, axis=-1), sigmoid=_sigmoid, tanh=np.tanh)
_TENSOR = dict(split=lambda t, k: t.chunk(k, -1), sigmoid=Tensor.sigmoid, tanh=Tensor.tanh)


def _concat_arrays(arrays: list) -> np.ndarray:
    return np.concatenate(arrays, axis=-1)


def _concat_tensors(tensors: list) -> Tensor:
    return cat(tensors, -1)


class LSTMGates(Function):
    @staticmethod
    def forward(ctx, gates, c):
        ctx.save_for_backward(gates, c)
        ctx.activations = _lstm_activations(gates, c, **_NUMPY)
        i, f, g, o, c_next, tanh_c = ctx.activations
        return o * tanh_c, c_next

    @staticmethod
    def backward(ctx, grad_h, grad_c):
        if grad_mode.is_grad_enabled():  # create_graph=True: the same formulas, recorded
            gates, c = ctx.saved_tensors
            return _lstm_gradients(_lstm_activations(gates, c, **_TENSOR), c, grad_h, grad_c, _concat_tensors)
        c = ctx.saved_tensors[1]._array
        d_gates, d_c = _lstm_gradients(ctx.activations, c, grad_h._array, grad_c._array, _concat_arrays)
        return _wrap(d_gates), _wrap(d_c)


class GRUGates(Function):
    @staticmethod
    def forward(ctx, x_proj, h_proj, h):
        ctx.save_for_backward(x_proj, h_proj, h)
        ctx.activations = _gru_activations(x_proj, h_proj, **_NUMPY)
        r, z, n, _ = ctx.activations
        return n + z * (h - n)

    @staticmethod
    def backward(ctx, grad):
        if grad_mode.is_grad_enabled():  # create_graph=True: the same formulas, recorded
            x_proj, h_proj, h = ctx.saved_tensors
            return _gru_gradients(_gru_activations(x_proj, h_proj, **_TENSOR), h, grad, _concat_tensors)
        h = ctx.saved_tensors[2]._array
        return tuple(_wrap(d) for d in _gru_gradients(ctx.activations, h, grad._array, _concat_arrays))


def lstm_gates(gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    """(h', c') of one LSTM step from the gate pre-activations `gates` (N, 4H), chunks in torch's
    order i, f, g, o, and the cell state `c` (N, H); both results (N, H)."""
    return LSTMGates.apply(gates, c)


def gru_gates(x_proj: Tensor, h_proj: Tensor, h: Tensor) -> Tensor:
    """h' (N, H) of one GRU step from x W_ih^T + b_ih and h W_hh^T + b_hh (both (N, 3H), chunks in
    torch's order r, z, n) and the hidden state `h` (N, H)."""
    return GRUGates.apply(x_proj, h_proj, h)
