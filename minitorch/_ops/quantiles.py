"""Order statistics of a sample: quantile, nanquantile, and the histogram histc.

A q-quantile sits at the fractional rank q * (n - 1) of the sorted values. It is computed
as the library computes it: sort, gather the values at the ranks just below and above,
and blend them. Sorting and gathering are differentiable, so the gradient flows back
to the one or two input elements the quantile was read from, weighted by the blend.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ._common import check_tensor_input, not_implemented
from .inplace import writes_out

__all__ = ["quantile", "nanquantile", "histc"]

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _check_q(name: str, input: Tensor, q: Any) -> np.ndarray:
    """q as an array of the input's dtype, after torch's checks (in torch's order)."""
    if input.dtype not in (_dtype.float32, _dtype.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        values = q._array
    else:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        values = np.asarray(q, dtype=input._array.dtype)
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and not np.all((values >= 0) & (values <= 1)):
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    return values


def _quantile(name: str, input: Tensor, q: Any, dim: int | None, keepdim: bool, interpolation: str,
              ignore_nan: bool) -> Tensor:
    check_tensor_input(name, input)
    qs = _check_q(name, input, q)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           f"but got {interpolation}")
    if dim is None:
        rows = input.reshape(-1)
        kept = (1,) * input.ndim
    else:
        d = wrap_dim(dim, input.ndim)
        rows = input.movedim(d, -1) if input.ndim else input.reshape(1)
        kept = tuple(1 if i == d else n for i, n in enumerate(input.shape))
    ordered = rows.sort(dim=-1).values  # NaNs sort last
    sorted_array = ordered._array
    # rank of each q in each row, shaped (..., len(q)); computed in the input's dtype as torch does
    q_row = qs.reshape(-1)
    nan = np.isnan(sorted_array)
    if ignore_nan:  # rank among the non-NaN values; an all-NaN row reads its first value (NaN)
        ranks = q_row * (np.sum(~nan, axis=-1, keepdims=True) - 1).astype(qs.dtype)
        ranks = np.where(ranks < 0, 0, ranks)
    else:  # a row with a NaN reads its last value (NaN)
        last = sorted_array.shape[-1] - 1
        ranks = np.where(nan.any(axis=-1, keepdims=True), qs.dtype.type(last), q_row * qs.dtype.type(last))
    ranks = ranks.astype(qs.dtype, copy=False)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)  # halves to even, like torch.round
    below = ranks.astype(np.int64)
    result = ordered.gather(-1, _wrap(below))
    if interpolation in ("linear", "midpoint"):
        above = ordered.gather(-1, _wrap(np.ceil(ranks).astype(np.int64)))
        weights = np.full_like(ranks, 0.5) if interpolation == "midpoint" else (ranks - below).astype(qs.dtype)
        result = result.lerp(above, _wrap(weights))
    # (..., len(q)) -> (len(q), *kept or reduced shape); a number q has no q dim
    result = result.movedim(-1, 0)
    out_shape = kept if keepdim else _reduced_shape(input.shape, dim)
    return result.reshape((qs.size,) + out_shape if qs.ndim else out_shape)


def _reduced_shape(shape: tuple, dim: int | None) -> tuple:
    """The input's shape without the reduced dim (no dims at all when reducing everything)."""
    if dim is None:
        return ()
    d = wrap_dim(dim, len(shape))
    return tuple(n for i, n in enumerate(shape) if i != d)


@writes_out(dtype_rule="same")
def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    """The q-quantiles of `input` (all of it, or along `dim`); q a number or a 1-D tensor of numbers in
    [0, 1], whose length becomes the result's first dim. Between two sorted values the result is
    interpolated: linear, lower, higher, midpoint or nearest. A slice with a NaN gives NaN."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, ignore_nan=False)


@writes_out(dtype_rule="same")
def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """quantile ignoring NaNs: the quantiles of each slice's other values (NaN if there are none)."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, ignore_nan=True)


@writes_out(dtype_rule="same")
def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """Counts of the elements in `bins` equal-width bins between min and max (both 0: the data's own
    min and max); elements outside are ignored, max falls in the last bin. Same dtype as input,
    no gradient."""
    check_tensor_input("histc", input)
    if not input.dtype.is_floating_point:
        raise not_implemented("histogram_cpu", input.dtype)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    a = input._array
    low, high = float(min), float(max)
    if low == high and a.size:
        low, high = float(a.min()), float(a.max())
    if low == high:  # a constant sample gets a unit-wide range around it
        low, high = low - 1, high + 1
    if low > high:
        raise RuntimeError("torch.histc: max must be larger than min")
    values = a[(a >= low) & (a <= high)]
    position = ((values - low) * bins / (high - low)).astype(np.int64)
    counts = np.bincount(np.minimum(position, bins - 1), minlength=bins)
    return _wrap(counts.astype(a.dtype))
