"""torch.svd, the older form of torch.linalg.svd that returns V rather than its transpose.

It is linalg.svd with the last factor transposed; with compute_uv=False only the singular
values are computed and U and V are zero matrices of their full sizes, as in torch.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor, _wrap
from .extremes import _return_type
from .inplace import writes_out

__all__ = ["svd"]

_svd_t = _return_type("svd", "U S V")


@writes_out(dtype_rule="same")
def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
    """(U, S, V) with input = U @ diag(S) @ V.mT, for a matrix or a batch (..., m, n): the reduced
    factors (some=True: U is (m, k), V is (n, k), k = min(m, n)) or the full square ones."""
    from .. import linalg  # minitorch.linalg is built on _ops, so it is imported on use
    if not compute_uv:
        m, n = input.shape[-2:]
        batch = tuple(input.shape[:-2])
        dt = input._array.dtype
        return _svd_t(_wrap(np.zeros(batch + (m, m), dt)), linalg.svdvals(input), _wrap(np.zeros(batch + (n, n), dt)))
    U, S, Vh = linalg.svd(input, full_matrices=not some)
    return _svd_t(U, S, Vh.mT)
