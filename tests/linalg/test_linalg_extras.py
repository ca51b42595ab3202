"""minitorch.linalg's composites (slogdet, logdet, matrix_power, pinv, matrix_rank, multi_dot,
vecdot) and the top-level aliases (torch.inverse, ...) against torch: values, gradients, errors."""
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error


def square(n=3, batch=(2,), seed=0):
    """A well-conditioned square matrix batch (float64) with determinants of both signs."""
    a = randn(*batch, n, n, dtype=np.float64, seed=seed) + 3 * np.eye(n)
    a[..., 0, :] *= -1
    return a


def test_slogdet_and_logdet():
    a = square()
    a[1] *= -1 if a.shape[-1] % 2 else 1
    assert_matches_torch(lambda L, t: tuple(L.linalg.slogdet(t)), a, atol=1e-10, grad=False)
    assert_matches_torch(lambda L, t: L.slogdet(t).logabsdet, a, atol=1e-10)
    assert_matches_torch(lambda L, t: t.slogdet()[1], a, atol=1e-10)
    positive = a @ np.swapaxes(a, -1, -2)
    assert_matches_torch(lambda L, t: L.logdet(t), positive, atol=1e-10)
    gradcheck(lambda L, t: L.logdet(t), positive)
    assert not hasattr(minitorch.linalg, "logdet")  # torch.linalg has none
    gradcheck(lambda L, t: L.linalg.slogdet(t).logabsdet, a)
    sign, logabsdet = minitorch.linalg.slogdet(minitorch.zeros(2, 2, dtype=minitorch.float64))
    assert sign.item() == 0 and logabsdet.item() == -np.inf
    assert np.isnan(minitorch.logdet(minitorch.tensor(a[0])).item()) == np.isnan(torch.logdet(torch.tensor(a[0])).item())


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_slogdet_is_one_node_and_the_sign_has_no_gradient(lib):
    A = lib.tensor(square()[0], requires_grad=True)
    sign, logabsdet = lib.linalg.slogdet(A)
    assert type(sign.grad_fn).__name__ == type(logabsdet.grad_fn).__name__ == "LinalgSlogdetBackward0"
    assert sign.grad_fn is logabsdet.grad_fn and sign.requires_grad
    assert [type(n).__name__ for n, _ in logabsdet.grad_fn.next_functions] == ["AccumulateGrad"]
    sign.sum().backward(retain_graph=True)
    # the sign is piecewise constant: torch leaves A.grad None, minitorch accumulates zeros
    assert A.grad is None if lib is torch else not A.grad.any()
    A.grad = None
    (sign * 2 + logabsdet).backward()
    np.testing.assert_allclose(A.grad.numpy(), np.linalg.inv(A.detach().numpy()).T, rtol=1e-10)


@pytest.mark.parametrize("n", [0, 1, 2, 5, -1, -3])
def test_matrix_power(n):
    a = square()
    assert_matches_torch(lambda L, t: L.linalg.matrix_power(t, n), a, atol=1e-8)
    assert_matches_torch(lambda L, t: t.matrix_power(n), a, atol=1e-8)
    gradcheck(lambda L, t: L.matrix_power(t, n), a)


def test_matrix_power_needs_square_matrices():
    with pytest.raises(RuntimeError) as theirs:
        torch.linalg.matrix_power(torch.zeros(2, 3), 2)
    with pytest.raises(RuntimeError) as ours:
        minitorch.linalg.matrix_power(minitorch.zeros(2, 3), 2)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 3), (2, 3, 5)])
def test_pinv(shape):
    a = randn(*shape, dtype=np.float64, seed=1)
    assert_matches_torch(lambda L, t: L.linalg.pinv(t), a, atol=1e-10)
    assert_matches_torch(lambda L, t: L.pinverse(t), a, atol=1e-10)
    assert_matches_torch(lambda L, t: t.pinverse(), a, atol=1e-10)
    gradcheck(lambda L, t: L.linalg.pinv(t), a)


def test_pinv_and_matrix_rank_of_rank_deficient_matrices():
    a = randn(2, 4, 2, dtype=np.float64, seed=2) @ randn(2, 2, 3, dtype=np.float64, seed=3)
    assert_matches_torch(lambda L, t: L.linalg.pinv(t), a, atol=1e-9, grad=False)
    assert_matches_torch(lambda L, t: L.linalg.pinv(t, atol=0.5), a, atol=1e-9, grad=False)
    for kwargs in ({}, {"atol": 1.0}, {"rtol": 0.5}, {"atol": 0.1, "rtol": 0.0}):
        ours = minitorch.linalg.matrix_rank(minitorch.tensor(a), **kwargs)
        theirs = torch.linalg.matrix_rank(torch.tensor(a), **kwargs)
        assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)


