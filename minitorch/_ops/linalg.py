"""Matrix products (sent to BLAS through numpy), einsum, and triangular/diagonal helpers.

Two primitives carry the products' gradients: MatMul and Einsum. mm, bmm, mv, dot,
addmm are matmul after torch's shape checks; outer and tensordot are einsum. The
gradient of an einsum operand is itself an einsum of the upstream gradient with the
other operands, so every product here is differentiable any number of times.
"""
from __future__ import annotations

import builtins
import math
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd import grad_mode
from ..autograd.function import Function, label_node
from ..kernels import blas
from ._common import needs_grad, result_dtype, type_name
from .einsum import tensordot
from .inplace import writes_out

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm", "addmv", "addr", "baddbmm", "addbmm",
           "trace", "diag", "diagonal", "tril", "triu"]


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None,
                              b if ctx.needs_input_grad[0] else None)
        return blas.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        # 1-D operands are treated as a row (left) or column (right) vector, then squeezed;
        # batch dims that were broadcast are summed away by the engine.
        if ctx.needs_input_grad[0]:
            if b.ndim == 1:
                grad_a = grad.unsqueeze(-1) * b if grad.ndim else grad * b
            elif len(ctx.input_shape(0)) == 1:
                grad_a = (grad.unsqueeze(-2) @ b.mT).squeeze(-2)
            else:
                grad_a = grad @ b.mT
        if ctx.needs_input_grad[1]:
            if a.ndim == 1:
                grad_b = a.unsqueeze(-1) * grad.unsqueeze(-2) if grad.ndim else a * grad
            elif len(ctx.input_shape(1)) == 1:
                grad_b = (a.mT @ grad.unsqueeze(-1)).squeeze(-1)
            else:
                grad_b = a.mT @ grad
        return grad_a, grad_b


def _shape_str(shape: Sequence[int]) -> str:
    return "x".join(map(str, shape))


def _dtype_name(t: Tensor) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int"}.get(t.dtype.name, t.dtype.name)


@writes_out(dtype_rule="same")
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with numpy/torch semantics for 1-D, 2-D and batched (broadcast) operands."""
    return _matmul(input, other, torch_views=True)


def _matmul(input: Tensor, other: Tensor, torch_views: bool) -> Tensor:
    """matmul; torch_views: record torch's views around a folded mm/mv or a bmm (not for bmm itself)."""
    sa, sb = input._array.shape, other._array.shape
    if not sa or not sb:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{len(sa)}D and {len(sb)}D")
    if sa[-1] != (sb[-2] if len(sb) > 1 else sb[0]) or (len(sa) > 2 and len(sb) > 2 and sa[:-2] != sb[:-2]):
        _check_matmul_shapes(sa, sb)
    if input._array.dtype != other._array.dtype:
        return _matmul_of_two_dtypes(input, other)
    if input._array.dtype == np.bool_:  # BLAS has no bool kernel; torch names the one it would have used
        kernel = "dot" if len(sa) == len(sb) == 1 else "addmv_impl_cpu" if len(sb) == 1 else \
            "bmm" if len(sa) == len(sb) == 3 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if torch_views and len(sa) >= 3 and len(sb) <= 2 and input.is_contiguous() and _folds(input, other):
        # torch folds the batch dims into rows: a view to a matrix, one mm (mv), the result viewed back
        out = label_node(MatMul.apply(input.view(math.prod(sa[:-1]), sa[-1]), other), _TORCH_MATMUL_NODES[(2, len(sb))])
        return label_node(out.view(sa[:-1] + sb[1:]), "UnsafeViewBackward0")
    out = MatMul.apply(input, other)
    # torch's matmul dispatches these ranks to mm, mv, dot and (equal batch dims) bmm, whose nodes it
    # shows, the bmm's result reshaped back; other batched operands keep the node's own name
    name = _TORCH_MATMUL_NODES.get((len(sa), len(sb)))
    if torch_views and name == "BmmBackward0" and sa[0] == sb[0]:
        return label_node(label_node(out, name).view(out.shape), "UnsafeViewBackward0")
    return out if name in (None, "BmmBackward0") else label_node(out, name)


