"""F.pad: constant, reflect, replicate and circular padding of the trailing dims.

Every mode is a per-axis *index map*: output position j along an axis reads input
position idx[j] (or the fill value where idx[j] == -1). Padding is then a `take` per
axis, and its gradient is the adjoint, a scatter-add through the same maps. The two
are each other's backward, so double backward works.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function

__all__: list = []

_MODES = ("constant", "reflect", "replicate", "circular")


def _index_map(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """Input index read by each output position along one axis (-1: the constant fill)."""
    q = np.arange(-before, size + after, dtype=np.int64)
    if mode == "constant":
        return np.where((q >= 0) & (q < size), q, -1)
    if mode == "reflect":
        q = np.abs(q)
        return np.where(q >= size, 2 * (size - 1) - q, q)
    if mode == "replicate":
        return np.clip(q, 0, size - 1)
    # circular: a negative pad first crops, and the wrapping repeats what is left (as torch does; where a
    # pad is longer than what is left, torch refuses or reads uninitialised memory, and we keep wrapping)
    lo, kept = max(-before, 0), size - max(-before, 0) - max(-after, 0)
    return lo + (np.arange(size + before + after, dtype=np.int64) - max(before, 0)) % max(kept, 1)


def _apply_maps(x: np.ndarray, maps: tuple, value: float) -> np.ndarray:
    for axis, idx, _ in maps:
        fill = idx < 0
        x = np.take(x, np.where(fill, 0, idx), axis=axis)
        if fill.any():
            where = [slice(None)] * x.ndim
            where[axis] = fill
            x[tuple(where)] = value
    return x


def _adjoint_maps(g: np.ndarray, maps: tuple) -> np.ndarray:
    for axis, idx, size in reversed(maps):
        moved = np.moveaxis(g, axis, 0)
        out = np.zeros((size,) + moved.shape[1:], dtype=g.dtype)
        keep = idx >= 0
        np.add.at(out, idx[keep], moved[keep])
        g = np.moveaxis(out, 0, axis)
    return np.ascontiguousarray(g)


class Pad(Function):
    @staticmethod
    def forward(ctx, x, maps, value):
        ctx.maps = maps
        return _apply_maps(x, maps, value)

    @staticmethod
    def backward(ctx, grad):
        return PadAdjoint.apply(grad, ctx.maps), None, None


class PadAdjoint(Function):
    """Sum each padded position's gradient back into the input position it copied."""

    @staticmethod
    def forward(ctx, g, maps):
        ctx.maps = maps
        return _adjoint_maps(g, maps)

    @staticmethod
    def backward(ctx, grad):
        return Pad.apply(grad, ctx.maps, 0), None


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the trailing dims of `input`: `pad` = (last_before, last_after, prev_before, ...).

    Modes: 'constant' (fill with `value`, negative pads crop), 'reflect' (mirror without
    repeating the edge), 'replicate' (repeat the edge), 'circular' (wrap around).
    Non-constant modes pad the last 1-3 dims of a (batched or unbatched) input.
    """
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    n = len(pad) // 2
    if n > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension {input.ndim}")
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        if value not in (None, 0, 0.0):
            raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
        if n > 3 or input.ndim not in (n + 1, n + 2):
            raise NotImplementedError(
                f"Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now "
                f"(got {input.ndim}D input with {len(pad)}-element padding)")
    maps = []
    shape = tuple(input.shape)
    for i in range(n):
        axis = input.ndim - 1 - i
        before, after = pad[2 * i], pad[2 * i + 1]
        size = shape[axis]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({before}, {after}) at dimension {axis} of "
                               f"input {list(shape)}")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode != "constant" and size == 0:
            raise RuntimeError(f"Expected a non-empty dim {axis} for {mode} padding, got input {list(shape)}")
        if size + before + after < 0:
            raise RuntimeError(f"The input size {size}, plus negative padding {before} and {after} "
                               f"resulted in a negative output size, which is invalid. Check "
                               f"dimension {axis} of your input.")
        if before or after:
            maps.append((axis, _index_map(size, before, after, mode), size))
    if not maps:
        return input.clone()
    return Pad.apply(input, tuple(maps), 0 if value is None else value)
