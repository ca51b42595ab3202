"""`Function`, the one way to define a differentiable op, and how a call is recorded.

An op is a `Function` subclass with two static methods side by side:

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):            # ndarrays in, ndarray out
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):           # Tensors in, one gradient per forward argument out
            a, b = ctx.saved_tensors
            return grad * b, grad * a

`Function.apply(*args)` unwraps Tensor arguments to ndarrays, runs forward, wraps the
results, and (when grad mode is on and an input requires grad) records a node: the
`ctx` object itself (a `BackwardNode`, see node.py), which becomes the outputs' `grad_fn`.
Because backward is written with Tensor ops it is itself differentiable, so
`create_graph=True` gives higher-order gradients. Arrays passed to `save_for_backward` are mapped back to the input or output
Tensor they came from, so the saved values keep their own history.

The engine fixes up what backward returns (see engine.py): a gradient shaped like a
broadcast result is summed back to the input's shape, and cast to the input's dtype.

`autograd.Function` (in custom_function.py) is the torch-compatible variant whose
forward receives Tensors.
"""
from __future__ import annotations

import functools
import os
import traceback
from typing import Any, Callable

import numpy as np

from .._tensor import Tensor, _blank, _wrap
from . import anomaly_mode, grad_mode, saved_hooks
from .node import _NO_EDGE, BackwardNode, _sequence_numbers, gradient_edge


class Function:
    """Base class of differentiable ops: subclass with static `forward` and `backward`.

    Subclasses get a node class named `<Name>Backward0` (torch's naming for built-ins), or
    `node_name` when torch prints another name for the op: set it in the class body (or use
    `_ops._common.renamed` for one Function under several names). This is the one way to
    name a Function's node; `label_node` is only for composite ops that have no Function.
    Set `view = True` on ops whose output is a view of their first input, so that the
    output shares that input's version counter.
    """

    view = False
    # torch turns a Python number `other` of add/sub/mul/div into a 0-d tensor that needs no
    # gradient, so the node lists it in next_functions as (None, 0): set True on such ops.
    wraps_numbers = False
    _node_suffix = "Backward0"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or cls.__name__ + cls._node_suffix
        # An op named after a different torch op computes more than that name says
        # (CrossEntropy is named NllLossBackward0 but also does log_softmax): say so.
        summary = (cls.__doc__ or "").strip().splitlines()[:1] or ["computes more than its node's name says"]
        fused = None if name.startswith(cls.__name__) else f"{cls.__name__}: {summary[0]}"
        cls._node_class = type(name, (BackwardNode,), {"_function": cls, "__module__": cls.__module__,
                                                       "_fused": fused, "_wraps_numbers": cls.wraps_numbers})

    @staticmethod
    def forward(ctx: BackwardNode, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: BackwardNode, *grads: Tensor) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run forward on the arguments' arrays and, if needed, record the graph node."""
        # This runs once per op, backward's ops included, so it is written for speed: plain
        # loops (cheaper than comprehensions for a few items), no graph work unless grad
        # mode is on and some input requires grad, and a short path for one output.
        arrays = []
        record = False
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a._array)
                record = record or a._requires_grad
            else:
                arrays.append(a)
        if record and grad_mode._state.enabled:
            ctx = _connect(cls._node_class, args)
        else:
            record = False
            ctx = _ForwardOnly()  # no node to build, nothing to save
            ctx.needs_input_grad = _NO_GRADS[len(args)]
        raw = cls.forward(ctx, *arrays, **kwargs)
        if type(raw) is not tuple:  # one output
            out = _wrap(raw if type(raw) is np.ndarray else np.asarray(raw))
            if cls.view:
                _mark_view(out, args[0], (cls, args[1:], kwargs))
            if record:
                _record(ctx, args, arrays, (raw,), (out,))
            return out
        outputs = tuple([None if r is None else _wrap(np.asarray(r)) for r in raw])
        if cls.view:
            _mark_view(outputs[0], args[0], (cls, args[1:], kwargs))
        if record:
            _record(ctx, args, arrays, raw, outputs)
        return outputs


class _AllFalse(dict):
    """n -> (False,) * n, made once per n: the needs_input_grad of calls that record nothing."""

    def __missing__(self, n: int) -> tuple:
        self[n] = value = (False,) * n
        return value


_NO_GRADS = _AllFalse()


