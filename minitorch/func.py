"""`torch.func`: gradients and Jacobians as function transforms, and vmap.

    from minitorch.func import grad, jacrev, jacfwd, hessian, vmap
    df = grad(lambda x: (x ** 3).sum())        # a function: df(x) = 3 x^2
    d2f = jacfwd(jacrev(f))                     # transforms compose
    vmap(lambda row: row @ w)(batch)            # f mapped over the first dimension

How this implementation works (torch's is a different, vectorised machine):
each transform differentiates through a fresh handle on its arguments, made with the
ordinary engine. An argument that already requires grad (an outer transform's handle, or a
user's parameter) gets a view of itself as handle, and the gradients are built with
`create_graph=True`, so an outer transform can differentiate them again; otherwise the
handle is a detached leaf and the results are plain tensors. `jacfwd` and `jvp` use
reverse mode twice (the "double backward" trick, see autograd/functional.py), and `vmap`
calls the function once per batch entry and stacks the results.
"""
from __future__ import annotations

from typing import Any, Callable

from ._tensor import Tensor
from .autograd import grad_mode
from .autograd.engine import grad as _autograd_grad

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap"]


def _handles(primals: tuple) -> tuple[tuple, bool]:
    """Differentiable stand-ins for the primals, and whether the results must stay differentiable."""
    nested = any(isinstance(p, Tensor) and p.requires_grad for p in primals)
    return tuple(p.view_as(p) if p.requires_grad else p.detach().requires_grad_(True)
                 for p in primals), nested


def _grads(outputs: tuple, inputs: tuple, cotangents: tuple | None, create_graph: bool) -> tuple:
    """The gradients of outputs w.r.t. inputs; zeros where an input was not used."""
    pairs = [(o, c) for o, c in zip(outputs, cotangents or (None,) * len(outputs)) if o.requires_grad]
    found = (_autograd_grad(tuple(o for o, _ in pairs), inputs,
                            tuple(c for _, c in pairs) if cotangents is not None else None,
                            retain_graph=True, create_graph=create_graph, allow_unused=True)
             if pairs else (None,) * len(inputs))
    return tuple(g if g is not None else _zeros_like(t, create_graph) for g, t in zip(found, inputs))


def _zeros_like(t: Tensor, keep_graph: bool) -> Tensor:
    return t * 0 if keep_graph else t.detach() * 0


def _as_tuple(x: Any) -> tuple[tuple, bool]:
    return (tuple(x), True) if isinstance(x, (tuple, list)) else ((x,), False)


def _split_aux(result: Any, has_aux: bool, name: str) -> tuple[Any, Any]:
    if not has_aux:
        return result, None
    if not (isinstance(result, tuple) and len(result) == 2):
        raise RuntimeError(f"{name}(f, ...)(*args): output of function f should be a tuple: "
                           "(output, aux) if has_aux is True")
    return result


def _detach_unless(x: Any, keep: bool) -> Any:
    if isinstance(x, (tuple, list)):
        return type(x)(_detach_unless(t, keep) for t in x)
    return x if keep or not isinstance(x, Tensor) else x.detach()


def _argnum_tuple(argnums: int | tuple, n_args: int) -> tuple[tuple, bool]:
    picked, is_tuple = _as_tuple(argnums)
    for a in picked:
        if not isinstance(a, int) or not -n_args <= a < n_args:
            raise RuntimeError(f"Got argnums={argnums}, but only {n_args} positional inputs")
    return tuple(a % n_args for a in picked), is_tuple


def grad_and_value(func: Callable, argnums: int | tuple = 0, has_aux: bool = False) -> Callable:
    """A function returning (d func / d args[argnums], func(*args)); func must return a scalar."""
    def wrapper(*args: Any, **kwargs: Any) -> tuple:
        picked, argnums_is_tuple = _argnum_tuple(argnums, len(args))
        handles, nested = _handles(tuple(args[i] for i in picked))
        call_args = list(args)
        for i, h in zip(picked, handles):
            call_args[i] = h
        with grad_mode.enable_grad():
            output, aux = _split_aux(func(*call_args, **kwargs), has_aux, "grad_and_value")
            if not isinstance(output, Tensor) or output.numel() != 1:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar "
                                   f"Tensor, got tensor with {getattr(output, 'ndim', '?')} dims.")
            gradients = _grads((output,), handles, None, nested)
        gradients = gradients if argnums_is_tuple else gradients[0]
        value = _detach_unless(output, nested)
        return (gradients, (value, _detach_unless(aux, nested))) if has_aux else (gradients, value)
    return wrapper


