"""Time minitorch's numba kernels against torch's equivalents, in one process.

    .venv/bin/python benchmarks/bench_kernels.py [--rounds 7] [--reps 10]

Timings drift between runs and the cores are shared, so the two libraries run in
alternating blocks of ``reps`` calls, ``rounds`` rounds over all kernels; each block
reports the median call. The table shows the median and the best of the block medians, and torch /
minitorch for each (> 1 means minitorch is faster). When another process holds a core,
a 2-thread kernel waits for a scheduler tick (4-8 ms) for its second thread; the
"best" columns show what an idle machine gives. Each block starts with an untimed
call, so the first call does not pay for the other library's thread pool still
spinning.

minitorch's im2col writes into a reused buffer (as the conv op does through its
``BufferPool``); the "fresh" rows allocate a new one per call, which on these machines
mostly measures page faults. torch's unfold/fold and pooling always allocate.
This is a benchmark, not a test: nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Callable

import numba
import numpy as np
import torch
import torch.nn.functional as F

from minitorch import kernels as K

BATCH = 64
# (name, C_in, H, W, kernel, padding): im2col shapes of the convs of small MNIST CNNs.
CONVS = [
    ("conv 1->32 3x3 28x28", 1, 28, 28, 3, 0),
    ("conv 32->64 3x3 26x26", 32, 26, 26, 3, 0),
    ("conv 1->6 5x5 pad2 28x28", 1, 28, 28, 5, 2),
    ("conv 6->16 5x5 14x14", 6, 14, 14, 5, 0),
]
POOLS = [(64, 24, 24), (6, 28, 28)]  # (C, H, W) for 2x2 stride-2 pooling


def block_median(fn: Callable[[], object], reps: int) -> float:
    """Median wall time of ``reps`` calls of fn, in ms, after one untimed call."""
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def conv_cases(rng: np.random.Generator):
    """(kernel, shape, ours, theirs) for im2col / col2im on each conv shape."""
    for name, c, h, w, k, p in CONVS:
        x = rng.standard_normal((BATCH, c, h, w), dtype=np.float32)
        xt = torch.from_numpy(x)
        geometry = ((k, k), (1, 1), (p, p), (1, 1))
        nkl = K.im2col(x, *geometry)
        nkl_t = torch.from_numpy(nkl)
        image = np.empty_like(x)

        def unfold(xt=xt, k=k, p=p):
            return F.unfold(xt, k, padding=p)

        def fold(cols=nkl_t, h=h, w=w, k=k, p=p):
            return F.fold(cols, (h, w), k, padding=p)

        by_channel = K.im2col(x, *geometry, batch_first=False)  # the conv op's layout

        yield "im2col", name, (lambda x=x, g=geometry, o=nkl: K.im2col(x, *g, out=o)), unfold
        yield "im2col fresh", name, (lambda x=x, g=geometry: K.im2col(x, *g)), unfold
        yield "im2col (C*K, N*L)", name, (
            lambda x=x, g=geometry, o=by_channel: K.im2col(x, *g, out=o, batch_first=False)), unfold
        yield "col2im", name, (lambda c=nkl, s=x.shape, g=geometry, o=image: K.col2im(c, s, *g, out=o)), fold
        yield "col2im (C*K, N*L)", name, (
            lambda c=by_channel, s=x.shape, g=geometry, o=image: K.col2im(c, s, *g, out=o, batch_first=False)), fold


def pool_cases(rng: np.random.Generator):
    """(kernel, shape, ours, theirs) for 2x2 max/avg pooling forward and backward."""
    aten = torch.ops.aten
    window = ((2, 2), (2, 2), (0, 0))
    for c, h, w in POOLS:
        name = f"({BATCH},{c},{h},{w}) 2x2"
        x = rng.standard_normal((BATCH, c, h, w), dtype=np.float32)
        xt = torch.from_numpy(x)
        values, indices = K.max_pool_forward(x, *window, (1, 1))
        grad = rng.standard_normal(values.shape, dtype=np.float32)
        grad_t, indices_t = torch.from_numpy(grad), torch.from_numpy(indices)

        yield "max_pool fwd", name, (lambda x=x: K.max_pool_forward(x, *window, (1, 1))), (
            lambda xt=xt: F.max_pool2d(xt, 2, return_indices=True)
        )
        yield "max_pool fwd, no indices", name, (
            lambda x=x: K.max_pool_forward(x, *window, (1, 1), with_indices=False)), (lambda xt=xt: F.max_pool2d(xt, 2))
        yield "max_pool bwd", name, (
            lambda g=grad, i=indices, s=x.shape: K.max_pool_backward(g, i, s, 2)
        ), (
            lambda g=grad_t, xt=xt, i=indices_t: aten.max_pool2d_with_indices_backward(
                g, xt, [2, 2], [2, 2], [0, 0], [1, 1], False, i
            )
        )
        yield "avg_pool fwd", name, (lambda x=x: K.avg_pool_forward(x, *window)), (
            lambda xt=xt: F.avg_pool2d(xt, 2)
        )
        yield "avg_pool bwd", name, (lambda g=grad, s=x.shape: K.avg_pool_backward(g, s, *window)), (
            lambda g=grad_t, xt=xt: aten.avg_pool2d_backward(
                g, xt, [2, 2], [2, 2], [0, 0], False, True, None
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="alternating blocks per kernel")
    parser.add_argument("--reps", type=int, default=10, help="timed calls per block")
    args = parser.parse_args()

    torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)
    cases = list(conv_cases(rng)) + list(pool_cases(rng))
    for _, _, ours, _ in cases:  # compile (or load from cache) before timing
        ours()

    print(
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}  "
        f"numba {numba.__version__} threads={numba.get_num_threads()} "
        f"layer={numba.threading_layer()}  torch {torch.__version__} "
        f"threads={torch.get_num_threads()}  batch {BATCH}, float32"
    )
    print(f"{args.rounds} alternating blocks x {args.reps} calls; ms; ratio = torch / minitorch")
    header = (
        f"{'kernel':<24} {'shape':<25} | {'minitorch':>9} {'torch':>8} {'ratio':>6} "
        f"| {'best mt':>8} {'best th':>8} {'ratio':>6}"
    )
    print(f"{'':<43} | {'median of blocks':^25} | {'best block':^24}")
    print(header)
    print("-" * len(header))
    # Rounds go over all cases in turn, so a burst of load from elsewhere spoils one
    # round of many cases rather than every round of one case.
    ours_ms = [[] for _ in cases]
    theirs_ms = [[] for _ in cases]
    for _ in range(args.rounds):
        for i, (_, _, ours, theirs) in enumerate(cases):
            ours_ms[i].append(block_median(ours, args.reps))
            theirs_ms[i].append(block_median(theirs, args.reps))
    for (kernel, shape, _, _), ours_ms, theirs_ms in zip(cases, ours_ms, theirs_ms):
        med_o, med_t = statistics.median(ours_ms), statistics.median(theirs_ms)
        best_o, best_t = min(ours_ms), min(theirs_ms)
        print(
            f"{kernel:<24} {shape:<25} | {med_o:9.3f} {med_t:8.3f} {med_t / med_o:6.2f} "
            f"| {best_o:8.3f} {best_t:8.3f} {best_t / best_o:6.2f}"
        )


if __name__ == "__main__":
    main()
