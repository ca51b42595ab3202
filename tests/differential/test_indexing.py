"""Indexing, setitem, gather/scatter and index_* with random (also negative, out-of-range) indices."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import compare, random_array, shapes
from known import is_known

KNOWN: list = []  # every difference found so far is fixed; add (description, predicate) entries


def _index(seed, shape, low, high):
    return np.random.default_rng(seed).integers(low, high, shape).astype(np.int64)


@given(shape=shapes(min_dims=1, max_dims=3, min_side=1), dtype=st.sampled_from(["float32", "float64", "int64"]),
       seed=st.integers(0, 2**16), dim=st.integers(-3, 2), n=st.integers(0, 4), out_of_range=st.booleans(),
       op=st.sampled_from(["index_select", "gather", "scatter", "scatter_add", "index_add", "take_along_dim",
                           "getitem_tensor", "getitem_mixed", "setitem", "setitem_other_dtype",
                           "masked_fill", "masked_fill_inf", "index_copy", "index_fill", "setitem_mask",
                           "index_put_accumulate", "scatter_reduce_amax", "scatter_reduce_mean", "setitem_slice",
                           "masked_select", "index_put", "take", "put", "scatter_reduce_sum",
                           "scatter_reduce_prod", "scatter_reduce_amin", "nonzero", "argwhere", "select",
                           "getitem_bool_none", "index_reduce_prod", "index_reduce_mean", "index_reduce_amax",
                           "index_reduce_amin", "masked_scatter", "masked_scatter_broadcast", "masked_scatter_"]))
def test_indexing(shape, dtype, seed, dim, n, out_of_range, op):
    if is_known(KNOWN, op=op, dtype=dtype, out_of_range=out_of_range and op != "take_along_dim",
                shape=shape, dim=dim, n=n):
        return
    a = random_array(seed, shape, dtype, special=False)
    d = dim % len(shape) if -len(shape) <= dim < len(shape) else 0
    size = shape[d]
    # torch 2.13's take_along_dim does not check its indices (it reads past the tensor), so
    # out-of-range indices are only generated for the ops that torch checks
    out_of_range = out_of_range and op != "take_along_dim"
    low, high = (-size - 2, size + 2) if out_of_range else (0, size)
    idx = _index(seed + 1, (n,), low, high)
    # index_add and index_copy below work along dim 0
    low0, high0 = (-shape[0] - 2, shape[0] + 2) if out_of_range else (0, shape[0])
    idx0 = _index(seed + 1, (n,), low0, high0)
    idx_full = _index(seed + 2, shape, low, high)
    src = random_array(seed + 3, shape, dtype, special=False)
    mask = np.random.default_rng(seed + 4).random(shape) < 0.5
    vals = random_array(seed + 5, (n,) + shape[d + 1:] if d == 0 else shape, dtype, special=False)
    calls = {
        "index_select": (lambda L, x, i: L.index_select(x, dim, i), [a, idx]),
        "gather": (lambda L, x, i: L.gather(x, dim, i), [a, idx_full]),
        "scatter": (lambda L, x, i, s: L.scatter(x, dim, i, s), [a, idx_full, src]),
        "scatter_add": (lambda L, x, i, s: L.scatter_add(x, dim, i, s), [a, idx_full, src]),
        "index_add": (lambda L, x, i, s: L.index_add(x, 0, i, s), [a, idx0, vals]),
        "take_along_dim": (lambda L, x, i: L.take_along_dim(x, i, dim), [a, idx_full]),
        "getitem_tensor": (lambda L, x, i: x[i], [a, idx]),
        "getitem_mixed": (lambda L, x, i: x[..., i[:1].reshape(()) if len(i) else 0, None], [a, idx]),
        "setitem": (lambda L, x, i, v: _setitem(x, i, v), [a, idx, vals]),
        "setitem_other_dtype": (lambda L, x, i, v: _setitem(x, i, v.double()), [a, idx, vals]),
        "masked_fill": (lambda L, x, m: x.masked_fill(m, 2.5), [a, mask]),
        "masked_fill_inf": (lambda L, x, m: x.masked_fill(m, float("-inf")), [a, mask]),
        "index_copy": (lambda L, x, i, v: x.index_copy(0, i, v), [a, idx0, vals]),
        "index_fill": (lambda L, x, i: x.index_fill(dim, i, -1), [a, idx]),
        "setitem_mask": (lambda L, x, m: _setitem(x, m, 7), [a, mask]),
        "index_put_accumulate": (lambda L, x, i, v: x.index_put((i,), v, accumulate=True), [a, idx0, vals]),
        "scatter_reduce_amax": (lambda L, x, i, s: L.scatter_reduce(x, dim, i, s, "amax"), [a, idx_full, src]),
        "scatter_reduce_mean": (lambda L, x, i, s: L.scatter_reduce(x, dim, i, s, "mean", include_self=False),
                                [a, idx_full, src]),
        "setitem_slice": (lambda L, x, v: _setitem(x, (slice(None), slice(1, None)) if x.ndim > 1 else slice(1, None),
                                                   v.reshape(-1)[:1]), [a, src]),
        "masked_select": (lambda L, x, m: L.masked_select(x, m), [a, mask]),
        "index_put": (lambda L, x, i, v: x.index_put((i,), v), [a, idx0, vals]),
        "take": (lambda L, x, i: L.take(x, i), [a, idx_full]),
        "put": (lambda L, x, i, s: x.put(i, s), [a, idx_full, src]),
        "scatter_reduce_sum": (lambda L, x, i, s: L.scatter_reduce(x, dim, i, s, "sum"), [a, idx_full, src]),
        "scatter_reduce_prod": (lambda L, x, i, s: L.scatter_reduce(x, dim, i, s, "prod", include_self=False),
                                [a, idx_full, src]),
        "scatter_reduce_amin": (lambda L, x, i, s: L.scatter_reduce(x, dim, i, s, "amin"), [a, idx_full, src]),
        "nonzero": (lambda L, x: L.nonzero(x > 0), [a]),
        "argwhere": (lambda L, x: L.argwhere(x), [a]),
        "select": (lambda L, x: L.select(x, dim, n - 2), [a]),
        "getitem_bool_none": (lambda L, x, m: x[None, m[(0,) * (x.ndim - 1)] if x.ndim > 1 else m, ...], [a, mask]),
        "index_reduce_prod": (lambda L, x, i, v: x.index_reduce(0, i, v, "prod"), [a, idx0, vals]),
        "index_reduce_mean": (lambda L, x, i, v: L.index_reduce(x, 0, i, v, "mean", include_self=n % 2 == 0), [a, idx0, vals]),
        "index_reduce_amax": (lambda L, x, i, s: x.index_reduce(dim, i, s, "amax", include_self=False), [a, idx, src]),
        "index_reduce_amin": (lambda L, x, i, s: x.index_reduce(dim, i[:1], s, "amin"), [a, idx, src]),
        "masked_scatter": (lambda L, x, m, s: x.masked_scatter(m, s.reshape(-1)[:n * 2]), [a, mask, src]),
        "masked_scatter_broadcast": (lambda L, x, m, s: L.masked_scatter(x[..., :1], m, s), [a, mask, src]),
        "masked_scatter_": (lambda L, x, m, s: x.clone().masked_scatter_(m[..., :1], s), [a, mask, src]),
    }
    fn, arrays = calls[op]
    compare(op, fn, arrays, code=f"{op} dim={dim}", weight_seed=seed)


def _setitem(x, i, v):
    y = x.clone()
    y[i] = v
    return y