_TORCH_MATMUL_NODES = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0", (3, 3): "BmmBackward0"}


def _matmul_of_two_dtypes(a: Tensor, b: Tensor) -> Tensor:
    """torch's outcome for operands of different dtypes: the dtype error of the kernel its matmul
    dispatches to (dot, mv, mm after folding batch dims into rows, or bmm), except that bmm with
    nothing to compute (an empty result, or k == 0) returns zeros in b's dtype before it checks."""
    da, db = a.ndim, b.ndim
    if da == db == 1:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{type_name(a.dtype)} and {type_name(b.dtype)}")
    folds = _folds(a, b)
    if folds and db > da:  # torch folds b.mT and multiplies it by a's transpose (or the vector a)
        a, b = b, a
    if da <= 2 and db <= 2 or folds:
        if b.ndim == 1:
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got {type_name(b.dtype)}, "
                               f"{type_name(a.dtype)}, and {type_name(b.dtype)}")
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_dtype_name(a)} != {_dtype_name(b)}")
    if da == db == 3 and a.shape[0] != b.shape[0]:  # torch drops a batch of 1 that needs a gradient
        if a.shape[0] == 1 and a.requires_grad:
            return _matmul_of_two_dtypes(a.squeeze(0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return _matmul_of_two_dtypes(a, b.squeeze(0))
    out_shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + a.shape[-2:-1] + b.shape[-1:] * (db > 1)
    if math.prod(out_shape) and a.shape[-1]:
        raise RuntimeError(f"expected scalar type {type_name(a.dtype)} but found {type_name(b.dtype)}")
    if not b.dtype.is_floating_point and a.requires_grad and grad_mode.is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {type_name(b.dtype)}")
    return MatMul.apply(a.to(b.dtype), b)  # zeros, or nothing; a's gradient comes back in a's dtype


def _folds(a: Tensor, b: Tensor) -> bool:
    """torch's should_fold: whether matmul multiplies a (or b.mT) with its batch dims folded into rows."""
    t1, t2 = (a, b) if a.ndim >= b.ndim else (b.mT, a)
    if not (t1.ndim >= 3 and t2.ndim <= 2):
        return False
    if t2.requires_grad:
        return True
    if a.ndim == 2:
        return False
    if t1.numel() == 0:
        return True
    shape, strides = t1._array.shape, t1._array.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


def _check_matmul_shapes(sa: tuple, sb: tuple) -> None:
    """Raise torch's error for operands matmul cannot multiply, worded as the kernel torch picks."""
    k1, k2 = sa[-1], (sb[-2] if len(sb) > 1 else sb[0])
    if len(sa) == 1 and len(sb) == 1:
        if k1 != k2:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src [{k2}] to have "
                               f"the same number of elements, but got {k1} and {k2} elements respectively")
        return
    if len(sb) <= 2:  # batch dims of input fold into the rows of one mm / mv
        rows = math.prod(sa[:-1])
        if k1 != k2:
            if len(sb) == 1:
                raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k1}), vec ({k2})")
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k1} and "
                               f"{_shape_str(sb)})")
        return
    batch_a, batch_b = sa[:-2], sb[:-2]
    n = builtins.max(len(batch_a), len(batch_b))
    batch_a, batch_b = (1,) * (n - len(batch_a)) + batch_a, (1,) * (n - len(batch_b)) + batch_b
    for i, (x, y) in enumerate(zip(batch_a, batch_b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                               f"non-singleton dimension {i}")
    if k1 != k2:
        batch = math.prod(builtins.max(x, y) for x, y in zip(batch_a, batch_b))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k1}] "
                           f"but got: [{batch}, {k2}].")


