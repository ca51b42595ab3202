"""CNN layer speed: minitorch vs torch, forward and forward+backward, batch 64.

Both libraries run in this process, in alternating blocks, on the same inputs; we print the
median time per call of each and the ratio minitorch / torch. torch uses the same number of
threads as minitorch (one per core by default; set CNN_BENCH_THREADS to change both).

    python benchmarks/bench_cnn.py [--repeat 15]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

import minitorch

# Each library runs with its own default thread count (one per core) unless CNN_BENCH_THREADS
# says otherwise; then each gets it through its own set_num_threads, as a user would do it.
if os.environ.get("CNN_BENCH_THREADS"):
    for _lib in (minitorch, torch):
        _lib.set_num_threads(int(os.environ["CNN_BENCH_THREADS"]))
THREADS = minitorch.get_num_threads(), torch.get_num_threads()


def cases():
    """(name, input shape, build(lib) -> callable(x)) for each benchmarked layer."""
    def conv(c_in, c_out, k, **kw):
        def build(lib):
            lib.manual_seed(0)
            return lib.nn.Conv2d(c_in, c_out, k, **kw)
        return build

    def module(fn):
        return lambda lib: fn(lib.nn)

    return [
        ("conv 1->6 5x5, 28x28", (64, 1, 28, 28), conv(1, 6, 5)),
        ("conv 6->16 5x5, 14x14", (64, 6, 14, 14), conv(6, 16, 5)),
        ("conv 1->32 3x3, 28x28", (64, 1, 28, 28), conv(1, 32, 3)),
        ("conv 32->64 3x3, 26x26", (64, 32, 26, 26), conv(32, 64, 3)),
        ("max_pool 2x2, 64x24x24", (64, 64, 24, 24), module(lambda nn: nn.MaxPool2d(2))),
        ("batch_norm2d 32ch, 26x26", (64, 32, 26, 26), module(lambda nn: nn.BatchNorm2d(32))),
        ("conv_transpose 16->8 4x4 s2, 7x7", (64, 16, 7, 7),
         module(lambda nn: nn.ConvTranspose2d(16, 8, 4, stride=2))),
    ]


def _step(lib, layer, x, backward):
    if backward:
        x.grad = None
        out = layer(x)
        out.backward(lib.ones_like(out) if hasattr(lib, "ones_like") else lib.ones(*out.shape))
    else:
        with lib.no_grad():
            layer(x)


def _time(lib, layer, x, backward, n):
    start = time.perf_counter()
    for _ in range(n):
        _step(lib, layer, x, backward)
    return (time.perf_counter() - start) / n


def measure(shape, build, backward, repeat, inner):
    data = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    setups = {}
    for lib in (minitorch, torch):
        layer = build(lib)
        x = lib.tensor(data, requires_grad=backward)
        _step(lib, layer, x, backward)     # warm up (numba compiles or loads its cache)
        setups[lib] = (layer, x)
    times = {minitorch: [], torch: []}
    for _ in range(repeat):               # alternate so drift hits both alike
        for lib in (minitorch, torch):
            times[lib].append(_time(lib, *setups[lib], backward, inner))
    return (statistics.median(times[minitorch]), statistics.median(times[torch]),
            min(times[minitorch]), min(times[torch]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--inner", type=int, default=3)
    args = parser.parse_args()
    print(f"threads: minitorch {THREADS[0]}, torch {THREADS[1]}; "
          f"batch 64, float32, median of {args.repeat} blocks of {args.inner}")
    print(f"{'layer':34s} {'pass':8s} {'minitorch ms':>12s} {'torch ms':>9s} {'ratio':>6s}   "
          f"{'(best: mt':>9s} {'torch':>7s} {'ratio)':>6s}")
    worst = 0.0
    for name, shape, build in cases():
        for backward in (False, True):
            mt, th, mt_best, th_best = measure(shape, build, backward, args.repeat, args.inner)
            worst = max(worst, mt / th)
            print(f"{name:34s} {'fwd+bwd' if backward else 'fwd':8s} {mt * 1e3:12.2f} {th * 1e3:9.2f} "
                  f"{mt / th:6.2f}   {mt_best * 1e3:9.2f} {th_best * 1e3:7.2f} {mt_best / th_best:6.2f}",
                  flush=True)
    print(f"worst median ratio {worst:.2f}")


if __name__ == "__main__":
    main()
