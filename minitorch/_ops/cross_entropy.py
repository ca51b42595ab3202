"""The cross-entropy family: cross_entropy, nll_loss, binary_cross_entropy(_with_logits), kl_div.

The primitives come first: the losses where one fused Function beats a chain of small ops.

`CrossEntropy` fuses log_softmax and the negative log-likelihood of class indices,
with class weights, ignore_index and label smoothing. It is on every classifier's
training step, so its forward and first-order backward are plain numpy; only when a
graph of the backward itself is being built (create_graph=True) does the backward
recompute the softmax with differentiable ops.

Inputs arrive with the class dimension at 1: (N, C) or (N, C, d1, d2, ...); the
targets are (N,) or (N, d1, d2, ...). The public functions below validate arguments
like torch, handle unbatched inputs and the legacy size_average/reduce flags, and name
composite losses' nodes as torch prints them; nn/functional.py re-exports them.
Reductions and the legacy flags come from loss.py.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..kernels import softmax as softmax_kernels
from ..autograd import grad_mode
from ..autograd.function import Function, label_node
from . import reduction as _reduction
from ._common import type_name
from .activation import Softplus, check_float
from .compare import where
from .loss import _check_reduction, _reduce, _reduction_from_legacy
from .math import exp, log
from .reduction import Softmax

__all__ = ["nll_loss", "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "kl_div"]


def _class_weights(logp: np.ndarray, target: np.ndarray, weight: np.ndarray | None,
                   ignore_index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-element (target clipped to a valid index, validity mask, weight of the target class)."""
    n_classes = logp.shape[1]
    # Viewed as unsigned, a negative index is huge: one comparison finds the targets outside
    # [0, C), bad ones and the default ignore_index (-100) alike.
    outside = target.view(np.uint64) >= n_classes
    if outside.any() or 0 <= ignore_index < n_classes:  # some targets may be ignored, or bad
        valid = target != ignore_index
        bad = valid & outside
        if bad.any():
            raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
        safe = np.where(valid, target, 0)
    else:  # every target is a class index
        valid, safe = np.ones(target.shape, np.bool_), target
    w_t = valid.astype(logp.dtype) if weight is None else weight[safe] * valid
    return safe, valid, w_t


def _pick(a: np.ndarray, index: np.ndarray) -> np.ndarray:
    """a[n, index[n, ...], ...]: the entry of dim 1 that `index` (N, ...) names, for each position."""
    if a.ndim == 2:  # numpy's fancy indexing is much cheaper than take_along_axis on small arrays
        return a[np.arange(a.shape[0]), index]
    return np.take_along_axis(a, index[:, None], axis=1)[:, 0]


