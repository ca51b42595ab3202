"""Tied values (_ops/tie_order.py): kthvalue and mode report the index torch's CPU kernels do.

The rows repeat a few values (and some hold NaN) so most answers are ties; rows longer than 16
reach the quicksort part of the sort that mode replays, short ones its insertion sort."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import check_results


def _tied_rows(seed, shape, dtype, nan):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, shape).astype(dtype)
    if nan:
        a[rng.random(shape) < 0.15] = np.nan
    return a


@pytest.mark.parametrize("n", [5, 16, 17, 40, 300])
@pytest.mark.parametrize("nan", [False, True])
def test_kthvalue_ties_pick_torchs_index(n, nan):
    a = _tied_rows(n, (6, n), "float64", nan)
    for k in (1, n // 2 + 1, n):
        check_results(lambda L, x: L.kthvalue(x, k, 1), a)
        check_results(lambda L, x: L.kthvalue(x, k, 0, keepdim=True), a.T.copy())


@pytest.mark.parametrize("n", [3, 16, 17, 40, 300])
@pytest.mark.parametrize("dtype,nan", [("float32", False), ("float64", True), ("int64", False)])
def test_mode_ties_pick_torchs_index(n, dtype, nan):
    a = _tied_rows(n + 1, (5, n), dtype, nan)
    check_results(lambda L, x: L.mode(x, 1), a, grad=dtype != "int64")
    check_results(lambda L, x: L.mode(x, 0, keepdim=True), a.T.copy(), grad=dtype != "int64")


def test_mode_of_sorted_and_constant_rows():
    # presorted and constant rows are the inputs where introsort's pivots behave worst
    for row in (np.zeros(1000), np.arange(600) % 3, np.sort(np.arange(500) % 7)[::-1].copy()):
        assert minitorch.mode(minitorch.tensor(row)).indices.item() == torch.mode(torch.tensor(row)).indices.item()


def test_mode_with_nan_runs():
    x = [1., float("nan"), float("nan"), 1., 2.]
    assert minitorch.mode(minitorch.tensor(x)).indices.item() == torch.mode(torch.tensor(x)).indices.item() == 0


@pytest.mark.parametrize("n,k", [(6, 3), (20, 5), (200, 3), (200, 150), (640, 10)])  # k * 64 <= n: partial sort
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("sorted_", [True, False])
def test_topk_ties_pick_torchs_indices_and_order(n, k, largest, sorted_):
    a = _tied_rows(n + k, (3, n), "float64", nan=n % 20 == 0)
    check_results(lambda L, x: L.topk(x, k, 1, largest=largest, sorted=sorted_), a)
    check_results(lambda L, x: L.topk(x, k, 0, largest=largest, sorted=sorted_), a.T.copy())


@pytest.mark.parametrize("n", [10, 17, 100, 500])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("stable", [False, True])
def test_sort_ties_keep_torchs_order(n, descending, stable):
    # stable=False is std::sort in torch: ties leave introsort's order (stable for 16 or fewer)
    a = _tied_rows(n, (4, n), "float32", nan=n == 100)
    check_results(lambda L, x: L.sort(x, dim=1, descending=descending, stable=stable), a)
    check_results(lambda L, x: L.argsort(x, dim=0, descending=descending, stable=stable), a.T.copy(), grad=False)
