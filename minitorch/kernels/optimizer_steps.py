"""Adam's and SGD-with-momentum's updates in one pass over each parameter: numpy needs
about ten passes (Adam) or three (SGD), and as many temporary arrays, for the same
arithmetic, which on the examples CNN's 1.2M-weight layer cost ~2.5 ms a step (Adam).

Each kernel repeats numpy's operations in numpy's order and in the parameter's dtype (the
scalars are cast to it by the wrapper, and no fast-math flag lets LLVM contract or reorder
anything), so it gives the same bits as the numpy formula in optim/adam.py or optim/sgd.py,
which remains the route for other layouts and dtypes (float16, non-contiguous arrays).

Bounds: the loop index i runs over range(xs.size) of one block's slices, which numpy
slicing cuts at the array's end, and the wrapper hands flat views of arrays that all have
the parameter's size (v_max too when amsgrad; otherwise it is never read).
The SGD kernel likewise.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .parallel import twins

_BLOCK = 1 << 14


# error_model="numpy": with eps = 0 a zero second moment divides by zero, giving inf or nan as numpy does.
@twins(cache=True, error_model="numpy")
def _adam_kernel(param, grad, m, v, v_max, amsgrad, one_minus_beta1, beta2, one_minus_beta2, bias_correction2_sqrt,
                 eps, step_size):
    for block in prange((param.size + _BLOCK - 1) // _BLOCK):
        start = block * _BLOCK
        ps, gs = param[start:start + _BLOCK], grad[start:start + _BLOCK]
        ms, vs = m[start:start + _BLOCK], v[start:start + _BLOCK]
        for i in range(ps.size):
            g = gs[i]
            mi = ms[i] + one_minus_beta1 * (g - ms[i])
            vi = vs[i] * beta2 + one_minus_beta2 * g * g
            ms[i] = mi
            vs[i] = vi
            if amsgrad:
                vi = np.maximum(v_max[start + i], vi)
                v_max[start + i] = vi
            param_step = step_size * mi / (np.sqrt(vi) / bias_correction2_sqrt + eps)
            ps[i] = ps[i] - param_step


@twins(cache=True)
def _sgd_momentum_kernel(param, d, buf, first, momentum, one_minus_dampening, nesterov, lr):
    for block in prange((param.size + _BLOCK - 1) // _BLOCK):
        start = block * _BLOCK
        ps, ds, bs = param[start:start + _BLOCK], d[start:start + _BLOCK], buf[start:start + _BLOCK]
        for i in range(ps.size):
            di = ds[i]
            b = di if first else bs[i] * momentum + one_minus_dampening * di
            bs[i] = b
            step = di + momentum * b if nesterov else b
            ps[i] = ps[i] - lr * step


def takes(*arrays: np.ndarray) -> bool:
    """Whether the compiled step takes these arrays: C-contiguous, one float32/float64 dtype."""
    first = arrays[0].dtype
    return first in (np.float32, np.float64) and all(a.flags.c_contiguous and a.dtype == first for a in arrays)


def adam_step(param: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, v_max: np.ndarray | None,
              beta1: float, beta2: float, eps: float, step_size: float, bias_correction2_sqrt: float) -> None:
    """In place: m <- m + (1 - beta1)(g - m), v <- beta2 v + (1 - beta2) g^2 (v_max <- max(v_max, v)
    with amsgrad), param <- param - step_size * m / (sqrt(v) / bias_correction2_sqrt + eps).
    All arrays have param's shape and dtype (see `takes`)."""
    if not all(a.shape == param.shape for a in (grad, m, v) + (() if v_max is None else (v_max,))):
        raise ValueError(f"adam_step: every array must have the parameter's shape {param.shape}")
    cast = param.dtype.type
    flat = param.reshape(-1)
    _adam_kernel(param.size, flat, grad.reshape(-1), m.reshape(-1), v.reshape(-1),
                 flat[:0] if v_max is None else v_max.reshape(-1), v_max is not None, cast(1 - beta1), cast(beta2),
                 cast(1 - beta2), cast(bias_correction2_sqrt), cast(eps), cast(step_size))


def sgd_momentum_step(param: np.ndarray, d: np.ndarray, buf: np.ndarray, first: bool, momentum: float,
                      dampening: float, nesterov: bool, lr: float) -> None:
    """In place: buf <- d on the first step, else momentum * buf + (1 - dampening) * d; then
    param <- param - lr * (d + momentum * buf if nesterov else buf). d is the gradient (with
    weight decay); all arrays have param's shape and dtype (see `takes`)."""
    if d.shape != param.shape or buf.shape != param.shape:
        raise ValueError(f"sgd_momentum_step: every array must have the parameter's shape {param.shape}")
    cast = param.dtype.type
    _sgd_momentum_kernel(param.size, param.reshape(-1), d.reshape(-1), buf.reshape(-1), first, cast(momentum),
                         cast(1 - dampening), nesterov, cast(lr))
