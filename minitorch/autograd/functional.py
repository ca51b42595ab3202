"""`torch.autograd.functional`: derivatives of a whole function, built from `autograd.grad`.

    from minitorch.autograd.functional import jacobian, hessian
    jacobian(lambda x: x.exp() * x, x)      # shape x.shape + x.shape
    hessian(lambda x: (x ** 3).sum(), x)    # the diagonal 6x

Each function takes `func` and `inputs` (a Tensor or a tuple of Tensors) and answers in the
same structure. The inputs are differentiated through fresh copies, so they need not
require grad; results are detached unless `create_graph=True`, which keeps them
differentiable with respect to the original inputs. With `strict=True` an output that does
not depend on an input raises instead of giving zeros.

Reverse mode is the only engine here: a Jacobian is one vector-Jacobian product per output
element, and a Jacobian-vector product (jvp, hvp) uses the "double backward" trick: the
vjp `u -> J^T u` is linear in `u`, so differentiating it with respect to `u` gives `J v`.
`vectorize=True` is accepted and computes the same values with the same loop.
"""
from __future__ import annotations

from typing import Any, Callable

from .._tensor import Tensor
from . import grad_mode
from .engine import grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _as_tuple(x: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    """(was it a tuple?, the Tensors as a tuple); TypeError for anything but Tensors."""
    is_tuple = isinstance(x, (tuple, list))
    items = tuple(x) if is_tuple else (x,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"The {arg_name} given to {fn_name}"
            if is_tuple:
                raise TypeError(f"{where} must be either a Tensor or a tuple of Tensors but the "
                                f"value at index {i} has type {type(item)}.")
            raise TypeError(f"{where} must be either a Tensor or a tuple of Tensors but the given "
                            f"{arg_name} has type {type(item)}.")
    return is_tuple, items


def _unpack(items: tuple, is_tuple: bool) -> Any:
    return items if is_tuple else items[0]


def _differentiable_copies(inputs: tuple, create_graph: bool) -> tuple:
    """Inputs to differentiate through: views of them (keeping their history) when the result
    must itself be differentiable, else detached leaves."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
                 for t in inputs)


def _finish(tensors: tuple, create_graph: bool) -> tuple:
    return tuple(t if t is None or create_graph else t.detach() for t in tensors)


def _grads(outputs: tuple, inputs: tuple, grad_outputs: tuple | None, create_graph: bool,
           strict: bool, fn_name: str, stage: str = "output") -> tuple:
    """autograd.grad that tolerates outputs not needing grad; unused inputs get zeros (or raise if strict)."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs or (None,) * len(outputs)) if o.requires_grad]
    if pairs:
        found = grad(tuple(o for o, _ in pairs), inputs,
                     tuple(g for _, g in pairs) if grad_outputs is not None else None,
                     retain_graph=True, create_graph=create_graph, allow_unused=True)
    else:
        found = (None,) * len(inputs)
    result = []
    for i, (g, t) in enumerate(zip(found, inputs)):
        if g is None:
            if strict:
                raise RuntimeError(f"The {stage} of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode.")
            g = t.detach() * 0 if not create_graph else t * 0
        result.append(g)
    return tuple(result)


def _input_vector(v: Any, inputs: tuple, fn_name: str) -> tuple:
    """The vector multiplying the inputs' side of a Jacobian or Hessian: `v` checked against the
    inputs, or 1 when there is one input of one element and no `v`."""
    if v is not None:
        return _check_v(v, inputs, fn_name)
    if len(inputs) != 1 or inputs[0].numel() != 1:
        raise RuntimeError("The vector v can only be None if the input to the user-provided "
                           "function is a single Tensor with a single element.")
    return (inputs[0].detach() * 0 + 1,)


def _check_v(v: Any, outputs: tuple, fn_name: str) -> tuple:
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function returns "
                               "a single Tensor with a single element.")
        return (outputs[0].detach() * 0 + 1,)
    _, vs = _as_tuple(v, "v", fn_name)
    if len(vs) != len(outputs):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(outputs)} but got {len(vs)}.")
    for i, (vi, o) in enumerate(zip(vs, outputs)):
        if vi.shape != o.shape:
            raise RuntimeError(f"Entry {i} in v has invalid size: should be {o.shape} but got {vi.shape}.")
    return vs


