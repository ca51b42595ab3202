"""Transforms that combine others: `Compose`, `Lambda`, `RandomApply`, `RandomChoice`, `RandomOrder`."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

import minitorch

from ._args import _happens, _uniform

__all__ = ["Compose", "Lambda", "RandomApply", "RandomChoice", "RandomOrder"]


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
