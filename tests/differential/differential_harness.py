"""Run one call under minitorch and torch on the same random inputs and compare everything.

`compare(op, call, arrays)` builds tensors from the numpy `arrays` (floating ones require
grad), runs `call(lib, *tensors)` with lib = minitorch and lib = torch, and checks:

* both raise, or neither: if both raise, the exception classes match (by name);
* the outputs: same count, shapes, dtypes, and values, NaN and +-inf in the same places;
* the gradients of every floating input under the same random weighting of the outputs.

Values agree to the tolerance of the least precise floating dtype among the inputs and outputs:
torch computes through it, so its own result is no more precise than that.

A mismatch raises AssertionError naming the op and what differed, unless MINITORCH_FUZZ_LOG
names a file: then one JSON line per mismatch is appended there and the run goes on.
`known(case)` entries in each module's KNOWN_DIFFERENCES keep confirmed bugs of the op
layer out of CI; each entry's description says what differs and why (see known.py).
"""
from __future__ import annotations

import json
import os

import numpy as np
import torch
from hypothesis import strategies as st

import minitorch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
FLOATS = ["float16", "float32", "float64"]
TOLERANCE = {"float16": (1e-2, 1e-2), "float32": (1e-4, 1e-5), "float64": (1e-10, 1e-12)}


