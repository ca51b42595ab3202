"""Grad mode: whether ops record the graph.

`no_grad`, `enable_grad`, `set_grad_enabled` and `inference_mode` work both as context
managers and as decorators (`@no_grad()` and bare `@no_grad`), like torch's.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable


class _ThreadState(threading.local):
    # Grad mode belongs to a thread, as in torch: a no_grad block in one thread must not stop
    # another thread's ops from recording. Every thread starts with it on (the class default).
    enabled = True


_state = _ThreadState()


def is_grad_enabled() -> bool:
    """True when new ops record their backward graph (in the calling thread)."""
    return _state.enabled


def _set_enabled(mode: bool) -> None:
    _state.enabled = bool(mode)


class _GradMode:
    """Sets grad mode to `self._mode` on enter and restores the previous mode on exit."""

    _mode = True

    def __enter__(self) -> None:
        self._previous = _state.enabled
        _set_enabled(self._mode)

    def __exit__(self, *exc: Any) -> None:
        _set_enabled(self._previous)

    def __call__(self, fn: Callable) -> Callable:
        mode = self._mode

        @functools.wraps(fn)
        def run_in_mode(*args, **kwargs):
            with _Fixed(mode):
                return fn(*args, **kwargs)
        return run_in_mode


class _Fixed(_GradMode):
    def __init__(self, mode: bool):
        self._mode = mode


class _NoArgDecorator(_GradMode):
    # `@no_grad` without parentheses passes the function to the constructor.
    def __new__(cls, fn: Callable | None = None):
        self = super().__new__(cls)
        return self if fn is None else self(fn)


class no_grad(_NoArgDecorator):
    """Disable graph recording: results of ops have requires_grad=False."""
    _mode = False


class enable_grad(_NoArgDecorator):
    """Enable graph recording, e.g. inside a no_grad region."""
    _mode = True


class set_grad_enabled(_GradMode):
    """Set grad mode to `mode` at once (like torch); as a context manager it restores on exit."""

    def __init__(self, mode: bool):
        self._mode = bool(mode)
        self._previous = _state.enabled
        _set_enabled(mode)

    def __enter__(self) -> None:
        pass


class inference_mode(_GradMode):
    """Like no_grad (minitorch has no separate inference tensors); `mode=False` changes nothing."""

    def __new__(cls, mode: Any = True):
        self = super().__new__(cls)
        if callable(mode):  # bare @inference_mode
            self._mode = False
            return self(mode)
        return self

    def __init__(self, mode: bool = True):
        if not callable(mode):
            self._mode = _state.enabled if mode is False else False

    def __enter__(self) -> None:
        self._previous = _state.enabled
        if self._mode is False:
            _set_enabled(False)
