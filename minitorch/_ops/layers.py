"""Linear maps, dropout, embeddings and distances (torch.nn.functional's linear, dropout, embedding, ...).

Primitives first (the fused affine map, embedding lookup), then the public functions,
which nn/functional.py re-exports.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from ..kernels import blas
from ..random import rng as _rng
from ._common import renamed, type_name
from .activation import _SELU_ALPHA, _SELU_SCALE
from .compare import where
from .inplace import maybe_in_place
from .linalg import MatMul, check_expandable, matmul
from .norms import vector_norm
from .shape import Reshape, View

# public functions, re-exported by nn.functional
__all__ = ["linear", "bilinear", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "one_hot", "embedding", "normalize", "cosine_similarity", "pairwise_distance"]


class Addmm(Function):
    """bias + mat1 @ mat2 in one node, bias broadcast to (n, m): torch's fused affine map.

    The inputs come in torch's order (bias, mat1, mat2), so `grad_fn.next_functions` lists
    them as torch does; linear passes weight.t() as mat2.
    """

    @staticmethod
    def forward(ctx, bias, mat1, mat2):
        ctx.save_for_backward(mat1 if ctx.needs_input_grad[2] else None,
                              mat2 if ctx.needs_input_grad[1] else None)
        out = blas.matmul(mat1, mat2)
        out += bias
        return out

    @staticmethod
    def backward(ctx, grad):
        mat1, mat2 = ctx.saved_tensors
        # the engine sums the broadcast rows of the bias's gradient away; a linear layer's bias
        # (a row) is summed here, where no graph of the gradients is recorded: the engine's
        # general route took ~10 us a layer inside a training step for the same sum
        grad_bias = grad if ctx.needs_input_grad[0] else None
        if (grad_bias is not None and ctx.input_shape(0) == grad._array.shape[1:] and not grad_mode.is_grad_enabled()
                and grad._array.dtype in (np.float32, np.float64)):  # (float16 sums in float32 there)
            grad_bias = _wrap(np.add.reduce(grad._array, axis=0))
        if ctx.needs_input_grad[1] and ctx.needs_input_grad[2] and not grad_mode.is_grad_enabled():
            # both products at once on two threads (no graph of the gradients to record)
            grad_mat1, grad_mat2_t = blas.matmul_pair(grad._array, mat2._array.T, grad._array.T, mat1._array)
            return grad_bias, _wrap(grad_mat1), _wrap(grad_mat2_t.T)
        grad_mat1 = grad @ mat2.mT if ctx.needs_input_grad[1] else None
        # computed transposed: mat2 is usually weight.t(), so after TBackward0 the weight's
        # gradient is row-major like the weight itself (as torch's gradient layout contract keeps it)
        grad_mat2 = (grad.mT @ mat1).mT if ctx.needs_input_grad[2] else None
        return grad_bias, grad_mat1, grad_mat2


# A matrix product without bias is torch's mm, whose node is MmBackward0; a reshape that
# torch does with _unsafe_view (of a fresh matmul result or copy) is named after it.
Mm = renamed(MatMul, "MmBackward0")
UnsafeView = renamed(Reshape, "UnsafeViewBackward0")
# torch drops the vector input's added row with the in-place squeeze_(dim) overload
SqueezeRow = renamed(View, "SqueezeBackward4")


class Embedding(Function):
    """Rows of `weight` (V, D) picked by integer `indices` (any shape) -> indices.shape + (D,)."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.padding_idx, ctx.scale_grad_by_freq = indices, padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        return (EmbeddingBackward.apply(grad, ctx.indices, ctx.input_shape(0)[0], ctx.padding_idx,
                                        ctx.scale_grad_by_freq), None, None, None)


class EmbeddingBackward(Function):
    """Scatter-add of the rows of `grad` into a (V, D) zero matrix (Embedding's gradient).

    It is linear in `grad`, and its own gradient is an embedding lookup again.
    """

    @staticmethod
    def forward(ctx, grad, indices, num_weights, padding_idx, scale_grad_by_freq):
        ctx.indices = indices
        flat = indices.reshape(-1)
        # factor[i]: how much of grad row i lands in the output (0 for the padding row)
        factor = np.ones(len(flat), dtype=grad.dtype)
        if scale_grad_by_freq:
            factor /= np.bincount(flat, minlength=num_weights)[flat]
        if padding_idx is not None:
            factor[flat == padding_idx] = 0
        ctx.factor = None if (factor == 1).all() else factor.reshape(indices.shape + (1,))
        rows = grad.reshape(len(flat), grad.shape[-1])  # (not -1: no index at all leaves nothing to infer from)
        out = np.zeros((num_weights, rows.shape[1]), dtype=grad.dtype)
        np.add.at(out, flat, rows if ctx.factor is None else rows * factor[:, None])
        return out

    @staticmethod
    def backward(ctx, grad):
        picked = Embedding.apply(grad, ctx.indices, None, False)
        if ctx.factor is not None:
            picked = picked * _wrap(ctx.factor)
        return picked, None, None, None, None


