"""Training and inference speed, minitorch against torch, measured two ways.

    python benchmarks/bench_train.py [--quick] [--json benchmarks/last_run.json]

Mode "one process": both libraries in this process, in alternating blocks, from identical
weights on identical batches. Mode "own process": each library alone in a fresh process,
the two alternating round by round, so neither library's thread pools meet the other's.
Nothing here sets an environment variable or a thread count that torch reads: each
library runs as its users get it (the thread-scaling rows call each library's own
`set_num_threads`, in its own process). Ratios are minitorch / torch: below 1 is faster.
`benchmarks/write_results.py` turns the JSON this writes into benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)              # benchmark this checkout's minitorch, not an installed one
BATCH = 64
# (row name, model, optimizer or "infer", batch)
CASES = [
    ("LeNet-5 step, SGD momentum", "lenet", "sgd", BATCH),
    ("LeNet-5 step, Adam", "lenet", "adam", BATCH),
    ("examples CNN step, SGD momentum", "cnn", "sgd", BATCH),
    ("examples CNN step, Adam", "cnn", "adam", BATCH),
    ("MLP 784-512-512-10 step, SGD momentum", "mlp", "sgd", BATCH),
    ("LeNet-5 inference, batch 1000", "lenet", "infer", 1000),
    ("examples CNN inference, batch 1000", "cnn", "infer", 1000),
]


def build(lib, model: str):
    """The benchmarked model, built by `lib` (minitorch or torch)."""
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    from mnist_models import build_model
    if model == "mlp":
        nn = lib.nn
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                             nn.Linear(512, 10))
    return build_model(model, lib)


def mnist_batches(batch: int, count: int):
    """`count` normalised (images, labels) batches from the vendored MNIST training set."""
    import numpy as np
    folder = os.path.join(ROOT, "data", "mnist")
    with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[:batch * count * 784]
    with gzip.open(os.path.join(folder, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:batch * count].astype(np.int64)
    images = ((images.reshape(-1, 1, 28, 28).astype(np.float32) / 255) - 0.1307) / 0.3081
    return [(images[i * batch:(i + 1) * batch], labels[i * batch:(i + 1) * batch]) for i in range(count)]


def reference_weights(model: str) -> dict:
    """The initial weights every run of `model` starts from (numpy arrays, by state_dict key)."""
    import minitorch
    minitorch.manual_seed(0)
    return {k: v.numpy().copy() for k, v in build(minitorch, model).state_dict().items()}


def make_case(lib, model: str, kind: str, batch: int, weights: dict):
    """A zero-argument callable running one training step (or one inference batch) in `lib`."""
    net = build(lib, model)
    net.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
    batches = [(lib.tensor(x), lib.tensor(y)) for x, y in mnist_batches(batch, 4 if kind != "infer" else 1)]
    F = lib.nn.functional
    if kind == "infer":
        net.eval()
        x = batches[0][0]

        def infer():
            with lib.no_grad():
                net(x)
        return infer
    opt = (lib.optim.SGD(net.parameters(), lr=0.01, momentum=0.9) if kind == "sgd"
           else lib.optim.Adam(net.parameters(), lr=1e-3))
    net.train()
    counter = [0]

    def step():
        x, y = batches[counter[0] % len(batches)]
        counter[0] += 1
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    return step


def time_block(fn, calls: int) -> float:
    """Milliseconds per call over one block of `calls` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e3


def summary(times: list) -> dict:
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "n": len(times)}


def calls_per_block(model: str, kind: str) -> int:
    """Calls per timed block: 0.1-0.4 s of either library's work. A block's first call pays for
    what ran before it (the other library's block, or any pause of tens of ms, leaves the caches
    colder: minitorch's first LeNet step after a torch block measured 1.45 ms slower than the
    next, torch's 0.4 ms, 2026-12-05); a training loop pays that once, not every few steps,
    so blocks of 10 LeNet steps, as this harness had, charged minitorch ~0.15 ms a step."""
    return {"lenet": 40, "mlp": 40, "cnn": 4}[model] if kind != "infer" else {"lenet": 8, "cnn": 1}[model]


