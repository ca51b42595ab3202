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
    "kron": lambda L, a, b: L.kron(a, b),
    "vdot": lambda L, a, b: L.vdot(a, b),
    "cross": lambda L, a, b: L.linalg.cross(a, b),
    "tensordot2": lambda L, a, b: L.tensordot(a, b, 2),
    "tensordot_dims": lambda L, a, b: L.tensordot(a, b, ([0], [1])),
    "matmul_broadcast": lambda L, a, b: L.matmul(a.unsqueeze(0), b),
    # wrong ranks, empty batches and mixed dtypes included (input takes one operand's dtype)
    "addmv": lambda L, a, b: L.addmv(a.sum(), a, b),
    "addmv_vector": lambda L, a, b: L.addmv(a[..., 0] if a.ndim and a.shape[-1] else a.sum(), a, b, beta=0.5),
    "addbmm": lambda L, a, b: L.addbmm(a.sum(), a, b),
    "addbmm_other_dtype": lambda L, a, b: L.addbmm(b.sum(), a, b, alpha=2),
    "baddbmm": lambda L, a, b: L.baddbmm(b.sum(), a, b),
    "baddbmm_input_dtype": lambda L, a, b: L.baddbmm(a.sum(), a, b, beta=0),
    "addr": lambda L, a, b: L.addr(b.sum(), a, b),
    "addmm_other_dtype": lambda L, a, b: L.addmm(b.sum(), a, b),
}
EINSUMS = ["ij,jk->ik", "ij,ij->", "jl,lj->j", "bij,bjk->bik", "i,j->ij", "ii->i", "ij->ji", "ij,kj->ik"]

KNOWN: list = []  # every difference found so far is fixed; add (description, predicate) entries


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
