"""Transform objects with torchvision's names, arguments and behaviour.

A transform is a callable on one image (PIL or tensor, see `functional.py`); random
ones draw their parameters from minitorch's default generator at each call, so
`minitorch.manual_seed(s)` makes a pipeline reproducible. Each random transform has a
`get_params` that does only the drawing, for applying one draw to several images.
"""
from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import Any, Callable

import minitorch
from minitorch import Tensor

from . import functional as F
from .functional import InterpolationMode


# ---------------------------------------------------------------------------------------
# randomness, all from minitorch's default generator


def _uniform(low: float, high: float) -> float:
    """A float drawn uniformly from [low, high)."""
    return low + (high - low) * minitorch.rand(1, dtype=minitorch.float64).item()


def _randint(low: int, high: int) -> int:
    """An int drawn uniformly from [low, high)."""
    return int(minitorch.randint(low, high, (1,)).item())


def _happens(p: float) -> bool:
    """True with probability p."""
    return minitorch.rand(1).item() < p


# ---------------------------------------------------------------------------------------
# argument checking shared by several transforms


def _setup_size(size: Any, error_msg: str) -> tuple[int, int]:
    """int s -> (s, s); (s,) -> (s, s); (h, w) stays."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if not isinstance(size, Sequence) or len(size) != 2:
        raise ValueError(f"{error_msg} Got {size!r}")
    return size[0], size[1]


def _check_sequence(x: Any, name: str, sizes: tuple[int, ...]) -> None:
    expected = " or ".join(str(s) for s in sizes)
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {expected}.")
    if len(x) not in sizes:
        raise ValueError(f"{name} should be a sequence of length {expected}, got {len(x)}.")


def _setup_angle(x: Any, name: str, sizes: tuple[int, ...] = (2,)) -> list[float]:
    """a number d -> [-d, d]; a sequence is kept (after checking its length)."""
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive, got {x}.")
        return [-float(x), float(x)]
    _check_sequence(x, name, sizes)
    return [float(d) for d in x]


def _old_names(cls: str, interpolation: Any, fill: Any, resample: Any, fillcolor: Any) -> tuple[Any, Any]:
    """Older torchvision's `resample` and `fillcolor`, still found in tutorials: accept them
    with a warning, as torchvision 0.12 did."""
    if resample is not None:
        warnings.warn(f"{cls}: the argument 'resample' is deprecated, please use 'interpolation' instead.")
        interpolation = resample
    if fillcolor is not None:
        warnings.warn(f"{cls}: the argument 'fillcolor' is deprecated, please use 'fill' instead.")
        fill = fillcolor
    return interpolation, fill


def _check_fill(fill: Any) -> Any:
    if fill is None:
        return 0
    if isinstance(fill, str) or not isinstance(fill, (Sequence, numbers.Number)):
        raise TypeError(f"Fill should be either a sequence or a number, got {type(fill)}.")
    return fill


# ---------------------------------------------------------------------------------------
# composition


class Compose:
    """Apply `transforms` one after the other."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = transforms

    def __call__(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return _listing(self.__class__.__name__, [], self.transforms)


def _listing(name: str, header: list[str], transforms: Sequence[Callable]) -> str:
    """torchvision's multi-line repr: Name(\\n    item\\n    item\\n)."""
    lines = header + [repr(t) for t in transforms]
    return name + "(" + "".join(f"\n    {line}" for line in lines) + "\n)"


class Lambda:
    """Apply a user function: `Lambda(lambda img: img.rotate(90))`."""

    def __init__(self, lambd: Callable) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class _RandomTransforms:
    def __init__(self, transforms: Sequence[Callable]) -> None:
        if not isinstance(transforms, Sequence):
            raise TypeError(f"Argument transforms should be a sequence, got {type(transforms)}")
        self.transforms = transforms


class RandomApply(_RandomTransforms):
    """Apply all of `transforms` (in order) with probability p, else none."""

    def __init__(self, transforms: Sequence[Callable], p: float = 0.5) -> None:
        super().__init__(transforms)
        self.p = p

    def __call__(self, img: Any) -> Any:
        if not _happens(self.p):
            return img
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return _listing(self.__class__.__name__, [f"p={self.p}"], self.transforms)


class RandomChoice(_RandomTransforms):
    """Apply one of `transforms`, picked with probabilities proportional to `p` (default equal)."""

    def __init__(self, transforms: Sequence[Callable], p: Sequence[float] | None = None) -> None:
        super().__init__(transforms)
        if p is not None and not isinstance(p, Sequence):
            raise TypeError(f"Argument p should be a sequence, got {type(p)}")
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != {len(transforms)}")
        self.p = p

    def __call__(self, img: Any) -> Any:
        weights = [1.0] * len(self.transforms) if self.p is None else [float(w) for w in self.p]
        # walk the cumulative weights until they pass a uniform draw on [0, total)
        r = _uniform(0.0, sum(weights))
        for t, w in zip(self.transforms, weights):
            if r < w:
                return t(img)
            r -= w
        return self.transforms[-1](img)  # r landed on the total through rounding

    def __repr__(self) -> str:
        return _listing(self.__class__.__name__, [], self.transforms) + f"(p={self.p})"


class RandomOrder(_RandomTransforms):
    """Apply all of `transforms` in a random order."""

    def __call__(self, img: Any) -> Any:
        for i in minitorch.randperm(len(self.transforms)).tolist():
            img = self.transforms[i](img)
        return img

    def __repr__(self) -> str:
        return _listing(self.__class__.__name__, [], self.transforms)


# ---------------------------------------------------------------------------------------
# conversions


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


# ---------------------------------------------------------------------------------------
# geometry


class Resize:
    """Resize to `size` = (h, w), or so that the smaller edge becomes `size` (an int);
    `max_size` caps the longer edge in that case."""

    def __init__(self, size: int | Sequence[int], interpolation: InterpolationMode = InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        if not isinstance(size, (int, Sequence)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError(f"If size is a sequence, it should have 1 or 2 values, got {len(size)}")
        self.size = size
        self.max_size = max_size
        self.interpolation = F._interpolation(interpolation)
        self.antialias = antialias

    def __call__(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop:
    """The central (h, w) window; a smaller image is zero-padded first."""

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")

    def __call__(self, img: Any) -> Any:
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size})"


class Pad:
    """Pad the borders (see `functional.pad`): constant `fill`, "edge", "reflect", "symmetric"."""

    def __init__(self, padding: int | Sequence[int], fill: float | Sequence[float] = 0,
                 padding_mode: str = "constant") -> None:
        F._parse_padding(padding)  # reject bad padding now rather than at the first image
        if not isinstance(fill, (numbers.Number, tuple, list)):
            raise TypeError(f"Got inappropriate fill arg: {fill!r}")
        if padding_mode not in F._PADDING_MODES:
            raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, got {padding_mode!r}")
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def __call__(self, img: Any) -> Any:
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class RandomCrop:
    """A (h, w) window at a random position, after optional padding.

    `padding` pads first (as `Pad`); `pad_if_needed` pads an image smaller than the crop
    on both sides by the shortfall, so any position fits.
    """

    def __init__(self, size: int | Sequence[int], padding: int | Sequence[int] | None = None,
                 pad_if_needed: bool = False, fill: float | Sequence[float] = 0,
                 padding_mode: str = "constant") -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")
        if padding is not None:
            F._parse_padding(padding)
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """(top, left, h, w) of a uniformly random window of `output_size` inside `img`."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if (h, w) == (th, tw):
            return 0, 0, h, w
        return _randint(0, h - th + 1), _randint(0, w - tw + 1), th, tw

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomResizedCrop:
    """A random window of random area (fraction `scale` of the image) and aspect ratio
    (`ratio`, drawn log-uniformly), resized to `size`: the Inception-style crop."""

    def __init__(self, size: int | Sequence[int], scale: tuple[float, float] = (0.08, 1.0),
                 ratio: tuple[float, float] = (3.0 / 4.0, 4.0 / 3.0),
                 interpolation: InterpolationMode = InterpolationMode.BILINEAR, antialias: bool | None = True) -> None:
        self.size = _setup_size(size, "Please provide only two dimensions (h, w) for size.")
        if not isinstance(scale, Sequence):
            raise TypeError(f"Scale should be a sequence, got {type(scale)}")
        if not isinstance(ratio, Sequence):
            raise TypeError(f"Ratio should be a sequence, got {type(ratio)}")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)")
        self.scale = scale
        self.ratio = ratio
        self.interpolation = F._interpolation(interpolation)
        self.antialias = antialias

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float]) -> tuple[int, int, int, int]:
        """(top, left, h, w) of the window; after 10 failed draws, the largest central
        window whose aspect ratio is within `ratio`."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * _uniform(scale[0], scale[1])
            aspect = math.exp(_uniform(*log_ratio))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return _randint(0, height - h + 1), _randint(0, width - w + 1), h, w
        in_ratio = width / height
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img: Any) -> Any:
        i, j, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, i, j, h, w, self.size, self.interpolation, antialias=self.antialias)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(size={self.size}, scale={tuple(round(s, 4) for s in self.scale)}, "
                f"ratio={tuple(round(r, 4) for r in self.ratio)}, interpolation={self.interpolation.value}, "
                f"antialias={self.antialias})")


