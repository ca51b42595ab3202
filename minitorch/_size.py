"""`Size`: the tuple a tensor's `.shape` returns, printed as torch.Size([...])."""
from __future__ import annotations

import math


class Size(tuple):
    """A tensor shape: a tuple of ints with `numel()`."""

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    def __getitem__(self, item):
        result = tuple.__getitem__(self, item)
        return Size(result) if isinstance(item, slice) else result

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))
