"""`minitorch.linalg`: norms, inverse, determinant, solve and the matrix factorisations.

Every function takes batches of matrices (..., m, n), computes in numpy's LAPACK routines,
and is differentiable where torch's is. Each factorisation is one `Function` whose backward
is written with tensor ops (matrix products and the `inv`/`solve` of this module), so the
gradients are themselves differentiable. The backward formulas are the standard ones for
real matrices (Giles 2008, "Collected matrix derivative results"; Walter & Lehmann 2018 for
QR; Townsend 2016 for the SVD).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from . import _dtype
from ._creation import eye, tensor, zeros
from ._ops._common import broadcast_shape
from ._ops.inplace import writes_out
from ._ops.join import cat
from ._ops.norms import vector_norm as _vector_norm
from ._ops.vector_products import linalg_cross as cross
from ._tensor import Tensor, wrap_dim
from .autograd.function import Function

__all__ = ["LinAlgError", "vector_norm", "matrix_norm", "norm", "inv", "det", "solve", "eigh",
           "eigvalsh", "svd", "svdvals", "qr", "cholesky", "cross",
           "slogdet", "matrix_power", "pinv", "matrix_rank", "multi_dot", "vecdot",
           "matmul", "diagonal", "vander", "cond", "solve_triangular", "lstsq",
           "inv_ex", "solve_ex", "cholesky_ex", "matrix_exp"]


# torch.linalg's functions take out= (tuples for the factorisations), of exactly the result's dtype
_OUT_DTYPE = "Expected out tensor to have dtype {result_cpp}, but got {out_cpp} instead"


class LinAlgError(RuntimeError):
    """A matrix was singular or not positive-definite (torch.linalg.LinAlgError)."""


_TYPE_TITLE = {"float16": "Half", "float32": "Float", "float64": "Double", "int64": "Long",
               "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _check_matrices(name: str, A: Tensor, square: bool = True, half: bool = False) -> None:
    """torch's argument checks: a floating tensor (float16 only if `half`) of at least 2 dims, square if required."""
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{name}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if not A.dtype.is_floating_point or (A.dtype is _dtype.float16 and not half):
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_TYPE_TITLE.get(A.dtype.name, A.dtype.name)}")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def _diag_embed(values: Tensor) -> Tensor:
    """(..., k) -> (..., k, k) with `values` on the diagonal (differentiable)."""
    return values.unsqueeze(-1) * eye(values.shape[-1], dtype=values.dtype)


def _diagonal(M: Tensor) -> Tensor:
    """(..., k, k) -> (..., k), the main diagonal (differentiable)."""
    return (M * eye(M.shape[-1], dtype=M.dtype)).sum(-1)


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


# ----- inverse, determinant, solve -------------------------------------------------------
def _lu(M: np.ndarray) -> tuple[np.ndarray, list, int]:
    """LAPACK's getf2 on one matrix, in its dtype: LU (L's multipliers below the diagonal, U on and
    above), the row swapped with each row k, and info, the 1-based index of the first zero pivot
    (0 if none). Like LAPACK, a zero pivot does not stop the factorisation."""
    LU = np.array(M, copy=True)
    swaps, info = [], 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(LU.shape[-1]):
            p = k + int(np.argmax(np.abs(LU[k:, k])))
            swaps.append(p)
            LU[[k, p]] = LU[[p, k]]
            if LU[k, k] == 0:
                info = info or k + 1
            else:  # by the reciprocal, as LAPACK scales
                LU[k + 1:, k] *= 1 / LU[k, k]
            LU[k + 1:, k + 1:] -= np.outer(LU[k + 1:, k], LU[k, k + 1:])
    return LU, swaps, info


def _zero_pivot(M: np.ndarray) -> int:
    """1-based index of the first zero pivot of M's LU factorisation with partial pivoting, or 0."""
    return _lu(M)[2]


def _raise_if_singular(name: str, A: np.ndarray) -> None:
    """LinAlgError naming the first zero pivot of LU, as torch's messages do."""
    for index in np.ndindex(A.shape[:-2]):
        pivot = _zero_pivot(A[index])
        if pivot:
            batch = f"(Batch element {np.ravel_multi_index(index, A.shape[:-2])}): " if A.ndim > 2 else ""
            if name == "solve":
                raise LinAlgError(f"torch.linalg.solve: {batch}The solver failed because the input matrix "
                                  "is singular.")
            raise LinAlgError(f"linalg.{name}: {batch}The diagonal element {pivot} is zero, the inversion "
                              "could not be completed because the input matrix is singular.")


