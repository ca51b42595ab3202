"""Geometric functional transforms: resize, crops, flips, padding, rotation and affine maps."""
from __future__ import annotations

import numbers
from typing import Any, Sequence

from minitorch import Tensor

from . import _functional_array as A
from . import _functional_pil as P
from ._functional_image import (_PIL_RESAMPLE, InterpolationMode, _check_image, _interpolation, _is_pil, _tensor_op,
                                get_dimensions)


def _output_size(h: int, w: int, size: Sequence[int], max_size: int | None) -> list[int]:
    """[h, w] after resizing: `size` of one value sets the smaller edge and keeps the aspect."""
    if len(size) == 2:
        return list(size)
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                             f"size for the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return [new_long, new_short] if w <= h else [new_short, new_long]


def resize(img: Any, size: int | Sequence[int], interpolation: InterpolationMode = InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Any:
    """Resize to `size` = (h, w), or scale so the smaller edge becomes `size` (an int)."""
    _check_image(img)
    interpolation = _interpolation(interpolation)
    if isinstance(size, numbers.Number):
        size = [int(size)]
    elif not isinstance(size, (list, tuple)):
        raise TypeError(f"Size should be int or sequence. Got {type(size)}")
    if len(size) not in (1, 2):
        raise ValueError(f"If size is a sequence, it should have 1 or 2 values, got {len(size)}")
    if max_size is not None and len(size) != 1:
        raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                         "i.e. size should be an int or a sequence of length 1")
    _, h, w = get_dimensions(img)
    out = _output_size(h, w, size, max_size)
    if out == [h, w]:
        return img
    if _is_pil(img):
        return P.resize(img, out, _PIL_RESAMPLE[interpolation])
    if interpolation.value not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError(f"Tensor images support nearest, nearest-exact, bilinear and bicubic "
                         f"interpolation, got {interpolation.value}")
    return _tensor_op(img, A.resize, out, interpolation.value, bool(antialias))


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The window of `height` x `width` pixels at (top, left); outside the image is zeros."""
    _check_image(img)
    if _is_pil(img):
        return P.crop(img, top, left, height, width)
    h, w = img.shape[-2:]
    if top >= 0 and left >= 0 and top + height <= h and left + width <= w:
        return img[..., top: top + height, left: left + width]  # a view, as in torch
    return _tensor_op(img, A.crop, top, left, height, width)


def center_crop(img: Any, output_size: int | Sequence[int]) -> Any:
    """The central `output_size` = (h, w) window, zero-padded first if the image is smaller."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, h, w = get_dimensions(img)
    ch, cw = output_size
    if ch > h or cw > w:
        # pad evenly, the odd pixel going right/bottom
        img = pad(img, [max(cw - w, 0) // 2, max(ch - h, 0) // 2, max(cw - w + 1, 0) // 2, max(ch - h + 1, 0) // 2])
        _, h, w = get_dimensions(img)
        if (ch, cw) == (h, w):
            return img
    return crop(img, int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0)), ch, cw)


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Sequence[int],
                 interpolation: InterpolationMode = InterpolationMode.BILINEAR, antialias: bool | None = True) -> Any:
    """`crop` then `resize` to `size`."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img: Any) -> Any:
    """Mirror left-right."""
    _check_image(img)
    return P.hflip(img) if _is_pil(img) else img.flip(-1)


def vflip(img: Any) -> Any:
    """Mirror top-bottom."""
    _check_image(img)
    return P.vflip(img) if _is_pil(img) else img.flip(-2)


_PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def _parse_padding(padding: Any) -> list[int]:
    """int, (lr, tb) or (l, t, r, b) -> [l, t, r, b]."""
    if isinstance(padding, numbers.Number) and not isinstance(padding, bool):
        return [int(padding)] * 4
    if not isinstance(padding, (tuple, list)) or not all(isinstance(p, numbers.Integral) for p in padding):
        raise TypeError(f"Got inappropriate padding arg: {padding!r}")
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    if len(padding) == 4:
        return list(padding)
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")


def pad(img: Any, padding: int | Sequence[int], fill: float | Sequence[float] = 0,
        padding_mode: str = "constant") -> Any:
    """Pad the borders: `padding` is all sides, (left/right, top/bottom) or (left, top, right, bottom).

    `padding_mode`: "constant" (with `fill`), "edge", "reflect" or "symmetric".
    """
    _check_image(img)
    ltrb = _parse_padding(padding)
    if not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError(f"Got inappropriate fill arg: {fill!r}")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, got {padding_mode!r}")
    if _is_pil(img):
        return P.pad(img, ltrb, fill, padding_mode)
    return _tensor_op(img, A.pad, ltrb, fill, padding_mode)


def _tensor_fill(fill: Any, channels: int) -> list[float] | None:
    if fill is None:
        return None
    values = [float(fill)] * channels if isinstance(fill, numbers.Number) else [float(f) for f in fill]
    if len(values) == 1:
        values *= channels
    if len(values) != channels:
        raise ValueError(f"The number of elements in 'fill' does not match the number of channels "
                         f"of the image ({len(values)} != {channels})")
    return values


def _check_warp_interpolation(interpolation: InterpolationMode, pil: bool) -> None:
    allowed = ("nearest", "bilinear", "bicubic") if pil else ("nearest", "bilinear")
    if interpolation.value not in allowed:
        kind = "PIL" if pil else "Tensor"
        raise ValueError(f"{kind} images support interpolation {', '.join(allowed)} here, got {interpolation.value}")


def rotate(img: Any, angle: float, interpolation: InterpolationMode = InterpolationMode.NEAREST,
           expand: bool = False, center: Sequence[int] | None = None, fill: Any = None) -> Any:
    """Rotate counter-clockwise by `angle` degrees about `center` (default the middle).

    `expand` grows the output to hold the whole rotated image; uncovered pixels get `fill`.
    """
    _check_image(img)
    interpolation = _interpolation(interpolation)
    _check_warp_interpolation(interpolation, _is_pil(img))
    if center is not None and (not isinstance(center, (list, tuple)) or len(center) != 2):
        raise ValueError(f"center should be a sequence of length 2, got {center!r}")
    if _is_pil(img):
        return P.rotate(img, angle, _PIL_RESAMPLE[interpolation], expand, center, fill)
    c, h, w = get_dimensions(img)
    # tensors measure from the image centre; a counter-clockwise turn is a negative affine angle
    centre = [0.0, 0.0] if center is None else [center[0] - w * 0.5, center[1] - h * 0.5]
    matrix = A.inverse_affine_matrix(centre, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    out_size = A.affine_output_size(matrix, w, h) if expand else (w, h)
    return _tensor_op(img, A.warp_affine, matrix, interpolation.value, _tensor_fill(fill, c), out_size)


def affine(img: Any, angle: float, translate: Sequence[int], scale: float, shear: float | Sequence[float],
           interpolation: InterpolationMode = InterpolationMode.NEAREST, fill: Any = None,
           center: Sequence[int] | None = None) -> Any:
    """Rotate by `angle` degrees (clockwise), scale, shear (degrees, x then y) about
    `center` (default the middle), then translate by (dx, dy) pixels; size is kept."""
    _check_image(img)
    interpolation = _interpolation(interpolation)
    _check_warp_interpolation(interpolation, _is_pil(img))
    if not isinstance(translate, (list, tuple)):
        raise TypeError(f"Argument translate should be a sequence, got {type(translate)}")
    if len(translate) != 2:
        raise ValueError(f"Argument translate should be a sequence of length 2, got {translate!r}")
    if scale <= 0.0:
        raise ValueError(f"Argument scale should be positive, got {scale}")
    if isinstance(shear, numbers.Number):
        shear = [shear, 0.0]  # a single value shears along x only
    if not isinstance(shear, (list, tuple)):
        raise TypeError(f"Shear should be either a single value or a sequence of two values, got {type(shear)}")
    if len(shear) == 1:
        shear = [shear[0], shear[0]]
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {list(shear)}")
    shear = [float(s) for s in shear]
    c, h, w = get_dimensions(img)
    if _is_pil(img):
        # Pillow measures from the top-left corner; the centre is (w/2, h/2) with no
        # half-pixel offset, so that a 90-degree turn matches the tensor path
        centre = [w * 0.5, h * 0.5] if center is None else list(center)
        matrix = A.inverse_affine_matrix(centre, angle, translate, scale, shear)
        return P.affine(img, matrix, _PIL_RESAMPLE[interpolation], fill)
    centre = [0.0, 0.0] if center is None else [center[0] - w * 0.5, center[1] - h * 0.5]
    matrix = A.inverse_affine_matrix(centre, angle, [float(t) for t in translate], scale, shear)
    return _tensor_op(img, A.warp_affine, matrix, interpolation.value, _tensor_fill(fill, c))
