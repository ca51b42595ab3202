"""The backward engine: walks the graph from the outputs to the leaves.

1. Discover every node reachable from the roots. This walk is iterative, so a graph
   100,000 ops deep does not hit Python's recursion limit.
2. Run them newest first: a node is always made after the nodes it sends gradient to,
   so each runs only after every node feeding it has (and among ready nodes the most
   recently created runs first, as in torch). The gradients arriving at a node are
   summed in its input buffer.
3. A leaf's AccumulateGrad adds the gradient into `.grad`; with `inputs=` or
   `autograd.grad`, only the nodes that lead to the requested tensors run.

Without `create_graph` backward runs under no_grad, so nothing is recorded.
"""
from __future__ import annotations

import operator
from sys import getrefcount
from typing import Any

import numpy as np

from .._dtype import from_numpy_dtype
from .._tensor import Tensor, _wrap
from . import anomaly_mode, grad_mode
from .node import AccumulateGrad, BackwardNode, GradientEdge, Node, gradient_edge


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _root_gradients(outputs: tuple, grad_outputs: tuple, create_graph: bool) -> list:
    if len(grad_outputs) not in (0, len(outputs)):
        raise RuntimeError(f"grad can be implicitly created only for scalar outputs; got "
                           f"{len(grad_outputs)} gradients for {len(outputs)} outputs")
    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if grad_outputs else None
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = _wrap(np.ones(out._array.shape, dtype=out._array.dtype))
        elif not isinstance(g, Tensor):
            g = _wrap(np.asarray(g, dtype=out._array.dtype))
        elif g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {out.shape}.")
        grads.append(g)
    return grads


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, grad_variables: Any = None, inputs: Any = None) -> None:
    """Accumulate the gradients of `tensors` (weighted by `grad_tensors`) into the leaves' `.grad`."""
    outputs = _as_tuple(tensors)
    grads = _root_gradients(outputs, _as_tuple(grad_tensors if grad_tensors is not None else grad_variables),
                            create_graph)
    inputs = _as_tuple(inputs)
    if inputs:
        for t in inputs:
            if not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
    _run(outputs, grads, retain_graph if retain_graph is not None else create_graph, create_graph,
         inputs=inputs, accumulate=True)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, returned rather than accumulated."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    allow_unused = allow_unused or materialize_grads
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    for t in ins:
        if isinstance(t, GradientEdge):
            continue
        if not isinstance(t, Tensor):
            raise TypeError(f"grad(): inputs must be Tensors, got {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_gradients(outs, _as_tuple(grad_outputs), create_graph)
    captured = _run(outs, grads, retain_graph if retain_graph is not None else create_graph,
                    create_graph, inputs=ins, accumulate=False)
    result = []
    for t, g in zip(ins, captured):
        if g is None:
            if materialize_grads:
                g = _wrap(np.zeros_like(t._array))
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used "
                                   "in the graph. Set allow_unused=True if this is the desired behavior.")
        result.append(g)
    return tuple(result)


def _batched_grad(outputs: Any, inputs: Any, grad_outputs: Any, retain_graph: bool | None,
                  create_graph: bool, allow_unused: bool, materialize_grads: bool) -> tuple:
    """grad() with is_grads_batched: the first dim of each grad_output indexes independent
    vector-Jacobian products; one backward per batch entry (torch vmaps instead), stacked."""
    from .. import stack  # the public op; _ops imports autograd, so it is imported on use
    outs, batched = _as_tuple(outputs), _as_tuple(grad_outputs)
    if len(batched) != len(outs) or any(g is None for g in batched):
        raise RuntimeError("is_grads_batched=True requires a batched grad_output for every output")
    sizes = {g.shape[0] for g in batched}
    if len(sizes) != 1:
        raise RuntimeError(f"If `is_grads_batched=True`, we interpret the first dimension of each "
                           f"grad_output as the batch dimension; got batch sizes {sorted(sizes)}")
    per_entry = [grad(outs, inputs, tuple(g[b] for g in batched), retain_graph=True,
                      create_graph=create_graph, allow_unused=allow_unused,
                      materialize_grads=materialize_grads)
                 for b in range(sizes.pop())]
    if not retain_graph and not create_graph:
        for node in _discover([gradient_edge(t)[0] for t in outs if t.grad_fn is not None]):
            node._release()
    return tuple(None if entry[0] is None else stack(list(entry))
                 for entry in zip(*per_entry))


