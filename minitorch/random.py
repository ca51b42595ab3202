"""Random number generation: `Generator`, `manual_seed`, and the default generator.

Streams come from numpy's PCG64, so values differ from torch's for the same seed;
what matches torch is the API, the distributions and the reproducibility under a seed.
"""
from __future__ import annotations

import pickle
from typing import Any

import numpy as np

from ._device import CPU, check_device
from ._tensor import _wrap


class Generator:
    """A random source; pass it as `generator=` to the random functions."""

    def __init__(self, device: Any = "cpu"):
        check_device(device)
        self._seed = 67280421310721
        self._rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        """Reset the stream to a fixed seed."""
        seed = int(seed)
        if not -2 ** 63 <= seed < 2 ** 64:
            raise ValueError(f"Overflow when unpacking long long: seed {seed} does not fit in 64 bits")
        self._seed = seed & 0xFFFFFFFFFFFFFFFF  # negative seeds wrap around, as in torch
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Reseed from the OS's entropy and return the new seed."""
        seed = int(np.random.SeedSequence().entropy) & 0xFFFFFFFFFFFFFFFF
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        """The seed last set."""
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor."""
        return _wrap(np.frombuffer(pickle.dumps((self._seed, self._rng.bit_generator.state)), dtype=np.uint8).copy())

    def set_state(self, state) -> "Generator":
        """Restore a state from get_state()."""
        self._seed, bit_state = pickle.loads(bytes(state.tolist()))
        self._rng.bit_generator.state = bit_state
        return self

    @property
    def device(self):
        return CPU


default_generator = Generator()


def rng(generator: Generator | None) -> np.random.Generator:
    """The numpy generator behind `generator`, or behind the default one."""
    return (generator or default_generator)._rng


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (all of minitorch's randomness that takes no generator=)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator non-deterministically."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state."""
    return default_generator.get_state()


def set_rng_state(state) -> None:
    """Restore the default generator's state."""
    default_generator.set_state(state)
