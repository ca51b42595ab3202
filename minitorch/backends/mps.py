"""`torch.backends.mps`: Apple's Metal backend, neither built nor available here."""


def is_available() -> bool:
    """False: minitorch runs on the CPU only."""
    return False


def is_built() -> bool:
    """False: minitorch runs on the CPU only."""
    return False
