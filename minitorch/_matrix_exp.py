"""The matrix exponential exp(A) = sum_k A^k / k! (torch.linalg.matrix_exp), with its gradient.

Forward: scaling and squaring with the degree-13 Pade approximant (Higham, "The scaling and
squaring method for the matrix exponential revisited", 2005): A is divided by 2^s until its
1-norm is at most theta_13 = 5.37, where r_13(A) = (V - U)^-1 (V + U) is exact to double
precision, and the result is squared s times. Each matrix of a batch gets its own s.

Backward: for the upstream gradient G, the gradient is the top-right block of the exponential of
the block matrix [[A^T, G], [0, A^T]] (the Frechet derivative of exp in direction G, evaluated at
A^T). It is computed with this same op, so the backward is itself differentiable.
"""
from __future__ import annotations

import numpy as np

from ._creation import zeros
from ._ops.join import cat
from ._tensor import Tensor
from .autograd.function import Function
from .linalg import _check_matrices

__all__ = ["matrix_exp"]

_PADE_13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800., 129060195264000.,
            10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182., 1.)
_THETA_13 = 5.371920351148152


def _expm(A: np.ndarray) -> np.ndarray:
    """exp of each matrix of A (..., n, n), in float64 and cast back to A's dtype."""
    M = A.astype(np.float64)
    n = M.shape[-1]
    if M.size == 0:
        return A.copy()
    norms = np.abs(M).sum(axis=-2).max(axis=-1)  # 1-norm: the largest column sum
    with np.errstate(divide="ignore"):
        s = np.maximum(0, np.ceil(np.log2(norms / _THETA_13))).astype(np.int64)
    M = M / (2.0 ** s)[..., None, None]
    b = _PADE_13
    I = np.eye(n)
    M2 = M @ M
    M4 = M2 @ M2
    M6 = M4 @ M2
    U = M @ (M6 @ (b[13] * M6 + b[11] * M4 + b[9] * M2) + b[7] * M6 + b[5] * M4 + b[3] * M2 + b[1] * I)
    V = M6 @ (b[12] * M6 + b[10] * M4 + b[8] * M2) + b[6] * M6 + b[4] * M4 + b[2] * M2 + b[0] * I
    R = np.linalg.solve(V - U, V + U)
    for k in range(int(s.max(initial=0))):  # undo the scaling: exp(A) = exp(A / 2^s)^(2^s)
        R = np.where((s > k)[..., None, None], R @ R, R)
    return R.astype(A.dtype)


class _MatrixExp(Function):
    node_name = "LinalgMatrixExpBackward0"

    @staticmethod
    def forward(ctx, A):
        ctx.save_for_backward(A)
        return _expm(A)

    @staticmethod
    def backward(ctx, grad):
        A, = ctx.saved_tensors
        n = A.shape[-1]
        At = A.mT.expand(grad.shape)
        block = cat([cat([At, grad], -1), cat([zeros(grad.shape, dtype=grad.dtype), At], -1)], -2)
        return _MatrixExp.apply(block)[..., :n, n:]


def matrix_exp(A: Tensor) -> Tensor:
    """exp(A) of each square matrix of A (..., n, n), same shape and dtype."""
    _check_matrices("matrix_exp", A)
    return _MatrixExp.apply(A)
