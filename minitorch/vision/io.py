"""Reading image files into tensors (torchvision.io's read_image, decode_image, read_file).

An image becomes a uint8 tensor of shape (C, H, W): channels first, values 0..255, the
layout the tensor transforms expect. Decoding is Pillow's (the `vision` extra): PNG, JPEG,
GIF, WebP and BMP. `ImageReadMode` picks the channels: as stored (UNCHANGED), or converted
to gray, gray + alpha, RGB or RGB + alpha.
"""
from __future__ import annotations

import io
import os
from enum import Enum

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap

__all__ = ["ImageReadMode", "read_file", "decode_image", "read_image"]


class ImageReadMode(Enum):
    """Which channels a decoded image gets; a mode may also be given by name, e.g. "RGB"."""

    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA  # another name for the same mode


# The Pillow mode each requested mode converts to.
_PIL_MODE = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
             ImageReadMode.RGB_ALPHA: "RGBA"}


def read_file(path: str | os.PathLike) -> Tensor:
    """The bytes of a file as a 1-D uint8 tensor."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise RuntimeError(f"[Errno {e.errno}] {e.strerror}: '{path}'") from None
    return _wrap(np.frombuffer(data, dtype=np.uint8).copy())


def _as_mode(mode: ImageReadMode | str) -> ImageReadMode:
    if isinstance(mode, str):
        try:
            return ImageReadMode[mode.upper()]
        except KeyError:
            raise ValueError(f"Unknown image read mode {mode!r}: expected one of "
                             f"{', '.join(ImageReadMode.__members__)}") from None
    return ImageReadMode(mode)


def _stored_mode(image) -> str:
    """The Pillow mode that keeps the channels as stored: palettes expand to RGB(A), CMYK and YCbCr
    JPEGs become RGB, 1-bit images become 0/255 gray."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA"):
        return mode
    if mode == "P":
        return "RGBA" if "transparency" in image.info else "RGB"
    if mode == "PA":
        return "RGBA"
    if mode == "1":
        return "L"
    if mode.startswith("I") or mode == "F":
        raise RuntimeError(f"decode_image: the image has {mode!r} pixels (16-bit or wider); minitorch has no "
                           "uint16 tensors, so only 8-bit images can be read")
    return "RGB"


def decode_image(input: Tensor | str | os.PathLike, mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
                 apply_exif_orientation: bool = False) -> Tensor:
    """Decode encoded image bytes (a 1-D uint8 tensor) or an image file into a (C, H, W) uint8 tensor.

    An animated GIF gives every frame: (N, C, H, W).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not isinstance(input, Tensor):
        input = read_file(input)
    if input.dtype is not _dtype.uint8 or input.ndim != 1:
        raise RuntimeError(f"Expected a one-dimensional torch.uint8 tensor of encoded bytes, got a "
                           f"{input.ndim}-D {input.dtype} tensor")
    mode = _as_mode(mode)
    try:
        image = Image.open(io.BytesIO(input._array.tobytes()))
        image.load()
    except (UnidentifiedImageError, OSError) as e:
        raise RuntimeError(f"Unsupported or corrupt image: {e}. Pillow decodes png, jpeg, gif, webp and bmp.") from None
    frames = getattr(image, "n_frames", 1)
    if frames > 1 and image.format == "GIF":
        pages = []
        for i in range(frames):
            image.seek(i)
            pages.append(_to_chw(image, mode))
        return _wrap(np.stack(pages))
    if apply_exif_orientation:
        image = ImageOps.exif_transpose(image)
    return _wrap(_to_chw(image, mode))


def _to_chw(image, mode: ImageReadMode) -> np.ndarray:
    target = _stored_mode(image) if mode is ImageReadMode.UNCHANGED else _PIL_MODE[mode]
    if image.mode != target:
        image = image.convert(target)
    pixels = np.asarray(image, dtype=np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    return np.ascontiguousarray(pixels.transpose(2, 0, 1))


def read_image(path: str | os.PathLike, mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
               apply_exif_orientation: bool = False) -> Tensor:
    """The image file at `path` as a (C, H, W) uint8 tensor (see decode_image)."""
    return decode_image(read_file(path), mode, apply_exif_orientation=apply_exif_orientation)