@pytest.mark.parametrize("shapes", [[(3, 4), (4, 2)], [(4,), (4, 3), (3, 2)], [(2, 3), (3, 5), (5,)],
                                    [(4,), (4, 2), (2, 3), (3,)]])
def test_multi_dot(shapes):
    arrays = [randn(*s, dtype=np.float64, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(lambda L, *ts: L.linalg.multi_dot(list(ts)), *arrays, atol=1e-10)


def test_multi_dot_errors_like_torch():
    z2, z3 = minitorch.zeros(2, 2), minitorch.zeros(2, 2, 2)
    for args in ([z2], [z3, z2], [z2, z3, z2], [z2, z3]):
        with pytest.raises(RuntimeError) as theirs:
            torch.linalg.multi_dot([torch.zeros(*t.shape) for t in args])
        with pytest.raises(RuntimeError) as ours:
            minitorch.linalg.multi_dot(args)
        assert str(ours.value) == str(theirs.value)


def test_vecdot_broadcasts():
    x, y = randn(2, 1, 4, dtype=np.float64), randn(3, 4, dtype=np.float64, seed=1)
    assert_matches_torch(lambda L, a, b: L.linalg.vecdot(a, b), x, y, atol=1e-10)
    assert_matches_torch(lambda L, a, b: L.linalg.vecdot(a, b, dim=0), x[:, 0], y[:2], atol=1e-10)


@pytest.mark.filterwarnings("ignore:torch.(cholesky|qr) is deprecated")
def test_top_level_aliases_and_methods():
    a = square()
    spd = a @ np.swapaxes(a, -1, -2)
    for call in (lambda L, t: L.inverse(t), lambda L, t: t.inverse(), lambda L, t: L.det(t),
                 lambda L, t: t.det()):
        assert_matches_torch(call, a, atol=1e-9)
    assert_matches_torch(lambda L, t: t.logdet(), a @ np.swapaxes(a, -1, -2), atol=1e-9)
    for call in (lambda L, t: L.cholesky(t), lambda L, t: L.cholesky(t, True), lambda L, t: t.cholesky(upper=True)):
        assert_matches_torch(call, spd, atol=1e-9)
    r = randn(4, 3, dtype=np.float64)
    for call in (lambda L, t: tuple(L.qr(t)), lambda L, t: tuple(t.qr()),
                 lambda L, t: tuple(L.qr(t, some=False))):
        assert_matches_torch(call, r, atol=1e-9, grad=False)
    assert_matches_torch(lambda L, t: L.qr(t)[1], r, atol=1e-9)
    assert type(minitorch.inverse(minitorch.tensor(a))).__name__ == "Tensor"
    assert minitorch.inverse(minitorch.tensor(a, requires_grad=True)).grad_fn.name() == \
        torch.inverse(torch.tensor(a, requires_grad=True)).grad_fn.name()


@pytest.fixture(scope="module")
def torch_deprecations():
    """torch's deprecation messages, from a fresh process (torch warns once per process)."""
    script = ("import json, warnings, torch\n"
              "e = torch.eye(2, dtype=torch.float64)\n"
              "with warnings.catch_warnings(record=True) as w:\n"
              "    warnings.simplefilter('always')\n"
              "    torch.cholesky(e); torch.qr(e); torch.chain_matmul(e, e)\n"
              "print(json.dumps([str(x.message).split(' (Triggered')[0] for x in w]))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return dict(zip(["cholesky", "qr", "chain_matmul"], json.loads(out.stdout)))


@pytest.mark.parametrize("name,args", [("cholesky", 1), ("qr", 1), ("chain_matmul", 3)])
def test_deprecated_names_warn_like_torch(torch_deprecations, name, args):
    e = minitorch.eye(2, dtype=minitorch.float64)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        getattr(minitorch, name)(*[e] * args)
    assert [w.category for w in ours] == [UserWarning]
    assert str(ours[0].message) == torch_deprecations[name]


@pytest.mark.filterwarnings("ignore:torch.chain_matmul is deprecated")
def test_chain_matmul():
    arrays = [randn(2, 3, dtype=np.float64), randn(3, 4, dtype=np.float64, seed=1), randn(4, 2, dtype=np.float64, seed=2)]
    assert_matches_torch(lambda L, *ts: L.chain_matmul(*ts), *arrays, atol=1e-10)


def test_matmul_and_diagonal():
    a, b = randn(2, 3, 4, dtype=np.float64), randn(4, 5, dtype=np.float64, seed=1)
    assert_matches_torch(lambda L, t, u: L.linalg.matmul(t, u), a, b, atol=1e-10)
    assert_matches_torch(lambda L, t: L.linalg.diagonal(t), a, atol=0)
    assert_matches_torch(lambda L, t: L.linalg.diagonal(t, offset=1, dim1=0, dim2=2), a, atol=0)


@pytest.mark.parametrize("N", [None, 2, 5])
def test_vander(N):
    x = np.array([[0.0, 2.0, -1.5], [1.0, 0.5, 3.0]])
    assert_matches_torch(lambda L, t: L.linalg.vander(t, N=N), x, atol=1e-12)
    gradcheck(lambda L, t: L.linalg.vander(t, N=N), x)
    assert_matches_torch(lambda L, t: L.linalg.vander(t, N=N), np.array([1, 2, 3]), atol=0)
    for bad in (dict(x=np.array(1.0)), dict(x=x, N=1), dict(x=x, N=0)):
        with pytest.raises(RuntimeError) as theirs:
            torch.linalg.vander(torch.tensor(bad["x"]), N=bad.get("N"))
        with pytest.raises(RuntimeError) as ours:
            minitorch.linalg.vander(minitorch.tensor(bad["x"]), N=bad.get("N"))
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", 1, -1, float("inf")])
def test_cond(p):
    a = square()
    # torch's backward fails for the norm-based p (it writes into inv's saved output): values only
    assert_matches_torch(lambda L, t: L.linalg.cond(t, p), a, atol=1e-9, grad=p in (None, 2, -2))
    gradcheck(lambda L, t: L.linalg.cond(t, p), a)
    if p in (None, 2, -2):
        assert_matches_torch(lambda L, t: L.linalg.cond(t, p), randn(2, 3, 5, dtype=np.float64), atol=1e-9)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unitriangular", [True, False])
def test_solve_triangular(upper, left, unitriangular):
    a = square()       # both triangles full: only the chosen one may be read
    b = randn(2, 3, 4, dtype=np.float64, seed=5)
    b = b if left else np.swapaxes(b, -1, -2)
    call = lambda L, t, u: L.linalg.solve_triangular(t, u, upper=upper, left=left, unitriangular=unitriangular)
    assert_matches_torch(call, a, b, atol=1e-9)
    gradcheck(call, a, b)


def test_solve_triangular_errors_like_torch():
    for shapes in (((3, 3), (3,)), ((3, 3), (4, 2)), ((3, 2, 2), (2, 2, 1)), ((2, 3), (2, 1))):
        with pytest.raises(RuntimeError) as theirs:
            torch.linalg.solve_triangular(torch.ones(*shapes[0]), torch.ones(*shapes[1]), upper=True)
        with pytest.raises(RuntimeError) as ours:
            minitorch.linalg.solve_triangular(minitorch.ones(*shapes[0]), minitorch.ones(*shapes[1]), upper=True)
        assert str(ours.value) == str(theirs.value)



@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
def test_solve_triangular_divides_by_a_zero_diagonal_like_torch(upper, left):
    # torch's trsm has no singularity check: inf where b / 0, nan where 0 / 0 or 0 * inf, and the
    # substitution carries them on; the gradients (through the transposed solve) are inf/nan alike
    a = np.stack([square(3, ())] * 4)
    a[0, 1, 1] = 0
    a[1, 0, 0] = a[1, 2, 2] = 0
    a[2, 1, 1] = 0
    a[2, 0, 2] = a[2, 2, 0] = a[2, 0, 1] = a[2, 1, 0] = 0
    b = randn(4, 3, 2, dtype=np.float64, seed=3)
    b[3] = 0
    a[3, 1, 1] = 0  # 0 / 0
    b = b if left else np.swapaxes(b, -1, -2)
    assert_matches_torch(lambda L, t, u: L.linalg.solve_triangular(t, u, upper=upper, left=left), a, b, atol=1e-9)


def test_solve_triangular_computes_in_As_dtype_like_torch():
    # torch casts B to A's dtype and refuses A's that its trsm lacks (NotImplementedError, after the shape checks)
    for dtypes in ((np.float32, np.float64), (np.float64, np.float32), (np.float32, np.int64)):
        a, b = square(2, ()).astype(dtypes[0]), np.array([[1, 2], [3, 4]], dtypes[1])
        assert_matches_torch(lambda L, t, u: L.linalg.solve_triangular(t, u, upper=True), a, b, atol=1e-5)
    for dtype in ("int64", "float16", "bool"):
        with pytest.raises(NotImplementedError) as theirs:
            torch.linalg.solve_triangular(torch.ones(2, 2, dtype=getattr(torch, dtype)), torch.ones(2, 1), upper=True)
        with pytest.raises(NotImplementedError) as ours:
            minitorch.linalg.solve_triangular(minitorch.ones(2, 2, dtype=getattr(minitorch, dtype)),
                                              minitorch.ones(2, 1), upper=True)
        assert str(ours.value) == str(theirs.value)

@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 3, 3)])
def test_lstsq_fields_as_torch_fills_them_on_the_cpu(driver, shape):
    a, b = randn(*shape, dtype=np.float64), randn(*shape[:-1], 2, dtype=np.float64, seed=1)
    call = lambda L, t, u: tuple(L.linalg.lstsq(t, u, driver=driver))
    assert_matches_torch(call, a, b, atol=1e-9, grad=False)
    assert_matches_torch(lambda L, t, u: L.linalg.lstsq(t, u, driver=driver).solution, a, b, atol=1e-9)


