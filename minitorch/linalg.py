"""`minitorch.linalg`: norms, inverse, determinant, solve and the matrix factorisations.

The norms are here; inv/det/solve live in `_linalg/inverse.py`, the factorisations in
`_linalg/decompositions.py`, composites in `linalg_extras.py`. Every function takes batches
of matrices (..., m, n), computes in numpy's LAPACK routines, and is differentiable where
torch's is. Each factorisation is one `Function` whose backward
is written with tensor ops (matrix products and the `inv`/`solve` of this module), so the
gradients are themselves differentiable. The backward formulas are the standard ones for
real matrices (Giles 2008, "Collected matrix derivative results"; Walter & Lehmann 2018 for
QR; Townsend 2016 for the SVD).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from . import _dtype
from ._creation import zeros
from ._linalg.checks import _OUT_DTYPE, _TYPE_TITLE, LinAlgError, _check_matrices
from ._linalg.decompositions import cholesky, eigh, eigvalsh, qr, svd
from ._linalg.inverse import det, inv, solve
from ._ops.inplace import writes_out
from ._ops.norms import vector_norm as _vector_norm
from ._ops.vector_products import linalg_cross as cross
from ._tensor import Tensor, wrap_dim

__all__ = ["LinAlgError", "vector_norm", "matrix_norm", "norm", "inv", "det", "solve", "eigh",
           "eigvalsh", "svd", "svdvals", "qr", "cholesky", "cross",
           "slogdet", "matrix_power", "pinv", "matrix_rank", "multi_dot", "vecdot",
           "matmul", "diagonal", "vander", "cond", "solve_triangular", "lstsq",
           "inv_ex", "solve_ex", "cholesky_ex", "matrix_exp"]


# ----- norms -----------------------------------------------------------------------------
def _dims(dim: Any, ndim: int) -> tuple:
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-max(ndim, 1)}, {max(ndim, 1) - 1}], but got {d})")
    return tuple(sorted(d % max(ndim, 1) for d in dims))


def _to_norm_dtype(name: str, x: Tensor, dtype: Any) -> Tensor:
    """x in the `dtype=` of a norm, refused like torch when it is not floating or would narrow x."""
    if dtype is None:
        return x
    wanted, given = _TYPE_TITLE.get(dtype.name, dtype.name), _TYPE_TITLE.get(x.dtype.name, x.dtype.name)
    if not dtype.is_floating_point:
        raise RuntimeError(f"linalg.{name}: dtype should be floating point or complex, but got {wanted}")
    if _dtype.promote_types(x.dtype, dtype) is not dtype:
        raise RuntimeError(f"linalg.{name}: the dtype of the input ({given}) should be convertible "
                           f"without narrowing to the specified dtype ({wanted})")
    return x.to(dtype)


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """The `ord`-norm of `x` over `dim` (all elements when None): (sum |x|^ord)^(1/ord),
    max |x| for inf, min |x| for -inf, the count of non-zeros for 0."""
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_TYPE_TITLE.get(x.dtype.name, x.dtype.name)}")
    x = _to_norm_dtype("vector_norm", x, dtype)
    return _vector_norm(x, ord, _dims(dim, x.ndim) if x.ndim and dim is not None else dim, keepdim)


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def svdvals(A: Tensor) -> Tensor:
    """The singular values of each matrix of A (..., m, n), descending: shape (..., min(m, n))."""
    _check_matrices("svd", A, square=False)
    return svd(A, full_matrices=False)[1]


@writes_out(dtype_rule="same", message="linalg.matrix_norm expected out tensor dtype {result} but got: {out}")
def matrix_norm(A: Tensor, ord: Any = "fro", dim: Sequence[int] = (-2, -1), keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """A matrix norm over the two dims `dim`: 'fro', 'nuc', inf/-inf (max/min row sum),
    1/-1 (max/min column sum), 2/-2 (largest/smallest singular value)."""
    # torch's order of checks: ord, A, dim, dtype=; float16 only for the norms without an SVD
    if ord not in ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    _check_matrices("matrix_norm", A, square=False, half=True)
    if A.dtype is _dtype.float16 and ord in ("nuc", 2, -2):
        raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got Half")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {', '.join(map(str, dim))}")
    rows, cols = (wrap_dim(d, A.ndim) for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({rows}, {cols})")
    A = _to_norm_dtype("matrix_norm", A, dtype)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    # 1-norms: sum |A| down the columns (ord ±1) or along the rows (ord ±inf), then max/min over the other dim
    summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)
    maxed = (rows, cols) if ord == 2 else (other,) if ord in (1, math.inf) else ()
    if any(A.shape[d] == 0 for d in maxed):  # torch: a max over nothing is 0 here (untracked)
        return zeros([1 if d in (rows, cols) else n for d, n in enumerate(A.shape)
                      if keepdim or d not in (rows, cols)], dtype=A.dtype)
    if ord in ("nuc", 2, -2):
        moved = A.movedim((rows, cols), (-2, -1))
        s = svdvals(moved)
        result = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        if keepdim:
            for d in sorted((rows, cols)):
                result = result.unsqueeze(d)
        return result
    sums = A.abs().sum(summed, keepdim=keepdim)
    other -= not keepdim and summed < other  # (where `other` is after the summed dim went)
    return sums.amax(other, keepdim=keepdim) if ord > 0 else sums.amin(other, keepdim=keepdim)


@writes_out(dtype_rule="same", message="linalg.norm expected out tensor dtype {result} but got: {out}")
def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
         dtype: Any = None) -> Tensor:
    """`vector_norm` or `matrix_norm` as torch picks: a matrix norm for a string `ord`, a
    2-tuple `dim`, or (with dim None) any `ord` on a 2-D input; the 2-norm of all elements
    when both `ord` and `dim` are None."""
    dims = (dim,) if isinstance(dim, int) else dim
    if ord is not None and dims is None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or "
                           f"2D. Got {A.ndim}D.")
    if (dims is not None and len(dims) == 2) or (dims is None and ord is not None and
                                                 (A.ndim == 2 or isinstance(ord, str))):
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dims is None else dims,
                           keepdim, dtype=dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord {ord!r} needs a matrix (2 dims)")
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


# composites of the above (log-determinants, powers, pseudo-inverse, rank, chained products)
from .linalg_extras import (cholesky_ex, cond, diagonal, inv_ex, lstsq, matmul, solve_ex, matrix_power, matrix_rank, multi_dot,  # noqa: E402
                            pinv, slogdet, solve_triangular, vander, vecdot)
from ._matrix_exp import matrix_exp  # noqa: E402