@writes_out(dtype_rule="same")
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """(n, k) @ (k, m) -> (n, m); both operands must be matrices."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


@writes_out(dtype_rule="same")
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """(b, n, k) @ (b, k, m) -> (b, n, m), without broadcasting."""
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    expected = [input.shape[0], input.shape[2]]
    if list(mat2.shape[:2]) != expected:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: {expected} "
                           f"but got: {list(mat2.shape[:2])}.")
    if input.dtype is not mat2.dtype and (input.numel() == 0 or mat2.numel() == 0):
        # torch returns the empty or zero result in mat2's dtype without comparing dtypes
        input = input.to(result_dtype("bmm", input, mat2.dtype))
    return label_node(_matmul(input, mat2, torch_views=False), "BmmBackward0")


@writes_out(dtype_rule="same")
def mv(input: Tensor, vec: Tensor) -> Tensor:
    """(n, m) @ (m,) -> (n,)."""
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat ({_shape_str(input.shape)}), "
                           f"vec ({vec.shape[0]})")
    return matmul(input, vec)


@writes_out(dtype_rule="same", message="result dtype {out} does not match input dtype {result}")
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors of the same length and dtype (a 0-d tensor)."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input._array.dtype != tensor._array.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{type_name(input.dtype)} and {type_name(tensor.dtype)}")
    return matmul(input, tensor)


@writes_out(dtype_rule="same", message="result dtype {out} does not match input dtype {result}")
def vdot(input: Tensor, other: Tensor) -> Tensor:
    """dot(conj(input), other); the same as dot for real tensors."""
    return label_node(dot(input, other), "VdotBackward0")


@writes_out
def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum of products over the last dims of both (a scalar times a tensor if either is 0-d)."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:  # no size-1 broadcasting here, unlike tensordot
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(input.shape)} and {list(other.shape)}")
    return tensordot(input, other, ([-1], [-1]))


@writes_out
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two 1-D tensors: out[i, j] = input[i] * vec2[j]."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return input.unsqueeze(1) * vec2


@writes_out(dtype_rule="same")
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2); with beta == 0 `input` is ignored (NaNs included)."""
    _check_same_dtype("self", input, "mat2", mat2)  # torch's order: dtypes, then ranks
    _check_same_dtype("mat1", mat1, "mat2", mat2)
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got " + f"{mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got " + f"{mat2.ndim}-D tensor")
    return _scaled_sum(input, mm(mat1, mat2), beta, alpha, "AddmmBackward0")


@writes_out(dtype_rule="same")
def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (mat @ vec): (n, m) @ (m,), input broadcast to (n,)."""
    # torch's order: ranks, sizes, dtypes
    if not (mat.ndim == 2 and vec.ndim == 1 and input.ndim <= 1):
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}")
    if mat.shape[1] != vec.shape[0] or input.numel() not in (mat.shape[0], 1):
        raise RuntimeError(f"size mismatch, got input ({_size(input, 0)}), mat ({mat.shape[0]}x{mat.shape[1]}), "
                           f"vec ({vec.shape[0]})")
    if not input.dtype is mat.dtype is vec.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {type_name(input.dtype)}, "
                           f"{type_name(mat.dtype)}, and {type_name(vec.dtype)}")
    product = mv(mat, vec)
    if mat.numel() == 0:  # torch's shortcut for an empty matrix: beta * input, in input's own shape
        product = product.sum().expand(input.shape)
    return _scaled_sum(input, product, beta, alpha, "AddmvBackward0")


@writes_out(dtype_rule="same")
def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * outer(vec1, vec2): (n,) x (m,), input broadcast to (n, m)."""
    for name, t in (("vec1", vec1), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {t.ndim}-D")
    # torch promotes input with the product by dtype alone (a 0-d float64 input makes a float64 result)
    common = _dtype.promote_types(input.dtype, _dtype.promote_types(vec1.dtype, vec2.dtype))
    return _scaled_sum(input, (vec1.unsqueeze(1) * vec2).to(common), beta, alpha, "AddrBackward0")


@writes_out(dtype_rule="same")
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * bmm(batch1, batch2): (b, n, k) @ (b, k, m), input broadcast to (b, n, m).
    The result has batch2's dtype (torch checks only input's against batch1's, and batch2's where it multiplies)."""
    shape = (_size(batch1, 0), _size(batch1, 1), _size(batch2, 2))  # torch reads these first
    check_expandable(tuple(input.shape), shape)
    if input.dtype is not batch1.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {_dtype_name(input)}, batch1: "
                           f"{_dtype_name(batch1)}, batch2: {_dtype_name(batch2)}")
    _check_batches(batch1, batch2)
    if batch2.shape[0] != shape[0] or batch2.shape[1] != batch1.shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{shape[0]}, "
                           f"{batch1.shape[2]}] but got: [{batch2.shape[0]}, {batch2.shape[1]}].")
    if input.dtype is _dtype.bool:
        raise NotImplementedError("\"baddbmm\" not implemented for 'Bool'")
    if batch2.dtype is not batch1.dtype:  # fine while nothing is multiplied (an empty result or k = 0)
        if math.prod(shape) and batch1.shape[2]:
            raise RuntimeError(f"expected scalar type {type_name(batch1.dtype)} but found {type_name(batch2.dtype)}")
        _check_differentiable_dtype(batch2.dtype, input, batch1, batch2)
        input, batch1 = input.to(batch2.dtype), batch1.to(batch2.dtype)
    return _scaled_sum(input, bmm(batch1, batch2), beta, alpha, "BaddbmmBackward0")


@writes_out(dtype_rule="same", message="self and mat2 must have the same dtype, but got {out} and {result}",
            warn_on_resize=False)
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (sum over the batch of batch1[i] @ batch2[i]); the result is (n, m) in input's dtype."""
    shape = (_size(batch1, 1), _size(batch2, 2))  # torch reads these first
    check_expandable(tuple(input.shape), shape)
    _check_batches(batch1, batch2)
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {batch1.shape[0]} and "
                           f"{batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
                           f"{batch2.shape[1]}x{batch2.shape[2]})")
    if batch1.shape[0] == 0:  # no batch is multiplied, so the dtypes are never compared: beta * input
        _check_differentiable_dtype(input.dtype, input, batch1, batch2)
        return _scaled_sum(input, bmm(batch1, batch2.to(batch1.dtype)).sum(0).to(input.dtype), beta, alpha,
                           "AddbmmBackward0")
    _check_same_dtype("self", input, "mat2", batch2)
    _check_same_dtype("mat1", batch1, "mat2", batch2)
    return _scaled_sum(input, bmm(batch1, batch2).sum(0), beta, alpha, "AddbmmBackward0")


