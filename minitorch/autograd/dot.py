"""Draw the backward graph: `make_dot(loss, params=dict(model.named_parameters()), module=model)`.

The picture reads from the output (top, green) down to the parameters (blue):

- each backward node is a grey box with its name and output shape;
- each leaf that requires grad is a blue box (its name from `params`, its shape, its values
  when small and its `.grad` when known), joined to its AccumulateGrad node;
- an output or leaf that is a view is joined (dotted) to the tensor it views;
- `show_saved=True` adds what each node saved for backward (orange, by torch's
  `_saved_<name>`), `show_attrs=True` the plain values a backward kept on its ctx;
- `module=` groups the nodes of each submodule holding parameters into a labelled cluster:
  the AccumulateGrad nodes of its parameters, the nodes fed only by them (a transpose of a
  weight), and the node combining them with the activations (the layer's op).

The result renders itself in Jupyter (`_repr_svg_`), writes files with `.render(path,
format)` and is the DOT text under `str()`. Rendering uses the `graphviz` Python package
and its `dot` program (`pip install minitorch[graphviz]` plus the system package).
"""
from __future__ import annotations

import shutil
from typing import Any

import numpy as np

from .._tensor import Tensor
from .engine import _discover
from .node import AccumulateGrad, BackwardNode, Node, gradient_edge

__all__ = ["make_dot", "Digraph"]

_MISSING_RENDERER = ("Rendering needs the `graphviz` Python package and Graphviz's `dot` program "
                     "(pip install 'minitorch[graphviz]'; apt install graphviz / brew install "
                     "graphviz). The DOT source is in str(graph); paste it into any Graphviz viewer.")