def _discover(roots: list[Node]) -> dict[Node, None]:
    """Every node reachable from the roots, each once, in depth-first order (a dict as an ordered set)."""
    seen = dict.fromkeys(roots)
    stack = list(seen)
    while stack:
        for child, _ in stack.pop()._edges:
            if child is not None and child not in seen:
                seen[child] = None
                stack.append(child)
    return seen


def _topological_order(roots: list[Node]) -> list[Node]:
    """The nodes reachable from the roots, newest first.

    Every edge points from a node to an older one (a node is made after the nodes of its inputs:
    function._connect), so newest first runs each node after every node that feeds it; among the
    nodes ready at any moment, the most recently created runs first, as in torch.
    """
    return sorted(_discover(roots), key=_sequence_nr, reverse=True)


_sequence_nr = operator.attrgetter("_sequence_nr")


def _run(outputs: tuple, root_grads: list, retain_graph: bool, create_graph: bool,
         inputs: tuple, accumulate: bool) -> list:
    """Propagate `root_grads` from `outputs` backwards; return the gradients reaching `inputs`."""
    root_edges = [gradient_edge(t) for t in outputs]
    roots = [node for node, _ in root_edges]
    order = _topological_order(roots)

    # With `inputs`, capture gradients at their edges and run only nodes leading to them.
    targets: dict = {}
    captured: list = [None] * len(inputs)
    target_nodes: set = set()
    needed = None
    if inputs:
        for i, t in enumerate(inputs):
            targets.setdefault(tuple(t) if isinstance(t, GradientEdge) else gradient_edge(t), []).append(i)
        target_nodes = {node for node, _ in targets}
        needed = set()
        for node in reversed(order):
            if node in target_nodes or any(c in needed for c, _ in node._edges):
                needed.add(node)

    buffers: dict[Node, list] = {}
    for (node, nr), g in zip(root_edges, root_grads):
        _add_to_buffer(buffers, node, nr, g)

    global current_task
    outer_task, current_task = current_task, GraphTask(order, needed)
    # The one hook point for tracing (autograd/explain.py), checked once per backward: a
    # tracer hands back instrumented versions of the three steps the loop takes per node.
    steps = (_call_node, _add_to_buffer, _accumulate) if observer is None else observer.instrument(current_task, buffers)
    try:
        _execute(order, needed, buffers, targets, target_nodes, captured, retain_graph, create_graph,
                 accumulate, *steps)
    finally:
        current_task = outer_task
    return captured


class GraphTask:
    """The backward being run: its nodes in execution order, and (with inputs=) the ones needed.
    Hooks ask it which nodes will run (see graph.register_multi_grad_hook)."""

    def __init__(self, order: list, needed: set | None):
        self.order, self.needed = order, needed
        self._in_order: set | None = None

    def will_execute(self, node: Node) -> bool:
        if self._in_order is None:
            self._in_order = set(self.order)
        return node in self._in_order and (self.needed is None or node in self.needed)


current_task: GraphTask | None = None  # set while a backward runs
observer: Any = None                   # set by explain.explain_backward while it traces a backward


def _execute(order: list, needed: set | None, buffers: dict, targets: dict, target_nodes: set,
             captured: list, retain_graph: bool, create_graph: bool, accumulate: bool,
             call_node: Any, add_to_buffer: Any, accumulate_into: Any) -> None:
    """Run the nodes in order, passing each one's gradients to the buffers of the next."""
    # torch computes inf * 0 or log(0) silently; so do the backward rules (numpy would warn).
    with grad_mode._Fixed(create_graph), np.errstate(all="ignore"):
        for node in order:
            grads = buffers.pop(node, None)
            if grads is None or needed is not None and node not in needed:
                continue
            if node._tensor_hooks or node._retained:
                grads = _call_tensor_hooks(node, grads, create_graph)
            if targets:
                for nr, g in enumerate(grads):
                    for i in targets.get((node, nr), ()):
                        captured[i] = g
            if isinstance(node, AccumulateGrad):
                if accumulate and (needed is None or node in target_nodes):
                    if node._pre_hooks:
                        grads = _call_pre_hooks(node, grads)
                    accumulate_into(node.variable, grads[0], create_graph)
                    if node._hooks:
                        _call_post_hooks(node, (), grads)
                continue
            if needed is not None and not any(c in needed for c, _ in node._edges):
                continue
            _propagate(node, grads, buffers, retain_graph, call_node, add_to_buffer)


