"""RemovableHandle: what every register_*_hook returns (torch keeps it in torch.utils.hooks)."""
from __future__ import annotations

from typing import Any, Callable


class RemovableHandle:
    """Returned by register_*_hook; `remove()` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks: dict, hook: Callable):
        self.hooks_dict_ref = hooks
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1
        hooks[self.id] = hook

    def remove(self) -> None:
        """Unregister the hook (idempotent)."""
        self.hooks_dict_ref.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()
