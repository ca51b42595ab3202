"""Image kernels on numpy arrays of shape (..., C, H, W): the tensor path of the transforms.

`functional.py` unwraps a tensor image into such an array, calls one of these and
wraps the result. The conventions are torchvision's for tensors:
- integer images are computed in float32 and rounded back (`_to_float`, `_from_float`);
- pixel (x, y) covers the square [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5):
  resampling maps output centres to input coordinates ("align_corners=False");
- geometric warps measure coordinates from the image centre.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def _to_float(img: np.ndarray) -> np.ndarray:
    """float32 copy of an integer image; float images pass unchanged."""
    return img if img.dtype.kind == "f" else img.astype(np.float32)


def _from_float(img: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Back to `dtype`: integer images are rounded (half to even) and clamped to range."""
    if np.dtype(dtype).kind == "f":
        return img.astype(dtype, copy=False)
    info = np.iinfo(dtype)
    return np.clip(np.rint(img), info.min, info.max).astype(dtype)


def max_value(dtype: np.dtype) -> float:
    """The value of white: 1.0 for float images, the largest integer otherwise."""
    return 1.0 if np.dtype(dtype).kind == "f" else float(np.iinfo(dtype).max)


# ---------------------------------------------------------------------------------------
# padding and cropping


def pad(img: np.ndarray, padding: Sequence[int], fill: float | Sequence[float] = 0, mode: str = "constant") -> np.ndarray:
    """Pad the last two dims by (left, top, right, bottom); negative amounts crop.

    Modes: "constant" (with `fill`, a number or one value per channel), "edge" (repeat
    the border pixel), "reflect" (mirror without repeating it: 2 1 | 1 2 3 | 3 2 ... is
    "symmetric"; "reflect" gives 3 2 | 1 2 3 | 2 1).
    """
    left, top, right, bottom = padding
    h, w = img.shape[-2:]
    # negative padding removes rows/columns first
    img = img[..., max(-top, 0): h - max(-bottom, 0), max(-left, 0): w - max(-right, 0)]
    widths = [(0, 0)] * (img.ndim - 2) + [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    if mode != "constant":
        return np.pad(img, widths, mode=mode)
    fill = np.asarray(fill, dtype=np.float64).reshape(-1)
    if fill.size == 1:
        return np.pad(img, widths, mode="constant", constant_values=fill.item())
    out = np.empty(img.shape[:-2] + (img.shape[-2] + widths[-2][0] + widths[-2][1],
                                     img.shape[-1] + widths[-1][0] + widths[-1][1]), dtype=img.dtype)
    out[...] = fill.reshape(-1, 1, 1).astype(img.dtype)  # one fill value per channel
    out[..., widths[-2][0]: widths[-2][0] + img.shape[-2], widths[-1][0]: widths[-1][0] + img.shape[-1]] = img
    return out


def crop(img: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """The window [top, top+height) x [left, left+width); parts outside the image are zeros."""
    h, w = img.shape[-2:]
    bottom, right = top + height, left + width
    if top >= 0 and left >= 0 and bottom <= h and right <= w:
        return img[..., top:bottom, left:right].copy()
    # pad with zeros just enough for the window to fit, then cut it out
    ltrb = [max(-left, 0), max(-top, 0), max(right - w, 0), max(bottom - h, 0)]
    return pad(img, ltrb)[..., top + ltrb[1]: bottom + ltrb[1], left + ltrb[0]: right + ltrb[0]].copy()


# ---------------------------------------------------------------------------------------
# resizing: out = Wh @ img @ Ww^T, with one resampling matrix per axis


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.clip(1.0 - np.abs(x), 0.0, None)


def _cubic(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel with parameter `a` (support [-2, 2])."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def resample_matrix(in_size: int, out_size: int, mode: str, antialias: bool) -> np.ndarray:
    """The (out_size, in_size) matrix that resizes one axis like torch's `interpolate`.

    - "nearest": output i copies input floor(i * in/out);
      "nearest-exact": input floor((i + 0.5) * in/out).
    - "bilinear"/"bicubic" without antialias: output centre i + 0.5 maps to input
      coordinate (i + 0.5) * in/out - 0.5; taps beyond the border repeat the edge pixel.
      Bicubic uses a = -0.75.
    - with antialias (downscaling): each output pixel averages the inputs under a filter
      stretched by the scale factor (triangle, or cubic with a = -0.5), weights
      normalised to sum 1 - Pillow's algorithm, so nothing aliases.
    """
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    rows = np.arange(out_size)
    if mode in ("nearest", "nearest-exact"):
        # float32 like torch, so that ties land on the same side
        offset = np.float32(0.5 if mode == "nearest-exact" else 0.0)
        src = np.floor((rows.astype(np.float32) + offset) * np.float32(scale)).astype(np.int64)
        weights[rows, np.minimum(src, in_size - 1)] = 1.0
        return weights
    if antialias:
        # Pillow's scheme: a filter of half-width `support` (in input pixels) centred on
        # the output pixel's centre; for downscaling it is widened by `scale`
        support, kernel = (1.0, _triangle) if mode == "bilinear" else (2.0, lambda x: _cubic(x, -0.5))
        stretch = max(scale, 1.0)
        for i in rows:
            centre = (i + 0.5) * scale
            lo = max(int(centre - support * stretch + 0.5), 0)
            hi = min(int(centre + support * stretch + 0.5), in_size)
            taps = np.arange(lo, hi)
            w = kernel((taps - centre + 0.5) / stretch)
            weights[i, lo:hi] = w / w.sum() if w.sum() != 0 else w
        return weights
    src = (rows + 0.5) * scale - 0.5
    if mode == "bilinear":
        src = np.maximum(src, 0.0)  # torch clamps negative source coordinates to 0
        i0 = np.floor(src).astype(np.int64)
        frac = src - i0
        i1 = np.minimum(i0 + 1, in_size - 1)
        np.add.at(weights, (rows, np.minimum(i0, in_size - 1)), 1.0 - frac)
        np.add.at(weights, (rows, i1), frac)
        return weights
    i0 = np.floor(src).astype(np.int64)
    frac = src - i0
    for k in range(-1, 3):  # four taps around the source coordinate, clamped to the image
        np.add.at(weights, (rows, np.clip(i0 + k, 0, in_size - 1)), _cubic(frac - k, -0.75))
    return weights


def resize(img: np.ndarray, size: Sequence[int], mode: str = "bilinear", antialias: bool = True) -> np.ndarray:
    """Resize the last two dims to `size` = (h, w); see `resample_matrix` for the modes."""
    (h, w), (oh, ow) = img.shape[-2:], size
    antialias = antialias and mode in ("bilinear", "bicubic")
    x = _to_float(img)
    wh = resample_matrix(h, oh, mode, antialias).astype(x.dtype)
    ww = resample_matrix(w, ow, mode, antialias).astype(x.dtype)
    out = wh @ x @ ww.T
    return _from_float(out, img.dtype)


# ---------------------------------------------------------------------------------------
# affine warps (rotate, affine)


def affine_output_size(matrix: Sequence[float], w: int, h: int) -> tuple[int, int]:
    """(width, height) of the box that holds the whole image after `expand`ing a rotation.

    The corners (+-w/2, +-h/2) are carried through `matrix` (for a rotation about the
    centre the inverse map gives the same box as the forward one) and the box is
    rounded outward, as Pillow does.
    """
    corners = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]])
    moved = corners @ np.asarray(matrix, dtype=np.float64).reshape(2, 3).T
    lo, hi = moved.min(axis=0) + (0.5 * w, 0.5 * h), moved.max(axis=0) + (0.5 * w, 0.5 * h)
    tol = 1e-4  # so that 1e-15 above an integer does not round up to a whole pixel
    size = np.ceil(np.trunc(hi / tol) * tol) - np.floor(np.trunc(lo / tol) * tol)
    return int(size[0]), int(size[1])


