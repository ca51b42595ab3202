"""Conversions between PIL images and tensors, dtype conversion, and `Normalize`."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import minitorch
from minitorch import Tensor

from . import functional as F

__all__ = ["ToTensor", "PILToTensor", "ToPILImage", "ConvertImageDtype", "Normalize"]


class ToTensor:
    """PIL image or (H, W, C) ndarray -> (C, H, W) tensor; uint8 becomes floats in [0, 1]."""

    def __call__(self, pic: Any) -> Tensor:
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class PILToTensor:
    """PIL image -> (C, H, W) tensor of the raw pixel values (uint8 for 8-bit images)."""

    def __call__(self, pic: Any) -> Tensor:
        return F.pil_to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class ToPILImage:
    """(C, H, W) tensor or (H, W, C) ndarray -> PIL image (floats are taken as [0, 1])."""

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mode={self.mode})" if self.mode is not None else f"{self.__class__.__name__}()"


class ConvertImageDtype:
    """Convert an image tensor to `dtype`, rescaling values (uint8 255 <-> float 1.0)."""

    def __init__(self, dtype: minitorch.dtype) -> None:
        self.dtype = dtype

    def __call__(self, image: Tensor) -> Tensor:
        return F.convert_image_dtype(image, self.dtype)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class Normalize:
    """output[c] = (input[c] - mean[c]) / std[c] for a float (..., C, H, W) tensor."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"
