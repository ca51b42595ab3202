"""The functional form of the transforms (torchvision.transforms.functional).

Every function takes a PIL image or an image tensor of shape (..., C, H, W) (a 2-D
tensor is one grey image) and returns the same kind. PIL images go to
`_functional_pil`, tensors to the numpy kernels of `_functional_array`; these are
deterministic, the random choices live in the transform classes.

On tensors, `normalize`, `crop` (inside the image), the flips and `erase` are made of
minitorch ops, so they are differentiable and crops are views, as in torchvision; the
other operations compute with numpy and return new tensors outside the autograd graph.

The functions live by concept: `_functional_image` (image kinds, sizes, InterpolationMode),
`_functional_conversion`, `_functional_geometry` and `_functional_color` (as the transform
classes do in conversion.py, geometry.py and color.py); this module gathers them.
"""
from __future__ import annotations

from ._functional_color import (adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation, erase,
                                gaussian_blur, rgb_to_grayscale, to_grayscale)
from ._functional_conversion import convert_image_dtype, normalize, pil_to_tensor, to_pil_image, to_tensor
from ._functional_geometry import affine, center_crop, crop, hflip, pad, resize, resized_crop, rotate, vflip
from ._functional_image import InterpolationMode, get_dimensions, get_image_num_channels, get_image_size

__all__ = [
    "InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
    "to_tensor", "pil_to_tensor", "to_pil_image", "convert_image_dtype", "normalize",
    "resize", "crop", "center_crop", "resized_crop", "hflip", "vflip", "pad", "rotate", "affine",
    "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
    "rgb_to_grayscale", "to_grayscale", "gaussian_blur", "erase",
]
