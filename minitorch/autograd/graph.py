"""Looking at the backward graph: walk it, list the tape, draw it.

    y = (x @ w).relu().sum()
    [n.name() for n in tape(y)]        # ['SumBackward0', 'ReluBackward0', 'MatMulBackward0', 'AccumulateGrad', ...]
    print(to_dot(y, params={"w": w}))  # Graphviz source: `dot -Tpng graph.dot -o graph.png`
"""
from __future__ import annotations

from typing import Iterator

from .._tensor import Tensor
from .engine import _discover, _topological_order
from .saved_hooks import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks
from .function import AccumulateGrad, Node, gradient_edge

__all__ = ["Node", "walk", "tape", "to_dot", "saved_tensors_hooks", "disable_saved_tensors_hooks", "save_on_cpu"]


def _roots(outputs: Tensor | tuple) -> list[Node]:
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    return [gradient_edge(t)[0] for t in outputs if gradient_edge(t)[0] is not None]


def walk(outputs: Tensor | tuple) -> Iterator[Node]:
    """Every node reachable from `outputs`' grad_fns, each once (depth-first)."""
    yield from _discover(_roots(outputs))


def tape(outputs: Tensor | tuple) -> list[Node]:
    """The nodes in the order `backward()` would run them, from the outputs down to the leaves."""
    roots = _roots(outputs)
    return _topological_order(roots, _discover(roots))


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