def _subtract_at_picks(a: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """a[n, index[n, ...], ...] -= values[n, ...] in place (each position names one entry)."""
    if a.ndim == 2:
        a[np.arange(a.shape[0]), index] -= values
    else:
        np.put_along_axis(a, index[:, None], _pick(a, index)[:, None] - values[:, None], axis=1)


def _max_over_classes(x: np.ndarray) -> np.ndarray:
    """x's maximum over dim 1, kept as a dim of size 1 (nan where a row holds nan)."""
    if x.ndim == 2 and x.shape[1]:
        # numpy reduces short rows slowly (4 us for 64 rows of 10); argmax, which stops at the
        # first nan as max would return it, does not
        return _pick(x, x.argmax(axis=1))[:, None]
    return x.max(axis=1, keepdims=True)


def _grad_scale(grad, reduction: str, denominator):
    """The upstream gradient as a factor per (N, 1, d...) element of the input: a Tensor, or
    (when backward records no graph) its array, which skips the ops' dispatch."""
    if reduction == "none":
        return grad[:, None]
    if reduction == "mean":
        # with every target ignored the loss is nan but no element contributes: gradient 0
        return grad / denominator if denominator else grad * 0
    return grad


class CrossEntropy(Function):
    """Cross entropy of logits (N, C, ...) against class indices (N, ...)."""

    node_name = "NllLossBackward0"  # torch computes it as log_softmax + nll_loss

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, label_smoothing, reduction):
        if (x.ndim == 2 and x.size and weight is None and not label_smoothing and reduction != "none"
                and x.dtype in (np.float32, np.float64) and target.dtype == np.int64
                and not 0 <= ignore_index < x.shape[1]):
            # a classifier's usual loss: softmax and loss in one compiled pass, unless a target is
            # out of range (then the general path below ignores it or raises)
            fused = softmax_kernels.cross_entropy_rows(np.ascontiguousarray(x), np.ascontiguousarray(target))
            if fused is not None:
                ctx.save_for_backward(x)
                ctx.probs, total = fused
                rows = x.shape[0]
                ctx.info = target, np.ones(rows, np.bool_), np.ones(rows, x.dtype), None, 0.0, reduction
                ctx.denominator = x.dtype.type(rows)
                ctx.fused_target = target
                return np.asarray(total / ctx.denominator if reduction == "mean" else total, x.dtype)
        ctx.fused_target = None
        shifted = x - _max_over_classes(x)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        log_sums = np.log(sums)
        safe, valid, w_t = _class_weights(x, target, weight, ignore_index)
        picked = _pick(shifted, safe) - log_sums[:, 0]  # log-probability of each target class
        loss = (-(1 - label_smoothing)) * w_t * picked
        n_classes = x.shape[1]
        if label_smoothing:
            wc = 1 if weight is None else weight.reshape((1, -1) + (1,) * (x.ndim - 2))
            loss = loss - (label_smoothing / n_classes) * ((shifted - log_sums) * wc).sum(axis=1) * valid
        ctx.save_for_backward(x)
        ctx.probs = exps / sums
        ctx.info = safe, valid, w_t, weight, label_smoothing, reduction
        ctx.denominator = w_t.sum()
        return np.asarray(_reduce(loss.astype(x.dtype, copy=False), reduction, ctx.denominator))

    @staticmethod
    def backward(ctx, grad):
        safe, valid, w_t, weight, eps, reduction = ctx.info
        probs = ctx.probs
        if ctx.fused_target is not None and not grad_mode._state.enabled:
            # the forward's one-pass case: scale * (softmax - one-hot) in one pass too
            scale = _grad_scale(grad._array, reduction, ctx.denominator)
            return (_wrap(softmax_kernels.cross_entropy_rows_backward(probs, ctx.fused_target, scale)),
                    None, None, None, None, None)
        n_classes = probs.shape[1]
        # d loss / d logits = A * softmax - B, with A per position and B the (smoothed, weighted)
        # target: eps / C * weight of each class where valid, plus (1 - eps) * w_t at the target class
        hit = (1 - eps) * w_t
        if eps:
            total_w = n_classes if weight is None else weight.sum()
            wc = 1 if weight is None else weight.reshape((1, -1) + (1,) * (probs.ndim - 2))
            a = (hit + (eps / n_classes) * total_w * valid)[:, None]
            spread = ((eps / n_classes) * valid[:, None] * wc).astype(probs.dtype)
        else:
            a = hit[:, None]
            spread = None
        if grad_mode._state.enabled:
            x, = ctx.saved_tensors
            target_term = np.zeros_like(probs) if spread is None else np.broadcast_to(spread, probs.shape).copy()
            _subtract_at_picks(target_term, safe, -hit.astype(probs.dtype))
            p = Softmax.apply(x, 1)
            scale = _grad_scale(grad, reduction, ctx.denominator)
            return scale * (p * _wrap(a.astype(probs.dtype)) - _wrap(target_term)), None, None, None, None, None
        out = probs * a.astype(probs.dtype)
        if spread is not None:
            out -= spread
        _subtract_at_picks(out, safe, hit.astype(probs.dtype))
        out = _grad_scale(grad._array, reduction, ctx.denominator) * out
        return _wrap(out.astype(probs.dtype, copy=False)), None, None, None, None, None


class NllLoss(Function):
    """Negative log-likelihood of log-probabilities (N, C, ...) at class indices (N, ...)."""

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction):
        safe, valid, w_t = _class_weights(logp, target, weight, ignore_index)
        loss = -w_t * _pick(logp, safe)
        ctx.info = safe, w_t, reduction, logp.shape, logp.dtype
        ctx.denominator = w_t.sum()
        return np.asarray(_reduce(loss.astype(logp.dtype, copy=False), reduction, ctx.denominator))

    @staticmethod
    def backward(ctx, grad):
        safe, w_t, reduction, shape, dtype = ctx.info
        onehot = np.zeros(shape, dtype=dtype)
        if grad_mode.is_grad_enabled():  # create_graph=True: the upstream gradient's factor recorded
            _subtract_at_picks(onehot, safe, w_t)
            return _grad_scale(grad, reduction, ctx.denominator) * _wrap(onehot), None, None, None, None
        # the factor put in place at the picks only (a language model's (700, 4850) gradient is
        # 13.6 MB, and multiplying all of it by the factor cost as much as the loss itself)
        scale = _grad_scale(grad._array, reduction, ctx.denominator)
        _subtract_at_picks(onehot, safe, (w_t * (scale[:, 0] if reduction == "none" else scale)).astype(dtype))
        return _wrap(onehot), None, None, None, None


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


