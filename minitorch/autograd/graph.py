"""Looking at the backward graph: walk it, list the tape, draw it.

    y = (x @ w).relu().sum()
    [n.name() for n in tape(y)]        # ['SumBackward0', 'ReluBackward0', 'MmBackward0', 'AccumulateGrad', ...]
    print(to_dot(y, params={"w": w}))  # Graphviz source: `dot -Tpng graph.dot -o graph.png`
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence

from .._tensor import Tensor
from . import engine
from .dot import Digraph, make_dot
from .engine import _discover, _topological_order
from . import saved
from .saved_hooks import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks
from .node import AccumulateGrad, GradientEdge, Node, gradient_edge

__all__ = ["Node", "GradientEdge", "get_gradient_edge", "register_multi_grad_hook", "walk", "tape",
           "to_dot", "make_dot", "Digraph", "saved_memory", "saved_tensors_hooks", "disable_saved_tensors_hooks", "save_on_cpu"]


def _roots(outputs: Tensor | tuple) -> list[Node]:
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    return [gradient_edge(t)[0] for t in outputs if gradient_edge(t)[0] is not None]


def walk(outputs: Tensor | tuple) -> Iterator[Node]:
    """Every node reachable from `outputs`' grad_fns, each once (depth-first)."""
    yield from _discover(_roots(outputs))


def tape(outputs: Tensor | tuple) -> list[Node]:
    """The nodes in the order `backward()` would run them, from the outputs down to the leaves."""
    return _topological_order(_roots(outputs))


def to_dot(outputs: Tensor | tuple, params: dict[str, Tensor] | None = None) -> str:
    """Graphviz DOT source of the backward graph: ops as boxes, leaves as ellipses named by `params`."""
    names = {id(t): name for name, t in (params or {}).items()}
    lines = ["digraph backward {", '  node [fontname="Helvetica", fontsize=10];']
    ids = {}
    for i, node in enumerate(tape(outputs)):
        ids[node] = f"n{i}"
        if isinstance(node, AccumulateGrad):
            var = node.variable
            label = f"{names.get(id(var), 'leaf')}\\n{tuple(var.shape)}"
            lines.append(f'  n{i} [label="{label}", shape=ellipse, style=filled, fillcolor=lightblue];')
        else:
            shape = node._output_meta[0][0] if getattr(node, "_output_meta", None) else ()
            lines.append(f'  n{i} [label="{node.name()}\\n{tuple(shape)}", shape=box];')
    for node, node_id in ids.items():
        for child, _ in node.next_functions:
            if child is not None:
                lines.append(f"  {ids[child]} -> {node_id};")
    lines.append("}")
    return "\n".join(lines)


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """The (node, output_nr) through which gradient reaches `tensor`; pass it to autograd.grad
    as an input to get that gradient even after `tensor` itself is gone or changed."""
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not "
                           "require gradients")
    return GradientEdge(*gradient_edge(tensor))


class _MultiHandle:
    """The handle of a multi-grad hook: removes the hook from every tensor."""

    def __init__(self, handles: list):
        self.handles = handles

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()

    def __enter__(self) -> "_MultiHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def register_multi_grad_hook(tensors: Sequence[Tensor], fn: Callable, *, mode: str = "all") -> _MultiHandle:
    """Call `fn` once per backward for a group of tensors. mode="all": after the gradients of
    every tensor that this backward reaches are computed, `fn(grads)` (None for the others);
    mode="any": `fn(grad)` with the first gradient computed."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state: dict = {"task": None}

    def start(task: engine.GraphTask) -> None:
        state.update(task=task, grads=[None] * len(tensors), fired=False,
                     remaining=sum(t.requires_grad and task.will_execute(gradient_edge(t)[0])
                                   for t in tensors))

    def make_hook(i: int) -> Callable:
        def hook(grad: Tensor) -> None:
            if state["task"] is not engine.current_task:  # the first hook of a new backward
                start(engine.current_task)
            if mode == "any":
                if not state["fired"]:
                    state["fired"] = True
                    fn(grad)
                return
            state["grads"][i] = grad
            state["remaining"] -= 1
            if state["remaining"] == 0:
                fn(tuple(state["grads"]))
        return hook

    return _MultiHandle([t.register_hook(make_hook(i)) for i, t in enumerate(tensors) if t.requires_grad])


def saved_memory(outputs: Tensor | tuple) -> saved.SavedMemory:
    """What every node of the graph keeps for backward, per node, with the total in bytes."""
    return saved.saved_memory([n for n in tape(outputs) if not isinstance(n, AccumulateGrad)])