def _propagate(node: BackwardNode, grads: list, buffers: dict, retain_graph: bool,
               call_node: Any, add_to_buffer: Any) -> None:
    """Run one node's backward and add each gradient it returns to the buffer of the node it
    goes to. In its own frame so that, once it returns, the gradients are held only by the
    buffers: a leaf's AccumulateGrad can then take one as .grad without a copy (_accumulate)."""
    if node._pre_hooks:
        grads = _call_pre_hooks(node, grads)
    grad_inputs = call_node(node, grads)
    if node._hooks:
        grad_inputs = _call_post_hooks(node, grad_inputs, grads)
    if not retain_graph:
        node._release()
    for (child, nr), g in zip(node._edges, grad_inputs):
        if child is not None and g is not None:
            add_to_buffer(buffers, child, nr, g)


def _call_pre_hooks(node: Node, grads: list) -> list:
    """Node.register_prehook hooks: each may replace the gradients arriving at the node."""
    for hook in tuple(node._pre_hooks.values()):
        new = hook(tuple(grads))
        if new is not None:
            grads = list(new)
    return grads


def _call_post_hooks(node: Node, grad_inputs: tuple, grads: list) -> tuple:
    """Node.register_hook hooks: each sees (grad_inputs, grad_outputs) and may replace grad_inputs."""
    for hook in tuple(node._hooks.values()):
        new = hook(grad_inputs, tuple(grads))
        if new is not None:
            grad_inputs = tuple(new)
    return grad_inputs


def _add_to_buffer(buffers: dict, node: Node, nr: int, g: Tensor) -> None:
    """Sum `g` into the gradient arriving at output `nr` of `node`."""
    buffer = buffers.get(node)
    if buffer is None:
        size = len(node._output_meta)  # one slot per output; an AccumulateGrad has none recorded
        buffer = buffers[node] = [None] * (size if nr < size else nr + 1)
    held = buffer[nr]
    if held is None:
        buffer[nr] = g
    elif grad_mode._state.enabled or held._array.dtype != g._array.dtype:
        buffer[nr] = held + g  # create_graph: the sum is recorded too
    else:
        # Nothing is recorded, and both were made like the same tensor (_call_node):
        # the sum of the arrays is the sum, without an op's dispatch.
        buffer[nr] = _wrap(held._array + g._array)


def _call_tensor_hooks(node: Node, grads: list, create_graph: bool) -> list:
    """Run hooks registered with Tensor.register_hook, then fill retained .grad fields."""
    for nr, by_id in (node._tensor_hooks or {}).items():
        for hook in tuple(by_id.values()):
            if grads[nr] is not None:
                new = hook(grads[nr])
                if new is not None:
                    grads[nr] = new
    for nr, t in (node._retained or {}).items():
        if grads[nr] is not None:
            _accumulate(t, grads[nr], create_graph, may_steal=False)
    return grads


def _call_node(node: BackwardNode, grads: list) -> tuple:
    """Run one node's backward and make each gradient match its input's shape and dtype."""
    if node.materialize_grads:
        for g in grads:
            if g is None:  # an output that got no gradient: zeros, unless the node opted out
                _materialize(node, grads)
                break
    try:
        grad_inputs = node.apply(*grads)
    except Exception:
        if anomaly_mode._enabled:
            anomaly_mode.warn_forward_traceback(node)
        raise
    edges = node._edges
    if len(grad_inputs) != len(edges):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {len(edges)}, got {len(grad_inputs)})")
    check_nan = anomaly_mode._enabled and anomaly_mode._check_nan
    fixed = []
    for g, meta, edge in zip(grad_inputs, node._input_meta, edges):
        if g is None or edge[0] is None:  # a non-tensor argument has no edge either
            fixed.append(None)
            continue
        shape, dt = meta
        if not isinstance(g, Tensor):
            g = _wrap(np.asarray(g, dtype=dt))
        array = g._array
        if array.shape != shape:
            g = sum_to_shape(g, shape, node, len(fixed))
        if array.dtype is not dt and array.dtype != dt:  # `is` first: the dtypes are usually one object
            g = g.to(_dtype_of(dt))
        if check_nan and np.isnan(g._array).any():
            _raise_anomaly(node, len(fixed))
        fixed.append(g)
    return tuple(fixed)


