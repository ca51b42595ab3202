"""The elementwise half of an LSTM time step as one differentiable op.

Written with ordinary ops, an LSTM step is about ten recorded nodes (a chunk, three sigmoids,
two tanhs, three products and a sum), and a sequence repeats them at every step: for the
small hidden sizes of tutorials the per-node bookkeeping, not the arithmetic, is the cost.
`LSTMGates` computes the same step as one node and differentiates it by hand:

    i, f, g, o = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)      (the four chunks of `gates`)
    c' = f * c + i * g
    h' = o * tanh(c')

    dc' = grad_c' + grad_h' * o * (1 - tanh(c')^2)
    d(pre-activations of) i, f, g, o = dc' g i (1-i),  dc' c f (1-f),  dc' i (1-g^2),  grad_h' tanh(c') o (1-o)
    dc  = dc' * f

The formulas are written once for anything with * and + (`_activations`, `_gradients`): on numpy
arrays for an ordinary backward, on tensors when the backward itself is being recorded
(create_graph=True), so the step can be differentiated twice, as torch's LSTM layer can.
`nn.LSTMCell` keeps the op-by-op form, whose graph torch shows node by node.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from .join import cat
from .math import _sigmoid

__all__ = ["lstm_gates"]


def _activations(gates: Any, c: Any, split: Callable, sigmoid: Callable, tanh: Callable) -> tuple:
    """(i, f, g, o, c', tanh(c')) of one step, for arrays or tensors."""
    i, f, g, o = split(gates)
    i, f, g, o = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)
    c_next = f * c + i * g
    return i, f, g, o, c_next, tanh(c_next)


def _gradients(activations: tuple, c: Any, grad_h: Any, grad_c: Any, concat: Callable) -> tuple:
    """(d gates, d c) from the gradients of h' and c' (the module docstring's formulas)."""
    i, f, g, o, _, tanh_c = activations
    dc = grad_c + grad_h * o * (1 - tanh_c * tanh_c)
    return concat([dc * g * i * (1 - i), dc * c * f * (1 - f), dc * i * (1 - g * g),
                   grad_h * tanh_c * o * (1 - o)]), dc * f


_NUMPY = dict(split=lambda a: np.split(a, 4, axis=-1), sigmoid=_sigmoid, tanh=np.tanh)
_TENSOR = dict(split=lambda t: t.chunk(4, -1), sigmoid=Tensor.sigmoid, tanh=Tensor.tanh)


class LSTMGates(Function):
    @staticmethod
    def forward(ctx, gates, c):
        ctx.save_for_backward(gates, c)
        ctx.activations = _activations(gates, c, **_NUMPY)
        i, f, g, o, c_next, tanh_c = ctx.activations
        return o * tanh_c, c_next

    @staticmethod
    def backward(ctx, grad_h, grad_c):
        if grad_mode.is_grad_enabled():  # create_graph=True: the same formulas, recorded
            gates, c = ctx.saved_tensors
            return _gradients(_activations(gates, c, **_TENSOR), c, grad_h, grad_c, lambda ts: cat(ts, -1))
        c = ctx.saved_tensors[1]._array
        d_gates, d_c = _gradients(ctx.activations, c, grad_h._array, grad_c._array,
                                  lambda arrays: np.concatenate(arrays, axis=-1))
        return _wrap(d_gates), _wrap(d_c)


def lstm_gates(gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    """(h', c') of one LSTM step from the gate pre-activations `gates` (N, 4H), chunks in torch's
    order i, f, g, o, and the cell state `c` (N, H); both results (N, H)."""
    return LSTMGates.apply(gates, c)
