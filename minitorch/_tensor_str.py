"""`repr(tensor)` in torch's format: `tensor([[1.0000, 2.5000]], requires_grad=True)`.

Numbers in one tensor share a width and a style chosen from all its finite values:
integers-valued floats print as `1.`, large ranges switch to scientific notation,
otherwise 4 decimals; long tensors are summarised with `...`.
"""
from __future__ import annotations

import math

import numpy as np

from . import _dtype

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80


class _Formatter:
    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if values.size == 0:
            return
        if not self.floating:
            self.width = max(len(self._plain(v)) for v in values.reshape(-1))
            return
        finite = values[np.isfinite(values) & (values != 0)].astype(np.float64)
        if finite.size == 0:  # only zeros, inf and nan: printed like integers ("0.")
            self.width = max(len(self.format_raw(v)) for v in values.reshape(-1))
            return
        magnitude = np.abs(finite)
        lo, hi = magnitude.min(), magnitude.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
        else:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        self.width = max(len(self.format_raw(v)) for v in values.reshape(-1))

    @staticmethod
    def _plain(v) -> str:
        return str(v.item()) if not isinstance(v, (bool, np.bool_)) else str(bool(v))

    def format_raw(self, v) -> str:
        if not self.floating:
            return self._plain(v)
        v = float(v)
        if math.isnan(v) or math.isinf(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if self.sci_mode:
            return f"{v:.{PRECISION}e}"
        if self.int_mode:
            return f"{v:.0f}."
        return f"{v:.{PRECISION}f}"

    def format(self, v) -> str:
        return self.format_raw(v).rjust(self.width)


def _summary_values(a: np.ndarray) -> np.ndarray:
    """The values that will be printed (edges only when summarising)."""
    if a.ndim == 0:
        return a.reshape(1)
    if a.shape[0] > 2 * EDGEITEMS:
        parts = [a[:EDGEITEMS], a[-EDGEITEMS:]]
    else:
        parts = [a]
    return np.concatenate([_summary_values(p[i]) if p.ndim > 1 else p.reshape(-1)
                           for p in parts for i in range(len(p))] if a.ndim > 1 else
                          [p.reshape(-1) for p in parts])


def _format_array(a: np.ndarray, fmt: _Formatter, indent: int, summarize: bool) -> str:
    if a.ndim == 0:
        return fmt.format(a.item() if not fmt.floating else a)
    if a.ndim == 1:
        items = [fmt.format(v) for v in a]
        if summarize and a.shape[0] > 2 * EDGEITEMS:
            items = items[:EDGEITEMS] + ["..."] + items[-EDGEITEMS:]
        per_line = max(1, math.floor((LINEWIDTH - indent) / (fmt.width + 2)))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(a.shape[0])
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + [None] + list(range(a.shape[0] - EDGEITEMS, a.shape[0]))
    parts = ["..." if i is None else _format_array(a[i], fmt, indent + 1, summarize) for i in rows]
    separator = "," + "\n" * (a.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def format_values(a: np.ndarray, indent: int) -> str:
    """The bracketed values of `a` as torch prints them, continuation lines indented by `indent`."""
    summarize = a.size > THRESHOLD
    shown = _summary_values(a) if summarize else a
    fmt = _Formatter(np.asarray(shown))
    return _format_array(a, fmt, indent, summarize)


def tensor_repr(t, prefix: str = "tensor(") -> str:
    a = t._array
    suffixes = []
    if a.size == 0:
        body = "[]"
        if a.shape != (0,):
            suffixes.append(f"size={tuple(a.shape)}")
    else:
        body = format_values(a, len(prefix))
    default = (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool)
    if t.dtype not in default:
        suffixes.append(f"dtype={t.dtype}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return prefix + ", ".join([body] + suffixes) + ")"
