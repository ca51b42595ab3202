"""kernels.blas: numpy's matrix product, with the BLAS on the calling thread alone for small products."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from minitorch.kernels import blas


def _blas_threads() -> list:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    with threadpool_limits(limits=2, user_api="blas"):
        yield


@pytest.mark.parametrize("a_shape,b_shape", [
    ((64, 400), (400, 120)),        # LeNet's first linear layer: small, one thread
    ((64, 784), (784, 512)),        # an MLP's first layer: large, split among minitorch's threads
    ((3, 64, 400), (400, 120)),     # a stack of matrices times one
    ((400,), (400, 2000)),          # a vector times a matrix
    ((8, 4), (4, 3)),               # tiny: under OpenBLAS's own one-thread size
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_is_numpys_product(a_shape, b_shape, dtype, two_blas_threads):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(a_shape).astype(dtype), rng.standard_normal(b_shape).astype(dtype)
    got = blas.matmul(a, b)
    assert got.dtype == dtype and got.shape == np.matmul(a, b).shape
    # one BLAS thread or two may sum in another order: equal up to rounding
    tolerance = dict(rtol=1e-5, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-11)
    np.testing.assert_allclose(got, np.matmul(a, b), **tolerance)
    np.testing.assert_allclose(blas.matmul(np.asfortranarray(a), b), np.matmul(a, b), **tolerance)


@pytest.mark.parametrize("rows,inner,columns", [(64, 784, 512), (64, 512, 512), (3, 300, 1000), (64, 400, 120)])
@pytest.mark.parametrize("into_out", [False, True])
def test_a_few_rows_times_a_transposed_matrix_is_numpys_product_in_rows(rows, inner, columns, into_out,
                                                                        two_blas_threads):
    # x @ weight.t(): the larger products are computed transposed and copied back to rows
    rng = np.random.default_rng(2)
    x = rng.standard_normal((rows, inner)).astype(np.float32)
    weight = rng.standard_normal((columns, inner)).astype(np.float32)
    out = np.full((rows, columns), np.nan, np.float32) if into_out else None
    got = blas.matmul(x, weight.T, out=out)
    assert got.shape == (rows, columns) and got.dtype == np.float32 and got.flags.c_contiguous
    assert (got is out) == into_out
    np.testing.assert_allclose(got, np.matmul(x, weight.T), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("a_shape,b_shape", [((512, 1), (1, 784)), ((3, 5, 1), (1, 4)), ((1, 1), (1, 1))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_an_outer_product_is_numpys_product(a_shape, b_shape, dtype):
    # inner dimension 1 (a linear layer's weight gradient at batch 1) is a broadcast product
    rng = np.random.default_rng(3)
    a = (rng.standard_normal(a_shape) * 10).astype(dtype)
    b = (rng.standard_normal(b_shape) * 10).astype(dtype)
    got = blas.matmul(a, b)
    assert got.dtype == np.matmul(a, b).dtype and got.flags.c_contiguous
    np.testing.assert_array_equal(got, np.matmul(a, b))  # one product per value: exactly equal
    a_view = np.ascontiguousarray(a.swapaxes(-1, -2)).swapaxes(-1, -2)  # a column as a transposed row
    np.testing.assert_array_equal(blas.matmul(a_view, b[:, ::-1]), np.matmul(a, b[:, ::-1]))


def _threads_during_products(monkeypatch, a, b) -> list:
    """The BLAS's thread counts seen by each np.matmul that blas.matmul(a, b) makes."""
    seen = []

    def recording_matmul(x, y, **kwargs):
        seen.append(_blas_threads())
        return np.matmul(x, y, **kwargs)

    monkeypatch.setattr(blas, "np", type("numpy", (), {"matmul": staticmethod(recording_matmul), "empty": np.empty}))
    blas.matmul(a, b)
    return seen


def test_a_small_product_runs_on_one_blas_thread_and_the_count_comes_back(monkeypatch, two_blas_threads):
    small = np.ones((64, 400), np.float32), np.ones((400, 120), np.float32)
    calls = _threads_during_products(monkeypatch, *small)  # one call, or several pieces (`product`)
    assert calls and all(threads == [1] * len(_blas_threads()) for threads in calls)
    assert set(_blas_threads()) == {2}


