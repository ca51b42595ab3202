"""What several transforms share: random draws (all from minitorch's default generator, so
`minitorch.manual_seed` makes a pipeline reproducible) and torchvision's argument checks.
"""
from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import minitorch


# ----- randomness ------------------------------------------------------------------------
def _uniform(low: float, high: float) -> float:
    """A float drawn uniformly from [low, high)."""
    return low + (high - low) * minitorch.rand(1, dtype=minitorch.float64).item()


def _randint(low: int, high: int) -> int:
    """An int drawn uniformly from [low, high)."""
    return int(minitorch.randint(low, high, (1,)).item())


def _happens(p: float) -> bool:
    """True with probability p."""
    return minitorch.rand(1).item() < p


def _random_sides(area: int, scale: Sequence[float], ratio: Sequence[float]) -> tuple[int, int]:
    """Sides (a, b) of a random rectangle: area a * b a uniform fraction in `scale` of `area`, and
    a / b log-uniform in `ratio` (RandomResizedCrop's windows, RandomErasing's boxes)."""
    target_area = area * _uniform(scale[0], scale[1])
    aspect = math.exp(_uniform(math.log(ratio[0]), math.log(ratio[1])))
    return int(round(math.sqrt(target_area * aspect))), int(round(math.sqrt(target_area / aspect)))


# ----- argument checking -------------------------------------------------------------------
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


def _check_scale_ratio(scale: Any, ratio: Any) -> None:
    """torchvision's checks of a (min, max) area `scale` and aspect `ratio` pair: sequences,
    with a warning when a pair is given as (max, min)."""
    if not isinstance(scale, Sequence):
        raise TypeError(f"Scale should be a sequence, got {type(scale)}")
    if not isinstance(ratio, Sequence):
        raise TypeError(f"Ratio should be a sequence, got {type(ratio)}")
    if scale[0] > scale[1] or ratio[0] > ratio[1]:
        warnings.warn("Scale and ratio should be of kind (min, max)")
