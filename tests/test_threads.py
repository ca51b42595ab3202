"""Thread counts: minitorch.set_num_threads and friends behave like torch's and govern the pools."""
import os
import subprocess
import sys

import numba
import pytest
import torch
from threadpoolctl import threadpool_info

import minitorch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(minitorch.__file__)))


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_set_num_threads_governs_numba_and_blas():
    before = minitorch.get_num_threads()
    try:
        minitorch.set_num_threads(1)
        assert minitorch.get_num_threads() == 1
        assert numba.get_num_threads() == 1
        assert set(_blas_threads()) <= {1}
    finally:
        minitorch.set_num_threads(before)
    assert minitorch.get_num_threads() == before == numba.get_num_threads()


@pytest.mark.parametrize("bad", [0, -3])
def test_non_positive_counts_raise_like_torch(bad):
    for name in ("set_num_threads", "set_num_interop_threads"):
        with pytest.raises(RuntimeError) as ours:
            getattr(minitorch, name)(bad)
        with pytest.raises(RuntimeError) as theirs:
            getattr(torch, name)(bad)
        assert str(ours.value) == str(theirs.value)


def test_non_integer_count_raises_like_torch():
    with pytest.raises(RuntimeError) as ours:
        minitorch.set_num_threads(1.5)
    with pytest.raises(RuntimeError) as theirs:
        torch.set_num_threads(1.5)
    assert str(ours.value) == str(theirs.value)


def test_interop_threads_can_be_set_once():
    # a fresh interpreter: the count may be set only once per process, as in torch
    code = ("import minitorch\n"
            "assert minitorch.get_num_interop_threads() >= 1\n"
            "minitorch.set_num_interop_threads(3)\n"
            "assert minitorch.get_num_interop_threads() == 3\n"
            "try:\n    minitorch.set_num_interop_threads(2)\nexcept RuntimeError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert "cannot set number of interop threads" in done.stdout


def test_import_sets_no_environment_variable():
    # importing minitorch must leave every setting that other libraries read alone
    code = ("import os; before = dict(os.environ); import minitorch; "
            "print(sorted(set(os.environ.items()) ^ set(before.items())))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"