@pytest.mark.parametrize("shape", [
    (10, 144, 1024),   # few rows: pieces of columns
    (150, 1700, 16),   # few columns: pieces of rows
    (16, 150, 6400),   # a larger product with few rows
    (6, 25, 50176),    # pieces of columns, the last one shorter
    (144, 10, 1024),   # a small product with two long sides
    (64, 784, 512),    # large and square enough: whole
    (16, 9, 100),      # under a million multiply-adds: whole
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("into_out", [False, True])
def test_product_is_numpys_product_in_pieces_or_whole(monkeypatch, shape, dtype, into_out):
    m, k, n = shape
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
    monkeypatch.setattr(blas, "_small_kernels", True)  # as on an AVX512 OpenBLAS, whatever runs the tests
    pieces = blas._pieces(m, k, n)
    if pieces is not None:
        by_rows, step = pieces
        assert step % 16 == 0 and step * k * (n if by_rows else m) <= 1_000_000
    out = np.full((m, n), np.nan, dtype) if into_out else None
    got = blas.product(a, b, out)
    assert (got is out) == into_out and got.dtype == dtype and got.shape == (m, n)
    tolerance = dict(rtol=1e-5, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-11)
    np.testing.assert_allclose(got, np.matmul(a, b), **tolerance)


def test_product_cuts_the_long_side_of_a_product_into_pieces_of_a_million_multiply_adds(monkeypatch):
    monkeypatch.setattr(blas, "_small_kernels", True)
    assert blas._pieces(10, 144, 1024) == (False, 688)     # 10 * 144 * 688 = 990,720
    assert blas._pieces(150, 1700, 16) == (True, 32)
    assert blas._pieces(64, 784, 512) is None               # 25.7M, both sides over 32: whole
    assert blas._pieces(120, 400, 64) is None               # 3.1M, both sides over 32: whole
    assert blas._pieces(144, 10, 1024) == (False, 688)      # 1.5M: in pieces, though both sides are long
    assert blas._pieces(150, 16, 1600) == (False, 416)      # 3.8M, but a short inner side: in pieces
    assert blas._pieces(150, 6400, 16) is None              # a piece would have under 16 rows
    assert blas._pieces(100, 100, 100) is None              # a million: the kernels take it whole
    monkeypatch.setattr(blas, "_small_kernels", False)      # a BLAS without them: always whole
    assert blas._pieces(10, 144, 1024) is None


def test_product_goes_by_group_for_a_stack_of_group_matrices(monkeypatch):
    monkeypatch.setattr(blas, "_small_kernels", True)
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((2, 10, 144)).astype(np.float32), rng.standard_normal((2, 144, 1024)).astype(np.float32)
    out = np.empty((2, 10, 1024), np.float32)
    assert blas.product(a, b, out) is out
    np.testing.assert_allclose(out, np.matmul(a, b), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("a_shape,b_shape,slices", [
    ((64, 784), (784, 512), 2),     # more columns than rows: slices of 256 columns
    ((784, 64), (64, 512), 2),      # more rows: slices of 392 rows, rounded up to 400
    ((2, 64, 784), (784, 512), 2),  # a stack of matrices: its 128 rows together, by columns
])
def test_a_large_product_is_split_among_minitorchs_threads_each_on_one_blas_thread(
        monkeypatch, two_blas_threads, slice_route, a_shape, b_shape, slices):
    monkeypatch.setattr(blas.shared_work, "threads_for", lambda slices: 2)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(a_shape).astype(np.float32), rng.standard_normal(b_shape).astype(np.float32)
    if slice_route == "python":
        assert _threads_during_products(monkeypatch, a, b) == [[1] * len(_blas_threads())] * slices
    else:  # one compiled job, its slices' products made from compiled code
        jobs, run_compiled = [], blas.shared_work.run_compiled

        def recording_run(job, args, n, step, threads):
            jobs.append((_blas_threads(), -(-n // step), threads))
            run_compiled(job, args, n, step, threads)

        monkeypatch.setattr(blas.shared_work, "run_compiled", recording_run)
        np.testing.assert_allclose(blas.matmul(a, b), np.matmul(a, b), rtol=1e-5, atol=1e-4)
        assert jobs == [([1] * len(_blas_threads()), slices, 2)]
    monkeypatch.undo()
    np.testing.assert_allclose(blas.matmul(a, b), np.matmul(a, b), rtol=1e-5, atol=1e-4)
    assert set(_blas_threads()) == {2}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("b_layout", ["rows", "transposed"])
@pytest.mark.parametrize("a_shape,b_columns", [((96, 700), 300), ((40, 700), 900), ((3, 50, 700), 256)])
def test_a_split_product_matches_numpy(monkeypatch, slice_route, dtype, b_layout, a_shape, b_columns):
    # slices of rows (more rows than half the columns) or of columns; b as rows or as the
    # transpose of a C-contiguous matrix (a linear layer's weight.t()); a with a row stride
    # wider than its rows (a column slice of a larger matrix)
    monkeypatch.setattr(blas.shared_work, "threads_for", lambda slices: 2)
    rng = np.random.default_rng(7)
    a = rng.standard_normal(a_shape[:-1] + (a_shape[-1] + 5,)).astype(dtype)[..., :a_shape[-1]]
    b = rng.standard_normal((a_shape[-1], b_columns)).astype(dtype)
    b = np.ascontiguousarray(b.T).T if b_layout == "transposed" else b
    tol = dict(rtol=1e-4, atol=1e-3) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(blas._split(a, b, 2, None), np.matmul(a, b), **tol)


def test_a_split_product_writes_into_out():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((96, 700)), rng.standard_normal((700, 300))
    out = np.empty((96, 300))
    assert blas.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-11)


def test_one_thread_changes_nothing_off_the_main_thread(two_blas_threads):
    # The count is one setting for the process: only the main thread changes it (and sets it back).
    seen = []

    def user_thread():
        with blas.one_thread() as alone:
            seen.append((alone, _blas_threads()))

    thread = threading.Thread(target=user_thread)
    thread.start()
    thread.join()
    assert seen == [(False, [2] * len(_blas_threads()))]
    with blas.one_thread() as alone:
        assert alone and set(_blas_threads()) == {1}
    assert set(_blas_threads()) == {2}


def test_one_thread_sets_the_count_back_after_an_error(two_blas_threads):
    with pytest.raises(ValueError):
        with blas.one_thread():
            np.matmul(np.ones((2, 3)), np.ones((2, 3)))
    assert set(_blas_threads()) == {2}


@pytest.mark.parametrize("count", [1, 3])
def test_the_count_functions_read_and_set_what_threadpoolctl_reports(count, two_blas_threads):
    # blas calls OpenBLAS's own C functions where it can (one_thread runs for every product):
    # they must see and change the same setting as threadpoolctl.
    functions = blas._blas_counts()
    assert len(functions) == len(_blas_threads()) >= 1
    assert [get() for get, _ in functions] == _blas_threads()
    for _, set_ in functions:
        set_(count)
    assert set(_blas_threads()) == {count}


def test_numpys_own_openblas_lets_compiled_kernels_call_it():
    # numpy's wheels bundle scipy_openblas, whose CBLAS names blas.gemm calls: with it, the
    # convolutions' slices run in one compiled call (a silent fallback would only be slower)
    if not any("scipy_openblas64" in lib["filepath"] for lib in threadpool_info() if lib["user_api"] == "blas"):
        pytest.skip("numpy runs on another BLAS here: the Python route is taken")
    assert blas.compiled_products()


@pytest.mark.parametrize("transpose_a,transpose_b", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gemm_from_compiled_code_is_numpys_product(transpose_a, transpose_b, accumulate, dtype):
    if not blas.compiled_products():
        pytest.skip("numpy's BLAS does not export the CBLAS names that compiled code calls")
    rng = np.random.default_rng(0)
    m, k, n = 7, 13, 11
    # operands whose rows are contiguous but not whole (views into wider arrays)
    a = rng.standard_normal((k, m + 3) if transpose_a else (m, k + 3)).astype(dtype)[:, :(m if transpose_a else k)]
    b = rng.standard_normal((n, k + 2) if transpose_b else (k, n + 2)).astype(dtype)[:, :(k if transpose_b else n)]
    start = rng.standard_normal((m, n + 5)).astype(dtype)
    out = start.copy()[:, :n]
    blas.gemm(a, b, out, transpose_a, transpose_b, accumulate)
    expected = (a.T if transpose_a else a) @ (b.T if transpose_b else b) + (start[:, :n] if accumulate else 0)
    np.testing.assert_allclose(out, expected, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)


@pytest.mark.parametrize("shape", [(16, 150, 1600), (150, 16, 1600), (150, 1600, 16), (7, 13, 11)])
@pytest.mark.parametrize("transpose_a,transpose_b", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("small_kernels", [True, False])
def test_gemm_in_pieces_is_numpys_product(shape, transpose_a, transpose_b, small_kernels):
    # a convolution slice's products (filters by columns, their transposes, the weight
    # gradient's long inner side) in pieces of rows or columns, or whole
    if not blas.compiled_products():
        pytest.skip("numpy's BLAS does not export the CBLAS names that compiled code calls")
    m, k, n = shape
    rng = np.random.default_rng(9)
    a = rng.standard_normal((k, m + 3) if transpose_a else (m, k + 3)).astype(np.float32)[:, :(m if transpose_a else k)]
    b = rng.standard_normal((n, k + 2) if transpose_b else (k, n + 2)).astype(np.float32)[:, :(k if transpose_b else n)]
    out = np.full((m, n + 4), np.nan, np.float32)[:, :n]
    blas.gemm_in_pieces(a, b, out, transpose_a, transpose_b, small_kernels)
    expected = (a.T if transpose_a else a) @ (b.T if transpose_b else b)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows,inner,cols", [(64, 120, 400), (3, 4, 5)])  # two threads' worth, and too small
def test_matmul_pair_gives_both_products_with_transposed_operands(monkeypatch, dtype, rows, inner, cols):
    # a linear layer's backward: grad @ weight and grad.T @ input, operands as views of other matrices
    monkeypatch.setattr(blas.shared_work, "threads_for", lambda slices: 2)
    rng = np.random.default_rng(8)
    grad, weight = rng.standard_normal((rows, inner)).astype(dtype), rng.standard_normal((inner, cols)).astype(dtype)
    x = rng.standard_normal((cols, rows)).astype(dtype).T  # a transposed view: rows of stride 1 element
    first, second = blas.matmul_pair(grad, weight, grad.T, x)
    tol = dict(rtol=1e-4, atol=1e-3) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(first, grad @ weight, **tol)
    np.testing.assert_allclose(second, grad.T @ x, **tol)
    assert first.shape == (rows, cols) and second.shape == (inner, cols) and first.dtype == second.dtype == dtype


def test_matmul_pair_runs_the_two_products_as_one_job_where_they_are_mid_sized(monkeypatch):
    monkeypatch.setattr(blas.shared_work, "threads_for", lambda slices: 2)
    jobs, run_compiled = [], blas.shared_work.run_compiled
    monkeypatch.setattr(blas.shared_work, "run_compiled",
                        lambda job, args, n, step, threads: jobs.append((n, step, threads)) or
                        run_compiled(job, args, n, step, threads))
    a, b = np.ones((64, 120), np.float32), np.ones((120, 400), np.float32)
    blas.matmul_pair(a, b, a.T, np.ones((64, 400), np.float32))
    assert jobs == ([(2, 1, 2)] if blas.compiled_products() else [])
    jobs.clear()
    blas.matmul_pair(a[:8], b, a[:8].T, np.ones((8, 400), np.float32))  # 384K multiply-adds each: one thread
    assert jobs == []
