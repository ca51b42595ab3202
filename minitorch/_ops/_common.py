"""What every op family shares: operand promotion, dims, and the elementwise helpers."""
from __future__ import annotations

import builtins
import numbers
from functools import lru_cache, wraps
from typing import Any, Callable

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd import grad_mode
from ..autograd.function import Function


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
    # The common cases first, since every binary op starts here: two tensors of one dtype,
    # or a float tensor with a Python int or float (the tensor's dtype wins).
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a._array.dtype == b._array.dtype:
                return a, b
        elif type(b) in (float, int) and a._array.dtype.kind == "f":
            return a, b
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


_TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
               "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double"}


def type_name(dt: _dtype.dtype) -> str:
    """torch's C++ name of a dtype (Float, Long, ...), as its error messages spell it."""
    return _TYPE_NAMES[dt.name]


def result_dtype(fn_name: str, input: Tensor, dtype: Any) -> Any:
    """Check a reduction's `dtype=` argument like torch: a dtype object, and floating when the
    result would need a gradient (torch: "Autograd not support dtype")."""
    if dtype is None:
        return None
    if not isinstance(dtype, _dtype.dtype):
        raise TypeError(f"{fn_name}() received an invalid combination of arguments - got "
                        f"(dtype={type(dtype).__name__}), but expected torch.dtype dtype")
    if not dtype.is_floating_point and input.requires_grad and grad_mode.is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {type_name(dtype)}")
    return dtype


def remembered(check: Callable) -> Callable:
    """`check`, a pure function of its arguments (an op's argument checks and conversions: its
    result, or the error it raises, depends on them alone), remembered for arguments that
    hash; lists and the like are checked afresh every call. A training step calls an op with
    the same sizes every time, and inside one each line of Python costs 3-4x what it costs
    alone (the kernels in between leave its code and data out of the caches): LeNet's
    pooling and conv checks cost ~10 us a call there. (Errors are not remembered: a call that
    raises raises again. `typed`: 2 and 2.0 are equal keys otherwise, and a check may
    accept one and refuse the other.)"""
    known = lru_cache(maxsize=1024, typed=True)(check)

    @wraps(check)
    def checked(*args: Any) -> Any:
        try:
            return known(*args)
        except TypeError:  # unhashable arguments, or check's own TypeError, which it raises again
            return check(*args)
    return checked


def renamed(op: type, node_name: str) -> type:
    """`op` (same forward and backward) under the node name torch prints for a particular use of it."""
    return type(node_name.split("Backward")[0], (op,),
                {"node_name": node_name, "__doc__": op.__doc__, "__module__": op.__module__})


def ntuple(value: Any, n: int, name: str | None = None,
           mismatch: str = "{name} must either be a single int, or a tuple of {n} ints") -> tuple:
    """`value` as an n-tuple: an int is repeated n times.

    Given the argument's `name`, a sequence is checked as torch's functions check it: ints,
    one (repeated) or n of them, else RuntimeError(mismatch formatted with name, n, value).
    Without a name it is kept as given, as torch's modules store their arguments.
    """
    if isinstance(value, (int, np.integer)):
        return (int(value) if name else value,) * n
    if name is None:
        return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise RuntimeError(mismatch.format(name=name, n=n, value=list(value)))
    return value


def needs_grad(*xs: Any) -> bool:
    """True if grad mode is on and any of `xs` is a Tensor that requires grad."""
    return grad_mode._state.enabled and any(isinstance(x, Tensor) and x._requires_grad for x in xs)


def normalize_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """`dim` (None, int, or a sequence) as a sorted tuple of non-negative dims; None means all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (wrap_dim(int(dim), ndim),)
    if not isinstance(dim, (tuple, list)) or not builtins.all(isinstance(d, (int, np.integer)) for d in dim):
        raise TypeError(f"dim must be an int or a tuple of ints, not {type(dim).__name__}")
    dims = tuple(wrap_dim(int(d), ndim) for d in dim)
    if len(set(dims)) != len(dims):
        repeated = next(d for i, d in enumerate(dims) if d in dims[:i])
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(sorted(dims))


# ----- elementwise helpers ------------------------------------------------------------------------
def array_of(x: Any) -> Any:
    return x._array if isinstance(x, Tensor) else x


def not_implemented(kernel: str, dt: _dtype.dtype) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(dt)}'")


def broadcast_shape(*shapes: tuple) -> tuple:
    """The shape shapes broadcast to; RuntimeError in torch's words naming the mismatching sizes."""
    out: tuple = ()
    for shape in shapes:
        n = builtins.max(len(out), len(shape))
        a = (1,) * (n - len(out)) + tuple(out)
        b = (1,) * (n - len(shape)) + tuple(shape)
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y and x != 1 and y != 1:
                raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                                   f"at non-singleton dimension {i}")
        out = tuple(y if x == 1 else x for x, y in zip(a, b))
    return out


def check_broadcastable(*operands: Any) -> None:
    """torch's shape error if the tensor operands do not broadcast; torch checks shapes before it looks
    for a kernel for the dtype, so ops call this before raising "not implemented for" errors."""
    broadcast_shape(*(np.shape(array_of(x)) for x in operands if isinstance(x, (Tensor, np.ndarray))))


