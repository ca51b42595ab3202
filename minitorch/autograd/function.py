"""Graph nodes and `Function`, the one way to define a differentiable op.

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
`ctx` object itself, which becomes the outputs' `grad_fn`. Because backward is written
with Tensor ops it is itself differentiable, so `create_graph=True` gives higher-order
gradients. Arrays passed to `save_for_backward` are mapped back to the input or output
Tensor they came from, so the saved values keep their own history.

The engine fixes up what backward returns (see engine.py): a gradient shaped like a
broadcast result is summed back to the input's shape, and cast to the input's dtype.

`autograd.Function` (in custom_function.py) is the torch-compatible variant whose
forward receives Tensors.
"""
from __future__ import annotations

import functools
import itertools
import os
import re
import traceback
from typing import Any, Callable, NamedTuple

import numpy as np

from .._tensor import Tensor, _wrap
from ..utils.hooks import RemovableHandle
from . import anomaly_mode, grad_mode, saved, saved_hooks


_sequence_numbers = itertools.count(1)


class Node:
    """A vertex of the backward graph: what a tensor's `grad_fn` is.

    `next_functions` holds one (node, output_index) pair per tensor input, pointing towards
    the leaves; (None, 0) marks an input that needs no gradient. (`_edges`, which the
    engine uses, has one pair per positional argument, matching what backward returns.)
    """

    # Class-level defaults keep node creation (once per recorded op) cheap; the hook
    # tables are created on first registration.
    _edges: tuple = ()
    _input_meta: tuple = ()             # (shape, np dtype) per positional argument, None for non-tensors
    _hooks: dict | None = None          # id -> fn(grad_inputs, grad_outputs)
    _pre_hooks: dict | None = None      # id -> fn(grad_outputs)
    _tensor_hooks: dict | None = None   # output index -> {id: hook} from Tensor.register_hook
    _retained: dict | None = None       # output index -> tensor that asked retain_grad()
    _output_meta: tuple = ()            # (shape, np dtype) per output, for nodes made by an op
    _metadata: dict | None = None

    def __init__(self) -> None:
        self._sequence_nr = next(_sequence_numbers)

    _wraps_numbers = False  # see Function.wraps_numbers

    @property
    def next_functions(self) -> tuple:
        """((node, output_index), ...) towards the leaves, one pair per tensor input (and, for
        ops that wrap a number `other` operand as a tensor, (None, 0) for that number)."""
        if not self._input_meta:
            return self._edges
        return tuple(edge for i, (edge, meta) in enumerate(zip(self._edges, self._input_meta))
                     if meta is not None or self._wraps_numbers and i > 0)

    _fused: str | None = None  # what a node named after torch's op really computes, if more

    @property
    def metadata(self) -> dict:
        """A dict for user annotations (and anomaly mode's forward traceback); for a fused op,
        metadata["fused"] says what the node computes beyond what its torch name says."""
        if self._metadata is None:
            self._metadata = {"fused": self._fused} if self._fused else {}
        return self._metadata

    def _table(self, name: str) -> dict:
        """The hook table `name`, created on first use."""
        table = getattr(self, name)
        if table is None:
            table = {}
            setattr(self, name, table)
        return table

    _name: str | None = None  # set by label_node() on the last node of a composite op

    def name(self) -> str:
        """The node's name as torch prints it, e.g. 'MulBackward0'."""
        return self._name or type(self).__name__

    def register_hook(self, fn: Any):
        """Call `fn(grad_inputs, grad_outputs)` after this node runs; may return new grad_inputs."""
        return RemovableHandle(self._table("_hooks"), fn)

    def register_prehook(self, fn: Any):
        """Call `fn(grad_outputs)` before this node runs; may return new grad_outputs."""
        return RemovableHandle(self._table("_pre_hooks"), fn)

    def _release(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def __call__(self, *grads: Tensor) -> Any:
        return self.apply(*grads)


class AccumulateGrad(Node):
    """The node at a leaf that requires grad: adds the incoming gradient into `variable.grad`."""

    def __init__(self, variable: Tensor):
        super().__init__()
        self.variable = variable

    @property
    def _tensor_hooks(self) -> dict | None:
        """The leaf's own Tensor.register_hook hooks, as the hooks of this node's one output."""
        return {0: self.variable._hooks} if self.variable._hooks else None

    def apply(self, *grads: Tensor) -> tuple:
        return ()


class BackwardNode(Node):
    """The `ctx` of one Function call, kept as the outputs' grad_fn."""

    _function: type
    needs_input_grad: tuple = ()
    _to_save: tuple = ()
    _saved: tuple | None = ()           # None once freed by backward
    _saved_versions: tuple = ()
    _saved_roles: tuple = ()            # per saved value: "self"/"other"/"input<i>", "result<i>", or None
    _unpack_hook: Any = None            # set when saved_tensors_hooks packed the saved values
    _non_differentiable: tuple = ()
    materialize_grads = True

    def save_for_backward(self, *values: Any) -> None:
        """Keep these arrays (or tensors) for backward; read them back with `saved_tensors`."""
        self._to_save = values

    @property
    def saved_tensors(self) -> tuple:
        """The saved values as Tensors; raises if freed by an earlier backward or modified in place."""
        if self._saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.")
        if self._unpack_hook is not None:
            return tuple(self._unpack_hook(p) if role is not None else p
                         for p, role in zip(self._saved, self._saved_roles))
        for t, version, role in zip(self._saved, self._saved_versions, self._saved_roles):
            if isinstance(t, Tensor) and t._version_box[0] != version:
                # A saved output is named after this node; a saved input after whatever op
                # produced its current value (for an in-place write, that op), as torch does.
                maker = self if role and role.startswith("result") else t.grad_fn
                origin = (f"output {t._output_nr} of {_op_name(maker)}" if maker is not None
                          else "a leaf tensor")
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: [{_type_name(t)} {list(t.shape)}], which is {origin}, is at "
                    f"version {t._version_box[0]}; expected version {version} instead. Hint: the "
                    "operation that failed was " + self.name() + "'s backward.")
        return self._saved

    def input_shape(self, i: int) -> tuple:
        """The shape forward's i-th argument had (a tensor), for backward to shape its gradient."""
        return self._input_meta[i][0]

    def input_dtype(self, i: int) -> np.dtype:
        """The numpy dtype forward's i-th argument had (a tensor)."""
        return self._input_meta[i][1]

    @property
    def saved(self) -> Any:
        """A table of what this node keeps for backward: saved tensors, array buffers, values."""
        return saved.saved_table(self)

    def __getattr__(self, name: str) -> Any:
        """torch's `_saved_<name>` views of saved tensors: `_saved_self` and `_saved_other` for
        the first two inputs, `_saved_result` for the output (`_saved_result1`, ... for more)."""
        if name.startswith("_saved_") and name[7:] in self._saved_roles:
            return self.saved_tensors[self._saved_roles.index(name[7:])]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Declare outputs (arrays or tensors returned by forward) that have no gradient."""
        self._non_differentiable = outputs

    def mark_dirty(self, *tensors: Any) -> None:
        """Accepted for torch compatibility; minitorch Functions do not modify inputs in place."""

    def set_materialize_grads(self, value: bool) -> None:
        """If False, backward may receive None for outputs that got no gradient."""
        self.materialize_grads = value

    def apply(self, *grads: Tensor) -> tuple:
        result = self._function.backward(self, *grads)
        return result if isinstance(result, tuple) else (result,)

    def _release(self) -> None:
        if self._saved:
            self._saved = None


def _op_name(node: Node) -> str:
    """'ExpBackward0' -> 'Exp': how torch's modified-saved-tensor error names an op."""
    return re.sub(r"Backward\d*$", "", node.name())


