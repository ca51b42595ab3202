"""autograd.profiler: per-op events in forward and backward, record_function ranges, the table."""
import time

import torch

import minitorch


def profile_step(lib):
    x = lib.randn(8, 4, requires_grad=True)
    w = lib.randn(4, 3, requires_grad=True)
    with lib.autograd.profiler.profile() as prof:
        with lib.autograd.profiler.record_function("train_step"):
            loss = ((x @ w).relu() * 2).sum()
            loss.backward()
    return prof


def test_profile_counts_backward_nodes_like_torch():
    expected = {e.key: e.count for e in profile_step(torch).key_averages()}
    got = {e.key: e.count for e in profile_step(minitorch).key_averages()}
    for name in ("train_step", "SumBackward0", "MulBackward0", "ReluBackward0", "MmBackward0"):
        assert got[name] == expected[name] == 1
    assert got["MatMul"] == 1 + 2  # the forward matmul, and two inside MmBackward0


def test_self_time_excludes_nested_calls_and_range_covers_everything():
    prof = profile_step(minitorch)
    averages = {e.key: e for e in prof.key_averages()}
    step = averages["train_step"]
    assert step.cpu_time_total >= sum(e.self_cpu_time_total for k, e in averages.items() if k != "train_step")
    backward = averages["MmBackward0"]
    assert 0 <= backward.self_cpu_time_total < backward.cpu_time_total


def test_table_has_torchs_columns_and_sorts():
    table = profile_step(minitorch).key_averages().table(sort_by="self_cpu_time_total", row_limit=3)
    lines = table.splitlines()
    for column in ("Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"):
        assert column in lines[1]
    assert len([line for line in lines if line and not line.startswith("-")]) == 1 + 3 + 1
    assert lines[-1].startswith("Self CPU time total:")


def test_profiling_stops_on_exit_and_record_function_is_a_decorator():
    @minitorch.autograd.profiler.record_function("slow_part")
    def slow_part(t):
        time.sleep(0.002)
        return t * 2

    with minitorch.autograd.profiler.profile() as prof:
        slow_part(minitorch.ones(2))
    minitorch.ones(2) * 3  # after the profile: not recorded
    averages = {e.key: e for e in prof.key_averages()}
    assert averages["slow_part"].count == 1 and averages["slow_part"].cpu_time_total >= 2000
    assert averages["Mul"].count == 1
