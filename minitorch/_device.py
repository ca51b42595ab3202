"""The `device` type. minitorch computes on the CPU only.

A `device('cuda')` object can be made (code often builds one before checking
availability, as with torch), but placing a tensor on anything but the CPU raises a
RuntimeError that names what is supported.
"""
from __future__ import annotations

from typing import Any

_KNOWN_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:
    """A device such as `device('cpu')` or `device('cpu', 0)`; only 'cpu' can hold tensors."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(f"Cannot use device index {type}: minitorch has no accelerator "
                               "(supported devices: 'cpu')")
        name, _, number = str(type).partition(":")
        if name not in _KNOWN_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_KNOWN_TYPES)} device type at start of "
                               f"device string: {type}")
        self.type = name
        self.index = int(number) if number else index

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, device) and (other.type, other.index) == (self.type, self.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def check_device(d: Any) -> None:
    """Raise RuntimeError unless `d` is None or names the CPU."""
    if d is None or d is CPU:
        return
    if device(d).type != "cpu":
        raise RuntimeError(f"Cannot place a tensor on device '{d}': minitorch runs on the CPU only "
                           "(supported devices: 'cpu')")


def set_default_device(d: Any) -> None:
    """Where factory functions put tensors by default; minitorch accepts only the CPU (or None)."""
    check_device(d)


def get_default_device() -> device:
    """The default device for new tensors: always the CPU."""
    return CPU
