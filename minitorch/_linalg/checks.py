"""Shared pieces of `minitorch.linalg`: its error type, torch's argument checks and messages, and the
diagonal helpers the backward formulas are written with."""
from __future__ import annotations

from .. import _dtype
from .._creation import eye
from .._tensor import Tensor

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