def _type_name(t: Tensor) -> str:
    return {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
            "float16": "torch.HalfTensor", "int64": "torch.LongTensor"}.get(t.dtype.name, str(t.dtype))


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
        if record and grad_mode._enabled:
            ctx = cls._node_class()
            needs = []
            for a in args:
                needs.append(isinstance(a, Tensor) and a._requires_grad)
            ctx.needs_input_grad = tuple(needs)
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


def _mark_view(view: Tensor, source: Tensor, step: tuple) -> None:
    """Tie a view to the tensor owning the storage: shared version counter, and the chain of
    view ops from that base, so an in-place write through the view can update the base's history
    (the rest of that lesson is in _ops/inplace.py)."""
    view._version_box = source._version_box
    if source._base is None:
        view._base, view._view_chain = source, (step,)
    else:
        view._base, view._view_chain = source._base, source._view_chain + (step,)


def _record(ctx: BackwardNode, args: tuple, arrays: list, raw: tuple, outputs: tuple) -> None:
    """Connect `ctx` into the graph: edges to the inputs, saved tensors, output metadata."""
    # Once per recorded op, so the common cases are written out inline (gradient_edge's
    # non-leaf case, a saved None) rather than through the general helpers.
    edges, input_meta = [], []
    for a in args:
        if isinstance(a, Tensor):
            fn = a.grad_fn
            if fn is not None:
                edges.append((fn, a._output_nr))
            else:  # a leaf: its AccumulateGrad if it requires grad
                edges.append(gradient_edge(a) if a._requires_grad else _NO_EDGE)
            input_meta.append((a._array.shape, a._array.dtype))
        else:
            edges.append(_NO_EDGE)
            input_meta.append(None)
    ctx._edges, ctx._input_meta = tuple(edges), tuple(input_meta)
    non_diff = ctx._non_differentiable
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
    """Keep what forward passed to save_for_backward as Tensors, with their versions and roles."""
    roles: list = []  # torch's `_saved_<role>` name of each saved value, found while matching it
    saved, versions = [], []
    for value in ctx._to_save:
        if value is None:  # an input whose gradient is not needed: nothing kept
            saved.append(None)
            versions.append(0)
            roles.append(None)
            continue
        t = _as_saved_tensor(value, args, arrays, raw, outputs, roles)
        saved.append(t)
        versions.append(t._version_box[0] if isinstance(t, Tensor) else 0)
    ctx._saved = tuple(saved)
    ctx._saved_versions = tuple(versions)
    ctx._saved_roles = tuple(roles)
    if saved_hooks.stack:
        pack, ctx._unpack_hook = saved_hooks.stack[-1]
        ctx._saved = tuple(pack(t) if role is not None else t for t, role in zip(ctx._saved, ctx._saved_roles))
    ctx._to_save = ()


