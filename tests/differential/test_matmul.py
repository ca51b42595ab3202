"""Matrix products and einsum: random (also mismatched) shapes, mixed dtypes, gradients."""
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import compare, random_array, shapes
from known import is_known

PRODUCTS = {
    "matmul": lambda L, a, b: L.matmul(a, b), "mm": lambda L, a, b: L.mm(a, b),
    "bmm": lambda L, a, b: L.bmm(a, b), "mv": lambda L, a, b: L.mv(a, b), "dot": lambda L, a, b: L.dot(a, b),
    "outer": lambda L, a, b: L.outer(a, b), "inner": lambda L, a, b: L.inner(a, b),
    "tensordot": lambda L, a, b: L.tensordot(a, b, 1),
    "addmm": lambda L, a, b: L.addmm(a.sum(), a, b),
}
EINSUMS = ["ij,jk->ik", "ij,ij->", "jl,lj->j", "bij,bjk->bik", "i,j->ij", "ii->i", "ij->ji", "ij,kj->ik"]

def _einsum_broadcasts(case) -> bool:
    sizes = {}
    for term, shape in zip(case["equation"].split("->")[0].split(","), case["shapes"]):
        for letter, size in zip(term, shape):
            sizes.setdefault(letter, set()).add(size)
    return any(1 in found and len(found) > 1 for found in sizes.values())


def _has_empty_or_0d(case) -> bool:
    return 0 in case["shape_a"] + case["shape_b"] or not case["shape_a"] or not case["shape_b"]


KNOWN = [
    ("einsum backward where a size-1 dim broadcasts against a larger one ('ij,ij->' with (1,1) and "
     "(1,2)): torch differentiates, minitorch's backward raises a shape error",
     lambda c: c["op"] == "einsum" and _einsum_broadcasts(c)),
    ("einsum with operands of different dtypes: torch promotes, minitorch raises 'expected scalar type'",
     lambda c: c["op"] == "einsum" and c["dtypes"][0] != c["dtypes"][1]),
    ("einsum on bool operands: torch returns bool or raises (bmm on Bool); minitorch returns int64",
     lambda c: c["op"] == "einsum" and "bool" in c["dtypes"]),
    ("matmul/mm/bmm/mv/tensordot with mixed dtypes on empty tensors, and 0-d operands of "
     "mv/tensordot: torch returns an empty result or raises IndexError/RuntimeError; minitorch raises "
     "the dtype error / RuntimeError / ZeroDivisionError",
     lambda c: c["op"] in ("matmul", "mm", "bmm", "mv", "tensordot") and _has_empty_or_0d(c)),
    ("tensordot(a, b, 1) contracting a size-1 dim with a larger one: torch broadcasts the size-1 dim, "
     "minitorch raises 'contracted dimensions need to match'",
     lambda c: c["op"] == "tensordot" and 1 in (c["shape_a"][-1:] + c["shape_b"][:1])
     and c["shape_a"][-1:] != c["shape_b"][:1]),
]


@given(op=st.sampled_from(sorted(PRODUCTS)), shape_a=shapes(max_dims=3, max_side=3),
       shape_b=shapes(max_dims=3, max_side=3), dtype_a=st.sampled_from(["float32", "float64", "int64"]),
       dtype_b=st.sampled_from(["float32", "float64", "int64"]), seed=st.integers(0, 2**16))
def test_product(op, shape_a, shape_b, dtype_a, dtype_b, seed):
    if is_known(KNOWN, op=op, shape_a=shape_a, shape_b=shape_b, dtype_a=dtype_a, dtype_b=dtype_b):
        return
    compare(op, PRODUCTS[op], [random_array(seed, shape_a, dtype_a, special=False),
                               random_array(seed + 1, shape_b, dtype_b, special=False)], weight_seed=seed)


@given(equation=st.sampled_from(EINSUMS), sizes=st.lists(st.integers(1, 3), min_size=4, max_size=4),
       ones=st.lists(st.booleans(), min_size=6, max_size=6),
       dtypes=st.sampled_from([("float32", "float32"), ("float64", "float32"), ("bool", "bool"),
                               ("int64", "float64"), ("float64", "float64")]), seed=st.integers(0, 2**16))
def test_einsum(equation, sizes, ones, dtypes, seed):
    inputs = equation.split("->")[0].split(",")
    letters = sorted(set("".join(inputs)))
    size = dict(zip(letters, sizes))
    arrays = []
    for k, (term, dtype) in enumerate(zip(inputs, dtypes)):
        # some dims of size 1, which einsum broadcasts
        shape = tuple(1 if ones[k * 3 + n % 3] and len(set(term)) == len(term) else size[c]
                      for n, c in enumerate(term))
        arrays.append(random_array(seed + k, shape, dtype, special=False))
    if is_known(KNOWN, op="einsum", equation=equation, dtypes=dtypes, shapes=[a.shape for a in arrays]):
        return
    compare("einsum", lambda L, *xs: L.einsum(equation, *xs), arrays, code=f"einsum({equation!r})",
            weight_seed=seed)
