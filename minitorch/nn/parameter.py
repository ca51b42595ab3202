"""`Parameter`: a Tensor that a Module registers as one of its learnable weights."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and is registered when set on a Module.

    It shares storage with the tensor it is made from (like torch), but is always a
    leaf: wrapping the output of an op keeps its values and drops its history.
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> "Parameter":
        self = Tensor.__new__(cls)
        if data is None:
            self._array = np.empty(0, dtype=np.float32)
        else:
            if not isinstance(data, Tensor):
                raise TypeError(f"Parameter expects a Tensor as data, got {type(data).__name__}")
            self._array = data._array
            self._version_box = data._version_box
        self.requires_grad = requires_grad
        return self

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # all the work happens in __new__; Tensor.__init__ is the legacy constructor

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

