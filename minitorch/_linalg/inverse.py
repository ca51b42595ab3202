"""The inverse, determinant and linear solve of `minitorch.linalg`, with LU-pivot error messages like
torch's; their backward formulas (Giles 2008) are tensor ops, so they differentiate again."""
from __future__ import annotations

import numpy as np

from .._creation import tensor
from .._ops._common import broadcast_shape
from .._ops.inplace import writes_out
from .._tensor import Tensor
from ..autograd.function import Function
from .checks import _OUT_DTYPE, _TYPE_TITLE, LinAlgError, _check_matrices


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
        # numpy's LU (fused multiply-adds) can leave a pivot of rounding size where torch's meets an exact 0
        # and refuses: an inverse that large gets the pivots checked as LAPACK's getf2 would find them
        if result.size and np.abs(A).max() * np.abs(result).max() * A.shape[-1] >= 1 / np.finfo(A.dtype).eps:
            _raise_if_singular("inv", A)
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