class Inv(Function):
    node_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, A):
        try:
            result = np.linalg.inv(A)
        except np.linalg.LinAlgError:
            _raise_if_singular("inv", A)
            raise
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        A_inv, = ctx.saved_tensors
        return -(A_inv.mT @ grad @ A_inv.mT)


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix of A (..., n, n); LinAlgError if one is singular."""
    _check_matrices("inv", A)
    return Inv.apply(A)


def _adjugate(A: np.ndarray) -> np.ndarray:
    """adj(A) of each matrix through the SVD, A = U diag(s) V^T: adj(A) = det(U V^T) V diag(c) U^T
    with c_i the product of the other singular values; finite for singular A too."""
    U, s, Vh = np.linalg.svd(A)
    n = s.shape[-1]
    others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
    sign = np.linalg.det(U) * np.linalg.det(Vh)
    return sign[..., None, None] * (Vh.swapaxes(-1, -2) * others[..., None, :]) @ U.swapaxes(-1, -2)


class Det(Function):
    node_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, A):
        ctx.save_for_backward(A)
        return np.asarray(np.linalg.det(A), dtype=A.dtype)

    @staticmethod
    def backward(ctx, grad):
        A, = ctx.saved_tensors
        if A.numel() == 0:
            return A * 0
        # d det(A)/dA = adj(A)^T. For invertible matrices adj(A) = det(A) A^{-1}, written with
        # tensor ops so that it differentiates again; a singular matrix gets the SVD adjugate
        # (first derivatives only).
        array = A._array
        if np.all(np.linalg.matrix_rank(array) == array.shape[-1]):
            return (grad * det(A)).unsqueeze(-1).unsqueeze(-1) * inv(A).mT
        adj_T = tensor(_adjugate(array).swapaxes(-1, -2), dtype=A.dtype)
        return grad.unsqueeze(-1).unsqueeze(-1) * adj_T


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix of A (..., n, n): shape (...)."""
    _check_matrices("det", A)
    return Det.apply(A)


def _is_vector_rhs(A: Tensor, B: Tensor) -> bool:
    """torch's rule: B is a (batch of) vector(s) if 1-D, or if its shape is A's minus the last dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


class Solve(Function):
    node_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, A, B):
        try:
            X = np.linalg.solve(A, B)
        except np.linalg.LinAlgError:
            _raise_if_singular("solve", np.broadcast_to(A, A.shape))
            raise
        ctx.save_for_backward(A, X)
        return X

    @staticmethod
    def backward(ctx, grad):
        A, X = ctx.saved_tensors
        grad_B = solve(A.mT, grad)
        grad_A = -(grad_B @ X.mT) if ctx.needs_input_grad[0] else None
        return grad_A, grad_B


def _solve_operands(A: Tensor, B: Tensor, left: bool) -> tuple[Tensor, Tensor, bool]:
    """A and B as matrices expanded to their common batch, and whether B was a (batch of) vector(s);
    torch's checks in its order: dtypes, then the shapes of the equation, then the batch dims."""
    if B.dtype != A.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_TYPE_TITLE[A.dtype.name]} and B of type {_TYPE_TITLE[B.dtype.name]} instead")
    vector = _is_vector_rhs(A, B)
    rhs = B.unsqueeze(-1) if vector else B
    if (rhs.shape[-2] if left else rhs.shape[-1]) != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({A.shape[-2]}x{A.shape[-1]} and "
                           f"{rhs.shape[-2]}x{rhs.shape[-1]})")
    if vector and not left:  # passes the shape check only for 1 x 1 matrices
        raise RuntimeError("linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. "
                           "In this case linalg.solve is equivalent to B / A.squeeze(-1)")
    batch = broadcast_shape(tuple(rhs.shape[:-2]), tuple(A.shape[:-2]))  # torch names B's sizes first
    return A.expand(*batch, *A.shape[-2:]), rhs.expand(*batch, *rhs.shape[-2:]), vector


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B when left=False) for square A (..., n, n); B is (..., n, k)
    or a (batch of) vector(s) (..., n). Batch dims broadcast."""
    _check_matrices("solve", A)
    expanded, rhs, vector = _solve_operands(A, B, left)
    if not left:  # torch factors A itself; numpy would factor A^T, whose pivots may round to other than 0
        _raise_if_singular("solve", A._array)
    try:
        X = Solve.apply(expanded, rhs) if left else Solve.apply(expanded.mT, rhs.mT).mT
    except LinAlgError:
        _raise_if_singular("solve", A._array)  # torch numbers the batch elements of A itself, not of the broadcast
        raise
    return X.squeeze(-1) if vector else X


# ----- factorisations ----------------------------------------------------------------------
def _pairwise_inverse_gaps(values: Tensor) -> Tensor:
    """F (..., k, k) with F_ij = 1 / (values_j - values_i) off the diagonal and 0 on it."""
    gaps = values.unsqueeze(-2) - values.unsqueeze(-1)
    off = 1 - eye(values.shape[-1], dtype=values.dtype)
    return off / (gaps + (1 - off))


class Eigh(Function):
    node_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, A, uplo):
        L, V = np.linalg.eigh(A, UPLO=uplo)
        ctx.save_for_backward(L, V)
        return L.astype(A.dtype), V.astype(A.dtype)

    @staticmethod
    def backward(ctx, grad_L, grad_V):
        L, V = ctx.saved_tensors
        # gA = V (diag(gL) + F o skew(V^T gV)) V^T with F the inverse eigenvalue gaps; as torch,
        # V^T gV is first projected on the skew-symmetric matrices, so gA comes out symmetric
        VtgV = V.mT @ grad_V
        inner = _diag_embed(grad_L) + _pairwise_inverse_gaps(L) * (0.5 * (VtgV - VtgV.mT))
        return V @ inner @ V.mT, None


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def eigh(A: Tensor, UPLO: str = "L") -> tuple[Tensor, Tensor]:
    """Eigenvalues (ascending, (..., n)) and orthonormal eigenvectors (columns of (..., n, n)) of
    the symmetric matrices A, read from the lower (UPLO='L') or upper triangle."""
    _check_matrices("eigh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return Eigh.apply(A, UPLO)


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues of the symmetric matrices A, ascending: (..., n)."""
    return eigh(A, UPLO)[0]


