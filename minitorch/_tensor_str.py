"""`repr(tensor)` in torch's format: `tensor([[1.0000, 2.5000]], requires_grad=True)`.

All numbers of one tensor share a width and a style, chosen by looking at its nonzero
finite values (only the printed ones when the tensor is summarised):
- integer-valued floats print as `1.`;
- a wide range (max/min > 1000), a huge value (> 1e8) or, for non-integers, a tiny one
  (< 1e-4) switches to scientific notation with 4 decimals;
- otherwise fixed point with 4 decimals.
Tensors with more than 1000 elements show only 3 items at each edge of every
dimension, with `...` between; rows wrap to stay within 80 columns.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _dtype

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80
SCI_MODE: bool | None = None  # None: chosen per tensor; True/False: forced


def set_printoptions(precision: int | None = None, threshold: int | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Change how tensors print (torch.set_printoptions); `profile` is 'default', 'short' or 'full'."""
    global PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH, SCI_MODE
    presets = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}
    if profile is not None:
        if profile not in presets:
            raise ValueError(f"profile must be one of {', '.join(presets)}, got {profile!r}")
        PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = presets[profile]
    PRECISION = PRECISION if precision is None else precision
    THRESHOLD = THRESHOLD if threshold is None else threshold
    EDGEITEMS = EDGEITEMS if edgeitems is None else edgeitems
    LINEWIDTH = LINEWIDTH if linewidth is None else linewidth
    SCI_MODE = sci_mode


class _Formatter:
    """Chooses one style and width for every number of a tensor, then formats them."""

    def __init__(self, values: np.ndarray):
        flat = values.reshape(-1)
        self.floating = flat.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if not self.floating:
            self.width = max((len(str(v)) for v in flat.tolist()), default=1)
            return
        # Only nonzero finite values decide the style; zeros, nan and inf are padded to it.
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        magnitude = np.abs(finite)
        lo, hi = magnitude.min(), magnitude.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or (not self.int_mode and lo < 1.0e-4)
        if SCI_MODE is not None:
            self.sci_mode = SCI_MODE
        self.width = max(len(self.format_raw(v)) for v in finite.tolist())

    def format_raw(self, value: Any) -> str:
        """One number in the chosen style, unpadded."""
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRECISION}e}"
        if self.int_mode:
            return f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        return f"{value:.{PRECISION}f}"

    def format(self, value: Any) -> str:
        """One number in the chosen style, right-aligned to the common width."""
        return self.format_raw(value).rjust(self.width)


def _summarized(a: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: EDGEITEMS at each end of every dimension."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        a = np.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    if a.ndim == 1:
        return a
    return np.stack([_summarized(row) for row in a])


def _vector_str(a: np.ndarray, fmt: _Formatter, indent: int, summarize: bool) -> str:
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        items = ([fmt.format(v) for v in a[:EDGEITEMS].tolist()] + [" ..."]
                 + [fmt.format(v) for v in a[-EDGEITEMS:].tolist()])
    else:
        items = [fmt.format(v) for v in a.tolist()]
    per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _array_str(a: np.ndarray, fmt: _Formatter, indent: int, summarize: bool) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, fmt, indent, summarize)
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        rows = [*range(EDGEITEMS), None, *range(a.shape[0] - EDGEITEMS, a.shape[0])]
    else:
        rows = range(a.shape[0])
    parts = ["..." if i is None else _array_str(a[i], fmt, indent + 1, summarize) for i in rows]
    # Sub-blocks of an n-d tensor are separated by n-1 newlines (blank lines between matrices).
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_values(a: np.ndarray, indent: int) -> str:
    """The bracketed values of a non-empty `a` as torch prints them; later lines indented by `indent`."""
    if a.dtype == np.float16:  # formatted through float32, like torch
        a = a.astype(np.float32)
    summarize = a.size > THRESHOLD
    fmt = _Formatter(_summarized(a) if summarize else a)
    return _array_str(a, fmt, indent, summarize)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    # A suffix that would overflow the line goes on a line of its own.
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            line_len = indent + len(suffix)
        else:
            text += ", " + suffix
            line_len += len(suffix) + 2
    return text + ")"


def tensor_repr(t: Any, prefix: str = "tensor(") -> str:
    """`prefix` + values + suffixes (size of empty tensors, non-default dtype, autograd state)."""
    a = t._array
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        body = "[]"
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if t.dtype is not _dtype.get_default_dtype():
            suffixes.append(f"dtype={t.dtype}")
    else:
        body = format_values(a, indent)
        if t.dtype not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={t.dtype}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
