"""Loss primitives: the ones where one fused Function beats a chain of small ops.

`CrossEntropy` fuses log_softmax and the negative log-likelihood of class indices,
with class weights, ignore_index and label smoothing. It is on every classifier's
training step, so its forward and first-order backward are plain numpy; only when a
graph of the backward itself is being built (create_graph=True) does the backward
recompute the softmax with differentiable ops.

Inputs arrive with the class dimension at 1: (N, C) or (N, C, d1, d2, ...); the
targets are (N,) or (N, d1, d2, ...). The wrappers in nn/functional.py validate
arguments and handle unbatched inputs.
"""
from __future__ import annotations

import numpy as np

from .._tensor import _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from .reduction import Softmax
from .compare import where
from .math import log

__all__: list = []  # reached through minitorch.nn.functional


def _class_weights(logp: np.ndarray, target: np.ndarray, weight: np.ndarray | None,
                   ignore_index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-element (target clipped to a valid index, validity mask, weight of the target class)."""
    valid = target != ignore_index
    n_classes = logp.shape[1]
    bad = valid & ((target < 0) | (target >= n_classes))
    if bad.any():
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
    safe = np.where(valid, target, 0)
    w_t = valid.astype(logp.dtype) if weight is None else weight[safe] * valid
    return safe, valid, w_t


def _reduce(loss: np.ndarray, reduction: str, denominator: float) -> np.ndarray:
    if reduction == "none":
        return loss
    total = loss.sum(dtype=loss.dtype)
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):  # every target ignored: nan, like torch
        return total / np.asarray(denominator, dtype=loss.dtype)


def _grad_scale(grad, reduction: str, denominator):
    """The upstream gradient as a factor per (N, 1, d...) element of the input."""
    if reduction == "none":
        return grad.unsqueeze(1)
    if reduction == "mean":
        # with every target ignored the loss is nan but no element contributes: gradient 0
        return grad / denominator if denominator else grad * 0
    return grad


class CrossEntropy(Function):
    """Cross entropy of logits (N, C, ...) against class indices (N, ...)."""

    node_name = "NllLossBackward0"  # torch computes it as log_softmax + nll_loss

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, label_smoothing, reduction):
        shifted = x - x.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        logp = shifted - np.log(sums)
        safe, valid, w_t = _class_weights(logp, target, weight, ignore_index)
        picked = np.take_along_axis(logp, safe[:, None], axis=1)[:, 0]
        loss = (-(1 - label_smoothing)) * w_t * picked
        n_classes = x.shape[1]
        if label_smoothing:
            wc = 1 if weight is None else weight.reshape((1, -1) + (1,) * (x.ndim - 2))
            loss = loss - (label_smoothing / n_classes) * (logp * wc).sum(axis=1) * valid
        ctx.save_for_backward(x)
        ctx.probs = exps / sums
        ctx.info = safe, valid, w_t, weight, label_smoothing, reduction
        ctx.denominator = w_t.sum()
        return np.asarray(_reduce(loss.astype(x.dtype, copy=False), reduction, ctx.denominator))

    @staticmethod
    def backward(ctx, grad):
        safe, valid, w_t, weight, eps, reduction = ctx.info
        probs = ctx.probs
        n_classes = probs.shape[1]
        # d loss / d logits = A * softmax - B, with A per row and B the (smoothed, weighted) target
        hit = (1 - eps) * w_t
        if eps:
            total_w = n_classes if weight is None else weight.sum()
            wc = 1 if weight is None else weight.reshape((1, -1) + (1,) * (probs.ndim - 2))
            a = (hit + (eps / n_classes) * total_w * valid)[:, None]
            b = ((eps / n_classes) * valid[:, None] * wc).astype(probs.dtype)
            b = np.broadcast_to(b, probs.shape).copy()
        else:
            a = hit[:, None]
            b = np.zeros_like(probs)
        np.put_along_axis(b, safe[:, None], np.take_along_axis(b, safe[:, None], axis=1) + hit[:, None], axis=1)
        scale = _grad_scale(grad, reduction, ctx.denominator)
        if grad_mode._enabled:
            x, = ctx.saved_tensors
            p = Softmax.apply(x, 1)
            return scale * (p * _wrap(a.astype(probs.dtype)) - _wrap(b)), None, None, None, None, None
        out = scale._array * (probs * a.astype(probs.dtype) - b)
        return _wrap(out.astype(probs.dtype, copy=False)), None, None, None, None, None


class NllLoss(Function):
    """Negative log-likelihood of log-probabilities (N, C, ...) at class indices (N, ...)."""

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction):
        safe, valid, w_t = _class_weights(logp, target, weight, ignore_index)
        loss = -w_t * np.take_along_axis(logp, safe[:, None], axis=1)[:, 0]
        ctx.info = safe, w_t, reduction, logp.shape, logp.dtype
        ctx.denominator = w_t.sum()
        return np.asarray(_reduce(loss.astype(logp.dtype, copy=False), reduction, ctx.denominator))

    @staticmethod
    def backward(ctx, grad):
        safe, w_t, reduction, shape, dtype = ctx.info
        onehot = np.zeros(shape, dtype=dtype)
        np.put_along_axis(onehot, safe[:, None], -w_t[:, None], axis=1)
        return _grad_scale(grad, reduction, ctx.denominator) * _wrap(onehot), None, None, None, None


class BinaryCrossEntropy(Function):
    """-(y log x + (1 - y) log(1 - x)) elementwise, each log clamped at -100 like torch."""

    @staticmethod
    def forward(ctx, x, y):
        if ((x < 0) | (x > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        return -(y * log_x + (1 - y) * log_1mx)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            denom = x * (1 - x)
            grad_x = grad * (x - y) / where(denom < 1e-12, 1e-12, denom)
        if ctx.needs_input_grad[1]:
            log_x, log_1mx = log(x), log(1 - x)
            grad_y = grad * (where(log_1mx < -100, -100.0, log_1mx) - where(log_x < -100, -100.0, log_x))
        return grad_x, grad_y


class SmoothL1(Function):
    """0.5 d^2 / beta where |d| < beta, else |d| - beta / 2 (d is input - target)."""

    @staticmethod
    def forward(ctx, d, beta):
        ctx.save_for_backward(d)
        ctx.beta = beta
        absd = np.abs(d)
        ctx.quadratic = absd < beta
        return np.where(ctx.quadratic, 0.5 * d * d / beta, absd - 0.5 * beta).astype(d.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        d, = ctx.saved_tensors
        sign = _wrap(np.sign(d._array))
        return grad * where(_wrap(ctx.quadratic), d / ctx.beta, sign), None
