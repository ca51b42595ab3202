"""Matrix products on numpy's BLAS, kept off the BLAS's own threads.

numpy's BLAS (OpenBLAS here) splits a product among its own threads. Once woken, those
threads spin for about 0.1 s after the product ends, waiting for the next one (measured:
after one 512x512 float32 product, 0.1 s of a core went to the spin while the caller
slept). In a training loop, where products come every millisecond, one of them then
spins all the time and takes the core minitorch's own threads (the convolution slices,
`shared_work`) want: on 2 cores, the examples CNN's second convolution ran its forward
product in 9.6 ms on minitorch's threads alone and in 17.7 ms right after a two-thread
BLAS call; LeNet's training step ran 6.6-7.0 ms with its 64x400x120 products on two BLAS
threads and 5.2-5.4 ms with them on one (same runs, 2026-12-05). Its split is also
fixed in advance, so one late thread holds up the product: an MLP step took 2.2 to 100
ms from process to process with other work on the machine.

So from the main thread a product never goes to the BLAS's threads: a small one (under
`_SPLIT_PRODUCT` multiply-adds) runs on the calling thread alone, a large one in slices
of rows or columns that minitorch's threads take in turn (`shared_work`), each slice a
one-thread BLAS call. The thread count is one setting for the whole process: it is
lowered for the call only, set back before returning, and only from the main thread
(two threads changing and restoring it at once could leave it changed); other threads'
products run as numpy runs them.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Callable, Iterator

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import njit, types
from threadpoolctl import ThreadpoolController

from . import shared_work
from .intrinsics import array_at

__all__ = ["compiled_products", "gemm", "gemm_in_pieces", "has_small_kernels", "matmul", "matmul_pair",
           "one_thread", "product"]

_ALWAYS_ONE_THREAD = 1 << 18   # OpenBLAS runs products under 262144 multiply-adds on one thread by itself
_SPLIT_PRODUCT = 4 << 20       # multiply-adds from which a product is split: LeNet's largest (3.1M) is not
_SLICE_PRODUCT = 1 << 20       # multiply-adds of the smallest slice worth a thread of its own
_PAIR_PRODUCT = 1 << 20        # multiply-adds from which two products go to two threads (`matmul_pair`)

_SMALL_KERNEL_MACS = 1_000_000  # OpenBLAS's AVX512 kernels take products up to 100**3 multiply-adds
_SMALL_KERNEL_ARCHITECTURES = ("skylakex", "cooperlake", "sapphirerapids")

_counts: list | None = None  # (get, set) thread-count functions of each BLAS library, found at first use
_small_kernels: bool | None = None  # whether numpy's BLAS has them, found at first use


def _count_functions(lib) -> tuple[Callable[[], int], Callable[[int], object]]:
    """A BLAS library's get and set thread-count functions: OpenBLAS's own C functions where
    threadpoolctl found it on its pthreads layer (about 0.1 us a call through ctypes,
    against 2-4 us through the controller's Python methods: every product of a training
    step pays four), else the controller's methods. (The controller's setter also arbitrates
    between Python threads; only the main thread sets the count here.)"""
    if lib.internal_api == "openblas" and lib.threading_layer == "pthreads":
        for prefix in ("", "scipy_"):    # numpy's wheels build OpenBLAS with a prefix and a suffix
            for suffix in ("", "64_"):
                get = getattr(lib.dynlib, f"{prefix}openblas_get_num_threads{suffix}", None)
                set_ = getattr(lib.dynlib, f"{prefix}openblas_set_num_threads{suffix}", None)
                if get is not None and set_ is not None:
                    return get, set_
    return lib.get_num_threads, lib.set_num_threads


def _blas_counts() -> list:
    global _counts
    if _counts is None:
        _counts = [_count_functions(lib) for lib in ThreadpoolController().select(user_api="blas").lib_controllers]
    return _counts


def has_small_kernels() -> bool:
    """Whether numpy's BLAS is an OpenBLAS running its AVX512 kernels (which report the
    architecture as SkylakeX on AMD's Zen 4 too), the ones with a small-matrix path."""
    global _small_kernels
    if _small_kernels is None:
        libs = ThreadpoolController().select(user_api="blas").lib_controllers
        _small_kernels = bool(libs) and all(
            lib.internal_api == "openblas" and str(lib.architecture).lower() in _SMALL_KERNEL_ARCHITECTURES
            for lib in libs)
    return _small_kernels


