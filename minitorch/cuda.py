"""`torch.cuda` as seen from a CPU-only library: no devices, so device-agnostic code picks 'cpu'."""


def is_available() -> bool:
    """False: minitorch has no GPU backend."""
    return False


def device_count() -> int:
    """0: minitorch has no GPU backend."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored (there is no CUDA generator to seed)."""


manual_seed_all = manual_seed