def warp_affine(
    img: np.ndarray,
    matrix: Sequence[float],
    mode: str = "nearest",
    fill: Sequence[float] | None = None,
    out_size: tuple[int, int] | None = None,
) -> np.ndarray:
    """Sample `img` (..., C, H, W) through an inverse affine map, torchvision's tensor rule.

    `matrix` = [a, b, c, d, e, f] maps output coordinates (x, y), measured from the output
    centre, to input coordinates (a x + b y + c, d x + e y + f) measured from the input
    centre. "nearest" rounds to the nearest pixel, "bilinear" mixes the four around it;
    samples outside the image count as 0. With `fill` (one value per channel), pixels
    that fell outside take it instead: nearest where less than half of the sample came
    from inside, bilinear blended by the inside fraction. `out_size` = (w, h).
    """
    h, w = img.shape[-2:]
    ow, oh = out_size if out_size is not None else (w, h)
    a, b, c, d, e, f = matrix
    # float32 and torch's order of operations, so that nearest-pixel ties break the same way
    f32 = np.float32
    ys, xs = np.meshgrid(np.linspace(-0.5 * oh + 0.5, 0.5 * oh - 0.5, oh, dtype=f32),
                         np.linspace(-0.5 * ow + 0.5, 0.5 * ow - 0.5, ow, dtype=f32), indexing="ij")
    # normalised input coordinates (-1 and 1 are the outer edges of the border pixels) ...
    gx = xs * f32(f32(a) / f32(0.5 * w)) + ys * f32(f32(b) / f32(0.5 * w)) + f32(f32(c) / f32(0.5 * w))
    gy = xs * f32(f32(d) / f32(0.5 * h)) + ys * f32(f32(e) / f32(0.5 * h)) + f32(f32(f) / f32(0.5 * h))
    # ... to index units, where pixel k has its centre at k
    u = ((gx + f32(1)) * f32(w) - f32(1)) / f32(2)
    v = ((gy + f32(1)) * f32(h) - f32(1)) / f32(2)
    x = _to_float(img)
    if fill is not None:
        ones = np.ones(x.shape[:-3] + (1, h, w), dtype=x.dtype)
        x = np.concatenate([x, ones], axis=-3)  # the last channel measures "inside"
    out = _sample(x, u, v, mode)
    if fill is not None:
        inside, out = out[..., -1:, :, :], out[..., :-1, :, :]
        fill_img = np.broadcast_to(np.asarray(fill, dtype=out.dtype).reshape(-1, 1, 1), out.shape)
        if mode == "nearest":
            out = np.where(inside < 0.5, fill_img, out)
        else:
            out = out * inside + (1.0 - inside) * fill_img
    return _from_float(out, img.dtype)