@njit(cache=True)
def _piece_plan(m, k, n):
    """(by rows, rows or columns a piece; 0 for whole) for an (m, k) @ (k, n) product on a
    BLAS with small-matrix kernels: `_pieces`'s rule, which compiled callers use too."""
    macs = m * k * n
    if macs <= _SMALL_KERNEL_MACS or (min(m, n, k) > 32 and macs > 2 * _SMALL_KERNEL_MACS):
        return False, 0
    by_rows = m >= n
    step = _SMALL_KERNEL_MACS // (k * (n if by_rows else m)) // 16 * 16
    return by_rows, (step if step >= 16 else 0)


def _pieces(m: int, k: int, n: int) -> tuple[bool, int] | None:
    """(by rows, rows or columns a piece) for an (m, k) @ (k, n) product worth cutting into
    pieces for the BLAS's small-matrix kernels, else None.

    OpenBLAS's AVX512 kernels run a product of up to a million multiply-adds through a
    path without packing, at ~105 GFLOP/s a core here, where one just above it runs the
    packing path at 30-80 (a (10, 144) x (144, 1024) product, a small CNN layer's: 98 us
    whole, 39 in pieces). Cutting the longer side of a product into pieces of at most a
    million pays where the product is at most twice that, or where one of its three sides
    is short (the packing then costs most): measured on one thread, 2026-12-05, (16, 150) x
    (150, 1700) 103 -> 83 us, (6, 25) x (25, 50176) 647 -> 275, (144, 10) x (10, 1024)
    96 -> 43, (150, 16) x (16, 1600) 85 -> 61 (LeNet's second conv's input gradient, a
    slice's); an MLP's (64, 784) x (784, 512) ran 1.3x slower in pieces, so it stays
    whole. A piece is at least 16 rows or columns (the kernels' block), fewer ran slower."""
    by_rows, step = _piece_plan(m, k, n)
    if not step or not has_small_kernels():
        return None
    return by_rows, step


