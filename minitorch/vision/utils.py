"""Looking at batches of images: `make_grid` tiles them, `save_image` writes the tiles to a file."""
from __future__ import annotations

import math
import os
from typing import IO, Any, Sequence

import numpy as np
from PIL import Image

import minitorch
from minitorch import Tensor


def make_grid(
    tensor: Tensor | Sequence[Tensor],
    nrow: int = 8,
    padding: int = 2,
    normalize: bool = False,
    value_range: tuple[float, float] | None = None,
    scale_each: bool = False,
    pad_value: float = 0.0,
) -> Tensor:
    """Tile a batch of images (B, C, H, W) (or a list of (C, H, W)) into one (C', H', W') image.

    Images go `nrow` to a row, left to right then top to bottom, separated and framed by
    `padding` pixels of `pad_value`. Grey images (C = 1) are repeated into 3 channels.
    `normalize` maps `value_range` (default: the min and max of the batch, or of each
    image with `scale_each`) to [0, 1], clamping outside values. A batch of one image is
    returned without any frame, as torchvision does.
    """
    if isinstance(tensor, (list, tuple)):
        for t in tensor:
            if not isinstance(t, Tensor):
                raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        arr = np.stack([t.detach().numpy() for t in tensor])
    elif isinstance(tensor, Tensor):
        arr = tensor.detach().numpy()
    else:
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if arr.ndim == 2:  # one grey image (H, W)
        arr = arr[None]
    if arr.ndim == 3:  # one image (C, H, W)
        arr = arr[None]
    if arr.ndim != 4:
        raise ValueError(f"make_grid expects images of shape (B, C, H, W), (C, H, W) or (H, W), got {arr.shape}")
    if arr.shape[1] == 1:
        arr = np.repeat(arr, 3, axis=1)

    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError(f"value_range has to be a tuple (min, max) if specified, got {value_range!r}")
        arr = arr.astype(arr.dtype if arr.dtype.kind == "f" else np.float32)  # a copy: the input stays intact
        for img in (arr if scale_each else [arr]):
            low, high = value_range if value_range is not None else (float(img.min()), float(img.max()))
            np.clip(img, low, high, out=img)
            img -= low
            img /= max(high - low, 1e-5)  # a constant image maps to 0, not to NaN

    if arr.shape[0] == 1:
        return minitorch.from_numpy(np.ascontiguousarray(arr[0]))
    count, channels, h, w = arr.shape
    cols = min(nrow, count)
    rows = int(math.ceil(count / cols))
    cell_h, cell_w = h + padding, w + padding
    grid = np.full((channels, rows * cell_h + padding, cols * cell_w + padding), pad_value, dtype=arr.dtype)
    for k in range(count):
        top, left = (k // cols) * cell_h + padding, (k % cols) * cell_w + padding
        grid[:, top: top + h, left: left + w] = arr[k]
    return minitorch.from_numpy(grid)


def save_image(
    tensor: Tensor | Sequence[Tensor],
    fp: str | os.PathLike | IO[bytes],
    format: str | None = None,
    **kwargs: Any,
) -> None:
    """Write `make_grid(tensor, **kwargs)` as an 8-bit image file (PNG, JPEG, ... by the
    file name or `format`). Values are taken as [0, 1]: v -> round(255 v), clamped."""
    grid = make_grid(tensor, **kwargs).numpy()
    pixels = np.clip(grid.astype(np.float32) * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    Image.fromarray(np.ascontiguousarray(pixels)).save(fp, format=format)