def _quote(text: str) -> str:
    """A DOT string literal: backslashes and quotes escaped, newlines as centred line breaks."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _values_text(t: Tensor, show_values: Any) -> str:
    arr = t.detach().numpy()
    if show_values is True or (show_values == "auto" and arr.size <= 6):
        return "\n" + np.array2string(arr, precision=4, separator=", ").replace("\n", "")
    return ""


class Digraph:
    """DOT source of a graph that renders itself when graphviz is available."""

    def __init__(self, source: str):
        self.source = source

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return f"<minitorch Digraph: {self.source.count('->')} edges; str() for DOT>"

    def _graphviz(self) -> Any:
        try:
            import graphviz
        except ImportError:
            raise RuntimeError(_MISSING_RENDERER) from None
        if shutil.which("dot") is None:
            raise RuntimeError(_MISSING_RENDERER)
        return graphviz.Source(self.source)

    def pipe(self, format: str = "svg") -> bytes:
        """The rendered image as bytes."""
        return self._graphviz().pipe(format=format)

    def _repr_svg_(self) -> str | None:
        try:
            return self.pipe("svg").decode("utf-8")
        except RuntimeError:
            return None  # Jupyter then falls back to repr

    def render(self, path: str, format: str = "svg", cleanup: bool = True) -> str:
        """Write the DOT source to `path` and the rendered image beside it; returns the image path.
        Without graphviz, writes `path` (the DOT text) and raises RuntimeError saying what is missing."""
        with open(path, "w") as f:
            f.write(self.source)
        self._graphviz()  # raises with the message above when rendering is impossible
        import graphviz
        return graphviz.render("dot", format, path)


def make_dot(output: Tensor | tuple, params: dict[str, Tensor] | None = None, module: Any = None,
             depth: int | None = None, show_saved: bool = False, show_attrs: bool = False,
             show_values: Any = "auto", show_grads: bool = True) -> Digraph:
    """The backward graph of `output` as a drawable Digraph (see the module docstring).

    params: names for leaf tensors; module: an nn.Module whose named parameters name the leaves
    and whose submodules become clusters; depth: draw only nodes at most this many edges below
    the output; show_values: "auto" (values of tensors with at most 6 elements), True or False."""
    outputs = (output,) if isinstance(output, Tensor) else tuple(output)
    names = {}
    if module is not None:
        names.update({id(p): n for n, p in module.named_parameters()})
    names.update({id(t): n for n, t in (params or {}).items()})

    roots = [gradient_edge(t)[0] for t in outputs if gradient_edge(t)[0] is not None]
    levels = _levels(roots)
    nodes = [n for n in _discover(roots) if depth is None or levels[n] <= depth]
    ids = {node: f"node{i}" for i, node in enumerate(nodes)}
    lines = ["digraph backward {",
             '  graph [rankdir=TB, fontname="Helvetica"];',
             '  node [shape=box, style=filled, fontname="Helvetica", fontsize=10, fillcolor=lightgrey];']
    counter = iter(range(10 ** 9))

    def tensor_box(t: Tensor, label: str, color: str) -> str:
        box = f"tensor{next(counter)}"
        text = f"{label}\n{tuple(t.shape)}" + (_values_text(t, show_values) if show_values else "")
        grad = t._grad if t.grad_fn is None or t.retains_grad else None
        if show_grads and grad is not None:
            text += "\ngrad" + (_values_text(grad, True) if grad.numel() <= 6 else f" {tuple(grad.shape)}")
        lines.append(f"  {box} [label={_quote(text)}, fillcolor={color}];")
        if t._base is not None:  # a view: show the tensor that owns the storage
            base = f"tensor{next(counter)}"
            lines.append(f"  {base} [label={_quote('view of ' + names.get(id(t._base), 'base') + chr(10) + str(tuple(t._base.shape)))}, fillcolor=white];")
            lines.append(f"  {base} -> {box} [style=dotted];")
        return box

    for i, t in enumerate(outputs):
        box = tensor_box(t, names.get(id(t), "output" if len(outputs) == 1 else f"output {i}"), "darkolivegreen1")
        if gradient_edge(t)[0] in ids:
            lines.append(f"  {ids[gradient_edge(t)[0]]} -> {box};")

    for node, node_id in ids.items():
        lines.append(f"  {node_id} [label={_quote(_node_label(node, show_attrs))}];")
        if isinstance(node, AccumulateGrad):
            var = node.variable
            leaf = tensor_box(var, names.get(id(var), "leaf"), "lightblue")
            lines.append(f"  {leaf} -> {node_id};")
        if show_saved and isinstance(node, BackwardNode):
            lines.extend(_saved_lines(node, node_id, counter))
        for child, _ in node.next_functions:
            if child in ids:
                lines.append(f"  {ids[child]} -> {node_id};")

    if module is not None:
        lines.extend(_clusters(module, nodes, ids))
    lines.append("}")
    return Digraph("\n".join(lines))


def _node_label(node: Node, show_attrs: bool) -> str:
    label = node.name()
    if isinstance(node, BackwardNode) and node._output_meta and node._output_meta[0] is not None:
        label += f"\n{tuple(node._output_meta[0][0])}"
    fused = node.metadata.get("fused")
    if fused:
        label += f"\nfused: {fused}"
    if show_attrs:
        for key, value in vars(node).items():
            if not key.startswith("_") and key != "needs_input_grad":
                label += f"\n{key}: {value!r}"[:80]
    return label


def _saved_lines(node: BackwardNode, node_id: str, counter: Any) -> list[str]:
    """One orange box per saved value, named as torch's `_saved_<role>` (or the value's type)."""
    lines = []
    stored = node._saved if node._saved is not None else ()
    for value, role in zip(stored, node._saved_roles or (None,) * len(stored)):
        if value is None:
            continue
        box = f"saved{next(counter)}"
        if isinstance(value, Tensor):
            text = f"_saved_{role}\n{tuple(value.shape)}\n{value._array.nbytes} bytes"
        else:
            text = f"saved {type(value).__name__}"
        lines.append(f"  {box} [label={_quote(text)}, fillcolor=orange];")
        lines.append(f"  {box} -> {node_id} [style=dotted];")
    return lines


def _levels(roots: list[Node]) -> dict[Node, int]:
    """The shortest number of edges from a root to every node."""
    levels = {r: 0 for r in roots}
    frontier = list(roots)
    while frontier:
        following = []
        for node in frontier:
            for child, _ in node._edges:
                if child is not None and child not in levels:
                    levels[child] = levels[node] + 1
                    following.append(child)
        frontier = following
    return levels


def _clusters(module: Any, nodes: list, ids: dict) -> list[str]:
    """A `subgraph cluster_*` per submodule that directly owns parameters."""
    owner = {}
    for name, sub in module.named_modules():
        for p in sub.parameters(recurse=False):
            owner[id(p)] = f"{name} ({type(sub).__name__})" if name else type(sub).__name__
    members: dict[Node, str] = {}
    for node in nodes:  # the parameters' own AccumulateGrad nodes
        if isinstance(node, AccumulateGrad) and id(node.variable) in owner:
            members[node] = owner[id(node.variable)]
    # Nodes fed only by one module's parameters (a weight's transpose); children run first
    # in creation order.
    for node in _ordered(nodes):
        children = [c for c, _ in node.next_functions]  # None for an input without grad: not parameter-only
        groups = {members.get(c) for c in children}
        if children and len(groups) == 1 and None not in groups and node not in members:
            members[node] = groups.pop()
    # The layer's op: a node combining one module's parameters with other inputs.
    parameter_side = dict(members)
    for node in nodes:
        if node in members:
            continue
        groups = {parameter_side[c] for c, _ in node.next_functions if c in parameter_side}
        if len(groups) == 1:
            members[node] = groups.pop()
    lines = []
    for i, name in enumerate(dict.fromkeys(members.values())):
        inside = " ".join(f"{ids[n]};" for n, m in members.items() if m == name)
        lines.append(f"  subgraph cluster_{i} {{ label={_quote(name)}; style=rounded; color=steelblue; {inside} }}")
    return lines


def _ordered(nodes: list) -> list:
    return sorted(nodes, key=lambda n: n._sequence_nr)
