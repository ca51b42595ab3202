"""What every op family shares: operand promotion and registering Tensor methods."""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function, replay_view


def tensor_method(*functions: Callable, **renamed: Callable) -> None:
    """Expose functions as Tensor methods: by their own name, or under the given names."""
    for fn in functions:
        setattr(Tensor, fn.__name__, fn)
    for name, fn in renamed.items():
        setattr(Tensor, name, fn)


def as_tensor_operand(x: Any) -> Any:
    """Leave Tensors and Python numbers alone; wrap numpy values; refuse anything else."""
    if isinstance(x, (Tensor, bool, int, float)):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return _wrap(np.asarray(x))
    if isinstance(x, numbers.Number) and not isinstance(x, complex):
        return float(x) if isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral) else int(x)
    raise TypeError(f"unsupported operand type: expected a Tensor or a number, got {type(x).__name__}")


def promote(a: Any, b: Any) -> tuple[Any, Any]:
    """The operands of a binary op converted to torch's result dtype.

    Tensors are cast (differentiably); Python scalars stay scalars, which numpy treats as
    weak exactly like torch does once the tensor has the result dtype.
    """
    a, b = as_tensor_operand(a), as_tensor_operand(b)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._array.dtype == b._array.dtype:
            return a, b
        dt = _dtype.result_type(a, b)
        return a.to(dt), b.to(dt)
    dt = _dtype.result_type(a, b)
    if isinstance(a, Tensor):
        return (a if a._array.dtype == dt.np else a.to(dt)), b
    return a, (b if b._array.dtype == dt.np else b.to(dt))


def inplace_update(self: Tensor, result: Tensor) -> Tensor:
    """Make `self` hold `result`, as an in-place op does: copy values, bump version, take history.

    When `self` is a view, the write also changes its base: the base's history gains a
    CopySlices node (gradient flows to `result` inside the view's region and to the old
    base outside it), and `self` becomes a fresh view of the updated base.
    """
    check_inplace(self)
    if result._array.dtype != self._array.dtype and not _dtype.can_cast(result.dtype, self.dtype):
        raise RuntimeError(f"result type {type_name(result.dtype)} can't be cast to the desired "
                           f"output type {type_name(self.dtype)}")
    if result._array.shape != self._array.shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                           f"{list(result.shape)}")
    np.copyto(self._array, result._array, casting="unsafe")
    self._version_box[0] += 1
    if grad_mode._enabled and self._requires_grad and not result._requires_grad:
        # New values that do not depend on the old ones: the old history gets zero gradient.
        result = Overwrite.apply(result, self)
    base = self._base
    if base is not None and self._view_chain and grad_mode._enabled and \
            (result._requires_grad or base._requires_grad):
        updated = CopySlices.apply(base, result, self._view_chain)
        base.grad_fn, base._output_nr, base._requires_grad = updated.grad_fn, 0, True
        result = replay_view(base, self._view_chain)
    if result.grad_fn is not None:
        self.grad_fn = result.grad_fn
        self._output_nr = result._output_nr
        self._requires_grad = True
    return self


class Overwrite(Function):
    """`new`, recorded as replacing `old`: gradient flows to `new` only."""

    @staticmethod
    def forward(ctx, new, old):
        return new

    @staticmethod
    def backward(ctx, grad):
        return None, grad * 0


class CopySlices(Function):
    """The base tensor after `values` were written into it through a view (given by its chain)."""

    @staticmethod
    def forward(ctx, base, values, chain):
        # The write already happened in memory; remember which elements it covered.
        region = np.ones(base.shape, dtype=bool)
        replay_view(_wrap(region), chain)._array[...] = False
        ctx.outside, ctx.chain = region, chain
        return base

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.outside), replay_view(grad, ctx.chain), None


_TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
               "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double"}


def type_name(dt: _dtype.dtype) -> str:
    """torch's C++ name of a dtype (Float, Long, ...), as its error messages spell it."""
    return _TYPE_NAMES[dt.name]


def check_inplace(self: Tensor) -> None:
    """Refuse in-place writes that would corrupt autograd (to a leaf or a view of a leaf that requires grad)."""
    if not grad_mode._enabled:
        return
    if self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = self._base
    if base is not None and base._requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def needs_grad(*xs: Any) -> bool:
    """True if grad mode is on and any of `xs` is a Tensor that requires grad."""
    return grad_mode._enabled and any(isinstance(x, Tensor) and x._requires_grad for x in xs)


def normalize_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """`dim` (None, int, or a sequence) as a sorted tuple of non-negative dims; None means all."""
    from .._tensor import wrap_dim
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (wrap_dim(int(dim), ndim),)
    dims = tuple(wrap_dim(int(d), ndim) for d in dim)
    if len(set(dims)) != len(dims):
        repeated = next(d for i, d in enumerate(dims) if d in dims[:i])
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(sorted(dims))
