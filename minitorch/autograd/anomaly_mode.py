"""Anomaly mode: backward checks every gradient for NaN and names the forward op that made it."""
from __future__ import annotations

import warnings
from typing import Any

_enabled = False
_check_nan = True   # with anomaly mode on: raise when a backward returns NaN


def is_anomaly_enabled() -> bool:
    """True inside detect_anomaly() or after set_detect_anomaly(True)."""
    return _enabled


def is_anomaly_check_nan_enabled() -> bool:
    """True when anomaly mode also raises on NaN gradients (its default)."""
    return _check_nan


class detect_anomaly:
    """Context manager: record forward tracebacks; on a failing backward, show where its node was made.

    With `check_nan=False` NaN gradients pass silently; only exceptions get the traceback.
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan

    def __enter__(self) -> None:
        global _enabled, _check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and "
                      "should only be enabled for debugging.", UserWarning, stacklevel=2)
        self._previous = (_enabled, _check_nan)
        _enabled, _check_nan = True, self.check_nan

    def __exit__(self, *exc: Any) -> None:
        global _enabled, _check_nan
        _enabled, _check_nan = self._previous


class set_detect_anomaly:
    """Turn anomaly mode on or off at once (and as a context manager, restore on exit)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        global _enabled, _check_nan
        self._previous = (_enabled, _check_nan)
        _enabled, _check_nan = bool(mode), bool(check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        global _enabled, _check_nan
        _enabled, _check_nan = self._previous


def warn_forward_traceback(node: Any) -> None:
    """Warn (UserWarning, as torch does) with the forward stack that created `node`."""
    trace = "".join(node.metadata.get("traceback_", []))
    if trace:
        warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the "
                      f"error:\n{trace}", UserWarning)
