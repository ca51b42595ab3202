"""Watch backward run: which node ran when, what gradient reached it and from where, what it sent.

    x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0, requires_grad=True)
    z = (x * y).log() + (x * y).exp()
    print(torch.autograd.explain_backward(z, params={"x": x, "y": y}))

prints one row per node in the order the engine ran them, e.g. for MulBackward0
`403.5954 = 403.4288 (ExpBackward0) + 0.1667 (LogBackward0)`: its incoming gradient is the
sum of what two nodes sent it. The trace is of the real engine (`.grad` is filled as by
`backward()`): while tracing, the engine's three per-node steps (run a node, add a gradient
into a buffer, accumulate into `.grad`) are swapped for recording versions, a choice made
once per backward (see `observer` in engine.py), so without a trace the engine pays nothing.
`step_backward` yields the same steps one at a time, each with a snapshot of the engine's
pending gradient buffers and the dependency counts still blocking them.
"""
from __future__ import annotations

import html
import inspect
import os
import time as _time
from typing import Any, Iterator

import numpy as np

from .._tensor import Tensor
from . import engine
from .node import AccumulateGrad, BackwardNode, Node

__all__ = ["explain_backward", "step_backward", "BackwardTrace", "BackwardStep"]


class BackwardStep:
    """One executed node: its incoming contributions (output_nr, gradient, source label), the
    gradients it sent (target label, gradient), its rule's source line and its run time."""

    def __init__(self, index: int, node: Node, label: str):
        self.index, self.node, self.label = index, node, label
        self.incoming: list[tuple[int, Tensor, str]] = []
        self.sent: list[tuple[str, Tensor]] = []
        self.source = ""
        self.time_us = 0.0
        self.pending: dict[str, list] = {}       # other nodes' gradient buffers as this node starts
        self.dependencies: dict[str, int] = {}   # for each of those, senders that have not run yet

    @property
    def grad(self) -> list:
        """The summed incoming gradient per output of the node (what its backward received)."""
        total: dict[int, Any] = {}
        for nr, g, _ in self.incoming:
            total[nr] = g if nr not in total else total[nr] + g
        return [total[nr] for nr in sorted(total)]


