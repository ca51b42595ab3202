"""Per-op overhead and throughput: minitorch against torch in the same process.

    python benchmarks/bench_ops.py [--quick] [--profile]

Each case is timed in blocks of calls, alternating minitorch and torch blocks so that
both see the same machine load; the table shows the median time per call and the
ratio minitorch / torch. torch runs with 2 threads unless --torch-threads says otherwise
(on a loaded 2-core machine torch's 2-thread pool can be far slower than 1 thread). `--profile` prints a cProfile of
the tiny-op path.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import minitorch  # noqa: E402
import torch  # noqa: E402



def _inputs(lib, arrays, grad):
    return [lib.tensor(a, requires_grad=grad) for a in arrays]


def _fwd_bwd(fn):
    def run(lib, *xs):
        fn(lib, *xs).sum().backward()
    return run


def tiny_cases():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 2)).astype(np.float32), rng.standard_normal((2, 2)).astype(np.float32)
    v = rng.standard_normal(8).astype(np.float32)
    return [
        ("add 2x2", lambda lib, x, y: x + y, (a, b), False),
        ("mul 2x2", lambda lib, x, y: x * y, (a, b), False),
        ("sum 2x2", lambda lib, x: x.sum(), (a,), False),
        ("matmul 2x2", lambda lib, x, y: x @ y, (a, b), False),
        ("relu 8", lambda lib, x: lib.relu(x), (v,), False),
        ("reshape 8->2x4", lambda lib, x: x.reshape(2, 4), (v,), False),
        ("index x[1:, 0]", lambda lib, x: x[1:, 0], (a,), False),
        ("add 2x2 (grad)", lambda lib, x, y: x + y, (a, b), True),
        ("fwd+bwd ((x*y+x).relu().sum())", _fwd_bwd(lambda lib, x, y: (x * y + x).relu()), (a, b), True),
    ]


def large_cases():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(1_000_000).astype(np.float32), rng.standard_normal(1_000_000).astype(np.float32)
    m = rng.standard_normal((1000, 1000)).astype(np.float32)
    p, q = rng.standard_normal((512, 512)).astype(np.float32), rng.standard_normal((512, 512)).astype(np.float32)
    return [
        ("add 1M", lambda lib, a, b: a + b, (x, y), False),
        ("mul 1M", lambda lib, a, b: a * b, (x, y), False),
        ("exp 1M", lambda lib, a: a.exp(), (x,), False),
        ("relu 1M", lambda lib, a: lib.relu(a), (x,), False),
        ("sum 1M", lambda lib, a: a.sum(), (x,), False),
        ("mean dim=1 1000x1000", lambda lib, a: a.mean(dim=1), (m,), False),
        ("matmul 512x512", lambda lib, a, b: a @ b, (p, q), False),
        ("matmul 512x512 fwd+bwd", _fwd_bwd(lambda lib, a, b: a @ b), (p, q), True),
    ]


def measure(fn, args_mt, args_th, calls, blocks):
    """Median seconds per call for minitorch and for torch, from alternating blocks."""
    times = {minitorch: [], torch: []}
    for lib, args in ((minitorch, args_mt), (torch, args_th)):  # warm up
        for _ in range(max(1, calls // 10)):
            fn(lib, *args)
    for _ in range(blocks):
        for lib, args in ((minitorch, args_mt), (torch, args_th)):
            start = time.perf_counter()
            for _ in range(calls):
                fn(lib, *args)
            times[lib].append((time.perf_counter() - start) / calls)
    return statistics.median(times[minitorch]), statistics.median(times[torch])


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:9.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"


def run_table(title, cases, calls, blocks):
    print(f"\n{title}")
    print(f"{'case':36s} {'minitorch':>12s} {'torch':>12s} {'ratio':>7s}")
    ratios = []
    for name, fn, arrays, grad in cases:
        mt_args, th_args = _inputs(minitorch, arrays, grad), _inputs(torch, arrays, grad)
        mt, th = measure(fn, mt_args, th_args, calls, blocks)
        ratios.append(mt / th)
        print(f"{name:36s} {_fmt(mt):>12s} {_fmt(th):>12s} {mt / th:6.2f}x", flush=True)
    print(f"{'geometric mean ratio':36s} {'':>12s} {'':>12s} "
          f"{float(np.exp(np.mean(np.log(ratios)))):6.2f}x")


def profile_tiny(calls: int = 20000) -> None:
    """cProfile of the tiny-op path: where the Python overhead goes."""
    a = minitorch.tensor(np.ones((2, 2), np.float32), requires_grad=True)
    b = minitorch.tensor(np.ones((2, 2), np.float32))

    def loop():
        for _ in range(calls):
            a + b
            a * b
            (a * b + a).relu().sum().backward()

    profiler = cProfile.Profile()
    profiler.runcall(loop)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--profile", action="store_true", help="cProfile the tiny-op path instead")
    parser.add_argument("--torch-threads", type=int, default=2, help="torch intra-op threads (default 2)")
    opts = parser.parse_args()
    torch.set_num_threads(opts.torch_threads)
    if opts.profile:
        profile_tiny()
        return
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numpy {np.__version__}; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    scale = 1 if opts.quick else 3
    run_table("Tiny tensors: per-call overhead", tiny_cases(), calls=500 * scale, blocks=5 * scale)
    run_table("Large tensors: throughput", large_cases(), calls=4 * scale, blocks=3 * scale)


if __name__ == "__main__":
    main()
