"""Index grids and combinations: meshgrid, cartesian_prod, combinations, tril_indices, triu_indices,
unravel_index.

meshgrid's grids are expanded views of the inputs, and cartesian_prod and combinations
pick input elements by index, so gradients flow back through expand, stack and indexing.
"""
from __future__ import annotations

import itertools
import warnings
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ._common import not_implemented
from .join import stack

__all__ = ["meshgrid", "cartesian_prod", "combinations", "tril_indices", "triu_indices", "unravel_index"]


def _check_vectors(tensors: Sequence[Tensor]) -> None:
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple:
    """Grids from 1-D (or 0-d) tensors of sizes n1, ..., nk: k tensors of shape (n1, ..., nk), the
    i-th varying along dim i ('ij'); 'xy' swaps the first two dims (Cartesian x-y order)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    vectors = [t.reshape(-1) for t in tensors]
    shape = tuple(v.shape[0] for v in vectors)
    grids = []
    for i, v in enumerate(vectors):
        view = [1] * len(vectors)
        view[i] = shape[i]
        grids.append(v.reshape(view).expand(shape))
    if indexing == "xy" and len(vectors) >= 2:  # x (the first input) along columns, y along rows
        grids = [g.transpose(0, 1) for g in grids]
    return tuple(grids)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All tuples (a, b, ...) with a from the first 1-D tensor, b from the second, ..., as the rows of
    an (n1*n2*..., k) tensor in lexicographic order; one tensor is returned as it is."""
    _check_vectors(tensors)
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], dim=1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """All r-element combinations of the 1-D `input`'s elements (itertools order), as the rows of a
    (count, r) tensor; with_replacement also allows an element to repeat."""
    _check_vectors((input,))
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return _wrap(np.empty((0,), input._array.dtype))
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = np.array(list(choose(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return input[_wrap(index)]


def _indices(name: str, row: int, col: int, offset: int, dtype: Any, np_fn: Any) -> Tensor:
    for what, n in (("row", row), ("col", col)):
        if n < 0:
            raise RuntimeError(f"{what} must be non-negative, got{n}")
    dtype = dtype or _dtype.int64
    if dtype not in (_dtype.int32, _dtype.int64):
        raise not_implemented(name, dtype)
    rows, cols = np_fn(row, offset, col)
    return _wrap(np.stack([rows, cols]).astype(dtype.np).reshape(2, -1))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (2, N) row and column indices of the lower triangle of a row x col matrix (the entries on or
    below diagonal `offset`), row by row."""
    return _indices("tril_indices", row, col, offset, dtype, np.tril_indices)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (2, N) row and column indices of the upper triangle (on or above diagonal `offset`)."""
    return _indices("triu_indices", row, col, offset, dtype, np.triu_indices)


def unravel_index(indices: Tensor, shape: Any) -> tuple:
    """The coordinates in an array of `shape` of each flat (row-major) index: one int64 tensor per dim,
    shaped like `indices`. As in torch, an index outside the array wraps around (negative ones too)."""
    if not isinstance(indices, Tensor):
        raise TypeError(f"expected 'indices' to be integer tensor, but got {type(indices).__name__}")
    if indices.dtype.is_floating_point or indices.dtype is _dtype.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    flat = indices._array.astype(np.int64)
    coords, stride = [], 1
    for n in reversed(shape):  # the last dim varies fastest
        coords.append(_wrap(np.floor_divide(flat, stride) % n if n else np.zeros_like(flat)))
        stride *= n
    return tuple(reversed(coords))