class _ForwardOnly:
    """The ctx handed to forward when no graph is recorded: what forward keeps on it is dropped.

    Its `needs_input_grad` is all False, one entry per argument, like a recording node's.
    """

    needs_input_grad: tuple = ()

    def save_for_backward(self, *values: Any) -> None:
        pass

    def mark_non_differentiable(self, *outputs: Any) -> None:
        pass

    def set_materialize_grads(self, value: bool) -> None:
        pass


def _mark_view(view: Tensor, source: Tensor, step: tuple) -> None:
    """Tie a view to the tensor owning the storage: shared version counter, and the chain of
    view ops from that base, so an in-place write through the view can update the base's history
    (the rest of that lesson is in _ops/inplace.py)."""
    view._version_box = source._version_box
    if source._base is None:
        view._base, view._view_chain = source, (step,)
    else:
        view._base, view._view_chain = source._base, source._view_chain + (step,)


def _connect(node_class: type, args: tuple) -> BackwardNode:
    """A new node pointing at its arguments: an edge, the shape and dtype, and whether a gradient
    is needed, for each one. Runs before forward, which reads `ctx.needs_input_grad`."""
    # Once per recorded op, so gradient_edge's common case (a non-leaf) is written out inline.
    edges, input_meta, needs = [], [], []
    for a in args:
        if isinstance(a, Tensor):
            input_meta.append((a._array.shape, a._array.dtype))
            if a._requires_grad:
                fn = a.grad_fn
                edges.append((fn, a._output_nr) if fn is not None else gradient_edge(a))
                needs.append(True)
                continue
        else:
            input_meta.append(None)
        edges.append(_NO_EDGE)
        needs.append(False)
    # Made after the edges (gradient_edge may make a leaf's AccumulateGrad), so a node is always
    # newer than the nodes it points to: the engine's order relies on it.
    ctx = node_class()
    ctx._sequence_nr = next(_sequence_numbers)
    ctx._edges, ctx._input_meta, ctx.needs_input_grad = tuple(edges), tuple(input_meta), tuple(needs)
    return ctx


def _record(ctx: BackwardNode, args: tuple, arrays: list, raw: tuple, outputs: tuple) -> None:
    """Make `ctx` the grad_fn of the differentiable outputs and keep what forward saved."""
    non_diff = ctx._non_differentiable
    if len(outputs) == 1:  # most ops: no list to build, and the output number stays 0
        array = outputs[0]._array
        ctx._output_meta = ((array.shape, array.dtype),)
        if array.dtype.kind == "f" and not (non_diff and any(raw[0] is n for n in non_diff)):
            outputs[0]._requires_grad = True
            outputs[0].grad_fn = ctx
    else:
        output_meta = []
        for i, out in enumerate(outputs):
            if out is None:
                output_meta.append(None)
                continue
            array = out._array
            output_meta.append((array.shape, array.dtype))
            if array.dtype.kind != "f" or non_diff and any(raw[i] is n for n in non_diff):
                continue
            out._requires_grad = True
            out.grad_fn = ctx
            out._output_nr = i
        ctx._output_meta = tuple(output_meta)
    if ctx._to_save:
        _save(ctx, args, arrays, raw, outputs)
    if anomaly_mode._enabled:
        ctx.metadata["traceback_"] = _user_stack()


def _save(ctx: BackwardNode, args: tuple, arrays: list, raw: tuple, outputs: tuple) -> None:
    """Keep what forward passed to save_for_backward as Tensors, with their versions and roles
    (torch's `_saved_<role>` names: see _saved_as)."""
    saved, versions, roles = [], [], []
    for value in ctx._to_save:
        if value is None:  # an input whose gradient is not needed: nothing kept
            saved.append(None)
            roles.append(None)
            versions.append(0)
            continue
        # Usually forward saves the array of its first or second input: that input, under
        # its role (the general search, which also finds later inputs, repeated inputs and
        # outputs, is _saved_as).
        if value is arrays[0] and isinstance(args[0], Tensor) and "self" not in roles:
            t, role = args[0], "self"
        elif len(arrays) > 1 and value is arrays[1] and isinstance(args[1], Tensor) and "other" not in roles:
            t, role = args[1], "other"
        else:
            t, role = _saved_as(value, args, arrays, raw, outputs, roles)
        saved.append(t)
        roles.append(role)
        versions.append(0 if role is None else t._version_box[0])
    ctx._to_save = ()
    ctx._saved_versions = tuple(versions)
    ctx._saved_roles = tuple(roles)
    if saved_hooks.stack:
        pack, ctx._unpack_hook = saved_hooks.stack[-1]
        saved = [pack(t) if role is not None else t for t, role in zip(saved, roles)]
    elif any(role and role.startswith("result") for role in roles):
        saved = [_without_grad_fn(t) if role and role.startswith("result") else t for t, role in zip(saved, roles)]
        ctx._keeps_outputs = True
    ctx._saved = tuple(saved)