@pytest.mark.parametrize("driver", ["gels", "gelsy", "gelsd", "gelss"])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 5, 3)])
def test_pinv_and_lstsq_nodes_are_named_and_require_grad_like_torch(driver, shape):
    """pinv's result and lstsq's solution and residuals (empty ones too) come from torch's
    LinalgPinvBackward0 / LinalgLstsqBackward0 nodes and require grad; rank and singular values do not."""
    a, b = randn(*shape, dtype=np.float64), randn(*shape[:-1], 2, dtype=np.float64, seed=1)

    def nodes(L):
        A, B = L.tensor(a, requires_grad=True), L.tensor(b, requires_grad=True)
        fields = [(x.grad_fn and x.grad_fn.name(), x.requires_grad, tuple(x.shape))
                  for x in L.linalg.lstsq(A, B, driver=driver)]
        return fields + [L.linalg.pinv(A).grad_fn.name()]
    assert nodes(minitorch) == nodes(torch)


def test_lstsq_rank_deficient_and_errors():
    a = randn(4, 2, dtype=np.float64) @ randn(2, 3, dtype=np.float64, seed=1)
    b = randn(4, 2, dtype=np.float64, seed=2)
    for driver in ("gelsy", "gelsd"):
        assert_matches_torch(lambda L, t, u: tuple(L.linalg.lstsq(t, u, driver=driver)), a, b, atol=1e-9, grad=False)
    with pytest.raises(RuntimeError) as theirs:
        torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver="x")
    with pytest.raises(RuntimeError) as ours:
        minitorch.linalg.lstsq(minitorch.tensor(a), minitorch.tensor(b), driver="x")
    assert str(ours.value) == str(theirs.value)


