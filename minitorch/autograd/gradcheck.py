"""Finite-difference checks of backward: `gradcheck` and `gradgradcheck`.

Numerical Jacobian: central differences, one input element at a time.
Analytical Jacobian: one `autograd.grad` call per output element (a vector-Jacobian
product with a unit vector). Both are compared elementwise with atol + rtol * |numerical|.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor, _wrap
from . import grad_mode
from .engine import grad as autograd_grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when analytical and numerical gradients disagree."""


def _outputs_tuple(out: Any) -> tuple:
    return (out,) if isinstance(out, Tensor) else tuple(o for o in out if isinstance(o, Tensor))


def _numerical_jacobian(func: Callable, inputs: tuple, index: int, eps: float) -> list[np.ndarray]:
    """d(outputs)/d(inputs[index]) by central differences: one (in_numel, out_numel) array per output."""
    x = inputs[index]._array
    flat = x.reshape(-1)  # x is contiguous (made so by gradcheck), so this is a view
    columns = []
    with grad_mode._Fixed(False):
        for k in range(flat.size):
            original = flat[k]
            flat[k] = original + eps
            plus = [o._array.astype(np.float64).reshape(-1) for o in _outputs_tuple(func(*inputs))]
            flat[k] = original - eps
            minus = [o._array.astype(np.float64).reshape(-1) for o in _outputs_tuple(func(*inputs))]
            flat[k] = original
            columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    if not columns:  # an empty input: a (0, out_numel) jacobian per output
        return [np.zeros((0, o.numel())) for o in _outputs_tuple(func(*inputs))]
    return [np.stack([c[j] for c in columns]) for j in range(len(columns[0]))]


def _analytical_jacobian(outputs: tuple, inputs: tuple, index: int) -> list[np.ndarray]:
    x = inputs[index]
    result = []
    for out in outputs:
        jac = np.zeros((x.numel(), out.numel()))
        if out._requires_grad:
            for k in range(out.numel()):
                unit = np.zeros(out.numel(), dtype=out._array.dtype)
                unit[k] = 1
                g, = autograd_grad(out, x, _wrap(unit.reshape(out.shape)), retain_graph=True,
                                   allow_unused=True)
                if g is not None:
                    jac[:, k] = g._array.reshape(-1)
        result.append(jac)
    return result


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Check `func`'s backward against finite differences for every input that requires grad."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of the them have requires_grad=True.")
    for t in inputs:
        if isinstance(t, Tensor) and t.requires_grad and t.dtype.name != "float64":
            import warnings
            warnings.warn(f"Input #{inputs.index(t)} requires gradient and is not a double precision "
                          "floating point. This check will likely fail if all the inputs are not of "
                          "double precision floating point.", UserWarning)
    outputs = _outputs_tuple(func(*inputs))
    for i, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        if not x._array.flags.c_contiguous:
            raise ValueError(f"gradcheck: input {i} must be contiguous")
        numerical = _numerical_jacobian(func, inputs, i, eps)
        analytical = _analytical_jacobian(outputs, inputs, i)
        for j, (n, a) in enumerate(zip(numerical, analytical)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {j} with respect to input {i},\n"
                        f"numerical:{_wrap(n)}\nanalytical:{_wrap(a)}\n")
                return False
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *, eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False,
                  masked: bool = False) -> bool:
    """Check second derivatives: gradcheck of (inputs, v) -> vJp of `func` with create_graph=True."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    outputs = _outputs_tuple(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_wrap(rng.standard_normal(o.shape).astype(o._array.dtype), requires_grad=True)
                             for o in outputs)
    grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    n_inputs = len(inputs)

    def first_derivatives(*args: Any) -> tuple:
        ins, gos = args[:n_inputs], args[n_inputs:]
        outs = _outputs_tuple(func(*ins))
        diff_ins = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
        pairs = [(o, g) for o, g in zip(outs, gos) if o.requires_grad]
        grads = autograd_grad([o for o, _ in pairs], diff_ins, [g for _, g in pairs],
                              create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
