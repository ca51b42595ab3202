"""`torch.onnx`: importable, so that programs which only offer an ONNX export option run.

minitorch has no graph tracer to export from, so `export` refuses with a clear error.
"""
from __future__ import annotations

from typing import Any

__all__ = ["export", "is_in_onnx_export"]


def export(model: Any, args: Any = (), f: Any = None, *rest: Any, **kwargs: Any) -> None:
    """Refused: minitorch cannot export a model to ONNX."""
    raise NotImplementedError("minitorch cannot export models to ONNX (torch.onnx.export needs torch's tracer)")


def is_in_onnx_export() -> bool:
    """False: minitorch never runs an ONNX export."""
    return False
