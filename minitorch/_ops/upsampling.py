"""interpolate (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area) and
pixel_shuffle / pixel_unshuffle.

Every interpolation mode torch offers is separable: along each spatial axis, output
position j is a fixed weighted sum of a few input positions. So resampling is one
(out, in) matrix per axis applied with matmul, and the gradient (the transposed
matrices) and double backward come from matmul itself. The whole mode-specific part is
how a row of that matrix is built.
"""
from __future__ import annotations

import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ._common import type_name
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, apply_along_axes

__all__ = ["pixel_shuffle", "pixel_unshuffle"]

_NEEDS_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_CUBIC_A = -0.75


def _nearest_matrix(in_size: int, out_size: int, scale: float | None, exact: bool) -> np.ndarray:
    # torch computes the source index in float32: src = floor((dst [+ 0.5]) * in/out)
    ratio = np.float32(1.0 / scale) if scale is not None and scale > 0 else \
        np.float32(in_size) / np.float32(out_size)
    dst = np.arange(out_size, dtype=np.float32) + (np.float32(0.5) if exact else np.float32(0))
    src = np.minimum(np.floor(dst * ratio).astype(np.int64), in_size - 1)
    m = np.zeros((out_size, in_size))
    m[np.arange(out_size), src] = 1.0
    return m


def _source_positions(in_size: int, out_size: int, scale: float | None, align_corners: bool,
                      cubic: bool) -> np.ndarray:
    """Fractional input coordinate each output position samples (torch's pixel mapping)."""
    dst = np.arange(out_size, dtype=np.float64)
    if align_corners:
        ratio = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
        return ratio * dst
    ratio = 1.0 / scale if scale is not None and scale > 0 else in_size / out_size
    src = ratio * (dst + 0.5) - 0.5
    return src if cubic else np.maximum(src, 0.0)


def _linear_matrix(in_size, out_size, scale, align_corners) -> np.ndarray:
    src = _source_positions(in_size, out_size, scale, align_corners, cubic=False)
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    i1 = np.minimum(i0 + 1, in_size - 1)
    lam = src - i0
    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(m, (rows, i0), 1.0 - lam)
    np.add.at(m, (rows, i1), lam)
    return m


def _cubic_matrix(in_size, out_size, scale, align_corners) -> np.ndarray:
    src = _source_positions(in_size, out_size, scale, align_corners, cubic=True)
    i0 = np.floor(src).astype(np.int64)
    t = src - i0
    a = _CUBIC_A

    def near(x):   # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):    # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    for offset, weight in ((-1, far(t + 1)), (0, near(t)), (1, near(1 - t)), (2, far(2 - t))):
        # taps outside the input read the border pixel
        np.add.at(m, (rows, np.clip(i0 + offset, 0, in_size - 1)), weight)
    return m


def _output_size(x: Tensor, dims: int, size, scale_factor, recompute_scale_factor):
    """Output spatial size and the scale factors handed to the resampler (None = use sizes)."""
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    spatial = tuple(x.shape[2:])
    if size is not None:
        sizes = (int(size),) * dims if isinstance(size, (int, np.integer)) else tuple(int(s) for s in size)
        if len(sizes) != dims:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got "
                             f"input with spatial dimensions of {list(spatial)} and output size of "
                             f"{list(sizes)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                             f"and output size in (o1, o2, ...,oK) format.")
        return sizes, (None,) * dims
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = (float(scale_factor),) * dims if isinstance(scale_factor, (int, float)) \
        else tuple(float(s) for s in scale_factor)
    if len(scales) != dims:
        raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                         f"input with spatial dimensions of {list(spatial)} and scale_factor of shape "
                         f"{list(scales)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                         f"and scale_factor in (s1, s2, ...,sK) format.")
    sizes = tuple(math.floor(float(s) * f) for s, f in zip(spatial, scales))
    return sizes, ((None,) * dims if recompute_scale_factor else scales)


def _kernel_name(mode: str, dims: int) -> str:
    """The CPU kernel torch names when it has none for a dtype (its 2-d kernels are channels-last ones)."""
    if mode == "area":
        return f"adaptive_avg_pool{dims}d"
    if dims == 2 and mode in ("nearest", "nearest-exact", "bilinear"):
        return f"upsample_{'nearest' if mode.startswith('nearest') else mode}2d_channels_last"
    kind = {"bicubic": "cubic", "bilinear": "linear", "trilinear": "linear"}.get(mode, mode)
    return f"compute_indices_weights_{'nearest' if kind.startswith('nearest') else kind}"


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample the spatial dims of (N, C, *spatial) to `size` or `scale_factor` times the input.

    Modes: 'nearest', 'nearest-exact', 'linear' (3-D input), 'bilinear' / 'bicubic'
    (4-D), 'trilinear' (5-D), 'area' (adaptive average pooling). align_corners maps the
    corner pixels' centres onto each other (interpolating modes only).
    """
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    dims = input.ndim - 2
    if dims < 1 or dims > 3:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | "
                                  f"trilinear | lanczos | area | nearest-exact (got {mode})")
    if mode in ("nearest", "nearest-exact", "area"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif mode in _NEEDS_DIMS and _NEEDS_DIMS[mode] == dims:
        align_corners = bool(align_corners)
    elif mode in ("linear", "bilinear", "trilinear"):
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {_NEEDS_DIMS[mode] + 2}D input")
    else:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | "
                                  f"trilinear | lanczos | area | nearest-exact (got {mode})")
    if not input.dtype.is_floating_point and not (input.dtype is _dtype.uint8 and mode == "nearest"):
        raise NotImplementedError(f"\"{_kernel_name(mode, dims)}\" not implemented for '{type_name(input.dtype)}'")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    sizes, scales = _output_size(input, dims, size, scale_factor, recompute_scale_factor)
    if any(s <= 0 for s in sizes) and mode != "area":  # area pools adaptively: a size of 0 is empty
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(map(str, input.shape[2:]))}) and output "
                           f"({', '.join(map(str, sizes))})")
    if mode == "area":
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dims - 1](input, sizes)
    mats = []
    for in_size, out_size, scale in zip(input.shape[2:], sizes, scales):
        if mode in ("nearest", "nearest-exact"):
            mats.append(_nearest_matrix(in_size, out_size, scale, mode == "nearest-exact"))
        elif mode == "bicubic":
            mats.append(_cubic_matrix(in_size, out_size, scale, align_corners))
        else:
            mats.append(_linear_matrix(in_size, out_size, scale, align_corners))
    return apply_along_axes(input, mats)


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None) -> Tensor:
    """Deprecated alias of interpolate."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate with mode='nearest'."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate with mode='bilinear' and align_corners=True."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r): move channel blocks into r x r spatial blocks."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input "
                           f"with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                           f"square of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    nb = len(batch)
    x = input.reshape(*batch, c // (r * r), r, r, h, w)
    order = tuple(range(nb)) + (nb, nb + 3, nb + 1, nb + 4, nb + 2)
    return x.permute(order).reshape(*batch, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H*r, W*r) -> (*, C*r*r, H, W): the inverse of pixel_shuffle."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input "
                           f"with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by "
                           f"downscale_factor, but input.size(-2)={h} and input.size(-1)={w} are not "
                           f"divisible by {r}")
    nb = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    order = tuple(range(nb)) + (nb, nb + 2, nb + 4, nb + 1, nb + 3)
    return x.permute(order).reshape(*batch, c * r * r, h // r, w // r)
