"""`Variable`: the pre-0.4 wrapper that old tutorials still call; today every Tensor is one.

`Variable(t, requires_grad=False)` gives what torch gives: a new tensor sharing t's data, cut off
from t's graph, with the requested requires_grad; `isinstance(x, Variable)` holds for any tensor.
"""
from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """Legacy constructor: Variable(data, requires_grad=False, volatile=False) -> Tensor."""

    def __new__(cls, data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        return data.detach().requires_grad_(requires_grad)
