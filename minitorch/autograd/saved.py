"""What a graph keeps alive for backward: `node.saved` per node, `saved_memory(output)` per graph.

    y = torch.nn.functional.conv2d(x, w)
    print(y.grad_fn.saved)
    #  name          kind    shape           dtype    bytes
    #  _saved_self   tensor  (8, 1, 28, 28)  float32  25088
    #  _saved_other  tensor  (6, 1, 5, 5)    float32  600
    #  geom          value                   Geometry 0
    #  cols          buffer  (8, 1, 25, 576) float32  460800   <- im2col columns kept on ctx

Saved tensors (`save_for_backward`) are listed under torch's `_saved_<name>`; arrays a
forward stored directly on its ctx (im2col columns, pooling indices) are "buffers", which
torch hides and minitorch shows; other plain values (shapes, flags) are "value" rows.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["SavedEntry", "SavedTable", "saved_table", "saved_memory"]


class SavedEntry:
    """One thing a node keeps: its name, kind ('tensor', 'buffer' or 'value'), shape, dtype, bytes."""

    def __init__(self, name: str, kind: str, value: Any):
        self.name, self.kind, self.value = name, kind, value
        array = getattr(value, "_array", value)
        self.shape = tuple(array.shape) if isinstance(array, np.ndarray) else None
        self.dtype = str(array.dtype) if isinstance(array, np.ndarray) else type(value).__name__
        self.nbytes = int(array.nbytes) if isinstance(array, np.ndarray) else 0
        self.storage = _storage_of(array) if isinstance(array, np.ndarray) else None

    def __repr__(self) -> str:
        return f"SavedEntry({self.name}, {self.kind}, {self.shape}, {self.nbytes} bytes)"


def _storage_of(array: np.ndarray) -> int:
    """An id of the memory an array lives in (views of one array share it)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return id(array)


class SavedTable(list):
    """The SavedEntry rows of one node; prints as a table; `nbytes` is their total."""

    @property
    def nbytes(self) -> int:
        return sum(entry.nbytes for entry in self)

    def __str__(self) -> str:
        rows = [("name", "kind", "shape", "dtype", "bytes")]
        rows += [(e.name, e.kind, "" if e.shape is None else str(e.shape), e.dtype, str(e.nbytes)) for e in self]
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)

    __repr__ = __str__


# Attributes every node has: not things a forward chose to keep.
_NODE_FIELDS = {"needs_input_grad", "materialize_grads", "variable"}


def saved_table(node: Any) -> SavedTable:
    """Everything `node` keeps for its backward: saved tensors, array buffers and plain values."""
    table = SavedTable()
    saved = getattr(node, "_saved", None) or ()
    roles = getattr(node, "_saved_roles", ()) or (None,) * len(saved)
    if getattr(node, "_unpack_hook", None) is None:
        for value, role in zip(saved, roles):
            if value is not None:
                table.append(SavedEntry(f"_saved_{role}" if role else "saved value",
                                        "tensor" if role else "value", value))
    else:
        table.extend(SavedEntry("packed", "value", value) for value in saved)
    for name, value in vars(node).items():
        if name.startswith("_") or name in _NODE_FIELDS or value is None:
            continue
        table.append(SavedEntry(name, "buffer" if isinstance(value, np.ndarray) else "value", value))
    return table


class SavedMemory(list):
    """(node, SavedTable) per node of a graph; `nbytes` counts each piece of memory once."""

    @property
    def nbytes(self) -> int:
        seen, total = set(), 0
        for _, table in self:
            for entry in table:
                if entry.storage is not None and entry.storage not in seen:
                    seen.add(entry.storage)
                    total += entry.nbytes
        return total

    def __str__(self) -> str:
        lines = [f"{'node':<32}{'tensors':>10}{'buffers':>10}{'bytes':>12}"]
        for node, table in self:
            lines.append(f"{node.name():<32}{sum(e.kind == 'tensor' for e in table):>10}"
                         f"{sum(e.kind == 'buffer' for e in table):>10}{table.nbytes:>12}")
        lines.append(f"total kept alive (shared memory counted once): {self.nbytes} bytes")
        return "\n".join(lines)

    __repr__ = __str__


def saved_memory(nodes: list) -> SavedMemory:
    """The saved tables of the given nodes (graph.saved_memory passes a whole graph)."""
    return SavedMemory((node, saved_table(node)) for node in nodes)