def grad(func: Callable, argnums: int | tuple = 0, has_aux: bool = False) -> Callable:
    """A function returning d func / d args[argnums] (a tuple for tuple argnums); func returns a scalar."""
    with_value = grad_and_value(func, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gradients, value = with_value(*args, **kwargs)
        return (gradients, value[1]) if has_aux else gradients
    return wrapper


def vjp(func: Callable, *primals: Tensor, has_aux: bool = False) -> tuple:
    """(func(*primals), vjp_fn[, aux]); vjp_fn(cotangents) gives one gradient per primal (a tuple)."""
    handles, nested = _handles(primals)
    with grad_mode.enable_grad():
        output, aux = _split_aux(func(*handles), has_aux, "vjp")
    outputs, _ = _as_tuple(output)

    def vjp_fn(*cotangents: Any) -> tuple:
        flat, _ = _as_tuple(cotangents[0] if len(cotangents) == 1 else cotangents)
        if len(flat) != len(outputs):
            raise RuntimeError(f"Expected pytree structure of cotangents to be the same as pytree "
                               f"structure of outputs to the function ({len(outputs)} tensors, got {len(flat)})")
        for c, o in zip(flat, outputs):
            if c.shape != o.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {c.shape} and "
                                   f"output[0] has a shape of {o.shape}.")
        with grad_mode.enable_grad():
            keep = nested or any(c.requires_grad for c in flat)
            return _grads(outputs, handles, flat, keep)

    result = (_detach_unless(output, nested), vjp_fn)
    return result + (_detach_unless(aux, nested),) if has_aux else result


def jvp(func: Callable, primals: tuple, tangents: tuple, *, strict: bool = False,
        has_aux: bool = False) -> tuple:
    """(func(*primals), J tangents[, aux]): forward-mode derivative, computed by double backward."""
    if not isinstance(primals, tuple) or not isinstance(tangents, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to be tuples. "
                           "E.g. it should be valid to call f(*primals).")
    if len(primals) != len(tangents):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have the same "
                           f"python structure; got {len(primals)} primals and {len(tangents)} tangents")
    handles, nested = _handles(primals)
    with grad_mode.enable_grad():
        output, aux = _split_aux(func(*handles), has_aux, "jvp")
        outputs, is_tuple = _as_tuple(output)
        dummies = tuple((o.detach() * 0).requires_grad_(True) for o in outputs)
        vector_jacobian = _grads(outputs, handles, dummies, True)
        keep = nested or any(t.requires_grad for t in tangents)
        derivative = _grads(vector_jacobian, dummies, tangents, keep)
    result = (_detach_unless(output, nested), derivative if is_tuple else derivative[0])
    return result + (_detach_unless(aux, nested),) if has_aux else result


def _jacobian(func: Callable, argnums: int | tuple, has_aux: bool, column_by_column: bool) -> Callable:
    """The Jacobian transform: rows by vjp (reverse), or columns by jvp (forward)."""
    from . import stack  # the public op; imported on use as _ops imports autograd

    def wrapper(*args: Any) -> Any:
        picked, argnums_is_tuple = _argnum_tuple(argnums, len(args))

        def of_picked(*picked_args: Tensor) -> Any:
            call_args = list(args)
            for i, a in zip(picked, picked_args):
                call_args[i] = a
            return func(*call_args)

        primals = tuple(args[i] for i in picked)
        if column_by_column:
            blocks, output, aux = _jacobian_by_columns(of_picked, primals, has_aux, stack)
        else:
            blocks, output, aux = _jacobian_by_rows(of_picked, primals, has_aux, stack)
        _, out_is_tuple = _as_tuple(output)
        blocks = tuple(b if argnums_is_tuple else b[0] for b in blocks)
        jac = blocks if out_is_tuple else blocks[0]
        return (jac, aux) if has_aux else jac
    return wrapper