# ----- losses -------------------------------------------------------------------------
def _check_class_target(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """Validate (N, C, d...) or (C,) input against class indices (N, d...) or (), in torch's order and words."""
    shape, target_shape = input._array.shape, target._array.shape  # tuples: cheaper than Size
    ndim, target_ndim = len(shape), len(target_shape)
    if ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    target_batch = target_shape[0] if target_ndim else 0
    if ndim != 1 and shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target batch_size ({target_batch}).")
    if target._array.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {type_name(target.dtype)}")
    if ndim == 1 and target_ndim == 1 and target_shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target_shape[0]}")
    if ndim != 1 and target_ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if ndim <= 2 and target_ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim > 2:
        expected = (shape[0],) + shape[2:]
        if target_shape != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target_shape)}")
    n_classes = shape[1] if ndim >= 2 else shape[0]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    if input._array.dtype.kind != "f":
        kernel = "nll_loss_out_frame" if ndim <= 2 else "nll_loss2d_forward_out_frame"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(input.dtype)}'")
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {type_name(input.dtype)} but found {type_name(weight.dtype)}")


def _class_loss(primitive: Any, input: Tensor, target: Tensor, weight: Tensor | None,
                reduction: str, *args: Any) -> Tensor:
    """Run a class-index loss primitive, adding a batch dim for unbatched (C,) input."""
    unbatched = input._array.ndim == 1
    if unbatched:  # its target is () or (1,)
        input, target = input.unsqueeze(0), target.reshape(())
    w = None if weight is None else weight._array.astype(input._array.dtype, copy=False)
    shape = input._array.shape
    loss = primitive.apply(input, target._array.reshape(shape[:1] + shape[2:]).astype(np.int64),
                           w, *args, reduction)
    return loss.squeeze(0) if unbatched and reduction == "none" else loss


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood: -weight[t] * input[n, t] for log-probabilities (N, C, d...) and
    class indices (N, d...); 'mean' divides by the summed weights of non-ignored targets."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _check_reduction(reduction)
    _check_class_target(input, target, weight)
    return _class_loss(NllLoss, input, target, weight, reduction, ignore_index)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy of logits (N, C, d...) against class indices (N, d...) or class
    probabilities (same shape as input), with class weights and label smoothing."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if target._array.shape == input._array.shape:  # class probabilities
        if not target.dtype.is_floating_point:
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{type_name(target.dtype)}")
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing)
    # torch takes log_softmax over the class dim first, so its errors come first
    class_dim = wrap_dim(1 if input.ndim != 1 else 0, input.ndim)
    if input.numel():
        kernel = "lastdim_kernel_impl" if class_dim == input.ndim - 1 else "kernel_impl"
        check_float(f"log_softmax_{kernel}", input)
    _check_class_target(input, target, weight)
    return _class_loss(CrossEntropy, input, target, weight, reduction, ignore_index, label_smoothing)


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                         label_smoothing: float) -> Tensor:
    class_dim = wrap_dim(1 if input.ndim != 1 else 0, input.ndim)  # a 0-d input has no dim 1: IndexError
    n_classes = input.shape[class_dim]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = _reduction.log_softmax(input, class_dim) * target
    if weight is not None:
        terms = terms * weight.reshape((n_classes,) + (1,) * (input.ndim - class_dim - 1))
    loss = -terms.sum(class_dim)
    if reduction == "mean":
        return loss.sum() / (input.numel() // n_classes) if input.numel() else loss.sum() / 0.0
    return _reduce(loss, reduction)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p, logs clamped at -100, reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {type_name(target.dtype)} but expected {type_name(input.dtype)}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for '{type_name(input.dtype)}'")
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return label_node(_reduce(loss, reduction), "BinaryCrossEntropyBackward0")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed stably from logits;
    pos_weight scales the positive term per class."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{type_name(input.dtype)}'")
    if target.dtype is _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if not target.dtype.is_floating_point:  # torch computes the loss in place in target's dtype
        raise RuntimeError(f"result type {type_name(input.dtype)} can't be cast to the desired output type "
                           f"{type_name(target.dtype)}")
    input = input.to(target.dtype)  # ... so the result has target's float dtype
    # -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = x + softplus(-x)
    log_one_plus = Softplus.apply(-input, 1.0, math.inf)
    if pos_weight is not None:
        log_one_plus = log_one_plus * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input + log_one_plus
    if weight is not None:
        loss = loss * weight
    return label_node(_reduce(loss, reduction), "BinaryCrossEntropyWithLogitsBackward0")


class SelfInformation(Function):
    """t * log(t), taken as 0 at t = 0 (torch's xlogy(t, t)); NaN for t < 0.

    Its derivative log(t) + 1 is NaN at t = 0 as in torch (xlogy's gradient there is 0/0)."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t == 0, np.zeros((), t.dtype), t * np.log(t))

    @staticmethod
    def backward(ctx, grad):
        t, = ctx.saved_tensors
        return grad * where(t == 0, math.nan, log(t) + 1)


def kl_div(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """target * (log(target) - input) for log-probabilities `input` (target in log space if log_target)."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support "
                      "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                      "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
                      "major release.", UserWarning, stacklevel=2)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        loss = SelfInformation.apply(target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)
