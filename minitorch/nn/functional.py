"""Functions behind the nn layers (torch.nn.functional): activations, losses, linear maps.

Primitives live in `minitorch/_ops/` (activation.py, loss.py, layers.py); this module
validates arguments like torch, picks a primitive or composes existing ops, and applies
the reduction. Other op families re-export their functional forms at the end.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import label_node
from .._ops import activation as _act
from .._ops import layers as _layers
from .._ops import loss as _loss
from .._ops import reduction as _reduction
from .._ops._common import type_name
from .._ops.arithmetic import abs as _abs
from .._ops.compare import where
from .._ops.inplace import inplace_update
from .._ops.math import exp, log, sigmoid, tanh
from .._ops.math import relu as _relu_op
from ..random import rng as _rng



# ----- helpers ------------------------------------------------------------------------
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


def _reduce(loss: Tensor, reduction: str, node_name: str | None = None) -> Tensor:
    """Apply `reduction`; name the result's node after the loss, as torch prints it."""
    _check_reduction(reduction)
    loss = loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
    return label_node(loss, node_name) if node_name else loss


def _maybe_inplace(input: Tensor, result: Tensor, inplace: bool) -> Tensor:
    return inplace_update(input, result) if inplace else result


def _source(input: Tensor, inplace: bool) -> Tensor:
    """The tensor a composite in-place op computes from: a copy, since the ops it is made of
    save their inputs for backward and the in-place write would invalidate them."""
    return input.clone() if inplace and input.requires_grad else input


# ----- linear layers --------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """input @ weight.T + bias: (*, in) x (out, in) -> (*, out)."""
    if input.ndim == 0 or input.shape[-1] != weight.shape[-1] or weight.ndim != 2:
        rows = math.prod(input.shape[:-1]) if input.ndim else 1
        cols = input.shape[-1] if input.ndim else 1
        w = weight.shape
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                           f"{w[-1] if weight.ndim else 1}x{w[0] if weight.ndim == 2 else 1})")
    if input._array.dtype != weight._array.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{type_name(input.dtype)} and {type_name(weight.dtype)}")
    return _layers.Linear.apply(input, weight, bias)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1 @ weight[k] @ x2 + bias[k]: (*, in1), (*, in2), (out, in1, in2) -> (*, out)."""
    out, in1, in2 = weight.shape
    if input1.shape[-1] != in1 or input2.shape[-1] != in2:
        raise RuntimeError(f"bilinear(): input sizes {list(input1.shape)} and {list(input2.shape)} do not "
                           f"match the weight's feature sizes ({in1}, {in2})")
    batch = input1.shape[:-1]
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    # (B, in1) @ (in1, out * in2) -> (B, out, in2), then contract in2 against x2.
    mixed = (x1 @ weight.permute(1, 0, 2).reshape(in1, out * in2)).reshape(-1, out, in2)
    y = (mixed * x2.unsqueeze(1)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(tuple(batch) + (out,))


# ----- dropout ------------------------------------------------------------------------
def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple, p: float, dtype: np.dtype) -> np.ndarray:
    return (_rng(None).random(shape) >= p).astype(dtype)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training only)."""
    _check_p(p)
    if not training or p == 0:
        return input
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = _keep_mask(input._array.shape, p, input._array.dtype) * input._array.dtype.type(scale)
    return _maybe_inplace(input, input * _wrap(mask), inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_ndim: int) -> Tensor:
    # One draw per (sample, channel): whole feature maps are zeroed together.
    _check_p(p)
    if not training or p == 0:
        return input
    batched = input.ndim == batched_ndim
    shape = input.shape[:2] if batched else input.shape[:1]
    mask_shape = tuple(shape) + (1,) * (input.ndim - len(shape))
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = _keep_mask(mask_shape, p, input._array.dtype) * input._array.dtype.type(scale)
    return _maybe_inplace(input, input * _wrap(mask), inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout for (N, C, L) or (C, L) inputs."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. "
                           "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
                           "spatial dimension, a channel dimension, and an optional batch dimension (i.e. "
                           "2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout for (N, C, H, W) or (C, H, W) inputs."""
    return _feature_dropout(input, p, training, inplace, 4)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout for (N, C, D, H, W) or (C, D, H, W) inputs."""
    return _feature_dropout(input, p, training, inplace, 5)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped units take SELU's negative saturation value and an
    affine correction keeps mean 0 and variance 1."""
    _check_p(p)
    if not training or p == 0:
        return input
    if p == 1:
        return _maybe_inplace(input, input * 0.0, inplace)
    saturation = -_SELU_ALPHA * _SELU_SCALE
    a = ((1 - p) * (1 + p * saturation ** 2)) ** -0.5
    b = -a * saturation * p
    keep = _keep_mask(input._array.shape, p, input._array.dtype)
    offset = (a * saturation * (1 - keep) + b).astype(input._array.dtype)
    return _maybe_inplace(input, input * _wrap(keep * input._array.dtype.type(a)) + _wrap(offset), inplace)


# ----- embeddings ---------------------------------------------------------------------
def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape tensor.shape + (num_classes,) with a 1 at each index."""
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._array
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    elif idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return _wrap(out)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of weight (V, D) at the integer indices `input` -> input.shape + (D,)."""
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got {type_name(input.dtype)} instead (while checking "
                           "arguments for embedding)")
    num = weight.shape[0]
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % num
    idx = input._array
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, np.unique(idx), max_norm, norm_type)
    return _layers.Embedding.apply(weight, idx, padding_idx, scale_grad_by_freq)


