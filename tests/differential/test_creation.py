"""Creation from Python data: torch.tensor of nested lists mixing bools, ints (up to beyond 64 bits), floats
(inf, NaN, -0.0) and the odd non-number, with and without a dtype; full, arange and linspace with
Python-number arguments of every kind."""
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import DTYPES, compare
from known import is_known

KNOWN: list = []  # every difference found so far is fixed; add (description, predicate) entries

number = st.one_of(st.booleans(), st.integers(-300, 300), st.sampled_from([2**31, -2**31 - 1, 2**63 - 1, -2**63, 2**63, 2**64]),
                   st.floats(-1e3, 1e3, width=64), st.sampled_from([0.5, -0.0, 255.9, -0.9, 1e20, float("inf"),
                                                                  float("-inf"), float("nan"), 2.0**63, 65504.0, 1e-8]))
leaf = st.one_of(number, number, number, number, st.sampled_from([None, "a", ()]))
# nested lists: mostly rectangular (a list of equal-length rows), sometimes ragged
rows = st.integers(0, 3).flatmap(lambda n: st.lists(st.lists(number, min_size=n, max_size=n), max_size=3))
data = st.one_of(number, st.lists(leaf, max_size=4), rows, st.lists(st.lists(leaf, max_size=3), max_size=3))
dtype = st.one_of(st.none(), st.sampled_from(DTYPES))


@given(data=data, dtype=dtype)
def test_tensor(data, dtype):
    if is_known(KNOWN, op="tensor", data=data, dtype=dtype):
        return
    compare("tensor", lambda L: L.tensor(data, dtype=dtype and getattr(L, dtype)), [],
            code=f"tensor({data!r}, dtype={dtype})")


# the ranges and fills take numbers within int64 (beyond it torch's argument parser's OverflowError
# is not minitorch's business) and arange's steps stay above 1e-3 (no allocation of billions of values)
small = st.one_of(st.booleans(), st.integers(-300, 300), st.floats(-1e3, 1e3, width=64),
                  st.sampled_from([0.5, -0.0, 255.9, -0.9, 1e20, float("inf"), float("-inf"), float("nan"), 65504.0]))


def _allocates_little(start, end, step) -> bool:
    """arange's length is small, or so large that both libraries refuse it: lengths in between would have
    torch fill gigabytes (a fuzz run was killed for memory)."""
    try:
        size = abs((end - start) / step)
    except (ZeroDivisionError, OverflowError):
        return True
    return not (1e6 < size < 2.0**64)  # (also NaN)


@given(op=st.sampled_from(["full", "arange", "linspace"]), a=small, b=small, c=small, dtype=dtype,
       steps=st.integers(0, 5))
def test_ranges_and_fills(op, a, b, c, dtype, steps):
    if is_known(KNOWN, op=op, a=a, b=b, c=c, dtype=dtype) or op == "arange" and not _allocates_little(a, b, c):
        return
    calls = {
        "full": lambda L: L.full((2,), a, dtype=dtype and getattr(L, dtype)),
        "arange": lambda L: L.arange(a, b, c, dtype=dtype and getattr(L, dtype)),
        "linspace": lambda L: L.linspace(a, b, steps, dtype=dtype and getattr(L, dtype)),
    }
    compare(op, calls[op], [], code=f"{op}({a!r}, {b!r}, {c!r}, steps={steps}, dtype={dtype})")
