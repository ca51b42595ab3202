"""`torch.accelerator`, as a CPU-only build of torch reports it: there is no accelerator.

Device-agnostic programs ask `accelerator.is_available()` and fall back to the CPU; every
call that needs an accelerator raises torch's RuntimeError.
"""
from __future__ import annotations

from typing import Any, NoReturn

from ._device import device

_NONE_AVAILABLE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    """False: minitorch computes on the CPU only."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """The accelerator's device type, None here."""
    return None


def device_count() -> int:
    """The number of accelerator devices: 0."""
    return 0


def _no_accelerator(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError(_NONE_AVAILABLE)


current_device_index = current_device_idx = set_device_index = set_device_idx = _no_accelerator
synchronize = current_stream = set_stream = empty_cache = memory_allocated = _no_accelerator
