"""Padding layers: zero, constant, reflection, replication and circular padding (1-3 d)."""
from __future__ import annotations

from ..._ops.padding import pad
from ..._tensor import Tensor
from .module import Module

__all__ = [f"{kind}Pad{nd}d" for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
           for nd in (1, 2, 3)]


class _PadNd(Module):
    _nd = 0
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        n = 2 * self._nd
        self.padding = (int(padding),) * n if isinstance(padding, int) else tuple(int(p) for p in padding)
        if len(self.padding) != n:
            raise ValueError(f"{type(self).__name__}: padding must be an int or a {n}-tuple, got {padding}")

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


def _make(kind: str, base: type, mode: str, nd: int, doc: str) -> type:
    return type(f"{kind}Pad{nd}d", (base,), {"_nd": nd, "_mode": mode, "__doc__": doc.format(nd=nd),
                                              "__module__": __name__})


for _nd in (1, 2, 3):
    globals()[f"ZeroPad{_nd}d"] = _make("Zero", _ZeroPadNd, "constant", _nd,
                                        "Pad the last {nd} dims with zeros (left, right, top, bottom, ...).")
    globals()[f"ConstantPad{_nd}d"] = _make("Constant", _ConstantPadNd, "constant", _nd,
                                            "Pad the last {nd} dims with a constant value.")
    globals()[f"ReflectionPad{_nd}d"] = _make("Reflection", _PadNd, "reflect", _nd,
                                              "Pad the last {nd} dims by mirroring (edge not repeated).")
    globals()[f"ReplicationPad{_nd}d"] = _make("Replication", _PadNd, "replicate", _nd,
                                               "Pad the last {nd} dims by repeating the edge values.")
    globals()[f"CircularPad{_nd}d"] = _make("Circular", _PadNd, "circular", _nd,
                                            "Pad the last {nd} dims by wrapping around.")
