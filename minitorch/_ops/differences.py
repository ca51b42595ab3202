"""Finite differences: diff.

out[i] = x[i + 1] - x[i] along a dim, n times over: two overlapping slices subtracted,
so the gradient comes from narrow and sub (for bools the difference is logical_xor).
"""
from __future__ import annotations

from .. import _dtype
from .._tensor import Tensor, wrap_dim
from ._common import check_tensor_input
from .compare import logical_xor
from .inplace import writes_out
from .join import cat

__all__ = ["diff"]


@writes_out
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along `dim` (size shrinks by n, down to 0), after joining
    `prepend` and `append` (tensors with input's number of dims) to either end."""
    check_tensor_input("diff", input)
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, input.ndim)
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is not None and not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
        if extra is not None and extra.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    parts = [t for t in (prepend, input, append) if t is not None]
    x = cat(parts, dim=d) if len(parts) > 1 else input
    for _ in range(n):
        length = max(x.shape[d] - 1, 0)
        later, earlier = x.narrow(d, x.shape[d] - length, length), x.narrow(d, 0, length)
        x = logical_xor(later, earlier) if x.dtype is _dtype.bool else later - earlier
    return x
