"""The factorisations of `minitorch.linalg`: eigh, svd, qr and cholesky. Each is one `Function`
whose backward is written with tensor ops (Giles 2008; Walter & Lehmann 2018 for QR; Townsend
2016 for the SVD), so the gradients are themselves differentiable."""
from __future__ import annotations

import numpy as np

from .._creation import eye, tensor
from .._ops.inplace import writes_out
from .._ops.join import cat
from .._tensor import Tensor
from ..autograd.function import Function
from .checks import _OUT_DTYPE, LinAlgError, _check_matrices, _diag_embed, _diagonal
from .inverse import solve


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

