"""`torch.backends.cudnn` on a machine without CUDA: torch's default flags, never available."""
from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: minitorch has no cuDNN."""
    return False


def version() -> int | None:
    """None, as torch reports without cuDNN."""
    return None