class Svd(Function):
    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, A, full_matrices):
        U, S, Vh = np.linalg.svd(A, full_matrices=full_matrices)
        ctx.save_for_backward(U, S, Vh)
        ctx.full_matrices = full_matrices
        return U.astype(A.dtype), S.astype(A.dtype), Vh.astype(A.dtype)

    @staticmethod
    def backward(ctx, grad_U, grad_S, grad_Vh):
        U, S, Vh = ctx.saved_tensors
        if ctx.full_matrices:
            # Like torch, only the first k = min(m, n) singular vectors carry a gradient: the
            # others span the rest of the space in no unique way.
            k = S.shape[-1]
            U, Vh, grad_U, grad_Vh = U[..., :k], Vh[..., :k, :], grad_U[..., :k], grad_Vh[..., :k, :]
        V, grad_V = Vh.mT, grad_Vh.mT
        m, n = U.shape[-2], V.shape[-2]
        F = _pairwise_inverse_gaps(S * S)
        S_mat = _diag_embed(S)
        J = F * (U.mT @ grad_U - grad_U.mT @ U)
        K = F * (V.mT @ grad_V - grad_V.mT @ V)
        core = J @ S_mat + S_mat @ K + _diag_embed(grad_S)
        grad_A = U @ core @ Vh
        inv_S = _diag_embed(1 / S)
        if m > S.shape[-1]:  # the part of grad_U outside U's column space
            grad_A = grad_A + (eye(m, dtype=U.dtype) - U @ U.mT) @ grad_U @ inv_S @ Vh
        if n > S.shape[-1]:
            grad_A = grad_A + U @ inv_S @ grad_V.mT @ (eye(n, dtype=V.dtype) - V @ Vh)
        return grad_A, None


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def svd(A: Tensor, full_matrices: bool = True) -> tuple[Tensor, Tensor, Tensor]:
    """A = U diag(S) Vh for each matrix of A (..., m, n): U (..., m, m or k), S (..., k) descending,
    Vh (..., n or k, n), with k = min(m, n). With full_matrices, gradients reach A through the
    first k vectors only (as in torch)."""
    _check_matrices("svd", A, square=False)
    return Svd.apply(A, full_matrices)


def _copy_lower_to_upper(M: Tensor) -> Tensor:
    """tril(M, -1) + tril(M, -1)^T + diag(M): the symmetric matrix with M's lower triangle."""
    lower = M.tril(-1)
    return lower + lower.mT + _diag_embed(_diagonal(M))


