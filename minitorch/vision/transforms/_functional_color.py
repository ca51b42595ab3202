"""Colour functional transforms: brightness, contrast, saturation, hue, greyscale, blur, erasing."""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from minitorch import Tensor

from . import _functional_array as A
from . import _functional_pil as P
from ._functional_image import _check_image, _is_pil, _tensor_op, get_dimensions


def _check_color_tensor(img: Any) -> None:
    if isinstance(img, Tensor) and get_dimensions(img)[0] not in (1, 3):
        raise TypeError(f"Input image tensor permitted channel values are [1, 3], but found {get_dimensions(img)[0]}")


def _color_op(img: Any, name: str, factor: float) -> Any:
    _check_image(img)
    _check_color_tensor(img)
    if _is_pil(img):
        return getattr(P, name)(img, factor)
    return _tensor_op(img, getattr(A, name), factor)


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    """Multiply by `brightness_factor` (0 black, 1 unchanged), clamped to white."""
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    return _color_op(img, "adjust_brightness", brightness_factor)


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    """Blend with the image's mean grey (0 flat grey, 1 unchanged, 2 double contrast)."""
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    return _color_op(img, "adjust_contrast", contrast_factor)


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    """Blend with the greyscale image (0 grey, 1 unchanged, 2 double saturation)."""
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    return _color_op(img, "adjust_saturation", saturation_factor)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Turn the hue by `hue_factor` of a full circle, in [-0.5, 0.5]."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    return _color_op(img, "adjust_hue", hue_factor)


def rgb_to_grayscale(img: Any, num_output_channels: int = 1) -> Any:
    """Luma of an RGB image, as 1 channel or repeated over 3."""
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")
    _check_image(img)
    if _is_pil(img):
        return P.to_grayscale(img, num_output_channels)
    _check_color_tensor(img)
    return _tensor_op(img, lambda a: np.repeat(A.rgb_to_grayscale(a), num_output_channels, axis=-3))


to_grayscale = rgb_to_grayscale


def _pair(value: Any, name: str) -> list:
    if isinstance(value, numbers.Number):
        return [value, value]
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return [value[0], value[0]]
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return list(value)
    raise ValueError(f"If {name} is a sequence, its length should be 2. Got {len(value)}")


def gaussian_blur(img: Any, kernel_size: int | Sequence[int], sigma: float | Sequence[float] | None = None) -> Any:
    """Blur with a Gaussian of `kernel_size` = (kx, ky) taps and std `sigma` = (sx, sy).

    Without `sigma`, it is 0.3 * ((k - 1) * 0.5 - 1) + 0.8 = 0.15 k + 0.35, OpenCV's rule.
    Borders are reflected.
    """
    _check_image(img)
    kernel_size = _pair(kernel_size, "kernel_size")
    if any(not isinstance(k, numbers.Integral) or k <= 0 or k % 2 == 0 for k in kernel_size):
        raise ValueError(f"kernel_size should have odd and positive integers. Got {kernel_size}")
    sigma = [0.15 * k + 0.35 for k in kernel_size] if sigma is None else [float(s) for s in _pair(sigma, "sigma")]
    if any(s <= 0 for s in sigma):
        raise ValueError(f"sigma should have positive values. Got {sigma}")
    if _is_pil(img):
        return P.gaussian_blur(img, kernel_size, sigma)
    return _tensor_op(img, A.gaussian_blur, kernel_size, sigma)


def erase(img: Tensor, i: int, j: int, h: int, w: int, v: Tensor | float, inplace: bool = False) -> Tensor:
    """Set the window of `h` x `w` pixels at row `i`, column `j` to `v` (broadcast to (C, h, w))."""
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    out = img if inplace else img.clone()
    out[..., i: i + h, j: j + w] = v
    return out