def wrap_overflowing_ints(args: tuple) -> tuple:
    """Python ints out of range of the tensor's integer dtype wrap around (torch), where numpy raises."""
    dt = next(array_of(a).dtype for a in args if isinstance(a, (Tensor, np.ndarray)))
    if dt.kind not in "iu":
        return args
    info = np.iinfo(dt)
    return tuple(np.array(a).astype(dt) if isinstance(a, int) and not isinstance(a, bool)
                 and not info.min <= a <= info.max else a for a in args)


def apply_broadcasting(fn: type, *args: Any) -> Tensor:
    """fn.apply(*args), with numpy's broadcasting and scalar-overflow errors turned into torch's behaviour."""
    try:
        return fn.apply(*args)
    except ValueError:
        broadcast_shape(*(np.shape(array_of(a)) for a in args if isinstance(a, (Tensor, np.ndarray))))
        raise
    except OverflowError:
        return fn.apply(*wrap_overflowing_ints(args))


def as_float(input: Tensor) -> Tensor:
    """Integer and bool tensors as the default float dtype (for functions of reals)."""
    return input if input._array.dtype.kind == "f" else input.to(_dtype.get_default_dtype())


def promote_to_float(a: Any, b: Any) -> tuple:
    """The operands in torch's computation dtype for a function of reals (true division, atan2).

    That is the promoted dtype if it is floating, else the default float dtype; each tensor is
    cast to it directly, so a negative int64 0-d tensor beside a uint8 tensor stays negative
    (casting through the promoted uint8 first would wrap it around).
    """
    a, b = as_tensor_operand(a), as_tensor_operand(b)
    dt = _dtype.result_type(a, b)
    if not dt.is_floating_point:
        dt = _dtype.get_default_dtype()
    return tuple((x if x._array.dtype == dt.np else x.to(dt)) if isinstance(x, Tensor) else float(x)
                 for x in (a, b))


def check_tensor_input(fn_name: str, input: Any) -> None:
    """TypeError like torch's for a function whose first argument must be a Tensor."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn_name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")


def check_tensor_first(fn_name: str, input: Any, other: Any) -> None:
    """TypeError like torch's for a binary function with (Tensor, Tensor) and (Tensor, Number) forms only."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn_name}() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
                        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                        " * (Tensor input, Number other, *, Tensor out = None)\n")


def check_tensor(fn_name: str, other: Any) -> None:
    if not isinstance(other, Tensor):
        raise TypeError(f"{fn_name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")


def zeros_like_grad(t: Tensor) -> Tensor:
    return _wrap(np.zeros_like(t._array))




class ZeroGrad(Function):
    """Base of piecewise-constant ops (floor, sign, rounding division...): zero gradient everywhere."""

    @staticmethod
    def backward(ctx, grad):
        return tuple(zeros_like_grad(grad) if need else None for need in ctx.needs_input_grad)


# ----- reduced dims -------------------------------------------------------------------------
def reduced_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """Reduced dims as a sorted tuple; None and () mean all dims (a 0-d tensor has none)."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = normalize_dims(dim, ndim)
    return dims if ndim else ()


def one_dim(dim: int, ndim: int) -> int | None:
    """A single dim, wrapped; None for a 0-d tensor (which has nothing to reduce)."""
    dim = wrap_dim(dim, ndim)
    return dim if ndim else None


def restore_dims(grad: Tensor, dims: tuple, keepdim: bool) -> Tensor:
    """Re-insert the reduced dims as size 1 so that `grad` broadcasts against the input."""
    if keepdim or not dims:
        return grad
    shape = list(grad.shape)
    for d in dims:
        shape.insert(d, 1)
    return grad.reshape(shape)


def expand_reduced(grad: Tensor, dims: tuple, keepdim: bool, shape: tuple) -> Tensor:
    """The gradient of a sum (or mean) over `dims` spread back over the input's `shape`:
    the reduced dims re-inserted as size 1 (restore_dims), then expanded; a view of `grad`."""
    if grad_mode._state.enabled:  # create_graph: the two differentiable ops, recorded
        return restore_dims(grad, dims, keepdim).expand(shape)
    # Nothing is recorded (the usual backward): the same view, made on the array directly.
    kept = grad._array if keepdim or not dims else np.expand_dims(grad._array, dims)
    return _wrap(kept if kept.shape == shape else np.broadcast_to(kept, shape))



def constant_like(array: Any, like: Tensor) -> Tensor:
    """`array` as a tensor of `like`'s dtype, outside the graph."""
    return _wrap(np.asarray(array, dtype=like._array.dtype))


def half_as_float(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn computed in float32 for float16 tensors, its float results rounded back to float16.

    torch's CPU kernels for half (conv, pooling, layer/group norm) accumulate in float32;
    numba and BLAS have no float16 at all. Integer outputs (pooling indices) are left alone.
    """
    def up(x: Any) -> Any:
        return x.float() if isinstance(x, Tensor) and x._array.dtype == np.float16 else x

    def down(y: Any) -> Any:
        if isinstance(y, tuple):
            return tuple(down(t) for t in y)
        return y.half() if isinstance(y, Tensor) and y._array.dtype == np.float32 else y

    return down(fn(*(up(a) for a in args), **{k: up(v) for k, v in kwargs.items()}))