def _check_same_dtype(name_a: str, a: Tensor, name_b: str, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError(f"{name_a} and {name_b} must have the same dtype, but got {type_name(a.dtype)} and "
                           f"{type_name(b.dtype)}")


def _check_differentiable_dtype(dtype: _dtype.dtype, *inputs: Tensor) -> None:
    """torch refuses an integer result of inputs of other dtypes when one of them requires grad."""
    if not dtype.is_floating_point and needs_grad(*inputs):
        raise RuntimeError(f"Autograd not support dtype: {type_name(dtype)}")


def _size(t: Tensor, d: int) -> int:
    """t.size(d) with torch's errors (a 0-d tensor has no dimensions at all)."""
    if t.ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return t.shape[wrap_dim(d, t.ndim)]


def _check_batches(batch1: Tensor, batch2: Tensor) -> None:
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")


def _scaled_sum(input: Tensor, product: Tensor, beta: Any, alpha: Any, node_name: str) -> Tensor:
    """beta * input + alpha * product, input expanded (never the product) to the product's shape.

    With beta == 0 `input` is ignored, NaNs included, like torch's add*/ba* functions. The last
    node is named `node_name` (torch's one node for the whole op, e.g. AddmmBackward0)."""
    if not (product.dtype.is_floating_point or product.dtype.is_complex):
        alpha, beta = int(alpha), int(beta)  # torch reads them in the integer dtype: alpha=0.5 is 0
    if alpha != 1:
        product = product * alpha
    check_expandable(tuple(input.shape), tuple(product.shape))
    if beta == 0:  # input still gets a (zero) gradient
        return label_node(product + input.where(_wrap(np.zeros((), dtype=bool)), 0), node_name)
    return label_node(product + (input if beta == 1 else input * beta), node_name)


def check_expandable(shape: tuple, target: tuple) -> None:
    """`shape` expands to `target` (no broadcasting of target itself), else torch's expand error."""
    for i in range(1, len(shape) + 1):
        own = shape[-i]
        if i > len(target) or own not in (1, target[-i]):
            raise RuntimeError(f"The expanded size of the tensor ({target[-i] if i <= len(target) else 1}) "
                               f"must match the existing size ({own}) at non-singleton dimension "
                               f"{len(target) - i}.  Target sizes: {list(target)}.  Tensor sizes: "
                               f"{list(shape)}")


# ----- diagonals and triangles --------------------------------------------------------
def _diagonal_index(shape: tuple, offset: int) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = shape
    n = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    i = np.arange(n)
    return (i, i + offset) if offset >= 0 else (i - offset, i)


class Diagonal(Function):
    """The `offset` diagonal of a matrix, as a new 1-D tensor."""

    @staticmethod
    def forward(ctx, a, offset):
        ctx.offset = offset
        return a[_diagonal_index(a.shape, offset)].copy()

    @staticmethod
    def backward(ctx, grad):
        return DiagEmbed.apply(grad, ctx.offset, ctx.input_shape(0)), None


class DiagEmbed(Function):
    """A zero matrix of `shape` with `v` on its `offset` diagonal (the adjoint of Diagonal)."""

    @staticmethod
    def forward(ctx, v, offset, shape):
        ctx.offset = offset
        out = np.zeros(shape, dtype=v.dtype)
        out[_diagonal_index(shape, offset)] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, ctx.offset), None, None


