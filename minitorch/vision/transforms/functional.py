"""The functional form of the transforms (torchvision.transforms.functional).

Every function takes a PIL image or an image tensor of shape (..., C, H, W) (a 2-D
tensor is one grey image) and returns the same kind. PIL images go to
`_functional_pil`, tensors to the numpy kernels of `_functional_array`; these are
deterministic, the random choices live in the transform classes.

On tensors, `normalize`, `crop` (inside the image), the flips and `erase` are made of
minitorch ops, so they are differentiable and crops are views, as in torchvision; the
other operations compute with numpy and return new tensors outside the autograd graph.
"""
from __future__ import annotations

import numbers
from enum import Enum
from typing import Any, Sequence

import numpy as np
from PIL import Image

import minitorch
from minitorch import Tensor

from . import _functional_array as A
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


# ---------------------------------------------------------------------------------------
# bridging PIL, numpy and tensors


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
    return get_dimensions(img)[0]


# ---------------------------------------------------------------------------------------
# conversions

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


# ---------------------------------------------------------------------------------------
# geometry


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


# ---------------------------------------------------------------------------------------
# colour


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


__all__ = [
    "InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
    "to_tensor", "pil_to_tensor", "to_pil_image", "convert_image_dtype", "normalize",
    "resize", "crop", "center_crop", "resized_crop", "hflip", "vflip", "pad", "rotate", "affine",
    "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
    "rgb_to_grayscale", "to_grayscale", "gaussian_blur", "erase",
]