class RandomHorizontalFlip:
    """Mirror left-right with probability p."""

    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def __call__(self, img: Any) -> Any:
        return F.hflip(img) if _happens(self.p) else img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


class RandomVerticalFlip:
    """Mirror top-bottom with probability p."""

    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def __call__(self, img: Any) -> Any:
        return F.vflip(img) if _happens(self.p) else img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


class RandomRotation:
    """Rotate by an angle drawn from `degrees` (d means [-d, d]), counter-clockwise.

    `expand` enlarges the output to hold the whole image, `center` (x, y) is the pivot
    (default the middle), uncovered pixels get `fill`.
    """

    def __init__(self, degrees: float | Sequence[float], interpolation: InterpolationMode = InterpolationMode.NEAREST,
                 expand: bool = False, center: Sequence[int] | None = None, fill: float | Sequence[float] = 0,
                 *, resample: Any = None) -> None:
        interpolation, fill = _old_names("RandomRotation", interpolation, fill, resample, None)
        self.degrees = _setup_angle(degrees, "degrees")
        if center is not None:
            _check_sequence(center, "center", (2,))
        self.center = center
        self.interpolation = F._interpolation(interpolation)
        self.expand = expand
        self.fill = _check_fill(fill)

    @staticmethod
    def get_params(degrees: Sequence[float]) -> float:
        """An angle drawn uniformly from [degrees[0], degrees[1])."""
        return _uniform(float(degrees[0]), float(degrees[1]))

    def __call__(self, img: Any) -> Any:
        angle = self.get_params(self.degrees)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, self.fill)

    def __repr__(self) -> str:
        extra = "" if self.center is None else f", center={self.center}"
        extra += "" if self.fill is None else f", fill={self.fill}"
        return (f"{self.__class__.__name__}(degrees={self.degrees}, interpolation={self.interpolation.value}, "
                f"expand={self.expand}{extra})")


