"""Check every node of a graph: its backward against finite differences at the inputs it saw.

    with torch.autograd.record_inputs():
        loss = model(x).sum()                    # each node remembers its op and inputs
    report = torch.autograd.check_graph(loss)
    print(report)                                # one row per (node, input): ok / ERROR / kink
    assert report.passed

gradcheck tests one function from the outside; check_graph tests each node from the
inside, at the values the real forward produced, so a wrong backward deep in a model is
named directly. For a node y = f(x) and an input x_i it draws a random direction d and a
random upstream gradient v, and compares

    analytic:  <node.backward(v)_i, d>
    numeric:   <v, (f(x + h d) - f(x - h d)) / 2h>      (central difference, in float64)

A mismatch is a real error only if f is smooth there: when the one-sided differences
(f(x + h d) - f(x)) / h and (f(x) - f(x - h d)) / h disagree, the point is a kink (relu at
0, a tie in max) and the row says so instead of failing.

Recording is off outside `record_inputs()`: the context wraps `Function.apply` while it is
open and restores it on exit, so ordinary forwards pay nothing.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor, _wrap
from . import custom_function, engine, function, grad_mode
from .graph import tape
from .node import AccumulateGrad

__all__ = ["record_inputs", "check_graph", "GraphCheck", "NodeCheck"]


class record_inputs:
    """Context manager: nodes created inside remember their Function and a copy of their inputs."""

    def __enter__(self) -> "record_inputs":
        self._originals = []
        for owner in (function.Function, custom_function.Function):
            original = owner.__dict__["apply"]
            self._originals.append((owner, original))
            setattr(owner, "apply", classmethod(_recording(original.__func__)))
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, original in reversed(self._originals):
            setattr(owner, "apply", original)


def _recording(apply: Any) -> Any:
    def apply_and_record(cls: type, *args: Any, **kwargs: Any) -> Any:
        snapshot = tuple(_wrap(a._array.copy()) if isinstance(a, Tensor) else a for a in args)
        result = apply(cls, *args, **kwargs)
        first = result[0] if isinstance(result, tuple) else result
        node = getattr(first, "grad_fn", None)
        if node is not None and getattr(node, "_function", None) is cls:
            node._recorded_call = (cls, snapshot, kwargs)
        return result
    return apply_and_record


class NodeCheck:
    """The check of one node's gradient for one input."""

    def __init__(self, node: Any, input_index: int, status: str, analytic: float = float("nan"),
                 numeric: float = float("nan"), error: float = float("nan"), note: str = ""):
        self.node, self.input_index, self.status = node, input_index, status
        self.analytic, self.numeric, self.error, self.note = analytic, numeric, error, note

    def __repr__(self) -> str:
        return f"NodeCheck({self.node.name()}, input {self.input_index}, {self.status})"


class GraphCheck(list):
    """All NodeChecks of a graph; `passed` when no row is an ERROR. Prints as a table."""

    @property
    def passed(self) -> bool:
        return all(row.status != "ERROR" for row in self)

    @property
    def errors(self) -> list[NodeCheck]:
        return [row for row in self if row.status == "ERROR"]

    def __str__(self) -> str:
        table = [("node", "input", "status", "analytic", "numeric", "rel. error", "note")]
        for row in self:
            table.append((row.node.name(), str(row.input_index), row.status, f"{row.analytic:.6g}",
                          f"{row.numeric:.6g}", f"{row.error:.2e}", row.note))
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    __repr__ = __str__


def check_graph(output: Tensor, eps: float = 1e-6, rtol: float = 1e-3, atol: float = 1e-5,
                seed: int = 0) -> GraphCheck:
    """Compare each recorded node's backward with central differences at its recorded inputs
    (see the module docstring). Run it before backward frees the saved tensors."""
    rng = np.random.default_rng(seed)
    report = GraphCheck()
    for node in tape(output):
        if isinstance(node, AccumulateGrad):
            continue
        call = getattr(node, "_recorded_call", None)
        if call is None:
            report.append(NodeCheck(node, -1, "skipped", note="not recorded: create it inside record_inputs()"))
            continue
        report.extend(_check_node(node, call, eps, rtol, atol, rng))
    return report


def _check_node(node: Any, call: tuple, eps: float, rtol: float, atol: float, rng: Any) -> list[NodeCheck]:
    cls, inputs, kwargs = call
    # A random upstream gradient for each floating output (integer outputs, e.g. indices, get none).
    upstream = [None if meta is None or meta[1].kind != "f"
                else _wrap(rng.standard_normal(meta[0]).astype(meta[1])) for meta in node._output_meta]
    try:
        with grad_mode.no_grad():
            analytic = engine._call_node(node, list(upstream))
    except RuntimeError as error:
        return [NodeCheck(node, -1, "skipped", note=str(error).split(".")[0])]
    rows = []
    for i, (x, (child, _)) in enumerate(zip(inputs, node._edges)):
        if child is None or not isinstance(x, Tensor) or analytic[i] is None:
            continue
        direction = rng.standard_normal(x._array.shape)
        predicted = float(np.sum(analytic[i]._array.astype(np.float64) * direction))
        try:
            plus, center, minus = (_evaluate(cls, inputs, kwargs, i, direction * s, upstream)
                                   for s in (eps, 0.0, -eps))
        except Exception as error:  # an op that cannot be re-run on its own
            rows.append(NodeCheck(node, i, "skipped", predicted, note=f"re-run failed: {error}"[:80]))
            continue
        numeric = (plus - minus) / (2 * eps)
        error = abs(predicted - numeric) / max(abs(predicted), abs(numeric), atol / rtol)
        if error <= rtol:
            rows.append(NodeCheck(node, i, "ok", predicted, numeric, error))
            continue
        right, left = (plus - center) / eps, (center - minus) / eps
        kink = abs(right - left) > rtol * max(abs(right), abs(left), atol / rtol) + 10 * eps * abs(numeric)
        rows.append(NodeCheck(node, i, "kink" if kink else "ERROR", predicted, numeric, error,
                              "one-sided differences disagree: not differentiable here" if kink
                              else "backward disagrees with finite differences"))
    return rows


def _evaluate(cls: type, inputs: tuple, kwargs: dict, index: int, step: np.ndarray, upstream: list) -> float:
    """<upstream, f(inputs with inputs[index] moved by step)>, computed in float64 where possible."""
    args = []
    for j, a in enumerate(inputs):
        if isinstance(a, Tensor) and a._array.dtype.kind == "f":
            array = a._array.astype(np.float64) + (step if j == index else 0.0)
            args.append(_wrap(array))
        else:
            args.append(a)
    with grad_mode.no_grad():
        try:
            outputs = cls.apply(*args, **kwargs)
        except (TypeError, ValueError, RuntimeError):  # an op without a float64 kernel
            args = [_wrap(b._array.astype(a._array.dtype)) if isinstance(b, Tensor) and isinstance(a, Tensor)
                    else b for a, b in zip(inputs, args)]
            outputs = cls.apply(*args, **kwargs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    return float(sum(np.sum(o._array.astype(np.float64) * u._array.astype(np.float64))
                     for o, u in zip(outputs, upstream) if o is not None and u is not None))