def _sample(img: np.ndarray, u: np.ndarray, v: np.ndarray, mode: str) -> np.ndarray:
    """img[..., v, u] at fractional coordinates, zero outside (grid_sample's rule)."""
    h, w = img.shape[-2:]

    def taps(iy: np.ndarray, ix: np.ndarray) -> np.ndarray:
        ok = (iy >= 0) & (iy < h) & (ix >= 0) & (ix < w)
        vals = img[..., np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1)]
        return np.where(ok, vals, 0).astype(img.dtype)

    if mode == "nearest":
        return taps(np.rint(v).astype(np.int64), np.rint(u).astype(np.int64))
    x0, y0 = np.floor(u).astype(np.int64), np.floor(v).astype(np.int64)
    fx, fy = (u - x0).astype(img.dtype), (v - y0).astype(img.dtype)
    return ((1 - fy) * ((1 - fx) * taps(y0, x0) + fx * taps(y0, x0 + 1))
            + fy * ((1 - fx) * taps(y0 + 1, x0) + fx * taps(y0 + 1, x0 + 1)))


def inverse_affine_matrix(
    center: Sequence[float], angle: float, translate: Sequence[float], scale: float, shear: Sequence[float]
) -> list[float]:
    """The inverse of M = T(translate) C R(angle) Sh(shear) S(scale) C^-1, as [a, b, c, d, e, f].

    C moves the centre to the origin, R rotates by `angle` degrees (clockwise on screen,
    where y points down), Sh shears by angles (sx, sy) in degrees, S scales. The inverse
    is what a warp needs: for each output pixel, where in the input to read.
    """
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    # R Sh as a 2x2 [[p, q], [r, s]] with determinant 1
    p = math.cos(rot - sy) / math.cos(sy)
    q = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    r = math.sin(rot - sy) / math.cos(sy)
    s = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    # its inverse (the adjugate, since det = 1), divided by the scale
    a, b, d, e = s / scale, -q / scale, -r / scale, p / scale
    # undo translation and centring: x_in = A (x_out - c - t) + c
    c_ = a * (-cx - tx) + b * (-cy - ty) + cx
    f_ = d * (-cx - tx) + e * (-cy - ty) + cy
    return [a, b, c_, d, e, f_]


# ---------------------------------------------------------------------------------------
# colour


def rgb_to_grayscale(img: np.ndarray) -> np.ndarray:
    """Luma (..., 1, H, W) = 0.2989 R + 0.587 G + 0.114 B, cast back to the input dtype
    (truncating, as torchvision's `.to(dtype)` does); a 1-channel image is copied."""
    if img.shape[-3] == 1:
        return img.copy()
    x = _to_float(img)
    r, g, b = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
    luma = 0.2989 * r + 0.587 * g + 0.114 * b
    return luma.astype(img.dtype)[..., None, :, :]


def blend(img1: np.ndarray, img2: np.ndarray, ratio: float) -> np.ndarray:
    """ratio * img1 + (1 - ratio) * img2, clamped to [0, white], cast (truncating) to img1's dtype."""
    out = ratio * _to_float(img1) + (1.0 - ratio) * _to_float(img2)
    return np.clip(out, 0, max_value(img1.dtype)).astype(img1.dtype)