class RandomAffine:
    """A random affine map keeping the image centre: rotation by an angle from `degrees`,
    translation by up to `translate` = (fx, fy) of the width/height, scale from `scale`,
    shear from `shear` (d means x-shear in [-d, d]; 2 values an x range; 4 values x then y
    ranges). Uncovered pixels get `fill`."""

    def __init__(self, degrees: float | Sequence[float], translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, shear: float | Sequence[float] | None = None,
                 interpolation: InterpolationMode = InterpolationMode.NEAREST, fill: float | Sequence[float] = 0,
                 center: Sequence[int] | None = None, *, resample: Any = None, fillcolor: Any = None) -> None:
        interpolation, fill = _old_names("RandomAffine", interpolation, fill, resample, fillcolor)
        self.degrees = _setup_angle(degrees, "degrees")
        if translate is not None:
            _check_sequence(translate, "translate", (2,))
            if not all(0.0 <= t <= 1.0 for t in translate):
                raise ValueError(f"translation values should be between 0 and 1, got {translate}")
        if scale is not None:
            _check_sequence(scale, "scale", (2,))
            if not all(s > 0 for s in scale):
                raise ValueError(f"scale values should be positive, got {scale}")
        self.translate = translate
        self.scale = scale
        self.shear = _setup_angle(shear, "shear", (2, 4)) if shear is not None else None
        if center is not None:
            _check_sequence(center, "center", (2,))
        self.center = center
        self.interpolation = F._interpolation(interpolation)
        self.fill = _check_fill(fill)

    @staticmethod
    def get_params(degrees: Sequence[float], translate: Sequence[float] | None, scale_ranges: Sequence[float] | None,
                   shears: Sequence[float] | None, img_size: Sequence[int]
                   ) -> tuple[float, tuple[int, int], float, tuple[float, float]]:
        """(angle, (dx, dy), scale, (shear_x, shear_y)) for an image of `img_size` = [w, h]."""
        angle = _uniform(float(degrees[0]), float(degrees[1]))
        if translate is not None:
            max_dx, max_dy = float(translate[0] * img_size[0]), float(translate[1] * img_size[1])
            translations = (int(round(_uniform(-max_dx, max_dx))), int(round(_uniform(-max_dy, max_dy))))
        else:
            translations = (0, 0)
        scale = _uniform(scale_ranges[0], scale_ranges[1]) if scale_ranges is not None else 1.0
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = _uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = _uniform(shears[2], shears[3])
        return angle, translations, scale, (shear_x, shear_y)

    def __call__(self, img: Any) -> Any:
        _, h, w = F.get_dimensions(img)
        angle, translations, scale, shear = self.get_params(self.degrees, self.translate, self.scale, self.shear, [w, h])
        return F.affine(img, angle, list(translations), scale, list(shear), self.interpolation, self.fill, self.center)

    def __repr__(self) -> str:
        parts = [f"degrees={self.degrees}"]
        for name in ("translate", "scale", "shear"):
            if getattr(self, name) is not None:
                parts.append(f"{name}={getattr(self, name)}")
        if self.interpolation != InterpolationMode.NEAREST:
            parts.append(f"interpolation={self.interpolation.value}")
        if self.fill != 0:
            parts.append(f"fill={self.fill}")
        if self.center is not None:
            parts.append(f"center={self.center}")
        return f"{self.__class__.__name__}({', '.join(parts)})"