class Qr(Function):
    node_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, A, mode):
        Q, R = np.linalg.qr(A, mode="complete" if mode == "complete" else "reduced")
        ctx.save_for_backward(Q, R)
        ctx.mode = mode
        return Q.astype(A.dtype), R.astype(A.dtype)

    @staticmethod
    def backward(ctx, grad_Q, grad_R):
        Q, R = ctx.saved_tensors
        m, n = Q.shape[-2], R.shape[-1]
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when "
                               "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                               "differentiate through linalg.qr.")
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and "
                               "nrows > ncols.")
        if m < n:
            # A wide A is [X | Y] with X = Q U square and Y = Q V: V = Q^T Y sends its gradient
            # on to Q, and Y's own is Q gV; X's follows the square rule below.
            U, grad_U, grad_V = R[..., :m], grad_R[..., :m], grad_R[..., m:]
            grad_Q = grad_Q + Q @ R[..., m:] @ grad_V.mT
            return cat([_square_qr_grad(Q, U, grad_Q, grad_U), Q @ grad_V], -1), None
        return _square_qr_grad(Q, R, grad_Q, grad_R), None


def _square_qr_grad(Q: Tensor, R: Tensor, grad_Q: Tensor, grad_R: Tensor) -> Tensor:
    """The gradient of A = Q R (m >= n, R square) from those of Q and R (Walter & Lehmann):
    M = R gR^T - gQ^T Q; gA = (gQ + Q copyltu(M)) R^{-T}."""
    M = R @ grad_R.mT - grad_Q.mT @ Q
    return solve(R, (grad_Q + Q @ _copy_lower_to_upper(M)).mT).mT


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def qr(A: Tensor, mode: str = "reduced") -> tuple[Tensor, Tensor]:
    """A = Q R with orthonormal columns Q and upper-triangular R; mode 'reduced' (k = min(m, n)
    columns), 'complete' (Q square) or 'r' (Q empty)."""
    _check_matrices("qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
                           "(default), 'r', or 'complete'")
    Q, R = Qr.apply(A, mode)
    if mode == "r":
        return tensor(np.empty(0, dtype=A._array.dtype)), R
    return Q, R


class Cholesky(Function):
    node_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, A, upper):
        lower = A.swapaxes(-1, -2) if upper else A  # LAPACK reads the triangle it is asked for
        try:
            L = np.linalg.cholesky(lower)
        except np.linalg.LinAlgError:
            raise LinAlgError(_cholesky_failure(lower)) from None
        ctx.save_for_backward(L)
        ctx.upper = upper
        return np.ascontiguousarray(L.swapaxes(-1, -2)) if upper else L

    @staticmethod
    def backward(ctx, grad):
        L, = ctx.saved_tensors
        if ctx.upper:
            grad = grad.mT
        # gA = L^{-T} Phi(L^T gL) L^{-1}, Phi = lower triangle with half the diagonal, then symmetrised
        P = L.mT @ grad
        phi = P.tril(-1) + 0.5 * _diag_embed(_diagonal(P))
        inner = solve(L.mT, phi)              # L^{-T} phi
        grad_A = solve(L.mT, inner.mT).mT     # (L^{-T} phi) L^{-1}
        return 0.5 * (grad_A + grad_A.mT), None


def _cholesky_failure(A: np.ndarray) -> str:
    """torch's message: the order of the first leading minor that is not positive-definite."""
    for index in np.ndindex(A.shape[:-2]):
        for order in range(1, A.shape[-1] + 1):
            try:
                np.linalg.cholesky(A[index][:order, :order])
            except np.linalg.LinAlgError:
                batch = f"(Batch element {np.ravel_multi_index(index, A.shape[:-2])}): " if A.ndim > 2 else ""
                return (f"linalg.cholesky: {batch}The factorization could not be completed because the "
                        f"input is not positive-definite (the leading minor of order {order} is not "
                        "positive-definite).")
    return "linalg.cholesky: The factorization could not be completed"


@writes_out(dtype_rule="same", message=_OUT_DTYPE)
def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The lower-triangular L with A = L L^T for symmetric positive-definite A (..., n, n)
    (read from its lower triangle); upper=True reads the upper one and gives
    L^T. LinAlgError if A is not positive-definite."""
    _check_matrices("cholesky", A)
    return Cholesky.apply(A, upper)


# composites of the above (log-determinants, powers, pseudo-inverse, rank, chained products)
from .linalg_extras import (cholesky_ex, cond, diagonal, inv_ex, lstsq, matmul, solve_ex, matrix_power, matrix_rank, multi_dot,  # noqa: E402
                            pinv, slogdet, solve_triangular, vander, vecdot)
from ._matrix_exp import matrix_exp  # noqa: E402