def _materialize(node: BackwardNode, grads: list) -> None:
    """Fill the missing gradients of a node's outputs with zeros of the output's shape and dtype."""
    for i, g in enumerate(grads):
        if g is None and node._output_meta[i] is not None:
            shape, dt = node._output_meta[i]
            grads[i] = _wrap(np.zeros(shape, dtype=dt))


def _dtype_of(np_dtype: np.dtype):
    return from_numpy_dtype(np_dtype)


def sum_to_shape(g: Tensor, shape: tuple, node: Node | None = None, index: int = 0) -> Tensor:
    """Sum a gradient over the dimensions along which an input of `shape` was broadcast."""
    if g._array.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, g._array.shape[lead:])):
        where = f"Function {node.name()} returned an invalid gradient at index {index} - " if node else ""
        raise RuntimeError(f"{where}got {list(g.shape)} but expected shape compatible with {list(shape)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and g._array.shape[lead + i] != 1)
    if not grad_mode._state.enabled:
        # No graph is being recorded (backward without create_graph): the same sum, done on
        # the array, skips two ops' dispatch for every broadcast operand.
        # float16 accumulates in float32, as torch's sum does
        acc = np.float32 if g._array.dtype == np.float16 else g._array.dtype
        return _wrap(np.add.reduce(g._array, axis=dims, keepdims=True, dtype=acc)
                     .astype(g._array.dtype, copy=False).reshape(shape))
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    return g.reshape(shape) if lead else g


def _raise_anomaly(node: Node, index: int) -> None:
    anomaly_mode.warn_forward_traceback(node)
    raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")


def _accumulate(variable: Tensor, g: Tensor, create_graph: bool, may_steal: bool = True) -> None:
    """Add `g` into variable.grad. The first time, .grad takes g's memory if nothing but the
    engine can reach it (torch steals it too), else a copy: .grad never aliases another tensor.
    `may_steal` is False where g flows on through the graph (a retained non-leaf's .grad)."""
    if variable._grad is None:
        if create_graph:
            variable._grad = g
        elif may_steal and _unshared(_holders(g)):
            variable._grad = _wrap(g._array)
        else:
            variable._grad = _wrap(g._array.copy())
    elif create_graph or grad_mode._state.enabled:
        variable._grad = variable._grad + g
    else:
        np.add(variable._grad._array, g._array, out=variable._grad._array)


def _holders(g: Tensor) -> tuple[int, int, int, int]:
    """getrefcount of the gradient `g` and of its array; when g is a view (a transposed matmul
    result), of the tensor it views, and of the array owning the memory, not counting that
    tensor's own reference (else 0). Another view of the memory would hold the owner too."""
    array, source = g._array, g._base
    owner = array.base
    if not (array.flags.c_contiguous and array.flags.writeable) or owner is not None and (
            type(owner) is not np.ndarray or owner.nbytes != array.nbytes):
        return (_MANY,) * 4  # never taken: not .grad's layout, part of a larger buffer, foreign memory
    return (getrefcount(g), getrefcount(array), 0 if source is None else getrefcount(source),
            0 if owner is None else getrefcount(owner) - (source is not None and source._array is owner))


_MANY = 1 << 30


def _gradient_held_only_by_the_engine() -> tuple[int, int, int, int]:
    """What _holders reports in _accumulate for a gradient that the engine alone holds, in the
    list of a node's gradients: a view of a fresh array through a tensor nobody else holds.
    Measured the same way rather than assumed (Pythons differ in whether calls borrow references)."""
    def accumulate(variable: Any, g: Tensor, create_graph: bool) -> tuple:
        return _holders(g)

    grads = [_wrap(np.empty(4).reshape(2, 2))]
    grads[0]._base = _wrap(grads[0]._array.base)
    counts = accumulate(None, grads[0], False)
    assert _MANY not in counts, "the measured gradient must be one that can be taken"
    return counts


_ONLY_THE_ENGINE = _gradient_held_only_by_the_engine()


def _unshared(holders: tuple) -> bool:
    """True if no count exceeds a gradient's that only the engine holds (see _holders)."""
    return all(n <= limit for n, limit in zip(holders, _ONLY_THE_ENGINE))
