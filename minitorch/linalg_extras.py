"""Linear-algebra functions composed from `minitorch.linalg`'s differentiable pieces: log-
determinants, matrix powers, the pseudo-inverse and rank, chained and vector products.

They are written with tensor ops (det, inv, svd, matmul), so their gradients are those of the
pieces, which equal torch's for the invertible / full-rank inputs their formulas assume; the
triangular solve is its own substitution, which like torch's trsm does not refuse a zero pivot.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ._creation import empty, eye, tensor
from ._dtype import finfo, float32, float64
from ._ops._common import broadcast_shape, not_implemented
from ._ops.join import cat
from ._ops.compare import where
from ._ops.linalg import diagonal as _diagonal, matmul
from ._ops.extremes import _return_type
from ._tensor import Tensor
from .autograd.function import Function, label_node
from ._linalg.checks import LinAlgError, _check_matrices
from ._linalg.decompositions import cholesky, svd
from ._linalg.inverse import _lu, _solve_operands, _zero_pivot, inv, solve
from .linalg import matrix_norm, svdvals

__all__ = ["slogdet", "logdet", "matrix_power", "pinv", "matrix_rank", "multi_dot", "vecdot", "matmul",
           "diagonal", "vander", "cond", "solve_triangular",
           "lstsq", "inv_ex", "solve_ex", "cholesky_ex"]

_slogdet_t = _return_type("slogdet", "sign logabsdet")
_inv_ex_t = _return_type("linalg_inv_ex", "inverse info")
_solve_ex_t = _return_type("linalg_solve_ex", "result info")
_cholesky_ex_t = _return_type("linalg_cholesky_ex", "L info")
_lstsq_t = _return_type("lstsq", "solution residuals rank singular_values")


class _Slogdet(Function):
    node_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, A):
        sign, logabsdet = np.linalg.slogdet(A)  # from the LU's diagonal: no overflow of det itself
        sign, logabsdet = np.asarray(sign, A.dtype), np.asarray(logabsdet, A.dtype)
        ctx.save_for_backward(A)
        return sign, logabsdet  # both outputs belong to the node, as in torch; only logabsdet has a gradient

    @staticmethod
    def backward(ctx, grad_sign, grad_logabsdet):
        if grad_logabsdet is None:  # a loss on the piecewise-constant sign alone
            return None
        A, = ctx.saved_tensors
        # d log|det A| / dA = A^-T, which torch solves (A^T X = I) with A's LU: through a zero pivot of a
        # singular A it divides by zero, as solve_ex(A, I, left=False) replays
        inverse = solve_ex(A, eye(A.shape[-1], dtype=A.dtype).expand(A.shape), left=False).result
        return grad_logabsdet.unsqueeze(-1).unsqueeze(-1) * inverse.mT


def slogdet(A: Tensor) -> Any:
    """(sign, log|det|) of each square matrix of A (..., n, n), both (...), one node as torch's;
    sign is 0 and logabsdet -inf for a singular matrix. Only logabsdet carries a gradient (A^{-T})."""
    _check_matrices("slogdet", A)
    return _slogdet_t(*_Slogdet.apply(A))


def logdet(A: Tensor) -> Tensor:
    """log det(A) for square A (..., n, n): nan where det < 0, -inf where det = 0 (as torch)."""
    _check_matrices("logdet", A)
    sign, logabsdet = _Slogdet.apply(A)
    return where(sign < 0, float("nan"), logabsdet)  # as torch's: no gradient where det < 0


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n for square A (..., k, k) by repeated squaring; n = 0 gives I, n < 0 uses inv(A)."""
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{A.shape[-2] if A.ndim > 1 else 1} by {A.shape[-1]} matrices")
    if n == 0:
        return A * 0 + eye(A.shape[-1], dtype=A.dtype)  # still a function of A, as torch's (zero gradient)
    if n < 0:
        A, n = inv(A), -n
    result, square = None, A
    while n:
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


def _rank_tolerance(S: Tensor, shape: Sequence[int], atol: Any, rtol: Any) -> Tensor:
    """max(atol, rtol * sigma_max) per matrix, (..., 1); torch's default rtol is eps * max(m, n)
    when atol is not given, else 0."""
    if rtol is None:
        rtol = finfo(S.dtype).eps * max(shape[-2:]) if atol is None or atol == 0 else 0.0
    cutoff = rtol * S.amax(-1, keepdim=True) if S.shape[-1] else S.sum(-1, keepdim=True)
    return cutoff.clamp(min=atol) if atol is not None else cutoff