def adjust_brightness(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with black: 0 gives black, 1 the image, 2 twice as bright (clamped)."""
    return blend(img, np.zeros_like(img), factor)


def adjust_contrast(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the mean grey level of each image: 0 gives flat grey, 1 the image."""
    grey = rgb_to_grayscale(img) if img.shape[-3] == 3 else img
    mean = _to_float(grey).mean(axis=(-3, -2, -1), keepdims=True)
    return blend(img, mean, factor)


def adjust_saturation(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the grey version: 0 gives greyscale, 1 the image, 2 more vivid."""
    if img.shape[-3] == 1:  # grey has no saturation to change
        return img.copy()
    return blend(img, rgb_to_grayscale(img), factor)


def rgb_to_hsv(img: np.ndarray) -> np.ndarray:
    """(..., 3, H, W) RGB in [0, 1] to HSV, each in [0, 1]; the formulas of `colorsys`."""
    r, g, b = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    maxc, minc = img.max(axis=-3), img.min(axis=-3)
    span = maxc - minc
    grey = span == 0
    safe_span = np.where(grey, 1, span)
    s = np.where(grey, 0, span / np.where(maxc == 0, 1, maxc))
    # hue: which channel is largest decides the sextant, the other two the position in it
    rc, gc, bc = (maxc - r) / safe_span, (maxc - g) / safe_span, (maxc - b) / safe_span
    h = np.where(maxc == r, bc - gc, np.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = np.where(grey, 0, np.mod(h / 6.0, 1.0))
    return np.stack([h, s, maxc], axis=-3).astype(img.dtype)


def hsv_to_rgb(img: np.ndarray) -> np.ndarray:
    """Inverse of `rgb_to_hsv`."""
    h, s, v = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int64) % 6
    p = np.clip(v * (1.0 - s), 0, 1)
    q = np.clip(v * (1.0 - s * f), 0, 1)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0, 1)
    sextants = [i == k for k in range(6)]
    r = np.select(sextants, [v, q, p, p, t, v])
    g = np.select(sextants, [t, v, v, q, p, p])
    b = np.select(sextants, [p, p, t, v, v, q])
    return np.stack([r, g, b], axis=-3).astype(img.dtype)


def adjust_hue(img: np.ndarray, factor: float) -> np.ndarray:
    """Rotate the hue by `factor` turns (in [-0.5, 0.5]); grey images are unchanged."""
    if img.shape[-3] == 1:
        return img.copy()
    white = max_value(img.dtype)
    x = _to_float(img) / np.float32(white) if img.dtype.kind != "f" else img
    hsv = rgb_to_hsv(x)
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + factor, 1.0)
    rgb = hsv_to_rgb(hsv)
    if img.dtype.kind == "f":
        return rgb
    # torchvision's float -> int conversion: scale by (white + 1 - eps) and truncate
    return (rgb * np.float32(white + 1.0 - 1e-3)).astype(img.dtype)


# ---------------------------------------------------------------------------------------
# blur


def gaussian_kernel1d(size: int, sigma: float, dtype: np.dtype = np.float32) -> np.ndarray:
    """`size` taps of exp(-x^2 / (2 sigma^2)) at x = -(size-1)/2 ... (size-1)/2, summing to 1."""
    x = np.linspace(-(size - 1) / 2, (size - 1) / 2, size, dtype=dtype)
    pdf = np.exp(-0.5 * (x / x.dtype.type(sigma)) ** 2)
    return pdf / pdf.sum()


def gaussian_blur(img: np.ndarray, kernel_size: Sequence[int], sigma: Sequence[float]) -> np.ndarray:
    """Blur with a Gaussian of (kx, ky) taps and std (sx, sy), borders reflected.

    The 2-D Gaussian is separable, so it is applied as a horizontal then a vertical 1-D
    convolution: kx + ky multiplications per pixel instead of kx * ky.
    """
    (kx, ky), (sx, sy) = kernel_size, sigma
    x = _to_float(img)
    x = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(ky // 2, ky // 2), (kx // 2, kx // 2)], mode="reflect")
    h, w = img.shape[-2:]
    horizontal = sum(wt * x[..., :, j: j + w] for j, wt in enumerate(gaussian_kernel1d(kx, sx, x.dtype)))
    blurred = sum(wt * horizontal[..., i: i + h, :] for i, wt in enumerate(gaussian_kernel1d(ky, sy, x.dtype)))
    return _from_float(blurred, img.dtype)