def _call(func: Callable, inputs: tuple, fn_name: str) -> tuple[bool, tuple]:
    with grad_mode.enable_grad():
        return _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), v^T J): the vector-Jacobian product, shaped like `inputs`."""
    in_tuple, ins = _as_tuple(inputs, "inputs", "vjp")
    ins = _differentiable_copies(ins, create_graph)
    out_tuple, outs = _call(func, ins, "vjp")
    vs = _check_v(v, outs, "vjp")
    result = _grads(outs, ins, vs, create_graph, strict, "vjp")
    return _unpack(_finish(outs, create_graph), out_tuple), _unpack(_finish(result, create_graph), in_tuple)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), J v): the Jacobian-vector product, shaped like the outputs."""
    in_tuple, ins = _as_tuple(inputs, "inputs", "jvp")
    ins = _differentiable_copies(ins, create_graph)
    vs = _input_vector(v, ins, "jvp")
    out_tuple, outs = _call(func, ins, "jvp")
    result = _jvp_by_double_backward(outs, ins, vs, create_graph, strict)
    return _unpack(_finish(outs, create_graph), out_tuple), _unpack(_finish(result, create_graph), out_tuple)


def _jvp_by_double_backward(outs: tuple, ins: tuple, vs: tuple, create_graph: bool, strict: bool) -> tuple:
    """J v, computed as d(J^T u)/du applied to v with a dummy u (J^T u is linear in u)."""
    with grad_mode.enable_grad():
        dummies = tuple((o.detach() * 0).requires_grad_(True) for o in outs)
        vector_jacobian = _grads(outs, ins, dummies, True, strict, "jvp")
        return _grads(vector_jacobian, dummies, vs, create_graph, strict, "jvp", stage="backward")


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """d func / d inputs: for output of shape O and input of shape I, a Tensor of shape O + I
    (nested tuples when there are several outputs or inputs: [output][input])."""
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If '
                         'your function has more outputs than inputs, "forward-mode" tends to be more '
                         'performant. Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError("torch.autograd.functional.jacobian: `strategy=\"forward-mode\"` "
                                  "is only implemented when `vectorize=True`.")
    from .. import stack  # the public op; _ops imports autograd, so it is imported on use
    in_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    ins = _differentiable_copies(ins, create_graph)
    out_tuple, outs = _call(func, ins, "jacobian")
    blocks = []
    for out in outs:
        flat = out.reshape(-1)
        rows = [_grads((flat[k],), ins, None, create_graph, strict, "jacobian") for k in range(flat.numel())]
        per_input = []
        for j, t in enumerate(ins):
            if rows:
                block = stack([row[j] for row in rows]).reshape(tuple(out.shape) + tuple(t.shape))
            else:
                block = t.detach().reshape(-1)[:0].reshape(tuple(out.shape) + tuple(t.shape))
            per_input.append(block)
        blocks.append(_unpack(_finish(tuple(per_input), create_graph), in_tuple))
    return _unpack(tuple(blocks), out_tuple)


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The matrix of second derivatives of a scalar func: shape I + I (tuples [i][j] for several inputs)."""
    in_tuple, ins = _as_tuple(inputs, "inputs", "hessian")

    def scalar(*xs: Tensor) -> Tensor:
        out_tuple, out = _as_tuple(func(*xs), "outputs of the user-provided function", "hessian")
        if out_tuple or out[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor with a "
                               "single element.")
        return out[0].reshape(())

    def gradient(*xs: Tensor) -> tuple:
        return jacobian(scalar, xs, create_graph=True, strict=strict)

    result = jacobian(gradient, ins, create_graph=create_graph, strict=strict, vectorize=vectorize)
    return result if in_tuple else result[0][0]


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), v^T H) for a scalar func: a vector-Hessian product, shaped like `inputs`."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), H v) for a scalar func: a Hessian-vector product, shaped like `inputs`."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool,
                     fn_name: str) -> tuple:
    in_tuple, ins = _as_tuple(inputs, "inputs", fn_name)
    ins = _differentiable_copies(ins, create_graph)
    vs = _input_vector(v, ins, fn_name)
    out_tuple, outs = _call(func, ins, fn_name)
    if out_tuple or outs[0].numel() != 1:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor with a "
                           "single element.")
    with grad_mode.enable_grad():
        gradient = _grads(outs, ins, None, True, strict, fn_name)
        if fn_name == "vhp":  # v^T H: backward through the gradient, weighted by v
            result = _grads(gradient, ins, vs, create_graph, strict, fn_name, stage="jacobian")
        else:                 # H v: the gradient's jvp, by double backward
            result = _jvp_by_double_backward(gradient, ins, vs, create_graph, strict)
    return _unpack(_finish(outs, create_graph), False), _unpack(_finish(result, create_graph), in_tuple)