EX_CALLS = {
    "inv_ex": lambda L, t, **kw: L.linalg.inv_ex(t, **kw),
    "solve_ex": lambda L, t, **kw: L.linalg.solve_ex(t, L.ones(*t.shape[:-1], 2, dtype=t.dtype), **kw),
    "cholesky_ex": lambda L, t, **kw: L.linalg.cholesky_ex(t, **kw),
    "solve_ex_right": lambda L, t, **kw: L.linalg.solve_ex(t, L.arange(6.0, dtype=t.dtype).reshape(1, 2, 3), left=False,
                                                           **kw),
    "solve_ex_vector": lambda L, t, **kw: L.linalg.solve_ex(t, L.tensor([1.0, 0.0, -2.0], dtype=t.dtype), **kw),
    "cholesky_ex_upper": lambda L, t, **kw: L.linalg.cholesky_ex(t, upper=True, **kw),
}


@pytest.mark.parametrize("name", list(EX_CALLS))
def test_ex_variants_report_info_like_torch(name):
    good = square(3, (2,))
    good = good @ np.swapaxes(good, -1, -2)
    assert_matches_torch(lambda L, t: tuple(EX_CALLS[name](L, t)), good, atol=1e-9, grad=False)
    assert_matches_torch(lambda L, t: EX_CALLS[name](L, t)[0], good, atol=1e-9)
    bad = np.stack([good[0], np.array([[1.0, 2, 3], [2, 4, 6], [0, 1, 5]]), np.diag([1.0, -1, 2])])
    ours, theirs = EX_CALLS[name](minitorch, minitorch.tensor(bad)), EX_CALLS[name](torch, torch.tensor(bad))
    assert ours.info.tolist() == theirs.info.tolist() and str(ours.info.dtype) == str(theirs.info.dtype)
    # a failed matrix's result is what LAPACK leaves (getrf + getrs divide by the zero pivot, potf2 stops
    # at the failing column): torch returns it, inf and nan included
    np.testing.assert_allclose(ours[0].numpy(), theirs[0].numpy(), atol=1e-9)
    assert type(ours).__name__ == type(theirs).__name__ and repr(ours).split("=")[0] == repr(theirs).split("=")[0]
    with pytest.raises(torch.linalg.LinAlgError):
        EX_CALLS[name](torch, torch.tensor(bad), check_errors=True)
    plain = name.rsplit("_", 1)[0] if name.count("_") > 1 else name  # solve_ex_right -> solve_ex
    with pytest.raises(minitorch.linalg.LinAlgError, match=f"linalg.{plain}: "):
        EX_CALLS[name](minitorch, minitorch.tensor(bad), check_errors=True)


