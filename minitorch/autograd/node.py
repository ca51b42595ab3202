"""The backward graph's vertices: `Node`, the leaf's `AccumulateGrad`, and `BackwardNode`,
the `ctx` of one Function call, which keeps the tensors saved for backward.

A recorded op's node holds one edge (node, output_index) per positional argument, pointing
towards the leaves; `gradient_edge` finds the edge through which gradient enters a tensor.
How a node is made and connected is in function.py (`Function.apply`, `_record`); how the
engine walks the nodes is in engine.py.
"""
from __future__ import annotations

import itertools
import re
from typing import Any, NamedTuple

import numpy as np

from .._tensor import Tensor, _blank
from ..utils.hooks import RemovableHandle
from . import saved


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
    _sequence_nr: int  # numbered when made (function._connect, AccumulateGrad): newer nodes have larger numbers

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
        self._sequence_nr = next(_sequence_numbers)
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
    _keeps_outputs = False              # whether it saved an output (kept without its grad_fn)
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
        if not self._keeps_outputs:
            return self._saved
        return tuple(self._as_output(t) if role and role.startswith("result") else t
                     for t, role in zip(self._saved, self._saved_roles))

    def _as_output(self, kept: Tensor) -> Tensor:
        """A saved output (kept without its grad_fn, see autograd.function._without_grad_fn) as
        the output it was: this node's, differentiable through it again."""
        out = _blank(type(kept), kept._array, kept._requires_grad)
        out.grad_fn = self if kept._requires_grad else None
        out._output_nr, out._version_box = kept._output_nr, kept._version_box
        out._base, out._view_chain = kept._base, kept._view_chain
        return out

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


_NO_EDGE = (None, 0)  # the edge of an argument that is not a tensor, or needs no gradient


def gradient_edge(t: Tensor) -> tuple:
    """The (node, index) through which gradient flows into `t`: its grad_fn, or its AccumulateGrad."""
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    if t._requires_grad:
        if t._leaf_edge is None:
            # one edge per leaf, shared by every node that reads it: an unrolled recurrent
            # network reads its weights at every step, and each tuple made per read would be
            # one more object for Python's cycle collector to scan (time_sequence_prediction:
            # 10 of the 57 it kept per time step)
            t._leaf_edge = (AccumulateGrad(t), 0)
        return t._leaf_edge
    return _NO_EDGE


class GradientEdge(NamedTuple):
    """Where gradient enters a tensor's history: (node, output_nr). Usable as `inputs` of grad()."""
    node: Node
    output_nr: int