_NO_EDGE = (None, 0)  # the edge of an argument that is not a tensor, or needs no gradient


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stack() -> list[str]:
    """The current call stack as formatted lines, without minitorch's own frames."""
    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(_PACKAGE_DIR)]
    return traceback.format_list(frames)


_INPUT_ROLES = ("self", "other", "input2", "input3", "input4", "input5")


def _as_saved_tensor(value: Any, args: tuple, arrays: list, raw: tuple, outputs: tuple, roles: list) -> Any:
    """The Tensor to keep for a saved value: the input or output it is, else a new one. Appends
    its torch name to `roles`: "self"/"other" for the first two arguments (x * x saves x as
    both), "input<i>" for later ones, "result" for the output, "buffer" for another array,
    None for a non-tensor."""
    if not isinstance(value, (np.ndarray, np.generic)):  # None, a Tensor (custom Functions), a Python scalar
        roles.append(_tensor_role(value, args, outputs, roles) if isinstance(value, Tensor) else None)
        return value
    first = None
    for i, arr in enumerate(arrays):
        if value is arr and isinstance(args[i], Tensor):
            role = _INPUT_ROLES[i] if i < len(_INPUT_ROLES) else f"input{i}"
            if role not in roles:
                roles.append(role)
                return args[i]
            first = first or (args[i], role)
    if first is not None:
        roles.append(first[1])
        return first[0]
    for i, (r, out) in enumerate(zip(raw, outputs)):
        if value is r:
            roles.append("result" if i == 0 else f"result{i}")
            return out
    roles.append("buffer")
    return _wrap(np.asarray(value))


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


def gradient_edge(t: Tensor) -> tuple:
    """The (node, index) through which gradient flows into `t`: its grad_fn, or its AccumulateGrad."""
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    if t._requires_grad:
        if t._grad_accumulator is None:
            t._grad_accumulator = AccumulateGrad(t)
        return (t._grad_accumulator, 0)
    return _NO_EDGE


class GradientEdge(NamedTuple):
    """Where gradient enters a tensor's history: (node, output_nr). Usable as `inputs` of grad()."""
    node: Node
    output_nr: int


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
