"""Casts between every pair of dtypes (NaN, +-inf and values beyond the target's range included), through
.to, the dtype methods and type_as, with the gradient back through the cast."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import DTYPES, compare, random_array, shapes
from known import is_known

KNOWN: list = []  # every difference found so far is fixed; add (description, predicate) entries

CASTS = {
    "to": lambda L, a, dt: a.to(getattr(L, dt)),
    "method": lambda L, a, dt: getattr(a, {"bool": "bool", "uint8": "byte", "int8": "char", "int16": "short",
                                           "int32": "int", "int64": "long", "float16": "half", "float32": "float",
                                           "float64": "double"}[dt])(),
    "type_as": lambda L, a, dt: a.type_as(L.zeros(1, dtype=getattr(L, dt))),
}


@given(op=st.sampled_from(sorted(CASTS)), shape=shapes(), source=st.sampled_from(DTYPES),
       target=st.sampled_from(DTYPES), scale=st.sampled_from([1.0, 100.0, 1e5, 1e10]), seed=st.integers(0, 2**16))
def test_cast(op, shape, source, target, scale, seed):
    if is_known(KNOWN, op=op, source=source, target=target, scale=scale):
        return
    a = random_array(seed, shape, source)
    if a.dtype.kind == "f":  # values beyond the narrower types' ranges
        with np.errstate(over="ignore"):
            a = (a.astype(np.float64) * scale).astype(source)
    compare(op, lambda L, x: CASTS[op](L, x, target), [a], code=f"{op}({target}) of {source} * {scale}",
            weight_seed=seed)