def _jacobian_by_rows(func: Callable, primals: tuple, has_aux: bool, stack: Callable) -> tuple:
    output, vjp_fn, *aux = vjp(func, *primals, has_aux=has_aux)
    outputs, _ = _as_tuple(output)
    blocks = []
    for k, out in enumerate(outputs):
        rows = []
        for j in range(out.numel()):
            basis = tuple(_basis(o, j if i == k else None) for i, o in enumerate(outputs))
            rows.append(vjp_fn(basis))
        blocks.append(tuple(_assemble([r[p] for r in rows], out.shape, prim.shape, stack, rows_first=True)
                            for p, prim in enumerate(primals)))
    return blocks, output, aux[0] if aux else None


def _jacobian_by_columns(func: Callable, primals: tuple, has_aux: bool, stack: Callable) -> tuple:
    per_primal = []
    output = aux = None
    for p, prim in enumerate(primals):
        columns = []
        for j in range(prim.numel()):
            tangents = tuple(_basis(q, j if i == p else None) for i, q in enumerate(primals))
            output, column, *rest = jvp(func, primals, tangents, has_aux=has_aux)
            aux = rest[0] if rest else None
            columns.append(_as_tuple(column)[0])
        per_primal.append(columns)
    if output is None:  # every primal was empty: no column was computed
        output, aux = _split_aux(func(*primals), has_aux, "jacfwd")
    outputs, _ = _as_tuple(output)
    blocks = [tuple(_assemble([c[k] for c in per_primal[p]], out.shape, prim.shape, stack, rows_first=False)
                    for p, prim in enumerate(primals))
              for k, out in enumerate(outputs)]
    return blocks, output, aux


def _basis(like: Tensor, index: int | None) -> Tensor:
    """A tensor shaped like `like`: zeros, with a one at flat position `index` (if any)."""
    e = like.detach().reshape(-1) * 0
    if index is not None:
        e[index] = 1
    return e.reshape(like.shape)


def _assemble(pieces: list, out_shape: tuple, in_shape: tuple, stack: Callable, rows_first: bool) -> Tensor:
    """Stack per-element derivatives into a Jacobian of shape out_shape + in_shape."""
    shape = tuple(out_shape) + tuple(in_shape)
    if not pieces:
        return _empty(shape)
    if rows_first:   # one piece per output element, each shaped like the input
        return stack(pieces).reshape(shape)
    # one piece per input element, each shaped like the output
    return stack(pieces, dim=-1).reshape(shape) if pieces[0].ndim else stack(pieces).reshape(shape)


def _empty(shape: tuple) -> Tensor:
    from . import zeros
    return zeros(shape)


def jacrev(func: Callable, argnums: int | tuple = 0, *, has_aux: bool = False,
           chunk_size: int | None = None, _preallocate_and_copy: bool = False) -> Callable:
    """The Jacobian of func with respect to args[argnums], one vjp per output element: shape O + I."""
    return _jacobian(func, argnums, has_aux, column_by_column=False)


def jacfwd(func: Callable, argnums: int | tuple = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable:
    """The Jacobian of func with respect to args[argnums], one jvp per input element: shape O + I."""
    return _jacobian(func, argnums, has_aux, column_by_column=True)


def hessian(func: Callable, argnums: int | tuple = 0) -> Callable:
    """The Hessian of a scalar func: jacfwd(jacrev(func)), shape I + I."""
    return jacfwd(jacrev(func, argnums), argnums)


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable:
    """func mapped over dimension in_dims of its arguments (None: not mapped), results stacked
    along out_dims. Runs func once per batch entry."""
    from . import stack

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(func, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible "
                             f"with the structure of `inputs`. in_dims has structure of {len(dims)} "
                             f"entries but inputs has {len(args)} entries.")
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None and isinstance(a, Tensor)}
        if not sizes:
            raise ValueError(f"vmap(func, in_dims={in_dims}, ...)(<inputs>): at least one input must "
                             "be a Tensor mapped over a dimension (in_dims not all None)")
        if len(sizes) != 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sorted(sizes)} for the mapped dimension")
        results = [func(*(a.select(d, b) if d is not None else a for a, d in zip(args, dims)), **kwargs)
                   for b in range(sizes.pop())]
        outputs, is_tuple = _as_tuple(results[0])
        out_d = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(outputs)
        stacked = tuple(stack([_as_tuple(r)[0][k] for r in results], dim=d)
                        for k, d in enumerate(out_d))
        return stacked if is_tuple else stacked[0]
    return wrapper