# ----- worker: one library alone in this process ------------------------------------------
def worker(lib_name: str, cases: list, blocks: int, threads: int | None) -> dict:
    """Time `cases` in a fresh process that imports only `lib_name`; returns figures as a dict."""
    start = time.perf_counter()
    lib = __import__(lib_name)
    import_s = time.perf_counter() - start
    if threads is not None:
        lib.set_num_threads(threads)
    out = {"import_s": import_s, "threads": lib.get_num_threads(), "cases": {}}
    for name, model, kind, batch in CASES:
        if name not in cases:
            continue
        fn = make_case(lib, model, kind, batch, reference_weights_cached(model))
        first = time.perf_counter()
        fn()
        first_ms = (time.perf_counter() - first) * 1e3
        n = calls_per_block(model, kind)
        times = [time_block(fn, n) for _ in range(blocks)]
        out["cases"][name] = {**summary(times), "first_ms": first_ms, "calls": n}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory. ru_maxrss would survive the exec from the parent
    (which holds both libraries), so read the kernel's high-water mark of this image."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_weights: dict = {}


def reference_weights_cached(model: str) -> dict:
    # A worker for torch must not import minitorch: the weights come from the parent as a file.
    path = os.environ.get("BENCH_WEIGHTS")
    if model not in _weights:
        if path:
            import numpy as np
            with np.load(path) as data:
                _weights.update({m: {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(m + "/")}
                                 for m in {k.split("/")[0] for k in data.files}})
        else:
            _weights[model] = reference_weights(model)
    return _weights[model]


def run_worker(lib_name: str, cases: list, blocks: int, threads: int | None = None,
               preamble: str = "") -> dict:
    """Run `worker` in a fresh interpreter (after `preamble` imports) and return its figures."""
    code = (f"{preamble}import sys, json; sys.path.insert(0, {HERE!r}); import bench_train as b; "
            f"print('RESULT' + json.dumps(b.worker({lib_name!r}, {cases!r}, {blocks}, {threads!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT")][-1]
    return json.loads(line[len("RESULT"):])


# ----- the modes ---------------------------------------------------------------------------
def one_process(blocks: int) -> dict:
    """Both libraries here, alternating blocks; per case the per-block ms of each."""
    import minitorch
    import torch
    rows = {}
    for name, model, kind, batch in CASES:
        weights = reference_weights_cached(model)
        fns = {"minitorch": make_case(minitorch, model, kind, batch, weights),
               "torch": make_case(torch, model, kind, batch, weights)}
        for fn in fns.values():
            fn()                                     # warm up: numba's cache, torch's pools
        n = calls_per_block(model, kind)
        times = {lib: [] for lib in fns}
        for _ in range(blocks):
            for lib, fn in fns.items():
                times[lib].append(time_block(fn, n))
        rows[name] = {lib: {**summary(t), "calls": n} for lib, t in times.items()}
        print(f"  [one process] {name:40s} " + "  ".join(
            f"{lib} {rows[name][lib]['median']:7.2f} ms" for lib in fns) +
            f"  ratio {rows[name]['minitorch']['median'] / rows[name]['torch']['median']:.2f}", flush=True)
    return {"rows": rows, "threads": {"minitorch": minitorch.get_num_threads(), "torch": torch.get_num_threads()}}


def own_process(rounds: int, blocks: int) -> dict:
    """Each library in its own fresh process, alternating rounds; block times pooled."""
    names = [c[0] for c in CASES]
    pooled = {lib: {n: [] for n in names} for lib in ("minitorch", "torch")}
    extra = {lib: {"import_s": [], "first_ms": [], "peak_rss_mb": [], "threads": None} for lib in pooled}
    for r in range(rounds):
        for lib in pooled:
            res = run_worker(lib, names, blocks)
            extra[lib]["threads"] = res["threads"]
            extra[lib]["import_s"].append(res["import_s"])
            extra[lib]["peak_rss_mb"].append(res["peak_rss_mb"])
            extra[lib]["first_ms"].append(res["cases"][names[0]]["first_ms"])
            for n in names:
                pooled[lib][n].append(res["cases"][n]["median"])
        print(f"  [own process] round {r + 1}/{rounds}: " + "  ".join(
            f"{lib} LeNet {pooled[lib][names[0]][-1]:.2f} ms" for lib in pooled), flush=True)
    rows = {n: {lib: summary(pooled[lib][n]) for lib in pooled} for n in names}
    return {"rows": rows, "extra": extra}


