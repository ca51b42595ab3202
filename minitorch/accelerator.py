"""`torch.accelerator` as a CPU-only build reports it: no accelerator, so code falls back to 'cpu'.

Queries answer "none"; calls that need a device raise RuntimeError, as torch's do.
"""
from __future__ import annotations

from typing import Any

from ._device import device

_NONE_AVAILABLE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: minitorch computes on the CPU only."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """None: there is no accelerator device type."""
    return None


def device_count() -> int:
    """0: no accelerator devices."""
    return 0


def current_device_index() -> int:
    """Raise RuntimeError: there is no accelerator device to have an index."""
    raise RuntimeError(_NONE_AVAILABLE)


def set_device_index(device: Any) -> None:
    """Raise RuntimeError: there is no accelerator device to select."""
    raise RuntimeError(_NONE_AVAILABLE)


def synchronize(device: Any = None) -> None:
    """Raise RuntimeError: there is no accelerator to wait for."""
    raise RuntimeError(_NONE_AVAILABLE)