# ---------------------------------------------------------------------------------------
# colour


def _jitter_range(value: Any, name: str, center: float = 1.0, bound: tuple[float, float] = (0, float("inf")),
                  clip_first_on_zero: bool = True) -> tuple[float, float] | None:
    """a -> [center - a, center + a] (clipped at 0), (lo, hi) kept; None means "leave alone"."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative, got {value}.")
        value = [center - float(value), center + float(value)]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        value = [float(value[0]), float(value[1])]
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2, got {value!r}.")
    if not bound[0] <= value[0] <= value[1] <= bound[1]:
        raise ValueError(f"{name} values should be between {bound}, but got {value}.")
    return None if value[0] == value[1] == center else (value[0], value[1])


class ColorJitter:
    """Random brightness, contrast, saturation and hue changes, in a random order.

    Each factor is drawn uniformly from its range: a number a means [max(0, 1 - a), 1 + a]
    (for hue, [-a, a] with a <= 0.5), a pair (lo, hi) is the range itself.
    """

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0) -> None:
        self.brightness = _jitter_range(brightness, "brightness")
        self.contrast = _jitter_range(contrast, "contrast")
        self.saturation = _jitter_range(saturation, "saturation")
        self.hue = _jitter_range(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def get_params(brightness: tuple[float, float] | None, contrast: tuple[float, float] | None,
                   saturation: tuple[float, float] | None, hue: tuple[float, float] | None
                   ) -> tuple[list[int], float | None, float | None, float | None, float | None]:
        """(order of the four adjustments, brightness, contrast, saturation, hue factors)."""
        order = minitorch.randperm(4).tolist()
        factors = [None if r is None else _uniform(r[0], r[1]) for r in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def __call__(self, img: Any) -> Any:
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for k in order:
            if factors[k] is not None:
                img = adjust[k](img, factors[k])
        return img

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue})")


class Grayscale:
    """RGB to grey (luma 0.299 R + 0.587 G + 0.114 B), as 1 or 3 channels."""

    def __init__(self, num_output_channels: int = 1) -> None:
        if num_output_channels not in (1, 3):
            raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, self.num_output_channels)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(num_output_channels={self.num_output_channels})"


class RandomGrayscale:
    """With probability p, grey with as many channels as the input (so 3 for RGB), or
    `num_output_channels` (1 or 3) if given."""

    def __init__(self, p: float = 0.1, num_output_channels: int | None = None) -> None:
        if num_output_channels not in (None, 1, 3):
            raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")
        self.p = p
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        channels = self.num_output_channels or F.get_image_num_channels(img)
        return F.rgb_to_grayscale(img, channels) if _happens(self.p) else img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


class GaussianBlur:
    """Blur with a Gaussian of `kernel_size` taps and a std drawn from `sigma` = (min, max)."""

    def __init__(self, kernel_size: int | Sequence[int], sigma: float | Sequence[float] = (0.1, 2.0)) -> None:
        self.kernel_size = _setup_size(kernel_size, "Kernel size should be a tuple/list of two integers.")
        if any(k <= 0 or k % 2 == 0 for k in self.kernel_size):
            raise ValueError(f"Kernel size value should be an odd and positive number, got {kernel_size}.")
        if isinstance(sigma, numbers.Number):
            if sigma <= 0:
                raise ValueError(f"If sigma is a single number, it must be positive, got {sigma}.")
            sigma = (float(sigma), float(sigma))
        elif isinstance(sigma, Sequence) and len(sigma) == 2:
            if not 0.0 < sigma[0] <= sigma[1]:
                raise ValueError(f"sigma values should be positive and of the form (min, max), got {sigma}.")
        else:
            raise ValueError(f"sigma should be a single number or a list/tuple with length 2, got {sigma!r}.")
        self.sigma = sigma

    @staticmethod
    def get_params(sigma_min: float, sigma_max: float) -> float:
        """A std drawn uniformly from [sigma_min, sigma_max)."""
        return _uniform(sigma_min, sigma_max)

    def __call__(self, img: Any) -> Any:
        sigma = self.get_params(self.sigma[0], self.sigma[1])
        return F.gaussian_blur(img, self.kernel_size, [sigma, sigma])

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(kernel_size={self.kernel_size}, sigma={self.sigma})"


class RandomErasing:
    """With probability p, overwrite a random rectangle of a tensor image (Cutout-style).

    The rectangle covers a fraction `scale` of the area with aspect ratio from `ratio`
    (log-uniform); it is filled with `value`: a number, one value per channel, or
    "random" for standard normal noise. Gives up (returns the image) after 10 draws
    that do not fit. (Any string means noise, as in the torchvision the tutorials were
    written for; today's torchvision accepts only "random".)
    """

    def __init__(self, p: float = 0.5, scale: Sequence[float] = (0.02, 0.33), ratio: Sequence[float] = (0.3, 3.3),
                 value: float | str | Sequence[float] = 0, inplace: bool = False) -> None:
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError(f"Argument value should be either a number or str or a sequence, got {type(value)}")
        if not isinstance(scale, Sequence):
            raise TypeError(f"Scale should be a sequence, got {type(scale)}")
        if not isinstance(ratio, Sequence):
            raise TypeError(f"Ratio should be a sequence, got {type(ratio)}")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)")
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError(f"Scale should be between 0 and 1, got {scale}")
        if p < 0 or p > 1:
            raise ValueError(f"Random erasing probability should be between 0 and 1, got {p}")
        self.p = p
        self.scale = scale
        self.ratio = ratio
        self.value = value
        self.inplace = inplace

    @staticmethod
    def get_params(img: Tensor, scale: Sequence[float], ratio: Sequence[float],
                   value: list[float] | None = None) -> tuple[int, int, int, int, Tensor]:
        """(top, left, h, w, values) of the rectangle; `value` None means normal noise."""
        c, img_h, img_w = img.shape[-3], img.shape[-2], img.shape[-1]
        area = img_h * img_w
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            erase_area = area * _uniform(scale[0], scale[1])
            aspect = math.exp(_uniform(*log_ratio))
            h = int(round(math.sqrt(erase_area * aspect)))
            w = int(round(math.sqrt(erase_area / aspect)))
            if not (h < img_h and w < img_w):
                continue
            if value is None:
                v = minitorch.randn(c, h, w, dtype=minitorch.float32)
            else:
                v = minitorch.tensor(value).view(-1, 1, 1)
            return _randint(0, img_h - h + 1), _randint(0, img_w - w + 1), h, w, v
        return 0, 0, img_h, img_w, img

    def __call__(self, img: Tensor) -> Tensor:
        if not _happens(self.p):
            return img
        if not isinstance(img, Tensor):
            raise TypeError(f"img should be Tensor Image. Got {type(img)}")
        if isinstance(self.value, str):
            value = None
        elif isinstance(self.value, numbers.Number):
            value = [float(self.value)]
        else:
            value = [float(v) for v in self.value]
        if value is not None and len(value) not in (1, img.shape[-3]):
            raise ValueError(f"If value is a sequence, it should have either a single value or "
                             f"{img.shape[-3]} (number of input channels), got {len(value)}")
        i, j, h, w, v = self.get_params(img, self.scale, self.ratio, value)
        return F.erase(img, i, j, h, w, v, self.inplace)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(p={self.p}, scale={self.scale}, ratio={self.ratio}, "
                f"value={self.value}, inplace={self.inplace})")


__all__ = [
    "Compose", "Lambda", "RandomApply", "RandomChoice", "RandomOrder",
    "ToTensor", "PILToTensor", "ToPILImage", "ConvertImageDtype", "Normalize",
    "Resize", "CenterCrop", "Pad", "RandomCrop", "RandomResizedCrop",
    "RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation", "RandomAffine",
    "ColorJitter", "Grayscale", "RandomGrayscale", "GaussianBlur", "RandomErasing",
    "InterpolationMode",
]
