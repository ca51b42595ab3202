"""Tensor creation, by concept: from data (`from_data.py`), filled (`filled.py`), ranges
(`ranges.py`), and random sampling with the in-place fills (`sampling.py`).

Every public name is re-exported here, so `minitorch.<name>` and `_creation.<name>` reach
it; the `Tensor.new_*` methods and in-place fills are attached in _tensor_methods.py.
"""
from . import filled, from_data, ranges, sampling
from .filled import *  # noqa: F401,F403
from .filled import new_empty, new_full, new_ones, new_tensor, new_zeros  # noqa: F401
from .from_data import *  # noqa: F401,F403
from .ranges import *  # noqa: F401,F403
from .sampling import *  # noqa: F401,F403
from .sampling import bernoulli_, exponential_, fill_, normal_, random_, uniform_, zero_  # noqa: F401

__all__ = from_data.__all__ + filled.__all__ + ranges.__all__ + sampling.__all__
