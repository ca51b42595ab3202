"""Searching sorted sequences and sets: searchsorted, bucketize, isin.

All three answer "where does each value fall" with integers or booleans, so none of them
has a gradient: they work on the arrays and return tensors outside the graph.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ._common import check_tensor_input
from .inplace import writes_out

__all__ = ["searchsorted", "bucketize", "isin"]


def _side(right: bool, side: str | None) -> str:
    """numpy's side from torch's `right` flag and `side` name, which must not contradict each other."""
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                           "while right was True")
    return side


def _common_arrays(boundaries: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both in their promoted dtype, so that the comparisons are made as torch makes them."""
    common = np.result_type(boundaries, values)
    return boundaries.astype(common, copy=False), values.astype(common, copy=False)


@writes_out(dtype_rule="same")
def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """For each value, the index at which inserting it keeps the innermost rows of `sorted_sequence`
    sorted: the first such index (side='left'), or the last (side='right' / right=True).

    sorted_sequence is 1-D (searched for every value), or (..., M) with values (..., K) sharing its
    leading dims (row i of values searched in row i). `sorter` holds indices that sort an unsorted
    sequence along its last dim. Returns int64 (int32 with out_int32) shaped like `input`."""
    check_tensor_input("searchsorted", sorted_sequence)
    np_side = _side(right, side)
    seq = sorted_sequence._array
    if sorter is not None:
        if tuple(sorter.shape) != tuple(sorted_sequence.shape):
            raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same size, but got "
                               f"boundary tensor {list(sorted_sequence.shape)}and got sorter tensor "
                               f"{list(sorter.shape)}")
        if sorter.dtype is not _dtype.int64:
            raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                               f"{sorter.dtype}")
        seq = np.take_along_axis(seq, sorter._array, axis=-1)
    values = input._array if isinstance(input, Tensor) else np.asarray(input)
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if seq.ndim > 1 and (values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           f"dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
    seq, values = _common_arrays(seq, values)
    if seq.ndim == 1:
        found = np.searchsorted(seq, values, side=np_side)
    else:  # one search per row of the leading dims
        rows, row_values = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
        found = np.stack([np.searchsorted(r, v, side=np_side) for r, v in zip(rows, row_values)])
        found = found.reshape(values.shape)
    return _wrap(np.asarray(found, dtype=np.int32 if out_int32 else np.int64))


@writes_out(dtype_rule="same")
def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket of each value among the 1-D sorted `boundaries`: i with boundaries[i-1] < x <=
    boundaries[i] (right=False), or boundaries[i-1] <= x < boundaries[i] (right=True)."""
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    # x <= boundaries[i] is the first index where x can go keeping order: searchsorted's left side
    return searchsorted.without_out(boundaries, input, out_int32=out_int32, right=right)


@writes_out(dtype_rule="same")
def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """A bool tensor shaped like `elements`: True where the element occurs in `test_elements`
    (False there with invert=True). One of the two may be a number."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(f"isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but expected one of:\n"
                        " * (Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = "
                        "False, Tensor out = None)\n"
                        " * (Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = "
                        "False, Tensor out = None)\n"
                        " * (Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = "
                        "False, Tensor out = None)\n")
    a = elements._array if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._array if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    a, b = _common_arrays(a, b)
    return _wrap(np.asarray(np.isin(a, b, assume_unique=assume_unique, invert=invert)))