def scaling(rounds: int, blocks: int, thread_counts: list | None = None) -> dict:
    """LeNet and CNN SGD steps with each of `thread_counts` threads (default 1, 2 and every
    core), each library alone in its process and set to that count by its own set_num_threads."""
    names = [CASES[0][0], CASES[2][0]]
    cpus = os.cpu_count() or 1
    out = {}
    for threads in sorted(set(thread_counts or (1, 2, cpus))):
        if threads > cpus:
            continue
        res = {lib: {n: [] for n in names} for lib in ("minitorch", "torch")}
        for _ in range(rounds):
            for lib in res:
                got = run_worker(lib, names, blocks, threads)
                for n in names:
                    res[lib][n].append(got["cases"][n]["median"])
        out[str(threads)] = {n: {lib: summary(res[lib][n]) for lib in res} for n in names}
        print(f"  [scaling] {threads} thread(s): " + "  ".join(
            f"{n.split(' step')[0]} {out[str(threads)][n]['minitorch']['median'] / out[str(threads)][n]['torch']['median']:.2f}"
            for n in names), flush=True)
    return out


def import_order(rounds: int, blocks: int) -> dict:
    """minitorch's LeNet step when numpy and torch are imported before it, against minitorch first."""
    name = CASES[0][0]
    orders = {"minitorch first": "import minitorch; import numpy; import torch; ",
              "numpy, torch, then minitorch": "import numpy; import torch; import minitorch; "}
    times = {k: [] for k in orders}
    for _ in range(rounds):
        for k, pre in orders.items():
            times[k].append(run_worker("minitorch", [name], blocks, preamble=pre)["cases"][name]["median"])
    return {k: summary(v) for k, v in times.items()}


def machine() -> dict:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    import numba
    import numpy
    import torch
    from threadpoolctl import ThreadpoolController
    # numpy's BLAS and the kernels it picked: OPENBLAS_CORETYPE (set by some environments, and by
    # the Makefile for the tests) changes minitorch's products, not torch's
    blas = [f"{lib.internal_api} {lib.version} ({lib.architecture})"
            for lib in ThreadpoolController().select(user_api="blas").lib_controllers if lib.filepath and "numpy" in lib.filepath]
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": model, "cores": os.cpu_count(),
            "python": platform.python_version(), "numpy": numpy.__version__, "numba": numba.__version__,
            "torch": torch.__version__, "numpy_blas": ", ".join(blas) or "unknown",
            "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer blocks and rounds (a smoke run)")
    parser.add_argument("--json", default=os.path.join(HERE, "last_run.json"))
    parser.add_argument("--only", choices=("one", "own", "scaling", "all"), default="all")
    parser.add_argument("--threads", type=lambda text: [int(t) for t in text.split(",")], default=None,
                        help="thread counts of the scaling rows, e.g. 1,2,8,16 (default 1,2,all cores)")
    parser.add_argument("--rounds", type=int, help="own-process rounds (default 3, 1 with --quick)")
    parser.add_argument("--blocks", type=int, help="timed blocks per case (default 9, 3 with --quick)")
    args = parser.parse_args()
    blocks, rounds = (3, 1) if args.quick else (9, 3)
    blocks, rounds = args.blocks or blocks, args.rounds or rounds
    import numpy as np
    weights_file = os.path.join(HERE, ".bench_weights.npz")
    np.savez(weights_file, **{f"{m}/{k}": v for m in ("lenet", "cnn", "mlp")
                              for k, v in reference_weights_cached(m).items()})
    os.environ["BENCH_WEIGHTS"] = weights_file       # our own variable, read by our workers only
    run = {"machine": machine(), "load_before": os.getloadavg(), "blocks": blocks, "rounds": rounds}
    try:
        if args.only in ("one", "all"):
            run["one_process"] = one_process(blocks)
        if args.only in ("own", "all"):
            run["own_process"] = own_process(rounds, blocks)
        if args.only in ("own", "scaling", "all"):
            run["scaling"] = scaling(rounds, max(3, blocks // 2), args.threads)
        if args.only in ("own", "all"):
            run["import_order"] = import_order(rounds + 1, max(3, blocks // 2))
    finally:
        os.remove(weights_file)
    run["load_after"] = os.getloadavg()
    with open(args.json, "w") as f:
        json.dump(run, f, indent=1)
    print(f"wrote {args.json}; load average {run['load_before'][0]:.2f} -> {run['load_after'][0]:.2f}")


if __name__ == "__main__":
    main()