@pytest.mark.parametrize("call", [lambda L, t: L.linalg.inv(t), lambda L, t: L.linalg.inv_ex(t, check_errors=True),
                                  lambda L, t: L.linalg.solve(t, L.ones(*t.shape[:-1], 1, dtype=t.dtype))])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_singular_messages_name_the_zero_pivot_like_torch(call, batch):
    a = np.broadcast_to(np.array([[1.0, 2], [2, 4]]), batch + (2, 2)).copy()
    with pytest.raises(torch.linalg.LinAlgError) as theirs:
        call(torch, torch.tensor(a))
    with pytest.raises(minitorch.linalg.LinAlgError) as ours:
        call(minitorch, minitorch.tensor(a))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("call", [
    lambda L: L.linalg.solve(L.ones(3, 2, 2), L.ones(2, 2, 1)),                   # batch dims (B's size named first)
    lambda L: L.linalg.solve(L.ones(3, 2, 2), L.ones(2, 2, 1), left=False),       # B's shape as given
    lambda L: L.linalg.solve_ex(L.ones(3, 2, 2), L.ones(2, 2, 1)),
])
def test_solve_shape_errors_like_torch(call):
    same_error(call)


def test_solve_ex_takes_a_batch_of_vectors_and_cholesky_upper_reads_the_upper_triangle():
    a = square(3, (4, 2))
    assert_matches_torch(lambda L, t, u: tuple(L.linalg.solve_ex(t, u)), a, randn(4, 2, 3, dtype=np.float64),
                         atol=1e-9, grad=False)
    lopsided = np.array([[4.0, 1.0], [3.0, 5.0]])  # LAPACK reads only the triangle it is asked for
    for upper in (True, False):
        assert_matches_torch(lambda L, t: L.linalg.cholesky(t, upper=upper), lopsided, atol=1e-12, grad=False)


def test_slogdet_of_a_large_or_tiny_determinant_does_not_overflow_like_torch():
    # log|det| from the LU's diagonal: det itself is inf in float32 for the first, 0 for the second
    big = randn(100, 100, dtype=np.float32)
    assert_matches_torch(lambda L, t: tuple(L.linalg.slogdet(t)), big, rtol=1e-4, atol=1e-3, grad=False)
    assert_matches_torch(lambda L, t: L.linalg.slogdet(t).logabsdet, big[:20, :20].astype(np.float64), atol=1e-9)
    assert_matches_torch(lambda L, t: tuple(L.linalg.slogdet(t)), np.eye(3, dtype=np.float32) * 1e-20, grad=False)
    assert_matches_torch(lambda L, t: L.logdet(t), big, rtol=1e-4, atol=1e-3, grad=False)


def test_logdet_is_nan_without_gradient_where_det_is_negative_like_torch():
    a = square(3, (2,))  # determinants of both signs
    assert_matches_torch(lambda L, t: L.logdet(t), a, atol=1e-9)


@pytest.mark.parametrize("b_shape, left", [((1, 3), False), ((2, 1, 3), False), ((2, 3, 1), True)])
def test_solve_refuses_a_singular_matrix_like_torch(b_shape, left):
    # rows 2 and 3 are opposite: A's own LU meets an exact zero pivot, A^T's (numpy's, for left=False) a
    # rounding residue; the message numbers batch elements of A only (found by make fuzz)
    a = np.array([[-1.0, 1.0, 1.0], [1.0, 0.0, 2.0], [-1.0, 0.0, -2.0]])
    with pytest.raises(torch.linalg.LinAlgError) as theirs:
        torch.linalg.solve(torch.tensor(a), torch.ones(*b_shape, dtype=torch.float64), left=left)
    with pytest.raises(minitorch.linalg.LinAlgError) as ours:
        minitorch.linalg.solve(minitorch.tensor(a), minitorch.ones(*b_shape, dtype=minitorch.float64), left=left)
    assert str(ours.value) == str(theirs.value)
