"""Conversions between PIL images, numpy arrays and tensors, dtype scaling and normalization."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from PIL import Image

import minitorch
from minitorch import Tensor

from ._functional_image import _is_pil


# PIL modes whose pixels are not 8-bit: the numpy type to read them as. 16-bit images
# are read as int32 because minitorch, like torch, has no uint16
_PIL_MODE_DTYPE = {"I": np.int32, "I;16": np.int32, "I;16B": np.int32, "F": np.float32}


def _pil_to_array(pic: Image.Image) -> np.ndarray:
    """(C, H, W) array of a PIL image's pixels; mode "1" becomes 0/255 uint8."""
    arr = np.array(pic, dtype=_PIL_MODE_DTYPE.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        arr *= 255
    arr = arr.reshape(pic.height, pic.width, -1)
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


def to_tensor(pic: Any) -> Tensor:
    """PIL image or (H, W[, C]) ndarray -> (C, H, W) tensor; uint8 is scaled to floats in [0, 1]."""
    if _is_pil(pic):
        arr = _pil_to_array(pic)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = np.ascontiguousarray((pic[:, :, None] if pic.ndim == 2 else pic).transpose(2, 0, 1))
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if arr.dtype == np.uint8:
        arr = arr.astype(minitorch.get_default_dtype().np) / 255
    return minitorch.from_numpy(arr)


def pil_to_tensor(pic: Any) -> Tensor:
    """PIL image -> (C, H, W) tensor of its pixel values, unscaled (uint8 for 8-bit modes)."""
    if not _is_pil(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    arr = np.array(pic, copy=True)
    if arr.dtype == np.uint16:  # no uint16 in minitorch
        arr = arr.astype(np.int32)
    return minitorch.from_numpy(np.ascontiguousarray(arr.reshape(pic.height, pic.width, -1).transpose(2, 0, 1)))


def to_pil_image(pic: Any, mode: str | None = None) -> Image.Image:
    """(C, H, W) tensor or (H, W[, C]) ndarray -> PIL image.

    Float values are taken as [0, 1] and scaled to uint8 by 255 (truncating, as
    torchvision does) unless `mode="F"` keeps them. Without `mode`, Pillow infers it
    from the channels and type: 1 -> "L" (int32 "I", float "F"), 2 -> "LA",
    3 -> "RGB", 4 -> "RGBA"; with `mode`, the image is converted to it.
    """
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic.detach().numpy()
        arr = arr[None] if arr.ndim == 2 else arr
        arr = arr.transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic[:, :, None] if pic.ndim == 2 else pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}")
    if arr.shape[2] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {arr.shape[2]} channels.")
    if arr.dtype.kind == "f" and mode != "F":
        arr = (arr * 255).astype(np.uint8)
    if arr.shape[2] == 1:
        arr = arr[:, :, 0]
    image = Image.fromarray(np.ascontiguousarray(arr))
    return image if mode is None or image.mode == mode else image.convert(mode)


_INT_MAX = {np.dtype(np.uint8): 255, np.dtype(np.int8): 127, np.dtype(np.int16): 32767,
            np.dtype(np.int32): 2**31 - 1, np.dtype(np.int64): 2**63 - 1}


def convert_image_dtype(image: Tensor, dtype: minitorch.dtype = minitorch.float32) -> Tensor:
    """Change the dtype of an image tensor, rescaling so that white stays white.

    Floats span [0, 1]; integers [0, max of the type]. Float -> int multiplies by
    (max + 1 - 0.001) and truncates, so each of the max+1 integer levels gets an
    equal share of [0, 1]; int -> int shifts by whole bits.
    """
    if not isinstance(image, Tensor):
        raise TypeError(f"Input img should be Tensor Image. Got {type(image)}")
    if image.dtype == dtype:
        return image
    src, dst = image.dtype.np, dtype.np
    for d in (src, dst):
        if d.kind != "f" and d not in _INT_MAX:
            raise TypeError(f"convert_image_dtype: unsupported image dtype {image.dtype if d == src else dtype}")
    arr = image.detach().numpy()
    if src.kind == "f" and dst.kind == "f":
        out = arr.astype(dst)
    elif src.kind == "f":
        # float32 has 24 bits of mantissa: it cannot tell apart neighbouring int32 values
        if (src == np.float32 and dst in (np.int32, np.int64)) or (src == np.float64 and dst == np.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed safely.")
        out = (arr * src.type(_INT_MAX[dst] + 1.0 - 1e-3)).astype(dst)
    elif dst.kind == "f":
        out = arr.astype(dst) / dst.type(_INT_MAX[src])
    elif _INT_MAX[src] > _INT_MAX[dst]:
        out = (arr // ((_INT_MAX[src] + 1) // (_INT_MAX[dst] + 1))).astype(dst)
    else:
        out = arr.astype(dst) * dst.type((_INT_MAX[dst] + 1) // (_INT_MAX[src] + 1))
    return minitorch.from_numpy(np.ascontiguousarray(out))


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Tensor:
    """(tensor - mean) / std per channel, for a float tensor of shape (..., C, H, W).

    Built from minitorch ops, so it is differentiable; `inplace` writes into `tensor`.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Input tensor should be a torch tensor. Got {type(tensor)}.")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {tuple(tensor.shape)}")
    if (np.asarray(std, dtype=tensor.dtype.np) == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    if not inplace and not tensor.requires_grad:
        # the usual case, an image in a data pipeline: numpy directly is ~15x faster
        # than going through the autograd machinery, which has nothing to record here
        mean_a, std_a = (np.asarray(v, dtype=tensor.dtype.np) for v in (mean, std))
        mean_a, std_a = (v.reshape(-1, 1, 1) if v.ndim == 1 else v for v in (mean_a, std_a))
        return minitorch.from_numpy((tensor.numpy() - mean_a) / std_a)
    mean_t = minitorch.as_tensor(mean, dtype=tensor.dtype)
    std_t = minitorch.as_tensor(std, dtype=tensor.dtype)
    if mean_t.ndim == 1:
        mean_t = mean_t.view(-1, 1, 1)
    if std_t.ndim == 1:
        std_t = std_t.view(-1, 1, 1)
    if inplace:
        return tensor.sub_(mean_t).div_(std_t)
    return (tensor - mean_t) / std_t