def product(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """np.matmul(a, b) (into `out` if given) on the calling thread's BLAS as it is set, in
    pieces where the BLAS's small-matrix kernels run them faster (`_pieces`)."""
    if (a.ndim == 3 and b.ndim == 3 and a.shape[0] == b.shape[0] and out is not None
            and _pieces(a.shape[1], a.shape[2], b.shape[2]) is not None):  # a matrix per group, each in pieces
        for group in range(a.shape[0]):
            product(a[group], b[group], out[group])
        return out
    pieces = _pieces(a.shape[0], a.shape[1], b.shape[1]) if a.ndim == b.ndim == 2 else None
    if pieces is None or a.dtype != b.dtype or a.dtype.kind != "f" or not b.flags.c_contiguous:
        # (times a transposed matrix the pieces ran slower: W @ x.t() for LeNet's 64x400 by
        # 400x120, 73 -> 118 us)
        return np.matmul(a, b, out=out)
    out = np.empty((a.shape[0], b.shape[1]), a.dtype) if out is None else out
    by_rows, step = pieces
    for start in range(0, a.shape[0] if by_rows else b.shape[1], step):
        part = slice(start, start + step)
        if by_rows:
            np.matmul(a[part], b, out=out[part])
        else:
            np.matmul(a, b[:, part], out=out[:, part])
    return out


class one_thread:
    """`with one_thread() as alone:` runs the block with the BLAS on the calling thread alone;
    `alone` says whether it is (always on the main thread; elsewhere only if the BLAS was on
    one thread already). (A class rather than a generator: every product pays for it.)"""

    def __enter__(self) -> bool:
        if threading.current_thread() is not threading.main_thread():
            self.restore = ()
            return all(get() == 1 for get, _ in _blas_counts())
        self.restore = [(set_, count) for get, set_ in _blas_counts() if (count := get()) != 1]
        for set_, _ in self.restore:
            set_(1)
        return True

    def __exit__(self, *exc_info) -> None:
        for set_, count in self.restore:
            set_(count)


def _multiply_adds(a: np.ndarray, b: np.ndarray) -> int:
    """The multiply-adds of np.matmul(a, b): each value of the larger operand meets a row or column of the result."""
    return max(a.size * (b.shape[-1] if b.ndim > 1 else 1), b.size * (a.shape[-2] if a.ndim > 1 else 1))


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """np.matmul(a, b) (into `out` if given), never on the BLAS's threads from the main thread:
    a large product of float matrices (a may be a stack of rows) in slices of rows or columns
    on minitorch's threads (`shared_work`), any other on the calling thread alone."""
    if a.ndim >= 2 and b.ndim == 2 and a.shape[-1] == 1 and out is None:
        # an outer product (a linear layer's weight gradient at batch 1): numpy's matmul runs
        # it without the BLAS, 1 ns a multiply-add ((512, 1) @ (1, 784): 443 us), a broadcast
        # product in 108 us
        # (not into a reused buffer: the gradient it becomes would then be copied into .grad)
        return np.multiply(a, b, dtype=np.result_type(a, b))
    work = _multiply_adds(a, b) if a.ndim and b.ndim else 0
    if work < _ALWAYS_ONE_THREAD:
        return np.matmul(a, b, out=out)
    if (a.ndim == b.ndim == 2 and a.shape[1] >= 128 and a.shape[0] * b.shape[1] <= 1 << 19
            and (b.shape[1] >= 4 * a.shape[0] or (b.shape[1] > a.shape[0] and a.shape[1] >= 256))
            and a.flags.c_contiguous and b.flags.f_contiguous and not b.flags.c_contiguous):
        # fewer rows than columns times a transposed matrix (x @ weight.t() in a linear
        # layer): OpenBLAS computes the transposed product faster, even with the copy back to
        # rows, where the copy is small against the product: an inner dimension of 128 or
        # more and a result of at most 2^19 values (one thread, 2026-12-05: 64 x 784 by
        # 784 x 512 673 -> 564 us, 64 x 400 by 400 x 120 89 -> 78, 32 x 256 by 256 x 256
        # 75 -> 56, 128 x 512 by 512 x 2048 3134 -> 2851; slower with a short inner
        # dimension, 97 x 51 by 51 x 204 46 -> 54 (an LSTM cell's), 64 x 32 by 32 x 4096
        # 286 -> 391, and with a large result, whose transposing copy misses the caches:
        # 256 x 256 by 256 x 4096 5.8 -> 7.5 ms, a language model's decoder 700 x 32 by
        # 32 x 33278 15 -> 80 ms).
        # (The transposed product has fewer columns than rows, and does not come back here.)
        transposed = matmul(b.T, a.T)
        if out is None:
            return np.ascontiguousarray(transposed.T)
        out[...] = transposed.T
        return out
    threads = shared_work.threads_for(work // _SLICE_PRODUCT) if work >= _SPLIT_PRODUCT else 1
    if (threads > 1 and a.ndim >= 2 and b.ndim == 2 and a.dtype == b.dtype and a.dtype.kind == "f"
            and (out is None or out.flags.c_contiguous)):
        return _split(a, b, threads, out)
    with one_thread():
        return product(a, b, out)


def _split(a: np.ndarray, b: np.ndarray, threads: int, out: np.ndarray | None) -> np.ndarray:
    """a (*, M, K) @ b (K, N) into `out` (C-contiguous, or None for a new array) in slices of
    the result's rows (of all of a's matrices at once), or of its columns where it has more
    than twice as many columns as rows, taken by `threads` threads (one slice each measured
    faster than two on an MLP's products; slices of rows ran 10-20% faster than slices of
    columns down to half as many rows as columns: 294 against 327 us for an MLP's (512, 64)
    x (64, 784) weight gradient, 2 threads, 2026-12-05). The slices run as a compiled job (`_product_job`) where compiled
    code can call the BLAS, else from Python."""
    rows = a.reshape(-1, a.shape[-1])  # a copy only if a's matrices do not stack into one
    out = np.empty(a.shape[:-1] + b.shape[-1:], a.dtype) if out is None else out
    out_rows = out.reshape(rows.shape[0], b.shape[1])
    by_rows = 2 * rows.shape[0] >= b.shape[1]
    size = rows.shape[0] if by_rows else b.shape[1]
    step = -(-size // threads)  # a slice each: one that a late thread has not taken, this one does
    step = -(-step // 16) * 16  # whole blocks of the BLAS's kernels
    if compiled_products() and _rows_contiguous(rows) and (_rows_contiguous(b) or _rows_contiguous(b.T)):
        transpose_b = not _rows_contiguous(b)
        b_rows = b.T if transpose_b else b
        args = shared_work.job_args(rows, b_rows, out_rows, rows.shape[0], rows.shape[1], b.shape[1],
                                    rows.strides[0] // rows.itemsize, b_rows.strides[0] // b.itemsize,
                                    out_rows.strides[0] // out.itemsize, by_rows, transpose_b, a.itemsize)
        with one_thread():
            shared_work.run_compiled(_product_job, args, size, step, threads)
        return out

    def work(share: int, starts: Iterator[int]) -> None:
        for start in starts:
            part = slice(start, start + step)
            if by_rows:
                np.matmul(rows[part], b, out=out_rows[part])
            else:
                np.matmul(rows, b[:, part], out=out_rows[:, part])

    with one_thread():
        shared_work.run(work, size, step, threads)
    return out


def matmul_pair(a1: np.ndarray, b1: np.ndarray, a2: np.ndarray, b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a1 @ b1, a2 @ b2) for two independent matrix products (a backward pass's two gradients),
    made at the same time on two of minitorch's threads where each is mid-sized: too small to
    be split itself (`matmul`), large enough to pay for a second thread (LeNet's first linear
    layer's two gradients, 64x120 by 120x400 and 120x64 by 64x400: 94 -> 71 us alone, its
    training step 0.7% faster, Intel VM, 2026-12-05; its second layer's, 645K multiply-adds
    each, ran slower as a pair: 45 -> 63 us). Any operand may be a transposed view."""
    operands = [_gemm_operand(m) for m in (a1, b1, a2, b2)]
    sizes = [_multiply_adds(a, b) if a.ndim == b.ndim == 2 else 0 for a, b in ((a1, b1), (a2, b2))]
    if not (all(operands) and all(_PAIR_PRODUCT <= size < _SPLIT_PRODUCT for size in sizes)
            and a1.dtype == b1.dtype == a2.dtype == b2.dtype and shared_work.compiled_jobs() and compiled_products()
            and shared_work.threads_for(2) == 2):
        return matmul(a1, b1), matmul(a2, b2)
    out1 = np.empty((a1.shape[0], b1.shape[1]), a1.dtype)
    out2 = np.empty((a2.shape[0], b2.shape[1]), a2.dtype)
    values = []
    for (a, ta), (b, tb), out in ((operands[0], operands[1], out1), (operands[2], operands[3], out2)):
        m, n = out.shape
        values += [a, b, out, m, n, a.shape[0] if ta else a.shape[1], a.strides[0] // a.itemsize,
                   b.strides[0] // b.itemsize, n, ta, tb]
    with one_thread():
        shared_work.run_compiled(_pair_job, shared_work.job_args(*values, a1.itemsize), 2, 1, 2)
    return out1, out2


def _gemm_operand(m: np.ndarray) -> tuple[np.ndarray, bool] | None:
    """A matrix as `gemm` takes it: (rows-contiguous matrix, whether to transpose it), or None."""
    if m.ndim != 2 or m.dtype not in (np.float32, np.float64):
        return None
    if _rows_contiguous(m):
        return m, False
    return (m.T, True) if _rows_contiguous(m.T) else None


def _rows_contiguous(m: np.ndarray) -> bool:
    """Whether matrix m's rows are each contiguous (any row stride), as `gemm` takes them."""
    return m.strides[1] == m.itemsize and m.strides[0] >= m.shape[1] * m.itemsize


# --------------------------------------------------------------------------- products inside compiled kernels
# A kernel that runs a product between its own loops (a convolution slice's columns, product and
# transposing copy) can call the BLAS itself and stay in compiled code for the whole slice. From
# Python, each of those steps is a call that lets go of the GIL and takes it back, and on two
# threads sharing slices a thread that finds the GIL held sleeps until it is let go: a futex
# wake-up of 20-100 us on the VMs measured, several a slice. numpy's own OpenBLAS (its wheels'
# scipy_openblas, 64-bit integers) exports the CBLAS products under the names below; once its
# library is loaded for the compiler, compiled code calls them by name (and is cached on disk
# like any kernel). Elsewhere (another BLAS under numpy) `compiled_products` is False and the
# callers take the Python route.
_CBLAS_ROW_MAJOR, _CBLAS_NO_TRANS, _CBLAS_TRANS = 101, 111, 112
_GEMM_SIGNATURE = [types.int32, types.int32, types.int32, types.int64, types.int64, types.int64]
_sgemm = types.ExternalFunction("scipy_cblas_sgemm64_", types.void(
    *_GEMM_SIGNATURE, types.float32, types.voidptr, types.int64, types.voidptr, types.int64, types.float32,
    types.voidptr, types.int64))
_dgemm = types.ExternalFunction("scipy_cblas_dgemm64_", types.void(
    *_GEMM_SIGNATURE, types.float64, types.voidptr, types.int64, types.voidptr, types.int64, types.float64,
    types.voidptr, types.int64))
_compiled_products: bool | None = None


def compiled_products() -> bool:
    """Whether compiled kernels can call `gemm`: a BLAS in this process (numpy's, from its
    wheels) exports its names (loaded for the compiler at the first call), and the JIT is on."""
    global _compiled_products
    if _compiled_products is None:
        _compiled_products = False
        for lib in ThreadpoolController().select(user_api="blas").lib_controllers:
            if numba.config.DISABLE_JIT or _compiled_products:
                break
            try:
                library = ctypes.CDLL(lib.filepath)
                if hasattr(library, "scipy_cblas_sgemm64_") and hasattr(library, "scipy_cblas_dgemm64_"):
                    llvm.load_library_permanently(lib.filepath)
                    _compiled_products = True
            except OSError:
                continue
    return _compiled_products


@njit(cache=True, nogil=True)
def gemm(a, b, out, transpose_a, transpose_b, accumulate=False):
    """out = op(a) @ op(b) (out += with `accumulate`) from compiled code (see
    `compiled_products`), op(m) = m.T where `transpose_*` says: float32 or float64 matrices of
    one dtype whose rows are contiguous (any row stride), out (M, N) with op(a) (M, K) and
    op(b) (K, N).
    Bounds: the callers pass shapes that agree; the BLAS reads and writes within them."""
    m, n = out.shape
    k = a.shape[0] if transpose_a else a.shape[1]
    size = a.itemsize
    lda, ldb, ldc = a.strides[0] // size, b.strides[0] // size, out.strides[0] // size
    ta = _CBLAS_TRANS if transpose_a else _CBLAS_NO_TRANS
    tb = _CBLAS_TRANS if transpose_b else _CBLAS_NO_TRANS
    beta = 1.0 if accumulate else 0.0
    if size == 4:  # float32
        _sgemm(_CBLAS_ROW_MAJOR, ta, tb, m, n, k, np.float32(1.0), a.ctypes.data, lda, b.ctypes.data, ldb,
               np.float32(beta), out.ctypes.data, ldc)
    else:
        _dgemm(_CBLAS_ROW_MAJOR, ta, tb, m, n, k, 1.0, a.ctypes.data, lda, b.ctypes.data, ldb, beta,
               out.ctypes.data, ldc)


@njit(cache=True, nogil=True)
def gemm_in_pieces(a, b, out, transpose_a, transpose_b, small_kernels):
    """`gemm`, in the pieces `_pieces` cuts the product into where the BLAS has small-matrix
    kernels (`small_kernels`: `has_small_kernels()`, asked by the Python caller): for the
    products of compiled slices (a convolution's, 16 filters by a slice's columns).
    Bounds: as in `gemm`; each piece is a slice of the same rows or columns."""
    m, n = out.shape
    by_rows, step = _piece_plan(m, a.shape[0] if transpose_a else a.shape[1], n)
    if not (small_kernels and step):
        gemm(a, b, out, transpose_a, transpose_b)
    elif by_rows:
        for start in range(0, m, step):
            rows = a[:, start:start + step] if transpose_a else a[start:start + step]
            gemm(rows, b, out[start:start + step], transpose_a, transpose_b)
    else:
        for start in range(0, n, step):
            columns = b[start:start + step] if transpose_b else b[:, start:start + step]
            gemm(a, columns, out[:, start:start + step], transpose_a, transpose_b)


@njit(cache=True, nogil=True)
def _product_part(args, share, start, stop, dtype):
    rows, depth, cols, lda, ldb, ldc, by_rows, transpose_b = (args[3], args[4], args[5], args[6], args[7], args[8],
                                                              args[9], args[10])
    a = array_at(args[0], (rows, lda), dtype)[:, :depth]
    b = array_at(args[1], (cols, ldb), dtype)[:, :depth] if transpose_b else array_at(args[1], (depth, ldb), dtype)[:, :cols]
    out = array_at(args[2], (rows, ldc), dtype)[:, :cols]
    if by_rows:
        gemm(a[start:stop], b, out[start:stop], False, transpose_b != 0)
    elif transpose_b:
        gemm(a, b[start:stop], out[:, start:stop], False, True)
    else:
        gemm(a, b[:, start:stop], out[:, start:stop], False, False)


@shared_work.CompiledJob
def _product_job(args, share, start, stop):
    """Rows (or columns) [start, stop) of out = a @ op(b): args = the addresses of a (M, K), b
    (K, N, or N, K transposed) and out (M, N), then M, K, N, the three row strides in values,
    by rows, b transposed, the itemsize. (A matrix seen as (rows, row stride) and cut to its
    width: only the cut part is read.)"""
    shared_work.by_itemsize(_product_part, args, 11, share, start, stop)


@njit(cache=True, nogil=True)
def _pair_part(args, share, start, stop, dtype):
    for which in range(start, stop):
        at = 11 * which
        m, n, k, lda, ldb, ldc, ta, tb = (args[at + 3], args[at + 4], args[at + 5], args[at + 6], args[at + 7],
                                          args[at + 8], args[at + 9], args[at + 10])
        a = array_at(args[at], (k, lda), dtype)[:, :m] if ta else array_at(args[at], (m, lda), dtype)[:, :k]
        b = array_at(args[at + 1], (n, ldb), dtype)[:, :k] if tb else array_at(args[at + 1], (k, ldb), dtype)[:, :n]
        gemm(a, b, array_at(args[at + 2], (m, ldc), dtype)[:, :n], ta != 0, tb != 0)


@shared_work.CompiledJob
def _pair_job(args, share, start, stop):
    """Products [start, stop) of `matmul_pair`'s two: per product the addresses of a, b and
    out, then M, N, K, the three row strides in values, a transposed, b transposed; then
    the itemsize."""
    shared_work.by_itemsize(_pair_part, args, 22, share, start, stop)
