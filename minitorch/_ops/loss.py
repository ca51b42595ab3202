"""Loss functions (torch.nn.functional's cross_entropy, nll_loss, mse_loss, ...).

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
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd import grad_mode
from ..autograd.function import Function, label_node
from . import reduction as _reduction
from ._common import broadcast_shape, type_name
from .activation import Softplus, check_float, relu
from .arithmetic import abs as _abs
from .compare import where
from .math import exp, log
from .reduction import Softmax

# public functions, re-exported by nn.functional
__all__ = ["nll_loss", "cross_entropy", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss",
           "cosine_embedding_loss"]


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


def _reduce(loss: Any, reduction: str, denominator: float | None = None) -> Any:
    """Apply `reduction` ('none', 'mean' or 'sum') to per-element losses: a Tensor in a composite
    loss, or an ndarray inside a fused primitive, whose 'mean' divides by `denominator` (the
    summed weights of the counted targets)."""
    _check_reduction(reduction)
    if reduction == "none":
        return loss
    if denominator is None:
        return loss.mean() if reduction == "mean" else loss.sum()
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


class MseLoss(Function):
    """(input - target)^2, reduced by 'none', 'mean' or 'sum', in one node (same shapes)."""

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        d = input - target
        if reduction == "mean" and d.size == 0:
            return np.array(np.nan, dtype=d.dtype)  # torch's mean of nothing, without numpy's warning
        return _reduce(d * d, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        scale = 2.0 / input.numel() if ctx.reduction == "mean" and input.numel() else 2.0
        grad_d = grad * (input - target) * scale
        return (grad_d if ctx.needs_input_grad[0] else None,
                -grad_d if ctx.needs_input_grad[1] else None, None)


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


# ----- reduction ------------------------------------------------------------------------
def _reduction_from_legacy(size_average: Any, reduce: Any, reduction: str) -> str:
    """Map the deprecated size_average/reduce flags to a reduction string."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                  f"{_legacy(size_average, reduce)}' instead.", UserWarning, stacklevel=3)
    return _legacy(size_average, reduce)


def _legacy(size_average: Any, reduce: Any) -> str:
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def _check_reduction(reduction: str) -> None:
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


# ----- losses -------------------------------------------------------------------------
def _check_class_target(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """Validate (N, C, d...) or (C,) input against class indices (N, d...) or (), in torch's order and words."""
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    target_batch = target.shape[0] if target.ndim else 0
    if input.ndim != 1 and input.shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target_batch}).")
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {type_name(target.dtype)}")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.ndim != 1 and target.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2:
        expected = (input.shape[0],) + tuple(input.shape[2:])
        if tuple(target.shape) != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    n_classes = input.shape[1] if input.ndim >= 2 else input.shape[0]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    if not input.dtype.is_floating_point:
        kernel = "nll_loss_out_frame" if input.ndim <= 2 else "nll_loss2d_forward_out_frame"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(input.dtype)}'")
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {type_name(input.dtype)} but found {type_name(weight.dtype)}")


def _class_loss(primitive: Any, input: Tensor, target: Tensor, weight: Tensor | None,
                reduction: str, *args: Any) -> Tensor:
    """Run a class-index loss primitive, adding a batch dim for unbatched (C,) input."""
    unbatched = input.ndim == 1
    if unbatched:  # its target is () or (1,)
        input, target = input.unsqueeze(0), target.reshape(())
    w = None if weight is None else weight._array.astype(input._array.dtype, copy=False)
    loss = primitive.apply(input, target._array.reshape(input.shape[:1] + input.shape[2:]).astype(np.int64),
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
    if target.shape == input.shape:  # class probabilities
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


def _promoted_pair(input: Tensor, target: Tensor, kernel: str) -> tuple[Tensor, Tensor]:
    """input and target in their promoted dtype (by dtype alone, whatever their dims), which must be a float."""
    broadcast_shape(tuple(input.shape), tuple(target.shape))
    promoted = _dtype.promote_types(input.dtype, target.dtype)
    if not promoted.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(promoted)}'")
    return input.to(promoted), target.to(promoted)


def _warn_broadcast(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
                      "Please ensure they have the same size.", UserWarning, stacklevel=3)


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """(input - target) ** 2, reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _warn_broadcast(input, target)
    input, target = _promoted_pair(input, target, "mse_cpu")
    if weight is not None:  # torch composes the weighted loss from elementwise ops too
        d = input - target
        return _reduce(d * d * weight, reduction)
    _check_reduction(reduction)
    shape = broadcast_shape(tuple(input.shape), tuple(target.shape))
    # like torch, only an operand of another shape gets an expand node
    input, target = (t if tuple(t.shape) == shape else t.expand(shape) for t in (input, target))
    return MseLoss.apply(input, target, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """|input - target|, reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _warn_broadcast(input, target)
    promoted = _dtype.promote_types(input.dtype, target.dtype)
    if promoted.is_floating_point and _dtype.bool not in (input.dtype, target.dtype):
        input, target = input.to(promoted), target.to(promoted)  # by dtype alone, whatever the dims
    loss = _abs(input - target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - beta / 2 (d = input - target), reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _warn_broadcast(input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    input, target = _promoted_pair(input, target, "smooth_l1_cpu")
    d = input - target
    return label_node(_reduce(_abs(d) if beta == 0 else SmoothL1.apply(d, beta), reduction), "SmoothL1LossBackward0")


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta * (|d| - delta / 2), reduced."""
    _warn_broadcast(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    broadcast_shape(tuple(input.shape), tuple(target.shape))
    promoted = _dtype.promote_types(input.dtype, target.dtype)
    if not _dtype.can_cast(promoted, input.dtype):  # torch writes the loss into a tensor of input's dtype
        raise RuntimeError(f"result type {type_name(promoted)} can't be cast to the desired output type "
                           f"{type_name(input.dtype)}")
    if not promoted.is_floating_point:
        raise NotImplementedError(f"\"huber_cpu\" not implemented for '{type_name(promoted)}'")
    target = target.to(input.dtype)
    loss = SmoothL1.apply(input - target, delta) * delta
    if weight is not None:
        loss = loss * weight
    return label_node(_reduce(loss, reduction), "HuberLossBackward0")


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


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """max(0, -target * (input1 - input2) + margin), reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got "
                           f"sizes: input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    return _reduce(relu(-target * (input1 - input2) + margin), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where target is -1."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    dim = 1 if input1.ndim == 2 else 0
    eps = 1e-12
    dot = (input1 * input2).sum(dim)
    cos = dot / (((input1 * input1).sum(dim) + eps) * ((input2 * input2).sum(dim) + eps)) ** 0.5
    loss = where(target == 1, 1 - cos, 0.0) + where(target == -1, relu(cos - margin), 0.0)
    return _reduce(loss, reduction)
