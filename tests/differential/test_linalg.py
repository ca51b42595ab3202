"""minitorch.linalg against torch.linalg: square systems and factorisations on random matrices, some
exactly singular (small integers, a repeated row, a zero pivot), batched and broadcast, with the
*_ex variants' partial results for the failed ones."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import compare, random_array
from known import is_known

SQUARE = {
    "inv": lambda L, a, b: L.linalg.inv(a), "det": lambda L, a, b: L.linalg.det(a),
    "slogdet": lambda L, a, b: tuple(L.linalg.slogdet(a)), "logdet": lambda L, a, b: L.logdet(a),
    "solve": lambda L, a, b: L.linalg.solve(a, b),
    "solve_left_false": lambda L, a, b: L.linalg.solve(a, b.mT, left=False),
    "solve_triangular_upper": lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True),
    "solve_triangular_lower_right": lambda L, a, b: L.linalg.solve_triangular(a, b.mT, upper=False, left=False),
    "solve_triangular_unit": lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True, unitriangular=True),
    "cholesky": lambda L, a, b: L.linalg.cholesky(a @ a.mT + a.shape[-1] * L.eye(a.shape[-1], dtype=a.dtype)),
}
# the *_ex results of a failed matrix have no gradient to compare (torch's is inf/nan through the zero pivot)
EX = {
    "inv_ex": lambda L, a, b: tuple(L.linalg.inv_ex(a)), "solve_ex": lambda L, a, b: tuple(L.linalg.solve_ex(a, b)),
    "solve_ex_left_false": lambda L, a, b: tuple(L.linalg.solve_ex(a, b.mT, left=False)),
    "cholesky_ex": lambda L, a, b: tuple(L.linalg.cholesky_ex(a)),
    "cholesky_ex_upper": lambda L, a, b: tuple(L.linalg.cholesky_ex(a, upper=True)),
}

KNOWN = [
    ("det's gradient at an exactly singular matrix of rank n - 1: the derivative is the cofactor matrix adj(A)^T "
     "(finite differences agree), which torch 2.13 gives under create_graph=True (its SVD formula) but not from its "
     "plain backward, which returns zeros (its LU solve masked where det == 0): an inconsistency inside torch. "
     "minitorch gives adj(A)^T in both modes (test_known.py pins the three answers)",
     lambda c: c["op"] == "det" and _some_singular(c)),
    ("slogdet's (and logdet's) gradient at an exactly singular matrix, where logabsdet is -inf and has no derivative: torch 2.13 "
     "returns A^-T from its LU solve through the zero pivot (inf and NaN); minitorch replays that solve "
     "(solve_ex(A, I, left=False)), whose inf/NaN positions differ from MKL's in some cases (a 0 * inf that MKL's "
     "trsm does not form); either answer is undefined, and the values of slogdet agree",
     lambda c: c["op"] in ("slogdet", "logdet") and _some_singular(c)),
    ("cholesky_ex in float32 of an exactly singular positive semi-definite matrix: the last pivot is a rounding "
     "residue (MKL's potrf: 1.2e-7, whose square root 3.5e-4 lands in L; numpy's LAPACK: 4e-16, root 2e-8), so L's "
     "last diagonal entry differs by that square root; the matrix has no Cholesky factor in exact arithmetic",
     lambda c: c["op"].startswith("cholesky_ex") and c["dtype"] == "float32" and _some_singular(c)),
]


def _some_singular(case) -> bool:
    a = _matrices(case["seed"], case["batch"] + (case["n"], case["n"]), case["dtype"], case["kind"])
    return a.size > 0 and bool(np.any(np.linalg.matrix_rank(a.astype(np.float64)) < case["n"]))


def _matrices(seed: int, shape: tuple, dtype: str, kind: str) -> np.ndarray:
    """Random normals; or small integers (often exactly singular, and every LU step exact in n <= 2)
    with, for 'repeated', a row that repeats another."""
    if kind == "normal":
        return random_array(seed, shape, dtype, special=False) + 3 * np.eye(shape[-1], dtype=dtype)
    a = np.random.default_rng(seed).integers(-2, 3, shape).astype(dtype)
    if kind == "repeated" and shape[-1] > 1:
        a[..., -1, :] = a[..., 0, :]
    return a


@given(op=st.sampled_from(sorted(SQUARE) + sorted(EX)), n=st.integers(0, 3), batch=st.sampled_from([(), (2,), (2, 1)]),
       rhs_batch=st.sampled_from([(), (1,), (2,)]), k=st.integers(1, 2),
       kind=st.sampled_from(["normal", "integers", "repeated"]), dtype=st.sampled_from(["float32", "float64"]),
       seed=st.integers(0, 2**16))
def test_linalg(op, n, batch, rhs_batch, k, kind, dtype, seed):
    if op in EX and kind == "integers" and n > 2:
        kind = "repeated"  # n = 3 pivots of 1/3 round, and LAPACK's and our roundings may then disagree on 0
    if is_known(KNOWN, op=op, n=n, kind=kind, dtype=dtype, seed=seed, batch=batch):
        return
    a = _matrices(seed, batch + (n, n), dtype, kind)
    b = random_array(seed + 1, rhs_batch + (n, k), dtype, special=False)
    fn = SQUARE.get(op) or EX[op]
    compare(op, fn, [a, b], code=f"linalg {op}", weight_seed=seed, grad=op in SQUARE)