def _without_grad_fn(output: Tensor) -> Tensor:
    """What a node keeps of its own output: a tensor on the same memory and version counter
    without the grad_fn, which is the node itself (`saved_tensors` gives it back with it).
    Kept whole, the output and its node would hold each other: a graph dropped without a
    backward (a forward pass in grad mode) would keep its arrays until Python's cycle collector
    ran, and `kernels/buffers` could not hand them out again. torch keeps outputs the same way
    (`y.grad_fn._saved_result is y` is False there too)."""
    kept = _blank(type(output), output._array, output._requires_grad)
    kept._version_box, kept._output_nr = output._version_box, output._output_nr
    kept._base, kept._view_chain = output._base, output._view_chain
    return kept


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stack() -> list[str]:
    """The current call stack as formatted lines, without minitorch's own frames."""
    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(_PACKAGE_DIR)]
    return traceback.format_list(frames)


_INPUT_ROLES = ("self", "other", "input2", "input3", "input4", "input5")


def _saved_as(value: Any, args: tuple, arrays: list, raw: tuple, outputs: tuple, roles: list) -> tuple:
    """(tensor, role) to keep for a saved value: the input or output it is, else a new tensor.
    The role is torch's name for it: "self"/"other" for the first two arguments (x * x saves x
    as both), "input<i>" for later ones, "result" for the output, "buffer" for another array;
    None for a value that is not a tensor (kept as it is). `roles` are those taken so far."""
    if not isinstance(value, (np.ndarray, np.generic)):  # a Tensor (custom Functions), a Python scalar
        return value, (_tensor_role(value, args, outputs, roles) if isinstance(value, Tensor) else None)
    first = None
    for i, arr in enumerate(arrays):
        if value is arr and isinstance(args[i], Tensor):
            role = _INPUT_ROLES[i] if i < len(_INPUT_ROLES) else f"input{i}"
            if role not in roles:
                return args[i], role
            first = first or (args[i], role)
    if first is not None:
        return first
    for i, (r, out) in enumerate(zip(raw, outputs)):
        if value is r:
            return out, ("result" if i == 0 else f"result{i}")
    return _wrap(np.asarray(value)), "buffer"


def _tensor_role(value: Tensor, args: tuple, outputs: tuple, roles: list) -> str:
    """The role of a Tensor saved as-is (custom Functions save Tensors, not arrays)."""
    for i, o in enumerate(outputs):
        if value is o:
            return "result" if i == 0 else f"result{i}"
    matches = [("self", "other")[i] if i < 2 else f"input{i}" for i, a in enumerate(args) if a is value]
    free = [m for m in matches if m not in roles]
    return (free or matches or ["buffer"])[0]

def label_node(t: Tensor, name: str) -> Tensor:
    """Name the node that made `t` as torch names the whole composite op (e.g. 'MseLossBackward0')."""
    if t.grad_fn is not None:
        t.grad_fn._name = name
    return t

def once_differentiable(backward: Callable) -> Callable:
    """Decorate a Function's backward that is not itself differentiable (e.g. written with
    numpy): it runs under no_grad, and differentiating its result again raises."""
    @functools.wraps(backward)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        with grad_mode.no_grad():
            result = backward(ctx, *grads)
        needing = [g for g in grads if isinstance(g, Tensor) and g.requires_grad]
        if not (grad_mode.is_grad_enabled() and needing):
            return result
        # create_graph=True: tie each gradient to the incoming ones through a node that fails.
        single = not isinstance(result, tuple)
        tied = tuple(DelayedError.apply(r, *needing) if isinstance(r, Tensor) else r
                     for r in ((result,) if single else result))
        return tied[0] if single else tied
    return wrapper


class DelayedError(Function):
    """Identity on its first argument whose backward raises (see once_differentiable)."""

    node_name = "DelayedError"

    @staticmethod
    def forward(ctx: BackwardNode, value: Any, *incoming: Any) -> Any:
        return value.copy()

    @staticmethod
    def backward(ctx: BackwardNode, grad: Tensor) -> Any:
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")