def shapes(min_dims=0, max_dims=3, min_side=0, max_side=4):
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def random_array(seed: int, shape: tuple, dtype: str, special: bool = True) -> np.ndarray:
    """Values for `dtype`: small integers (no overflow), normals with some 0, +-inf and NaN."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype == "uint8":
        return np.asarray(rng.integers(0, 10, shape), dtype=np.uint8)
    if dtype.startswith("int"):
        return np.asarray(rng.integers(-6, 7, shape), dtype=dtype)
    values = rng.standard_normal(shape) * 2
    if special and values.size:
        mask = rng.random(shape)
        values = np.where(mask < 0.05, 0.0, values)
        values = np.where((mask >= 0.05) & (mask < 0.08), np.inf * np.sign(values - 0.1), values)
        values = np.where((mask >= 0.08) & (mask < 0.1), np.nan, values)
    return np.asarray(values, dtype=dtype)  # an array also for shape (): never a numpy scalar


def _run(lib, call, arrays):
    inputs = []
    for a in arrays:
        if isinstance(a, np.ndarray):
            t = lib.tensor(a)
            if a.dtype.kind == "f":
                t.requires_grad_(True)
            inputs.append(t)
        else:
            inputs.append(a)
    try:
        out = call(lib, *inputs)
    except Exception as e:  # the class is compared with torch's
        return inputs, None, e
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return inputs, outs, None


def _class(e: BaseException) -> str:
    name = type(e).__name__.lstrip("_")
    return {"LinAlgError": "RuntimeError", "OutOfMemoryError": "RuntimeError"}.get(name, name)


class Mismatch(AssertionError):
    pass


def _fail(op: str, kind: str, detail: str, repro: str) -> None:
    log = os.environ.get("MINITORCH_FUZZ_LOG")
    if log:
        with open(log, "a") as f:
            f.write(json.dumps({"op": op, "kind": kind, "detail": detail[:300], "repro": repro[:600]}) + "\n")
        return
    raise Mismatch(f"{op}: {kind}: {detail}\nrepro: {repro}")


def _values_differ(m: np.ndarray, t: np.ndarray, dtype: str) -> str | None:
    if m.dtype.kind in "fc":
        nan_m, nan_t = np.isnan(m), np.isnan(t)
        if not np.array_equal(nan_m, nan_t):
            return "NaN positions differ"
        inf_m, inf_t = np.isinf(m), np.isinf(t)
        if not np.array_equal(inf_m, inf_t) or not np.array_equal(m[inf_m], t[inf_t]):
            return "inf positions differ"
        rtol, atol = TOLERANCE.get(dtype, (1e-4, 1e-5))
        ok = ~(nan_m | inf_m)
        scale = np.maximum(1.0, np.abs(t[ok]).max()) if ok.any() else 1.0
        if not np.allclose(m[ok], t[ok], rtol=rtol, atol=atol * scale):
            worst = np.abs(m[ok].astype(np.float64) - t[ok]).max()
            return f"values differ by up to {worst:.3g}"
        return None
    return None if np.array_equal(m, t) else "values differ"


def _coarsest(dtype: str, arrays) -> str:
    """The least precise of `dtype` and the floating dtypes of `arrays`: a float64 result computed
    from float32 operands (as torch computes it, e.g. a float32 partial sum promoted afterwards)
    can only agree to float32's precision. (Never looser than float32 for a wider result: torch does
    not compute a float32 or float64 result in half.)"""
    if dtype not in TOLERANCE or dtype == "float16":
        return dtype
    names = [dtype] + [str(a.dtype) for a in arrays if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
    return min((n for n in names if n != "float16"), key=FLOATS.index)


def describe(arrays) -> str:
    def one(a) -> str:
        if not isinstance(a, np.ndarray):
            return repr(a)
        if a.size == 0:  # tolist() of shape (0, 3) and of (0,) both print []
            return f"np.zeros({a.shape}, dtype='{a.dtype}')"
        return f"np.array({a.tolist()!r}, dtype='{a.dtype}')"
    return ", ".join(one(a) for a in arrays)


def compare(op: str, call, arrays, *, code: str = "", grad: bool = True, weight_seed: int = 0) -> None:
    """Compare `call(lib, *tensors)` under minitorch and torch (see the module docstring)."""
    repro = f"{code or op} with inputs ({describe(arrays)})"
    m_in, m_out, m_err = _run(minitorch, call, arrays)
    t_in, t_out, t_err = _run(torch, call, arrays)
    if t_err is not None or m_err is not None:
        if t_err is None:
            return _fail(op, "minitorch raises, torch does not", f"{_class(m_err)}: {m_err}", repro)
        if m_err is None:
            return _fail(op, "torch raises, minitorch does not", f"{_class(t_err)}: {t_err}", repro)
        if _class(m_err) != _class(t_err):
            return _fail(op, "exception class differs",
                         f"minitorch {_class(m_err)}: {m_err} / torch {_class(t_err)}: {t_err}", repro)
        return None
    if len(m_out) != len(t_out):
        return _fail(op, "output count differs", f"{len(m_out)} vs {len(t_out)}", repro)
    for i, (m, t) in enumerate(zip(m_out, t_out)):
        if not isinstance(t, torch.Tensor):
            if m != t:
                return _fail(op, "python result differs", f"{m!r} vs {t!r}", repro)
            continue
        if tuple(m.shape) != tuple(t.shape):
            return _fail(op, "shape differs", f"output {i}: {tuple(m.shape)} vs {tuple(t.shape)}", repro)
        if str(m.dtype) != str(t.dtype):
            return _fail(op, "dtype differs", f"output {i}: {m.dtype} vs {t.dtype}", repro)
        problem = _values_differ(m.detach().numpy(), t.detach().numpy(),
                                 _coarsest(str(t.dtype).split(".")[-1], arrays))
        if problem:
            return _fail(op, "value differs", f"output {i}: {problem}", repro)
    if grad:
        _compare_gradients(op, m_in, m_out, t_in, t_out, weight_seed, repro, arrays)
    return None


def _compare_gradients(op, m_in, m_out, t_in, t_out, weight_seed, repro, arrays):
    pairs = [(m, t) for m, t in zip(m_out, t_out) if isinstance(t, torch.Tensor) and t.requires_grad]
    leaves = [(m, t) for m, t in zip(m_in, t_in) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not pairs or not leaves:
        return None
    rng = np.random.default_rng(weight_seed)
    weights = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    t_loss = sum((t * torch.tensor(w, dtype=t.dtype)).sum() for (_, t), w in zip(pairs, weights))
    try:
        t_grads = torch.autograd.grad(t_loss, [t for _, t in leaves], allow_unused=True)
    except Exception:
        return None  # torch cannot differentiate this: nothing to compare against
    m_loss = sum((m * minitorch.tensor(w, dtype=m.dtype)).sum() for (m, _), w in zip(pairs, weights))
    try:
        m_grads = minitorch.autograd.grad(m_loss, [m for m, _ in leaves], allow_unused=True)
    except Exception as e:
        return _fail(op, "backward raises", f"{_class(e)}: {e}", repro)
    for i, (mg, tg) in enumerate(zip(m_grads, t_grads)):
        if tg is None:
            continue
        if mg is None:
            return _fail(op, "gradient missing", f"input {i}", repro)
        if tuple(mg.shape) != tuple(tg.shape) or str(mg.dtype) != str(tg.dtype):
            return _fail(op, "gradient shape/dtype differs", f"input {i}: {mg.shape} {mg.dtype} vs "
                         f"{tuple(tg.shape)} {tg.dtype}", repro)
        precision = _coarsest(str(tg.dtype).split(".")[-1], list(arrays) + [t.detach().numpy() for _, t in pairs])
        problem = _values_differ(mg.numpy(), tg.numpy(force=True), precision)  # (force: torch's ZeroTensor)
        if problem:
            return _fail(op, "gradient differs", f"input {i}: {problem}", repro)
    return None


def compare_gradient_accuracy(op: str, call, arrays, *, code: str = "", weight_seed: int = 0) -> None:
    """For gradients that are rounding noise in the inputs' precision (terms that cancel, as in a
    normalisation over 2 or 3 values), where torch's float32/float16 bits are not a spec: minitorch's
    gradients must be as close to the exact ones (torch's, in float64 on the same rounded values) as
    torch's own are, to twice torch's error plus the dtype's absolute tolerance. NaN and inf must lie
    where torch's do. Values are compared by `compare(..., grad=False)`, not here."""
    repro = f"{code or op} with inputs ({describe(arrays)})"
    wide = [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in arrays]
    runs = [_run(minitorch, call, arrays), _run(torch, call, arrays), _run(torch, call, wide)]
    if any(err is not None for _, _, err in runs):
        return None  # the error classes are compare's business
    grads = []
    for lib, (inputs, outs, _) in zip((minitorch, torch, torch), runs):
        pairs = [o for o in outs if isinstance(o, lib.Tensor) and o.requires_grad]
        leaves = [t for t in inputs if isinstance(t, lib.Tensor) and t.requires_grad]
        rng = np.random.default_rng(weight_seed)
        weights = [rng.standard_normal(tuple(o.shape)).astype(str(runs[0][1][i].dtype).split(".")[-1])
                   for i, o in enumerate(pairs)]  # the same numbers in every run: rounded to the narrow dtype
        loss = sum((o * lib.tensor(w, dtype=o.dtype)).sum() for o, w in zip(pairs, weights))
        grads.append(lib.autograd.grad(loss, leaves, allow_unused=True))
    for i, (m, t, exact) in enumerate(zip(*grads)):
        if t is None or m is None:
            continue
        dtype = str(t.dtype).split(".")[-1]
        m, t, exact = m.numpy().astype(np.float64), t.numpy(force=True).astype(np.float64), exact.numpy(force=True)
        if not (np.array_equal(np.isnan(m), np.isnan(t)) and np.array_equal(m[np.isinf(m)], t[np.isinf(m)])
                and np.array_equal(np.isinf(m), np.isinf(t))):
            return _fail(op, "gradient differs", f"input {i}: NaN/inf positions differ", repro)
        ok = np.isfinite(exact) & np.isfinite(t)
        if not ok.any():
            continue
        scale = max(1.0, np.abs(exact[ok]).max())
        ours, theirs = np.abs(m[ok] - exact[ok]).max(), np.abs(t[ok] - exact[ok]).max()
        if ours > 2 * theirs + TOLERANCE[dtype][1] * scale:
            return _fail(op, "gradient less accurate than torch's",
                         f"input {i}: {ours:.3g} from the exact gradient, torch {theirs:.3g}", repro)
    return None
