"""Hooks on saved tensors: how torch lets you move what backward keeps (to disk, to CPU, compressed).

    def pack(t):   return t.numpy().copy()        # called when a Function saves t
    def unpack(a): return torch.tensor(a)         # called when backward reads it back

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = a * b                                  # Mul saves a and b: pack(a), pack(b)
    y.sum().backward()                             # MulBackward0 reads them: unpack(...)

The innermost active pair applies to every tensor saved while it is active; the node keeps
only what `pack` returned, together with the `unpack` to call.
"""
from __future__ import annotations

from typing import Any, Callable

# The active (pack, unpack) pairs, innermost last; function.py reads the last one at save time.
stack: list[tuple[Callable, Callable]] = []
_disabled_message: str | None = None


class saved_tensors_hooks:
    """Context manager: pack every tensor saved for backward inside it with `pack_hook`,
    and call `unpack_hook` on the packed value when backward needs the tensor."""

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> "saved_tensors_hooks":
        if _disabled_message is not None:
            raise RuntimeError(_disabled_message)
        stack.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc: Any) -> None:
        stack.pop()


class disable_saved_tensors_hooks:
    """Context manager: inside it, entering saved_tensors_hooks raises RuntimeError(error_message)."""

    def __init__(self, error_message: str):
        self.error_message = error_message

    def __enter__(self) -> None:
        global _disabled_message
        self._previous, _disabled_message = _disabled_message, self.error_message

    def __exit__(self, *exc: Any) -> None:
        global _disabled_message
        _disabled_message = self._previous


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors on the CPU (minitorch tensors always are): packs a copy, unpacks it."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda"):
        super().__init__(lambda t: t.detach().clone(), lambda t: t)
