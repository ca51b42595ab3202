"""torch's top-level linear-algebra names (torch.inverse, torch.det, ...), as thin aliases of
`minitorch.linalg` with the older argument conventions."""
from __future__ import annotations

import warnings
from typing import Any

from ._tensor import Tensor
from . import linalg
from .linalg_extras import logdet

__all__ = ["inverse", "det", "logdet", "slogdet", "cholesky", "qr", "pinverse", "matrix_power",
           "chain_matmul", "matrix_exp"]

inverse, det, slogdet, matrix_power = linalg.inv, linalg.det, linalg.slogdet, linalg.matrix_power
matrix_exp = linalg.matrix_exp


def _deprecated(old: str, new: str, advice: str) -> None:
    """torch's deprecation warning for the top-level names superseded by torch.linalg."""
    warnings.warn(f"torch.{old} is deprecated in favor of torch.linalg.{new} and will be removed in a "
                  f"future PyTorch release.\n{advice}", UserWarning, stacklevel=3)


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """torch.cholesky: linalg.cholesky with `upper` positional (deprecated in torch)."""
    _deprecated("cholesky", "cholesky", "L = torch.cholesky(A)\nshould be replaced with\n"
                "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be "
                "replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent "
                "results for all valid (symmetric positive definite) inputs.")
    return linalg.cholesky(input, upper=upper)


def qr(input: Tensor, some: bool = True) -> Any:
    """torch.qr: linalg.qr with some=True for 'reduced' and some=False for 'complete' (deprecated)."""
    _deprecated("qr", "qr", "The boolean parameter 'some' has been replaced with a string parameter "
                "'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\n"
                "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")
    return linalg.qr(input, "reduced" if some else "complete")


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: linalg.pinv with a relative cutoff rcond."""
    return linalg.pinv(input, rtol=rcond)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of 2-D matrices, left to right (deprecated in torch for linalg.multi_dot)."""
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
                  "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
                  "rather than multiple parameters.", UserWarning, stacklevel=2)
    return matrices[0] if len(matrices) == 1 else linalg.multi_dot(matrices)