class DiagonalView(Function):
    """The `offset` diagonal of the (dim1, dim2) planes, as a view: the diagonal becomes the last dim."""

    view = True

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.args = offset, dim1, dim2
        view = np.diagonal(a, offset, dim1, dim2)
        view.flags.writeable = a.flags.writeable  # numpy hands it out read-only; torch's is writable
        return view

    @staticmethod
    def backward(ctx, grad):
        return DiagonalViewBackward.apply(grad, ctx.input_shape(0), *ctx.args), None, None, None


class DiagonalViewBackward(Function):
    """Zeros of `shape` with `v` written on the diagonal that DiagonalView reads (its adjoint)."""

    @staticmethod
    def forward(ctx, v, shape, offset, dim1, dim2):
        ctx.args = offset, dim1, dim2
        out = np.zeros(shape, dtype=v.dtype)
        target = np.diagonal(out, offset, dim1, dim2)
        target.flags.writeable = True
        target[...] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        return DiagonalView.apply(grad, *ctx.args), None, None, None, None


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The `offset` diagonal of every (dim1, dim2) plane, as a view whose last dim runs along it.

    (2, 3, 4) with dim1=1, dim2=2 gives (2, 3); offset > 0 lies above the main diagonal.
    """
    d1, d2 = wrap_dim(dim1, input.ndim), wrap_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagonalView.apply(input, int(offset), d1, d2)


@writes_out
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-D -> a square matrix with input on the `diagonal`; 2-D -> that diagonal as 1-D."""
    if input.ndim == 1:
        n = input.shape[0] + abs(diagonal)
        return DiagEmbed.apply(input, diagonal, (n, n))
    if input.ndim == 2:
        return Diagonal.apply(input, diagonal)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def trace(input: Tensor) -> Tensor:
    """Sum of the main diagonal of a matrix (integer inputs give int64)."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    if input.dtype is _dtype.bool:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Diagonal.apply(input, 0).sum()


class Tril(Function):
    @staticmethod
    def forward(ctx, a, diagonal):
        ctx.diagonal = diagonal
        return np.tril(a, diagonal)

    @staticmethod
    def backward(ctx, grad):
        return Tril.apply(grad, ctx.diagonal), None


class Triu(Function):
    @staticmethod
    def forward(ctx, a, diagonal):
        ctx.diagonal = diagonal
        return np.triu(a, diagonal)

    @staticmethod
    def backward(ctx, grad):
        return Triu.apply(grad, ctx.diagonal), None


def _triangle(fn: type, name: str, input: Tensor, diagonal: int) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return fn.apply(input, diagonal)


@writes_out(dtype_rule="same")
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (j - i <= diagonal) of the last two dims; the rest zero."""
    return _triangle(Tril, "tril", input, diagonal)


@writes_out(dtype_rule="same")
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (j - i >= diagonal) of the last two dims; the rest zero."""
    return _triangle(Triu, "triu", input, diagonal)


ger = outer
