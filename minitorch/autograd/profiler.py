"""`torch.autograd.profiler`: time every op, forward and backward, and print a table.

    with torch.autograd.profiler.profile() as prof:
        with torch.autograd.profiler.record_function("train_step"):
            loss = model(x).sum()
            loss.backward()
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10))

While a profile is active, `Function.apply` (every forward op), custom Functions and every
backward node's `apply` are wrapped with a timer; on exit the originals come back, so
outside a profile ops pay nothing. Events nest: an op's *self* time excludes the ops it
called (a backward rule is written with other ops, so its own time is small).
"""
from __future__ import annotations

import time
from typing import Any, Callable

from . import custom_function, function
from .node import BackwardNode

__all__ = ["profile", "record_function", "FunctionEvent", "FunctionEventAvg", "EventList"]

_active: list["profile"] = []


class FunctionEvent:
    """One timed call: name, start/end in microseconds, and the time spent in nested calls."""

    def __init__(self, name: str, start_us: float):
        self.name = self.key = name
        self.time_range_start = start_us
        self.cpu_time_total = 0.0
        self.children_time = 0.0

    @property
    def self_cpu_time_total(self) -> float:
        return self.cpu_time_total - self.children_time


class FunctionEventAvg:
    """All events with one name: how many calls, total and self time (microseconds)."""

    def __init__(self, key: str):
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0

    def add(self, event: FunctionEvent) -> None:
        self.count += 1
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total

    @property
    def cpu_time(self) -> float:
        """Average total time per call, in microseconds."""
        return self.cpu_time_total / max(self.count, 1)


class EventList(list):
    """A list of events (or of per-name averages) that prints as torch's table."""

    def key_averages(self) -> "EventList":
        averages: dict[str, FunctionEventAvg] = {}
        for event in self:
            averages.setdefault(event.key, FunctionEventAvg(event.key)).add(event)
        return EventList(averages.values())

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_name_column_width: int = 55,
              header: str | None = None, top_level_events_only: bool = False, **unused: Any) -> str:
        """Name, self and total CPU time (with % of all self time), average, number of calls."""
        rows = [e if isinstance(e, FunctionEventAvg) else _single(e) for e in self]
        if sort_by:
            key = sort_by.replace("cpu_time_avg", "cpu_time").replace("self_cpu_time", "self_cpu_time_total")
            key = {"self_cpu_time_total_total": "self_cpu_time_total"}.get(key, key)
            rows.sort(key=lambda r: getattr(r, key), reverse=True)
        rows = rows[:row_limit] if row_limit and row_limit > 0 else rows
        total_self = sum(r.self_cpu_time_total for r in self.key_averages()) or 1.0
        width = min(max([len(r.key) for r in rows] + [4]), max_name_column_width)
        columns = ["Name".ljust(width), "Self CPU %", "Self CPU", "CPU total %", "CPU total",
                   "CPU time avg", "# of Calls"]
        line = "-" * (width + 2 + 13 * 5 + 12)
        out = [header] if header else []
        out += [line, "  ".join([columns[0]] + [c.rjust(11) for c in columns[1:]]), line]
        for r in rows:
            out.append("  ".join([r.key[:width].ljust(width),
                                  f"{100 * r.self_cpu_time_total / total_self:.2f}%".rjust(11),
                                  _format_us(r.self_cpu_time_total).rjust(11),
                                  f"{100 * r.cpu_time_total / total_self:.2f}%".rjust(11),
                                  _format_us(r.cpu_time_total).rjust(11),
                                  _format_us(r.cpu_time).rjust(11), str(r.count).rjust(11)]))
        out += [line, f"Self CPU time total: {_format_us(total_self)}"]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.table()


def _single(event: FunctionEvent) -> FunctionEventAvg:
    average = FunctionEventAvg(event.key)
    average.add(event)
    return average


def _format_us(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class profile:
    """Context manager recording a timed event per op call (forward and backward) and per
    record_function range. `key_averages()` groups them by name."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device: str | None = None,
                 record_shapes: bool = False, with_flops: bool = False, profile_memory: bool = False,
                 with_stack: bool = False, with_modules: bool = False, use_kineto: bool = False,
                 use_cpu: bool = True, experimental_config: Any = None, acc_events: bool = False,
                 custom_trace_id_callback: Any = None):
        self.enabled = enabled
        self.function_events = EventList()
        self._open: list[FunctionEvent] = []
        self._originals: list = []

    def __enter__(self) -> "profile":
        if not self.enabled:
            return self
        if _active:
            raise RuntimeError("Profiler is already enabled on this thread")
        _active.append(self)
        self._start = time.perf_counter()
        self._patch(function.Function, "apply", classmethod, lambda cls, args: cls.__name__)
        self._patch(custom_function.Function, "apply", classmethod, lambda cls, args: cls.__name__)
        self._patch(BackwardNode, "apply", None,
                    lambda node, args: node.name())
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self.enabled:
            return
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)
        self._originals.clear()
        _active.remove(self)

    def _patch(self, owner: type, name: str, wrap: Callable | None, event_name: Callable) -> None:
        """Replace owner.name by a timed version of itself, to be restored on exit."""
        original = owner.__dict__[name]
        underlying = original.__func__ if isinstance(original, classmethod) else original
        profiler = self

        def timed(first: Any, *args: Any, **kwargs: Any) -> Any:
            with profiler._event(event_name(first, args)):
                return underlying(first, *args, **kwargs)
        setattr(owner, name, wrap(timed) if wrap else timed)
        self._originals.append((owner, name, original))

    def _event(self, name: str) -> "_Timed":
        return _Timed(self, name)

    def _now_us(self) -> float:
        return (time.perf_counter() - self._start) * 1e6

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0) -> EventList:
        """The events grouped by name (FunctionEventAvg rows)."""
        return self.function_events.key_averages()

    def table(self, **kwargs: Any) -> str:
        return self.function_events.table(**kwargs)

    def __str__(self) -> str:
        return self.table()


class _Timed:
    """Times one call and charges it to its parent event as child time."""

    def __init__(self, profiler: profile, name: str):
        self.profiler, self.name = profiler, name

    def __enter__(self) -> None:
        self.event = FunctionEvent(self.name, self.profiler._now_us())
        self.profiler._open.append(self.event)

    def __exit__(self, *exc: Any) -> None:
        profiler, event = self.profiler, self.event
        event.cpu_time_total = profiler._now_us() - event.time_range_start
        profiler._open.pop()
        if profiler._open:
            profiler._open[-1].children_time += event.cpu_time_total
        profiler.function_events.append(event)


class record_function:
    """Context manager (or decorator) naming a range of code; it shows as one row of the table."""

    def __init__(self, name: str, args: str | None = None):
        self.name = name

    def __enter__(self) -> "record_function":
        self._timer = _Timed(_active[-1], self.name) if _active else None
        if self._timer:
            self._timer.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._timer:
            self._timer.__exit__(*exc)

    def __call__(self, fn: Callable) -> Callable:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with record_function(self.name):
                return fn(*args, **kwargs)
        return wrapper
