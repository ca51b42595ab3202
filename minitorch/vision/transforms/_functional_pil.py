"""Image operations on PIL images: the PIL path of the transforms.

Most are one Pillow call with torchvision's conventions around it (how `fill` is
given, the direction of angles). Operations Pillow lacks (padding modes other than
constant, Gaussian blur with a given kernel size) go through a numpy array and the
kernels of `_functional_array`, so both paths compute the same thing.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from PIL import Image, ImageEnhance

from . import _functional_array as A


def get_dimensions(img: Image.Image) -> list[int]:
    """[channels, height, width]."""
    return [len(img.getbands()), img.height, img.width]


def parse_fill(fill: Any, img: Image.Image) -> int | float | tuple:
    """`fill` as Pillow wants it for `img`: a number for 1-band images, a tuple otherwise.

    A single number (or a 1-element sequence) is repeated over the bands.
    """
    bands = len(img.getbands())
    if fill is None:
        fill = 0
    if isinstance(fill, (int, float)):
        fill = (fill,) * bands
    fill = tuple(fill)
    if len(fill) == 1:
        fill = fill * bands
    if len(fill) != bands:
        raise ValueError(f"The number of elements in 'fill' does not match the number of channels "
                         f"of the image ({len(fill)} != {bands})")
    if img.mode != "F":
        fill = tuple(int(v) for v in fill)
    return fill[0] if bands == 1 else fill


def _through_array(img: Image.Image, fn: Callable[[np.ndarray], np.ndarray]) -> Image.Image:
    """Apply an array kernel on (C, H, W) to a PIL image, keeping its mode (and palette)."""
    arr = np.asarray(img)
    chw = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    out = fn(chw)
    hwc = np.ascontiguousarray(out[0] if arr.ndim == 2 else out.transpose(1, 2, 0))
    result = Image.fromarray(hwc)
    if result.mode != img.mode:  # e.g. "P", "YCbCr", "CMYK": same bytes, other meaning
        result = Image.frombytes(img.mode, (hwc.shape[1], hwc.shape[0]), hwc.tobytes())
    if img.mode == "P":
        result.putpalette(img.getpalette())
    return result


def hflip(img: Image.Image) -> Image.Image:
    """Mirror left to right."""
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img: Image.Image) -> Image.Image:
    """Mirror top to bottom."""
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def crop(img: Image.Image, top: int, left: int, height: int, width: int) -> Image.Image:
    """Pillow fills the part of the box outside the image with zeros."""
    return img.crop((left, top, left + width, top + height))


def resize(img: Image.Image, size: Sequence[int], resample: int) -> Image.Image:
    """Resize to `size` = (h, w); Pillow's resize is always antialiased."""
    return img.resize((size[1], size[0]), resample)


def pad(img: Image.Image, padding: Sequence[int], fill: Any, mode: str) -> Image.Image:
    """Pad by (left, top, right, bottom); see `_functional_array.pad`."""
    fill = parse_fill(fill, img) if mode == "constant" else 0
    return _through_array(img, lambda a: A.pad(a, padding, fill, mode))


def rotate(img: Image.Image, angle: float, resample: int, expand: bool,
           center: Sequence[float] | None, fill: Any) -> Image.Image:
    """Counter-clockwise by `angle` degrees about `center` (pixels; default the middle)."""
    return img.rotate(angle, resample, expand, center, fillcolor=parse_fill(fill, img))


def affine(img: Image.Image, matrix: Sequence[float], resample: int, fill: Any) -> Image.Image:
    """Warp by the inverse map `matrix` (output pixel -> input pixel, in pixel units)."""
    return img.transform(img.size, Image.Transform.AFFINE, matrix, resample, fillcolor=parse_fill(fill, img))


def adjust_brightness(img: Image.Image, factor: float) -> Image.Image:
    """Blend with black: factor 0 is black, 1 the image."""
    return ImageEnhance.Brightness(img).enhance(factor)


def adjust_contrast(img: Image.Image, factor: float) -> Image.Image:
    """Blend with the mean grey: factor 0 is flat grey, 1 the image."""
    return ImageEnhance.Contrast(img).enhance(factor)


def adjust_saturation(img: Image.Image, factor: float) -> Image.Image:
    """Blend with the greyscale image: factor 0 is grey, 1 the image."""
    return ImageEnhance.Color(img).enhance(factor)


def adjust_hue(img: Image.Image, factor: float) -> Image.Image:
    """Shift Pillow's 8-bit hue channel by `factor` of a turn, wrapping around."""
    if img.mode in ("L", "1", "I", "F"):
        return img
    h, s, v = img.convert("HSV").split()
    # hue is an angle: shifting past 255 wraps to 0, which uint8 arithmetic does by itself
    shifted = np.asarray(h, dtype=np.uint8) + np.uint8(int(factor * 255) % 256)
    return Image.merge("HSV", (Image.fromarray(shifted), s, v)).convert(img.mode)


def to_grayscale(img: Image.Image, num_output_channels: int) -> Image.Image:
    """Pillow's luma L = (299 R + 587 G + 114 B) / 1000, once or repeated as RGB."""
    grey = img.convert("L")
    if num_output_channels == 1:
        return grey
    return Image.merge("RGB", (grey, grey, grey))


def gaussian_blur(img: Image.Image, kernel_size: Sequence[int], sigma: Sequence[float]) -> Image.Image:
    """The tensor kernel's blur, through an array (Pillow's own blur rounds its kernel differently)."""
    return _through_array(img, lambda a: A.gaussian_blur(a, kernel_size, sigma))
