"""The `device` type. minitorch computes on the CPU only; other devices are refused clearly."""
from __future__ import annotations

from typing import Any


class device:
    """A device such as `device('cpu')`; anything but 'cpu' raises RuntimeError."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if isinstance(type, int):
            type, index = "cuda", type
        name, _, number = str(type).partition(":")
        if name != "cpu":
            raise RuntimeError(
                f"Expected a 'cpu' device, got '{type}': minitorch runs on the CPU only "
                "(supported devices: 'cpu')")
        self.type = "cpu"
        self.index = int(number) if number else index

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
        return isinstance(other, device) and other.type == self.type

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


CPU = device("cpu")


def check_device(d: Any) -> None:
    """Raise RuntimeError unless `d` is None or names the CPU."""
    if d is not None and d is not CPU:
        device(d)
