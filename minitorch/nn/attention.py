"""`torch.nn.attention`: choosing scaled_dot_product_attention's kernel with `sdpa_kernel`.

minitorch has one implementation, which stands for the two kernels torch runs on a CPU (MATH and
FLASH_ATTENTION): inside `sdpa_kernel` naming neither (say EFFICIENT_ATTENTION only),
scaled_dot_product_attention raises torch's "No viable backend" error, as torch does on a CPU.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from .._ops import attention as _attention
from .._ops.attention import SDPBackend

__all__ = ["SDPBackend", "sdpa_kernel"]


@contextlib.contextmanager
def sdpa_kernel(backends: SDPBackend | list[SDPBackend], set_priority: bool = False) -> Iterator[None]:
    """Allow only `backends` for scaled_dot_product_attention inside the block (the order, with
    set_priority, only ranks kernels torch would choose between; it changes nothing here)."""
    chosen = [backends] if isinstance(backends, SDPBackend) else backends
    if not isinstance(chosen, list) or not all(isinstance(b, SDPBackend) for b in chosen):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
                             f"got {type(backends).__name__}")
    previous = _attention._enabled_backends
    _attention._enabled_backends = frozenset(chosen)
    try:
        yield
    finally:
        _attention._enabled_backends = previous