# ----- linear layers --------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """input @ weight.T + bias: (*, in) x (out, in) -> (*, out); a 1-D weight (in,) gives (*)."""
    # checked on the arrays' shapes (plain tuples): linear runs once per layer per step
    shape, w_shape = input._array.shape, weight._array.shape
    if not (shape and w_shape):
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {len(shape)}D "
                           f"and {len(w_shape)}D")
    if len(w_shape) == 1:  # a dot product with each row (matmul names a size mismatch)
        if bias is not None and bias.ndim:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        out = matmul(input, weight)
        return out if bias is None else out + bias
    weight_t = weight.t()  # first, as in torch: a weight of more than 2 dims is refused here
    if shape[-1] != w_shape[-1] or len(w_shape) != 2:
        rows, cols = math.prod(shape[:-1]), shape[-1]
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                           f"{w_shape[-1]}x{w_shape[0] if len(w_shape) == 2 else 1})")
    if input._array.dtype != weight._array.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{type_name(input.dtype)} and {type_name(weight.dtype)}")
    if bias is not None:
        check_expandable(bias._array.shape, shape[:-1] + w_shape[:1])
    return _affine(input, weight_t, bias)


def _affine(input: Tensor, weight_t: Tensor, bias: Tensor | None) -> Tensor:
    """input @ weight_t + bias, built from the same nodes torch's linear records.

    A matrix input is one addmm (or mm) node. Other ranks are flattened to a matrix and the
    result viewed back to (*, out), except a non-contiguous input with a bias, which torch
    multiplies through matmul and then adds the bias as a separate node.
    """
    if input._array.ndim == 2:
        return Mm.apply(input, weight_t) if bias is None else Addmm.apply(bias, input, weight_t)
    out_shape = tuple(input.shape[:-1]) + (weight_t.shape[1],)
    if input.ndim == 1 and bias is None:
        return SqueezeRow.apply(Mm.apply(input.unsqueeze(0), weight_t), out_shape)
    rows = (math.prod(input.shape[:-1]), input.shape[-1])
    if input.is_contiguous():
        if bias is not None:
            return Addmm.apply(bias, input.view(rows), weight_t).view(out_shape)
        matrix = input.view(rows)
    else:  # torch's reshape: a contiguous copy, then a view of it
        matrix = UnsafeView.apply(input.contiguous(), rows)
    out = UnsafeView.apply(Mm.apply(matrix, weight_t), out_shape)
    return out if bias is None else out + bias


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


def _keep_mask(shape: tuple, p: float) -> np.ndarray:
    """A bool array of `shape`, each element True (kept) with probability 1 - p.

    Drawn from the default generator as raw 32-bit integers, two from each 64-bit draw, compared
    with p * 2**32: twice as fast as drawing floats, and finer grained than float32's 2**-24.
    """
    n = math.prod(shape)
    bits = _rng(None).bit_generator.random_raw((n + 1) // 2).view(np.uint32)[:n]
    return (bits >= round(p * 2 ** 32)).reshape(shape)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training only)."""
    _check_p(p)
    if not training or p == 0:
        return input
    if not input.dtype.is_floating_point and p != 1:  # the 1 / (1 - p) scaling is a float
        raise RuntimeError(f"result type Float can't be cast to the desired output type {type_name(input.dtype)}")
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = _keep_mask(input._array.shape, p) * input._array.dtype.type(scale)
    return maybe_in_place(input, input * _wrap(mask), inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_ndim: int) -> Tensor:
    # One draw per (sample, channel): whole feature maps are zeroed together.
    _check_p(p)
    if not training or p == 0:
        return input
    batched = input.ndim == batched_ndim
    shape = input.shape[:2] if batched else input.shape[:1]
    mask_shape = tuple(shape) + (1,) * (input.ndim - len(shape))
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = _keep_mask(mask_shape, p) * input._array.dtype.type(scale)
    return maybe_in_place(input, input * _wrap(mask), inplace)


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




def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped units take SELU's negative saturation value and an
    affine correction keeps mean 0 and variance 1."""
    _check_p(p)
    if not training or p == 0:
        return input
    if p == 1:
        return maybe_in_place(input, input * 0.0, inplace)
    saturation = -_SELU_ALPHA * _SELU_SCALE
    a = ((1 - p) * (1 + p * saturation ** 2)) ** -0.5
    b = -a * saturation * p
    keep = _keep_mask(input._array.shape, p)
    offset = np.where(keep, b, a * saturation + b).astype(input._array.dtype)
    return maybe_in_place(input, input * _wrap(keep * input._array.dtype.type(a)) + _wrap(offset), inplace)


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
    return Embedding.apply(weight, idx, padding_idx, scale_grad_by_freq)


def _renorm_rows(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    # Rescale in place (no autograd) the looked-up rows whose norm exceeds max_norm, like torch.
    w = weight._array
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)
    weight._bump_version()


# ----- distances ----------------------------------------------------------------------
def _norm(x: Tensor, p: float, dim: int, keepdim: bool) -> Tensor:
    return vector_norm(x, p, x._wrap_dim(dim), keepdim)


def _clamp_min(x: Tensor, low: float) -> Tensor:
    return where(x < low, low, x)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    """input / max(||input||_p over dim, eps)."""
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{type_name(input.dtype)}")
    return input / _clamp_min(_norm(input, p, dim, True), eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 * x2, dim) / (max(||x1||, eps) * max(||x2||, eps)), broadcasting x1 and x2."""
    n1 = _clamp_min(_norm(x1, 2, dim, True), eps)
    n2 = _clamp_min(_norm(x2, 2, dim, True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension."""
    return _norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1, keepdim)
