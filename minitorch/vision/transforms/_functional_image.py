"""What the functional transforms accept: image kinds, their sizes, interpolation modes.

Every functional transform checks its image here, then sends PIL images to
`_functional_pil` and tensors (through `_tensor_op`) to `_functional_array`.
"""
from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np
from PIL import Image

import minitorch
from minitorch import Tensor

from . import _functional_pil as P


class InterpolationMode(Enum):
    """How to compute a pixel that falls between input pixels."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    # Pillow only
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_RESAMPLE = {
    InterpolationMode.NEAREST: Image.Resampling.NEAREST,
    InterpolationMode.NEAREST_EXACT: Image.Resampling.NEAREST,
    InterpolationMode.BILINEAR: Image.Resampling.BILINEAR,
    InterpolationMode.BICUBIC: Image.Resampling.BICUBIC,
    InterpolationMode.BOX: Image.Resampling.BOX,
    InterpolationMode.HAMMING: Image.Resampling.HAMMING,
    InterpolationMode.LANCZOS: Image.Resampling.LANCZOS,
}


def _interpolation(mode: InterpolationMode | int) -> InterpolationMode:
    """Accept Pillow's integer constants too, as torchvision does."""
    if isinstance(mode, InterpolationMode):
        return mode
    for key, value in _PIL_RESAMPLE.items():
        if isinstance(mode, int) and mode == value and key is not InterpolationMode.NEAREST_EXACT:
            return key
    raise TypeError(f"Argument interpolation should be of type InterpolationMode or a Pillow resampling "
                    f"constant, got {mode!r}")


def _is_pil(img: Any) -> bool:
    return isinstance(img, Image.Image)


def _check_image(img: Any) -> None:
    if _is_pil(img):
        return
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    if img.ndim < 2:
        raise TypeError(f"Tensor is not a torch image: expected (..., C, H, W) or (H, W), got shape {tuple(img.shape)}")


def _tensor_op(img: Tensor, fn: Any, *args: Any) -> Tensor:
    """Run an array kernel on an image tensor; a 2-D (H, W) tensor runs as (1, H, W)."""
    arr = img.detach().numpy()
    out = fn(arr[None] if arr.ndim == 2 else arr, *args)
    return minitorch.from_numpy(np.ascontiguousarray(out[0] if arr.ndim == 2 else out))


def get_dimensions(img: Any) -> list[int]:
    """[channels, height, width] of an image."""
    _check_image(img)
    if _is_pil(img):
        return P.get_dimensions(img)
    shape = list(img.shape)
    return [1] + shape if len(shape) == 2 else shape[-3:]


def get_image_size(img: Any) -> list[int]:
    """[width, height] (note the order, which is PIL's)."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img: Any) -> int:
    """The number of channels C."""
    return get_dimensions(img)[0]
