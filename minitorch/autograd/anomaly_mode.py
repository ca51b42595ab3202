"""Anomaly mode: backward checks every gradient for NaN and names the forward op that made it."""
from __future__ import annotations

from typing import Any

_enabled = False


def is_anomaly_enabled() -> bool:
    """True inside detect_anomaly() or after set_detect_anomaly(True)."""
    return _enabled


class detect_anomaly:
    """Context manager: record forward tracebacks and raise on NaN gradients."""

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan

    def __enter__(self) -> None:
        global _enabled
        self._previous, _enabled = _enabled, True

    def __exit__(self, *exc: Any) -> None:
        global _enabled
        _enabled = self._previous


class set_detect_anomaly:
    """Turn anomaly mode on or off at once (and as a context manager, restore on exit)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        global _enabled
        self._previous, _enabled = _enabled, bool(mode)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        global _enabled
        _enabled = self._previous
