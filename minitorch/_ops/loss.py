"""Loss functions (torch.nn.functional's mse_loss, l1_loss, huber_loss, ...) and the reductions all losses share.

The classification losses (cross_entropy, nll_loss, binary_cross_entropy, kl_div) are in
cross_entropy.py. Here: `_reduce` ('none', 'mean' or 'sum') and the legacy
size_average/reduce flags every loss accepts; the regression losses, with `MseLoss` and
`SmoothL1` fused into one node each; and the margin losses built from ops. The public
functions validate arguments like torch and name composite losses' nodes as torch prints
them; nn/functional.py re-exports them.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function, label_node
from ._common import broadcast_shape, type_name
from .activation import relu
from .arithmetic import abs as _abs
from .compare import where

# public functions, re-exported by nn.functional
__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "margin_ranking_loss", "cosine_embedding_loss"]


# ----- reduction ------------------------------------------------------------------------
def _reduce(loss: Any, reduction: str, denominator: float | None = None) -> Any:
    """Apply `reduction` ('none', 'mean' or 'sum') to per-element losses: a Tensor in a composite
    loss, or an ndarray inside a fused primitive, whose 'mean' divides by `denominator` (the
    summed weights of the counted targets)."""
    _check_reduction(reduction)
    if reduction == "none":
        return loss
    if denominator is None:
        return loss.mean() if reduction == "mean" else loss.sum()
    total = np.add.reduce(loss, axis=None, dtype=loss.dtype)
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):  # every target ignored: nan, like torch
        return total / np.asarray(denominator, dtype=loss.dtype)


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


# ----- regression losses ----------------------------------------------------------------
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


# ----- margin losses --------------------------------------------------------------------
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