def _renorm_rows(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    # Rescale in place (no autograd) the looked-up rows whose norm exceeds max_norm, like torch.
    w = weight._array
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)
    weight._bump_version()


# ----- activations --------------------------------------------------------------------
def _elementwise(name: str, primitive: Any, input: Tensor, *args: Any) -> Tensor:
    _act.check_float(name, input)
    return primitive.apply(input, *args)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """input where input > threshold, else value."""
    return _maybe_inplace(input, _act.Threshold.apply(input, threshold, value), inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place threshold."""
    return inplace_update(input, _act.Threshold.apply(input, threshold, value))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0)."""
    return relu_(input) if inplace else _relu_op(input)


def relu_(input: Tensor) -> Tensor:
    """In-place relu."""
    return inplace_update(input, _relu_op(input))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """input clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _maybe_inplace(input, _act.Hardtanh.apply(input, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place hardtanh."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(input, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """input where positive, negative_slope * input elsewhere."""
    return _maybe_inplace(input, _elementwise("leaky_relu_cpu", _act.LeakyRelu, input, negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place leaky_relu."""
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """leaky_relu with a learnable slope per channel (dim 1), or one shared slope."""
    if weight.numel() != 1:
        channels = input.shape[1] if input.ndim >= 2 else 1
        if input.ndim == 0 or weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter "
                               f"numbers = {weight.numel()} and channel size = {channels}.")
        weight = weight.reshape((channels,) + (1,) * (input.ndim - 2))
    return where(input > 0, input, weight * input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """input where positive, alpha * (exp(input) - 1) elsewhere."""
    return _maybe_inplace(input, _elementwise("elu_cpu", _act.Elu, input, alpha, 1.0, 1.0), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place elu."""
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(input, alpha) with the self-normalising constants."""
    return _maybe_inplace(input, _elementwise("elu_cpu", _act.Elu, input, _SELU_ALPHA, _SELU_SCALE, 1.0),
                          inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    return _maybe_inplace(input, _elementwise("elu_cpu", _act.Elu, input, alpha, 1.0, 1.0 / alpha), inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (exact), or its tanh approximation with approximate='tanh'."""
    if approximate == "none":
        return _elementwise("GeluKernelImpl", _act.Gelu, input)
    if approximate != "tanh":
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    _act.check_float("GeluKernelImpl", input)
    inner = (input + input * input * input * 0.044715) * math.sqrt(2 / math.pi)
    return input * 0.5 * (tanh(inner) + 1)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)."""
    _act.check_float("silu_cpu", input)
    x = _source(input, inplace)
    return _maybe_inplace(input, x * sigmoid(x), inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta; linear where beta * x > threshold."""
    return _elementwise("softplus_cpu", _act.Softplus, input, beta, threshold)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    _act.check_float("mish_cpu", input)
    x = _source(input, inplace)
    return _maybe_inplace(input, x * tanh(_act.Softplus.apply(x, 1.0, 20.0)), inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), without overflow."""
    return _elementwise("log_sigmoid_cpu", _act.LogSigmoid, input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """clamp(x / 6 + 1/2, 0, 1)."""
    return _maybe_inplace(input, _elementwise("hardsigmoid_cpu", _act.Hardsigmoid, input), inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * hardsigmoid(x)."""
    return _maybe_inplace(input, _elementwise("hardswish_cpu", _act.Hardswish, _source(input, inplace)), inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (_abs(input) + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - tanh(input)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return where((input > lambd) | (input < -lambd), input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return where(input > lambd, input - lambd, where(input < -lambd, input + lambd, 0.0))


def _softmax_input(name: str, input: Tensor, dim: int | None, dtype: Any, stacklevel: int) -> tuple:
    if dim is None:
        dim = _act.softmax_dim(name, input.ndim, stacklevel + 1)
    if dtype is not None:
        input = input.to(dtype)
    _act.check_float("softmax_lastdim_kernel_impl", input)
    return input, input._wrap_dim(dim) if input.ndim else 0


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / exp(x).sum(dim), computed stably."""
    input, dim = _softmax_input("softmax", input, dim, dtype, _stacklevel)
    return _reduction.softmax(input, dim)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x)."""
    input, dim = _softmax_input("softmin", input, dim, dtype, _stacklevel)
    return _reduction.softmax(-input, dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x - logsumexp(x, dim), computed stably."""
    input, dim = _softmax_input("log_softmax", input, dim, dtype, _stacklevel)
    return _reduction.log_softmax(input, dim)


# ----- distances ----------------------------------------------------------------------
def _norm(x: Tensor, p: float, dim: int, keepdim: bool) -> Tensor:
    return _layers.VectorNorm.apply(x, float(p), (x._wrap_dim(dim),), keepdim)


def _clamp_min(x: Tensor, low: float) -> Tensor:
    return where(x < low, low, x)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    """input / max(||input||_p over dim, eps)."""
    return input / _clamp_min(_norm(input, p, dim, True), eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 * x2, dim) / (max(||x1||, eps) * max(||x2||, eps)), broadcasting x1 and x2."""
    n1 = _clamp_min(_norm(x1, 2, dim, True), eps)
    n2 = _clamp_min(_norm(x2, 2, dim, True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension."""
    return _norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1, keepdim)


# ----- losses -------------------------------------------------------------------------
def _check_class_target(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """Validate (N, C, d...) input against (N, d...) class indices, with torch's errors."""
    if input.ndim >= 2:
        n = input.shape[0]
        tn = target.shape[0] if target.ndim else 0
        if tn != n:
            raise ValueError(f"Expected input batch_size ({n}) to match target batch_size ({tn}).")
        if input.ndim == 2 and target.ndim != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        expected = (n,) + tuple(input.shape[2:])
        if tuple(target.shape) != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    elif input.ndim == 1 and target.ndim != 0:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {type_name(target.dtype)}")
    n_classes = input.shape[1] if input.ndim >= 2 else input.shape[0]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")


def _class_loss(primitive: Any, input: Tensor, target: Tensor, weight: Tensor | None,
                reduction: str, *args: Any) -> Tensor:
    """Run a class-index loss primitive, adding a batch dim for unbatched (C,) input."""
    unbatched = input.ndim == 1
    if unbatched:
        input = input.unsqueeze(0)
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
    return _class_loss(_loss.NllLoss, input, target, weight, reduction, ignore_index)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy of logits (N, C, d...) against class indices (N, d...) or class
    probabilities (same shape as input), with class weights and label smoothing."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    _act.check_float("log_softmax_lastdim_kernel_impl", input)
    if target.dtype.is_floating_point and target.shape == input.shape:
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing)
    _check_class_target(input, target, weight)
    return _class_loss(_loss.CrossEntropy, input, target, weight, reduction, ignore_index, label_smoothing)


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                         label_smoothing: float) -> Tensor:
    class_dim = 1 if input.ndim >= 2 else 0
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
    d = input - target
    loss = d * d
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "MseLossBackward0")


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """|input - target|, reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    _warn_broadcast(input, target)
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
    d = input - target
    return _reduce(_abs(d) if beta == 0 else _loss.SmoothL1.apply(d, beta), reduction, "SmoothL1LossBackward0")


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta * (|d| - delta / 2), reduced."""
    _warn_broadcast(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    loss = _loss.SmoothL1.apply(input - target, delta) * delta
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "HuberLossBackward0")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p, logs clamped at -100, reduced."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    loss = _loss.BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "BinaryCrossEntropyBackward0")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed stably from logits;
    pos_weight scales the positive term per class."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    # -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = x + softplus(-x)
    log_one_plus = _act.Softplus.apply(-input, 1.0, math.inf)
    if pos_weight is not None:
        log_one_plus = log_one_plus * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input + log_one_plus
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "BinaryCrossEntropyWithLogitsBackward0")


def kl_div(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """target * (log(target) - input) for log-probabilities `input` (target in log space if log_target)."""
    reduction = _reduction_from_legacy(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support "
                      "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                      "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
                      "major release.", UserWarning, stacklevel=2)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        positive = target > 0
        # 0 * log(0) is 0 here (xlogy), not nan
        loss = where(positive, target * log(where(positive, target, 1.0)), 0.0) - target * input
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

from .._ops.conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold  # noqa: E402,F401,E501
from .._ops.normalization import batch_norm, group_norm, instance_norm, layer_norm, local_response_norm  # noqa: E402,F401,E501
from .._ops.padding import pad  # noqa: E402,F401
from .._ops.pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, fractional_max_pool2d, lp_pool1d, lp_pool2d, max_pool1d, max_pool2d, max_unpool1d, max_unpool2d  # noqa: E402,F401,E501
from .._ops.upsampling import interpolate, pixel_shuffle, pixel_unshuffle, upsample, upsample_bilinear, upsample_nearest  # noqa: E402,F401,E501