def pinv(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse of each matrix of A (..., m, n): (..., n, m), through the
    SVD with singular values at or below max(atol, rtol * sigma_max) treated as zero."""
    _check_matrices("pinv", A, square=False)
    U, S, Vh = svd(A, full_matrices=False)
    keep = S > _rank_tolerance(S.detach(), A.shape, atol, rtol)
    S_inv = (1 / S.masked_fill(~keep, 1)).masked_fill(~keep, 0)
    return label_node((Vh.mT * S_inv.unsqueeze(-2)) @ U.mT, "LinalgPinvBackward0")


def matrix_rank(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The number of singular values of each matrix of A (..., m, n) above the tolerance: int64 (...)."""
    _check_matrices("matrix_rank", A, square=False)
    S = svdvals(A.detach())
    return (S > _rank_tolerance(S, A.shape, atol, rtol)).sum(-1)


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices, left to right; the first may be a row vector (1-D) and
    the last a column vector (1-D), whose dims are dropped from the result."""
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for t, which in ((tensors[0], "first"), (tensors[-1], "last")):
        if t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got {t.ndim}D")
    first, last = tensors[0].ndim == 1, tensors[-1].ndim == 1
    chain = [tensors[0].unsqueeze(0) if first else tensors[0], *tensors[1:-1],
             tensors[-1].unsqueeze(-1) if last else tensors[-1]]
    for i, t in enumerate(chain[1:-1], 1):
        if t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    result = chain[0]
    for t in chain[1:]:
        result = result @ t
    if first:
        result = result.squeeze(0)
    return result.squeeze(-1) if last else result


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The dot product of x and y along dim, after broadcasting: sum(x * y, dim)."""
    return (x * y).sum(dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of the matrices A (..., m, n): torch.diagonal over the last two dims."""
    return _diagonal(A, offset, dim1, dim2)


def vander(x: Tensor, N: Any = None) -> Tensor:
    """The Vandermonde matrices of x (..., n): (..., n, N) with columns x^0, x^1, ..., x^(N-1),
    built by a running product so that the gradient at x = 0 is finite (as torch's)."""
    N = x.shape[-1] if N is None and x.ndim else N
    if x.ndim == 0 or N is None or N <= 1:
        raise RuntimeError("N must be greater than 1.")
    column = x.unsqueeze(-1)
    powers = column.expand(*x.shape, N - 1).cumprod(-1)
    return cat([column ** 0, powers], -1)


def cond(A: Tensor, p: Any = None) -> Tensor:
    """The condition number of each matrix of A: sigma_max / sigma_min for p = None or 2 (any
    shape), sigma_min / sigma_max for -2, else ||A||_p ||A^{-1}||_p (square A)."""
    if p in (None, 2, -2):
        _check_matrices("cond", A, square=False)
        S = svdvals(A)
        ratio = S[..., 0] / S[..., -1]
        return 1 / ratio if p == -2 else ratio
    _check_matrices("cond", A)
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


def _substitute(T: np.ndarray, B: np.ndarray, upper: bool) -> np.ndarray:
    """X with T X = B for triangular T (..., n, n) by back (upper) or forward substitution, as BLAS's
    trsm: a zero on the diagonal divides by zero (inf and nan, as torch returns) instead of refusing."""
    n = T.shape[-1]
    X = np.empty(np.broadcast_shapes(T.shape[:-2], B.shape[:-2]) + B.shape[-2:], dtype=B.dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in (range(n - 1, -1, -1) if upper else range(n)):
            solved = slice(i + 1, n) if upper else slice(0, i)
            known = (T[..., i, solved, None] * X[..., solved, :]).sum(-2)  # 0 * inf is nan, as in trsm
            X[..., i, :] = (B[..., i, :] - known) / T[..., i, i, None]
    return X


class _TriangularSolve(Function):
    node_name = "LinalgSolveTriangularBackward0"

    @staticmethod
    def forward(ctx, T, B, upper):
        X = _substitute(T, B, upper)
        ctx.save_for_backward(T, X)
        ctx.upper = upper
        return X

    @staticmethod
    def backward(ctx, grad):
        T, X = ctx.saved_tensors
        grad_B = _TriangularSolve.apply(T.mT, grad, not ctx.upper)  # T^T is triangular the other way
        grad_T = -(grad_B @ X.mT) if ctx.needs_input_grad[0] else None
        return grad_T, grad_B, None


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False) -> Tensor:
    """X with A X = B (X A = B when left=False), reading only the upper (or lower) triangle of
    A (..., n, n) and taking its diagonal as ones if unitriangular; B is (..., n, k). Batch dims
    broadcast. A zero on the diagonal gives inf/nan, as in torch (no singularity check)."""
    name = "linalg.solve_triangular"
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    if B.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    if (B.shape[-2] if left else B.shape[-1]) != A.shape[-1]:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {equation} "
                           f"({A.shape[-2]}x{A.shape[-1]} and {B.shape[-2]}x{B.shape[-1]})")
    batch = broadcast_shape(tuple(B.shape[:-2]), tuple(A.shape[:-2]))  # torch names B's sizes first
    if A.dtype not in (float32, float64):  # torch checks the dtype last, and computes in A's
        raise not_implemented("triangular_solve_cpu", A.dtype)
    B = B.to(A.dtype)
    # the triangle as a differentiable mask, so A's gradient lands on that triangle only, as torch's
    T = (A.triu(1) if upper else A.tril(-1)) if unitriangular else (A.triu() if upper else A.tril())
    if unitriangular:
        T = T + eye(A.shape[-1], dtype=A.dtype)
    if not left:  # X A = B is A^T X^T = B^T, and A^T is triangular the other way
        T, B, upper = T.mT, B.mT, not upper
    X = _TriangularSolve.apply(T.expand(*batch, *T.shape[-2:]), B.expand(*batch, *B.shape[-2:]), upper)
    return X if left else X.mT


_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A: Tensor, B: Tensor, rcond: Any = None, *, driver: Any = None) -> Any:
    """The least-squares solution X (..., n, k) of A X ~ B for A (..., m, n), B (..., m, k), with
    singular values below rcond * sigma_max (default eps * max(m, n)) dropped (the minimum-norm
    solution). As torch on the CPU (default driver 'gelsy'): rank for all drivers but 'gels',
    singular_values for 'gelsd'/'gelss', residuals (..., k) for the others when m > n and every
    matrix has full rank; the fields not computed are empty."""
    driver = "gelsy" if driver is None else driver
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    _check_matrices("lstsq", A, square=False)
    rtol = finfo(A.dtype).eps * max(A.shape[-2:]) if rcond is None else rcond
    X = label_node(pinv(A, rtol=rtol) @ B, "LinalgLstsqBackward0")
    S = svdvals(A.detach())
    rank = (S > _rank_tolerance(S, A.shape, None, rtol)).sum(-1)
    nothing = empty(0, dtype=A.dtype)
    m, n = A.shape[-2], A.shape[-1]
    full_rank = bool((rank == min(m, n)).all().item())
    # torch's residuals come out of the solution's node, empty ones too (so they require grad alike)
    residuals = ((A @ X - B) ** 2).sum(-2) if driver != "gelsy" and m > n and full_rank else X.reshape(-1)[:0]
    label_node(residuals, "LinalgLstsqBackward0")
    return _lstsq_t(X, residuals, rank if driver != "gels" else empty(0, dtype=rank.dtype),
                    S if driver in ("gelsd", "gelss") else nothing)


# ----- the *_ex variants: an int32 `info` per matrix instead of (or before) raising --------
def _potf2(M: np.ndarray) -> tuple[np.ndarray, int]:
    """LAPACK's potf2 on M's lower triangle, in its dtype: L, and info, the order of the first leading
    minor that is not positive-definite (0 if none). On failure L holds what LAPACK leaves (torch
    returns it): the columns before the failing one, the failing pivot a_jj - sum_k L_jk^2 on the
    diagonal, and M's own triangle after it."""
    L = np.tril(M)
    for j in range(len(L)):
        pivot = L[j, j] - (L[j, :j] * L[j, :j]).sum()  # in the dtype (BLAS's sdot may accumulate wider)
        if not pivot > 0:
            L[j, j] = pivot
            return L, j + 1
        L[j, j] = np.sqrt(pivot)
        L[j + 1:, j] = (L[j + 1:, j] - (L[j + 1:, :j] * L[j, :j]).sum(-1)) * (1 / L[j, j])  # LAPACK scales so
    return L, 0


def _lu_solve_left_over(A: np.ndarray, B: np.ndarray, left: bool) -> np.ndarray:
    """What LAPACK's getrf + getrs leave for X A = B or A X = B when A's LU has a zero pivot (torch
    returns it): the substitutions run on through it, dividing by zero."""
    LU, swaps, _ = _lu(A)
    L, U = np.tril(LU, -1) + np.eye(len(LU), dtype=LU.dtype), np.triu(LU)
    if left:  # A = P L U: X = U^-1 L^-1 P^T B
        X = B.copy()
        for k, p in enumerate(swaps):
            X[[k, p]] = X[[p, k]]
        return _substitute(U, _substitute(L, X, upper=False), upper=True)
    X = _substitute(L.T, _substitute(U.T, B.T, upper=False), upper=True)  # A^T X^T = U^T L^T P^T X^T = B^T
    for k, p in reversed(list(enumerate(swaps))):
        X[[k, p]] = X[[p, k]]
    return X.T


def _ex(name: str, A: Tensor, solver: Callable, check: Callable, left_over: Callable, check_errors: bool,
        batch: tuple | None = None) -> tuple:
    """solver(A) and info (...) int32, one per matrix of A; a result with info != 0 (results have
    `batch`, A's batch or a broadcast of it) comes out as left_over(index), what LAPACK leaves there,
    or raises as the plain function does if check_errors."""
    array = A.detach().numpy()
    info = np.zeros(array.shape[:-2], dtype=np.int32)
    for index in np.ndindex(info.shape):
        info[index] = check(array[index])
    if check_errors:
        try:
            return solver(A), tensor(info)
        except LinAlgError as error:
            raise LinAlgError(str(error).replace(f"linalg.{name}:", f"linalg.{name}_ex:", 1)) from None
    replay = np.array(np.broadcast_to(info != 0, info.shape if batch is None else batch))
    failed = tensor(info != 0)[(...,) + (None,) * 2]
    safe = A.masked_fill(failed, 0) + eye(A.shape[-1], dtype=A.dtype).masked_fill(~failed, 0) if info.any() else A
    try:
        result = solver(safe)
    except (LinAlgError, np.linalg.LinAlgError):  # numpy's LAPACK rounded a pivot to zero that getf2 does not:
        replay[...] = True                          # replay them all
        result = solver(eye(A.shape[-1], dtype=A.dtype).expand(A.shape))
    partial = np.zeros(result.shape, dtype=array.dtype)
    for index in np.ndindex(replay.shape):
        if replay[index]:
            partial[index] = left_over(index)
    return where(tensor(replay)[(...,) + (None,) * 2], tensor(partial), result), tensor(info)


def inv_ex(A: Tensor, *, check_errors: bool = False) -> Any:
    """(inverse, info): inv(A) with info the first zero LU pivot (1-based) of each matrix, 0 if none."""
    _check_matrices("inv_ex", A)
    array = A.detach().numpy()
    identity = np.eye(A.shape[-1], dtype=array.dtype)
    return _inv_ex_t(*_ex("inv", A, inv, _zero_pivot, lambda i: _lu_solve_left_over(array[i], identity, True),
                          check_errors))


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False) -> Any:
    """(result, info): solve(A, B) with info as in inv_ex."""
    _check_matrices("solve_ex", A)
    expanded, rhs, vector = _solve_operands(A, B, left)
    a, b = expanded.detach().numpy(), rhs.detach().numpy()  # info is one per matrix of A itself
    X, info = _ex("solve", A, lambda M: solve(M, rhs, left=left), _zero_pivot,
                  lambda i: _lu_solve_left_over(a[i], b[i], left), check_errors, batch=a.shape[:-2])
    return _solve_ex_t(X.squeeze(-1) if vector else X, info)


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> Any:
    """(L, info): cholesky(A) with info the order of the first leading minor of each matrix that is
    not positive-definite, 0 if none."""
    _check_matrices("cholesky_ex", A)
    array = A.detach().numpy()
    lower = array.swapaxes(-1, -2) if upper else array  # the triangle LAPACK reads

    def left_over(index: tuple) -> np.ndarray:
        L = _potf2(lower[index])[0]
        return L.T if upper else L
    return _cholesky_ex_t(*_ex("cholesky", A, lambda M: cholesky(M, upper=upper),
                               lambda M: _potf2(M.T if upper else M)[1], left_over, check_errors))