class BackwardTrace(list):
    """The steps of one backward, in execution order; prints as a table, renders in notebooks."""

    def __init__(self, steps: list, values: Any = "auto", show_source: bool = True, show_time: bool = True):
        super().__init__(steps)
        self.values, self.show_source, self.show_time = values, show_source, show_time

    def rows(self) -> list[list[str]]:
        """One list of cells per step: #, node, incoming gradient, sends, rule, time."""
        rows = []
        for step in self:
            cells = [str(step.index), step.label, _incoming_text(step, self.values),
                     "; ".join(f"{_fmt(g, self.values)} -> {target}" for target, g in step.sent)]
            if self.show_source:
                cells.append(step.source)
            if self.show_time:
                cells.append(f"{step.time_us:.1f} us")
            rows.append(cells)
        return rows

    def _header(self) -> list[str]:
        header = ["#", "node", "incoming gradient (= contributions from)", "sends"]
        return header + (["backward rule"] if self.show_source else []) + (["time"] if self.show_time else [])

    def __str__(self) -> str:
        table = [self._header()] + self.rows()
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._header())
        body = "".join("<tr>" + "".join(f"<td><code>{html.escape(c)}</code></td>" for c in row) + "</tr>"
                       for row in self.rows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(g: Tensor, values: Any) -> str:
    """A gradient as text: the value(s) when small (values="auto"), all values, or just the shape."""
    arr = g.detach().numpy() if isinstance(g, Tensor) else np.asarray(g)
    if values is False or (values == "auto" and arr.size > 6):
        return f"<{'x'.join(map(str, arr.shape)) or 'scalar'} |g|={np.linalg.norm(arr):.4g}>"
    if arr.size == 1:
        return f"{arr.item():.4f}"
    return np.array2string(arr, precision=4, separator=", ").replace("\n", "")


def _incoming_text(step: BackwardStep, values: Any) -> str:
    parts = []
    for nr, total in enumerate(step.grad):
        contributions = [(g, src) for n, g, src in step.incoming if n == nr]
        prefix = f"[{nr}] " if len(step.grad) > 1 else ""
        terms = " + ".join(f"{_fmt(g, values)} ({src})" for g, src in contributions)
        parts.append(prefix + (f"{_fmt(total, values)} = {terms}" if len(contributions) > 1 else terms))
    return "; ".join(parts)


def _rule_source(node: Node) -> str:
    """Where the node's backward rule lives: 'file.py:line  return ...' (its first return)."""
    target = node._function.backward if isinstance(node, BackwardNode) else engine._accumulate
    target = inspect.unwrap(target)
    try:
        lines, start = inspect.getsourcelines(target)
        path = os.path.basename(inspect.getsourcefile(target) or "?")
    except (OSError, TypeError):
        return "?"
    for offset, line in enumerate(lines):
        if line.strip().startswith(("return", "variable._grad =")):
            return f"{path}:{start + offset}  {line.strip()}"
    return f"{path}:{start}"


class _Tracer:
    """Recording versions of the engine's per-node steps (installed for one backward)."""

    def __init__(self, names: dict, source: bool):
        self.names, self.source = names, source
        self.steps: list[BackwardStep] = []
        self.labels: dict[Node, str] = {}
        self.arrivals: dict[Node, list] = {}
        self.current = "root"

    def label(self, node: Node) -> str:
        if node not in self.labels:
            if isinstance(node, AccumulateGrad):
                var = node.variable
                base = f"AccumulateGrad({self.names.get(id(var), 'leaf ' + str(tuple(var.shape)))})"
            else:
                base = node.name()
            taken = sum(1 for lab in self.labels.values() if lab.split("#")[0] == base)
            self.labels[node] = base if taken == 0 else f"{base}#{taken + 1}"
        return self.labels[node]

    def instrument(self, task: engine.GraphTask, buffers: dict) -> tuple:
        self.buffers = buffers
        self.remaining: dict[Node, int] = {}
        for node in task.order:
            for child, _ in node._edges:
                if child is not None:
                    self.remaining[child] = self.remaining.get(child, 0) + 1
        for node, grads in buffers.items():  # the seeds placed by backward() itself
            self.arrivals[node] = [(nr, g, "root") for nr, g in enumerate(grads) if g is not None]
        return self.call_node, self.add_to_buffer, self.accumulate

    def add_to_buffer(self, buffers: dict, node: Node, nr: int, g: Tensor) -> None:
        self.arrivals.setdefault(node, []).append((nr, g, self.current))
        engine._add_to_buffer(buffers, node, nr, g)

    def _run_step(self, node: Node, run: Any) -> Any:
        step = BackwardStep(len(self.steps) + 1, node, self.label(node))
        step.incoming = self.arrivals.pop(node, [])
        # What the engine holds as this node starts: gradients waiting in other nodes' buffers,
        # and how many not-yet-run nodes each of those still waits for.
        step.pending = {self.label(n): list(grads) for n, grads in self.buffers.items()}
        step.dependencies = {self.label(n): self.remaining.get(n, 0) for n in self.buffers}
        if self.source:
            step.source = _rule_source(node)
        start = _time.perf_counter()
        result = run()
        step.time_us = (_time.perf_counter() - start) * 1e6
        self.steps.append(step)
        return step, result

    def call_node(self, node: BackwardNode, grads: list) -> tuple:
        step, grad_inputs = self._run_step(node, lambda: engine._call_node(node, grads))
        step.sent = [(self.label(child), g) for (child, _), g in zip(node._edges, grad_inputs)
                     if child is not None and g is not None]
        self.current = step.label
        self._finish(step, node)
        return grad_inputs

    def accumulate(self, variable: Tensor, g: Tensor, create_graph: bool) -> None:
        node = variable._leaf_edge[0]
        step, _ = self._run_step(node, lambda: engine._accumulate(variable, g, create_graph))
        step.sent = [(f".grad of {self.names.get(id(variable), 'leaf')}", variable.grad)]
        self._finish(step, node)

    def _finish(self, step: BackwardStep, node: Node) -> None:
        """The node has run: each node it feeds waits for one sender fewer."""
        for child, _ in node._edges:
            if child is not None:
                self.remaining[child] -= 1


def explain_backward(output: Tensor, params: dict[str, Tensor] | None = None, values: Any = "auto",
                     source: bool = True, time: bool = True, gradient: Tensor | None = None,
                     retain_graph: bool | None = None) -> BackwardTrace:
    """Run `output.backward(gradient)` and return the trace of every node the engine executed.

    params names leaves ({"w": w}); values: "auto" (numbers when a gradient has at most 6
    elements, else shape and norm), True (always numbers) or False (never); source and time
    add the backward rule's source line and each node's run time to the table."""
    if engine.observer is not None:
        raise RuntimeError("explain_backward: a backward is already being traced")
    tracer = _Tracer({id(t): name for name, t in (params or {}).items()}, source)
    engine.observer = tracer
    try:
        output.backward(gradient, retain_graph=retain_graph)
    finally:
        engine.observer = None
    return BackwardTrace(tracer.steps, values, source, time)


def step_backward(output: Tensor, params: dict[str, Tensor] | None = None,
                  gradient: Tensor | None = None, retain_graph: bool | None = None) -> Iterator[BackwardStep]:
    """The steps of `output.backward()`, one at a time: each has the node, its incoming
    gradient and sources, what it sent, and `pending` / `dependencies`: the engine's other
    buffers and their unmet dependency counts as that node starts. (The backward runs when the
    first step is requested; the snapshots are taken as it runs.)"""
    yield from explain_backward(output, params, values=True, source=True, time=True,
                                gradient=gradient, retain_graph=retain_graph)
