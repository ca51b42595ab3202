"""Matrix products, einsum and tensordot, diagonals and triangles against torch; gradcheck; errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome, sample

# (shape of a, shape of b): every 1-D / 2-D / batched combination, with batch broadcasting
MATMUL_SHAPES = [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)),
    ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)),
    ((4,), (2, 4, 5)), ((2, 3, 4), (4,)), ((4,), (3, 2, 4, 5)), ((1, 3, 4), (2, 1, 4, 5)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_matches_torch(sa, sb):
    a, b = randn(*sa), randn(*sb, seed=1)
    assert_matches_torch(lambda L, x, y: x @ y, a, b)
    assert_matches_torch(lambda L, x, y: L.matmul(x, y), a, b)
    gradcheck(lambda L, x, y: x.matmul(y), a, b)


def test_matmul_integer_and_float64():
    a, b = np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4)
    assert_matches_torch(lambda L, x, y: (x @ y, L.mm(x, y), x.mv(y[:, 0]), L.dot(x[0], x[1])), a, b)
    assert_matches_torch(lambda L, x, y: x @ y, randn(2, 3, dtype=np.float64), randn(3, dtype=np.float64))


PRODUCTS = {
    "mm": (lambda L, x, y: L.mm(x, y), [(3, 4), (4, 5)]),
    "mm_method": (lambda L, x, y: x.mm(y), [(1, 4), (4, 1)]),
    "bmm": (lambda L, x, y: L.bmm(x, y), [(2, 3, 4), (2, 4, 5)]),
    "mv": (lambda L, x, y: L.mv(x, y), [(3, 4), (4,)]),
    "dot": (lambda L, x, y: x.dot(y), [(6,), (6,)]),
    "vdot": (lambda L, x, y: L.vdot(x, y), [(6,), (6,)]),
    "inner": (lambda L, x, y: L.inner(x, y), [(2, 3, 4), (5, 4)]),
    "outer": (lambda L, x, y: L.outer(x, y), [(3,), (4,)]),
    "ger": (lambda L, x, y: x.ger(y), [(3,), (4,)]),
    "tensordot": (lambda L, x, y: L.tensordot(x, y, dims=2), [(2, 3, 4), (3, 4, 5)]),
    "tensordot_lists": (lambda L, x, y: L.tensordot(x, y, dims=([0, 2], [2, 0])), [(2, 3, 4), (4, 5, 2)]),
    "tensordot_0": (lambda L, x, y: L.tensordot(x, y, 0), [(2, 3), (4,)]),
    "addmm": (lambda L, c, x, y: L.addmm(c, x, y), [(3, 5), (3, 4), (4, 5)]),
    "addmm_scaled": (lambda L, c, x, y: L.addmm(c, x, y, beta=0.5, alpha=-2.0), [(5,), (3, 4), (4, 5)]),
    "addmm_method": (lambda L, c, x, y: c.addmm(x, y, alpha=3), [(3, 1), (3, 4), (4, 5)]),
    "addmv": (lambda L, c, x, v: L.addmv(c, x, v), [(3,), (3, 4), (4,)]),
    "addmv_scaled": (lambda L, c, x, v: L.addmv(c, x, v, beta=0.5, alpha=-2.0), [(1,), (3, 4), (4,)]),
    "addmv_method": (lambda L, c, x, v: c.addmv(x, v, alpha=3), [(3,), (3, 4), (4,)]),
    "addmv_in_place": (lambda L, c, x, v: c.clone().addmv_(x, v, beta=2), [(3,), (3, 4), (4,)]),
    "addr": (lambda L, c, x, y: L.addr(c, x, y), [(3, 4), (3,), (4,)]),
    "addr_scaled": (lambda L, c, x, y: L.addr(c, x, y, beta=0.5, alpha=-2.0), [(4,), (3,), (4,)]),
    "addr_in_place": (lambda L, c, x, y: c.clone().addr_(x, y, alpha=3), [(3, 4), (3,), (4,)]),
    "trace": (lambda L, x: L.trace(x), [(4, 4)]),
    "trace_rect": (lambda L, x: x.trace(), [(3, 5)]),
    "diag_1d": (lambda L, x: L.diag(x), [(4,)]),
    "diag_1d_offset": (lambda L, x: L.diag(x, 2), [(3,)]),
    "diag_1d_neg": (lambda L, x: x.diag(-1), [(3,)]),
    "diag_2d": (lambda L, x: L.diag(x), [(3, 5)]),
    "diag_2d_offset": (lambda L, x: L.diag(x, 1), [(4, 3)]),
    "diag_2d_neg": (lambda L, x: x.diag(diagonal=-2), [(4, 3)]),
    "diag_2d_far": (lambda L, x: L.diag(x, 7), [(4, 3)]),
    "tril": (lambda L, x: L.tril(x), [(4, 5)]),
    "tril_batched": (lambda L, x: x.tril(-1), [(2, 3, 4)]),
    "triu": (lambda L, x: L.triu(x, diagonal=1), [(4, 5)]),
    "triu_batched": (lambda L, x: x.triu(-2), [(2, 4, 3)]),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_products_match_torch_and_gradcheck(name):
    fn, shapes = PRODUCTS[name]
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(fn, *arrays)
    gradcheck(fn, *arrays)


@pytest.mark.parametrize("call, shapes", [
    (lambda L, c, a, b: L.addmm(c, a, b), [(3, 5), (3, 4), (4, 5)]),
    (lambda L, c, a, b: L.addmm(c, a, b, beta=0, alpha=2), [(5,), (3, 4), (4, 5)]),
    (lambda L, c, a, b: c.clone().addmm_(a, b), [(3, 5), (3, 4), (4, 5)]),
    (lambda L, c, a, b: L.addmv(c, a, b), [(3,), (3, 4), (4,)]),
    (lambda L, c, a, b: L.addmv(c, a, b, beta=2), [(1,), (3, 4), (4,)]),
    (lambda L, c, a, b: L.addr(c, a, b), [(3, 4), (3,), (4,)]),
    (lambda L, c, a, b: L.baddbmm(c, a, b), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    (lambda L, c, a, b: L.addbmm(c, a, b, alpha=0.5), [(3, 5), (2, 3, 4), (2, 4, 5)]),
])
@pytest.mark.parametrize("needing", [0, 1])
def test_fused_products_name_their_node_like_torch(call, shapes, needing):
    """addmm and friends are one node in torch (AddmmBackward0, ...), whichever input needs grad."""
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    names = []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, requires_grad=i == needing) for i, a in enumerate(arrays)]
        names.append(call(lib, *inputs).grad_fn.name())
    assert names[0] == names[1]


def test_addr_promotes_dtypes_like_torch():
    assert_matches_torch(lambda L, c, a, b: L.addr(c, a, b, beta=2), np.ones(3, np.int64), np.arange(2),
                         randn(3, dtype=np.float64), grad=False)


def test_addmm_beta_zero_ignores_nan():
    c = np.full((3, 5), np.nan, np.float32)
    assert_matches_torch(lambda L, c, x, y: L.addmm(c, x, y, beta=0), c, randn(3, 4), randn(4, 5))


def test_integer_trace_diag_tril():
    x = np.arange(12).reshape(3, 4).astype(np.int32)
    assert_matches_torch(lambda L, t: (t.trace(), t.diag(), L.diag(t[0]), t.tril(), L.triu(t, 1)), x)


def test_tril_triu_in_place():
    results = []
    for lib in (minitorch, torch):
        t = lib.tensor(randn(3, 4))
        t.tril_(1)
        u = lib.tensor(randn(3, 4))
        u.triu_()
        results.append((t.numpy().copy(), u.numpy().copy()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


# ----- einsum -------------------------------------------------------------------------
EINSUM = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),                    # implicit output
    ("bi,oij,bj->bo", [(2, 3), (5, 3, 4), (2, 4)]),   # nn.Bilinear
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ii->i", [(4, 4)]),                            # diagonal
    ("ii", [(4, 4)]),                               # trace
    ("iij->j", [(3, 3, 2)]),
    ("ij->", [(3, 4)]),                             # full sum
    ("ij->ji", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("ijk,k->ij", [(2, 3, 4), (4,)]),
    ("ik,k->", [(3, 4), (4,)]),                     # letter only in one operand and summed
    ("i,j->i", [(3,), (4,)]),                       # j summed away, alone in its operand
    ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),  # ellipsis with broadcasting
    ("...i,...i->...", [(2, 3, 4), (4,)]),
    ("i...->...", [(3, 2, 4)]),
    ("b...,b...", [(2, 3), (2, 3)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("ij,ij->ij", [(1, 4), (3, 4)]),                # size-1 dim broadcasts
    ("B i, i J -> B J", [(2, 3), (3, 4)]),          # spaces and capitals
]


@pytest.mark.parametrize("eq,shapes", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum_matches_torch_and_gradcheck(eq, shapes):
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(lambda L, *xs: L.einsum(eq, *xs), *arrays)
    assert_matches_torch(lambda L, *xs: L.einsum(eq, list(xs)), *arrays)
    gradcheck(lambda L, *xs: L.einsum(eq, *xs), *arrays)


@pytest.mark.parametrize("eq,shapes", [("bi,oij,bj->bo", [(2, 3), (5, 3, 4), (2, 4)]), ("ii->i", [(3, 3)]),
                                       ("ik,k->", [(3, 4), (4,)]), ("...ij,...jk->...ik", [(2, 1, 3, 2), (2, 2, 3)])])
def test_einsum_gradgradcheck(eq, shapes):
    inputs = [minitorch.tensor(randn(*s, seed=i, dtype=np.float64), requires_grad=True)
              for i, s in enumerate(shapes)]
    assert minitorch.autograd.gradgradcheck(lambda *xs: minitorch.einsum(eq, *xs), inputs)


@pytest.mark.parametrize("fn,shapes", [
    (lambda x, y: x @ y, [(2, 3, 4), (4,)]), (lambda x, y: x @ y, [(4,), (2, 4, 3)]),
    (lambda x, y: x @ y, [(2, 1, 3, 4), (5, 4, 2)]), (lambda x, y: minitorch.mv(x, y), [(3, 4), (4,)]),
])
def test_matmul_gradgradcheck(fn, shapes):
    inputs = [minitorch.tensor(randn(*s, seed=i, dtype=np.float64), requires_grad=True)
              for i, s in enumerate(shapes)]
    assert minitorch.autograd.gradgradcheck(fn, inputs)


# ----- errors match torch's type and message -----------------------------------------
def raised(fn, lib, *arrays):
    args = [lib.tensor(a) for a in arrays]
    with pytest.raises(Exception) as info:
        fn(lib, *args)
    return info.type, str(info.value)


F32, F64 = np.float32, np.float64
ERRORS = [
    (lambda L, a, b: L.mm(a, b), [randn(2, 3), randn(4, 5)]),
    (lambda L, a, b: L.mm(a, b), [randn(3), randn(4, 5)]),
    (lambda L, a, b: L.mm(a, b), [randn(2, 3), randn(3)]),
    (lambda L, a, b: L.mm(a, b), [randn(2, 2), randn(2, 2, dtype=F64)]),
    (lambda L, a, b: a @ b, [randn(2, 3), randn(4, 5)]),
    (lambda L, a, b: a @ b, [randn(2, 3, 3), randn(2, 4, 5)]),
    (lambda L, a, b: a @ b, [randn(3), randn(4)]),
    (lambda L, a, b: L.matmul(a, b), [np.array(1., F32), randn(4)]),
    (lambda L, a, b: L.bmm(a, b), [randn(2, 3), randn(4, 5)]),
    (lambda L, a, b: L.bmm(a, b), [randn(2, 2, 3), randn(2, 3, 5, 1)]),
    (lambda L, a, b: L.bmm(a, b), [randn(2, 2, 3), randn(2, 4, 5)]),
    (lambda L, a, b: L.bmm(a, b), [randn(2, 2, 3), randn(3, 3, 5)]),
    (lambda L, a, b: L.mv(a, b), [randn(2, 3), randn(4)]),
    (lambda L, a, b: L.mv(a, b), [randn(3), randn(4)]),
    (lambda L, a, b: L.mv(a, b), [randn(2, 3), randn(2, 3)]),
    (lambda L, a, b: L.dot(a, b), [randn(2, 3), randn(2, 3)]),
    (lambda L, a, b: L.dot(a, b), [randn(3), randn(4)]),
    (lambda L, a, b: L.dot(a, b), [randn(3), randn(3, dtype=F64)]),
    (lambda L, a, b: L.outer(a, b), [randn(2, 3), randn(3)]),
    (lambda L, a, b: L.outer(a, b), [randn(3), randn(3, 1)]),
    (lambda L, c, a, b: L.addr(c, a, b), [randn(2, 3), randn(2, 1), randn(3)]),
    (lambda L, c, a, b: L.addr(c, a, b), [randn(3, 3), randn(2), randn(3)]),
    (lambda L, c, a, b: L.addmm(c, a, b), [randn(2, 5), randn(2, 3), randn(4, 5)]),
    (lambda L, c, a, b: L.addmm(c, a, b), [randn(3, 5), randn(2, 3), randn(3, 5)]),
    (lambda L, c, a, b: L.addmm(c, a, b), [randn(2, 5), randn(3), randn(3, 5)]),
    (lambda L, c, a, b: L.addmv(c, a, b), [randn(2), randn(3, 4), randn(4)]),
    (lambda L, c, a, b: L.addmv(c, a, b), [randn(3), randn(3, 4), randn(5)]),
    (lambda L, c, a, b: L.addmv(c, a, b), [randn(3), randn(3), randn(3)]),
    (lambda L, c, a, b: L.addmv(c, a, b), [randn(3, dtype=F64), randn(3, 4), randn(4)]),
    (lambda L, a, b: L.einsum("ij,jk->ik", a, b), [randn(2, 3), randn(4, 5)]),
    (lambda L, a: L.einsum("ij,jk->ik", a), [randn(2, 3)]),
    (lambda L, a, b: L.einsum("ij->ij", a, b), [randn(2, 3), randn(2, 3)]),
    (lambda L, a, b: L.einsum("ijk,jk->ik", a, b), [randn(2, 3), randn(2, 3)]),
    (lambda L, a, b: L.einsum("ij,jk->ik", a, b), [randn(2, 3), randn(3, 2, dtype=F64)]),
    (lambda L, a: L.einsum("ij->ik", a), [randn(2, 3)]),
    (lambda L, a: L.trace(a), [randn(3)]),
    (lambda L, a: L.diag(a), [randn(2, 2, 2)]),
    (lambda L, a: L.tril(a), [randn(3)]),
    (lambda L, a: a.triu(), [np.array(2., F32)]),
    (lambda L, a, b: L.tensordot(a, b, dims=([0], [1])), [randn(2, 3), randn(3, 4)]),
]


@pytest.mark.parametrize("fn,arrays", ERRORS)
def test_errors_match_torch(fn, arrays):
    assert raised(fn, minitorch, *arrays) == raised(fn, torch, *arrays)


@pytest.mark.parametrize("sa,sb", [((2, 3, 3), (4, 5)), ((3, 3), (2, 4, 5)), ((2, 1, 3, 3), (5, 4, 2)),
                                   ((3,), (2, 4, 5)), ((2, 3, 3), (4,)), ((3, 2, 3), (2, 3, 5)),
                                   ((3,), (4, 5)), ((2, 3), (4,))])
def test_matmul_errors_name_the_kernel_like_torch(sa, sb):
    assert raised(lambda L, a, b: a @ b, minitorch, randn(*sa), randn(*sb)) == \
        raised(lambda L, a, b: a @ b, torch, randn(*sa), randn(*sb))


# ----- einsum: broadcasting size-1 dims, integer sums ----------------------------------------------------
@pytest.mark.parametrize("equation,shapes", [
    ("jl,lj->j", [(1, 2), (1, 1)]),
    ("jl,lj->j", [(2, 1), (1, 2)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]),
    ("ij,jk->ik", [(1, 3), (1, 4)]),
    ("bij,bjk->bik", [(1, 2, 3), (4, 3, 2)]),
    ("i,i->i", [(1,), (3,)]),
    ("i,i->", [(3,), (1,)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 1)]),
    ("ii,i->i", [(3, 3), (1,)]),
])
def test_einsum_gradients_with_broadcast_size_one_dims(equation, shapes):
    assert_matches_torch(lambda L, *xs: L.einsum(equation, *xs), *[randn(*s) for s in shapes])


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64"])
@pytest.mark.parametrize("equation,shapes", [
    ("ij->", [(2, 3)]), ("ij->i", [(2, 3)]), ("ij->ji", [(2, 3)]), ("ii->i", [(3, 3)]), ("ii->", [(3, 3)]),
    ("ij->j", [(0, 3)]), ("i,i->i", [(3,), (3,)]), ("i,i->", [(3,), (3,)]), ("ij,jk->ik", [(2, 3), (3, 2)]),
])
def test_einsum_dtypes_match_torch(dtype, equation, shapes):
    """A lone operand summed gives int64 for ints and bools (torch sums it); bool contractions raise."""
    same_outcome(lambda L, *xs: L.einsum(equation, *xs), *[sample(s, dtype) for s in shapes],
                 atol=1e-2 if dtype == "float16" else 1e-5)  # float16 sums round differently by an ulp


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("int64", "float32"), ("int8", "int32")])
def test_einsum_mixed_dtypes_raise_like_torch(dtypes):
    same_error(lambda L, a, b: L.einsum("ij,jk->ik", a, b), sample((2, 3), dtypes[0]), sample((3, 2), dtypes[1]))


# ----- baddbmm, addbmm --------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", ["baddbmm", "addbmm"])
@pytest.mark.parametrize("input_shape", [(4, 2, 5), (2, 5), (5,), (1, 5), ()])
@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2), (0, 1)])
def test_baddbmm_and_addbmm_match_torch(fn, input_shape, beta, alpha):
    if fn == "addbmm" and len(input_shape) == 3:
        input_shape = (2, 5)
    assert_matches_torch(lambda L, i, a, b: getattr(L, fn)(i, a, b, beta=beta, alpha=alpha),
                         randn(*input_shape), randn(4, 2, 3), randn(4, 3, 5))
    assert_matches_torch(lambda L, i, a, b: getattr(i, fn)(a, b, beta=beta, alpha=alpha),
                         randn(*input_shape), randn(4, 2, 3), randn(4, 3, 5))


def test_baddbmm_in_place_matches_torch():
    assert_matches_torch(lambda L, i, a, b: (i * 1).baddbmm_(a, b, alpha=2), randn(4, 2, 5), randn(4, 2, 3),
                         randn(4, 3, 5))


# ----- shape errors of products --------------------------------------------------------------------------
PRODUCT_CALLS = {
    "mm": lambda L, a, b, c: L.mm(a, b),
    "bmm": lambda L, a, b, c: L.bmm(a, b),
    "mv": lambda L, a, b, c: L.mv(a, b),
    "dot": lambda L, a, b, c: L.dot(a, b),
    "matmul": lambda L, a, b, c: L.matmul(a, b),
    "addmm": lambda L, a, b, c: L.addmm(c, a, b),
    "baddbmm": lambda L, a, b, c: L.baddbmm(c, a, b),
    "addbmm": lambda L, a, b, c: L.addbmm(c, a, b),
    "tensordot1": lambda L, a, b, c: L.tensordot(a, b, dims=1),
    "tensordot2": lambda L, a, b, c: L.tensordot(a, b),
    "tensordot3": lambda L, a, b, c: L.tensordot(a, b, dims=3),
}
PRODUCT_SHAPES = [((), (3,), ()), ((3,), ()), ((3,), (4,), (3,)), ((0,), (0,), ()), ((2, 3), (2, 3), (2, 2)),
                  ((2, 3), (3, 2), (3,)), ((2, 0), (0, 3), (2, 3)), ((2, 3), (3,), (2,)), ((2, 3), (3, 1), (2,)),
                  ((2, 2, 3), (3, 3, 2), (2, 2, 2)), ((2, 2, 3), (2, 3, 2), (3, 2, 2)), ((2, 2, 3), (2, 3, 2), (2, 2)),
                  ((3,), (2, 4, 5), ()), ((2, 3, 4), (5,), ()), ((2, 3, 4), (3, 4, 2), ()), ((0, 2, 3), (0, 3, 1), (1,))]


@pytest.mark.parametrize("fn", PRODUCT_CALLS)
@pytest.mark.parametrize("shapes", PRODUCT_SHAPES, ids=str)
def test_product_shape_checks_match_torch(fn, shapes):
    a, b, *rest = shapes
    c = rest[0] if rest else ()
    same_outcome(lambda L, a, b, c: PRODUCT_CALLS[fn](L, a, b, c), randn(*a), randn(*b), randn(*c))


# ----- diagonal -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 4), (4, 2), (0, 3), (2, 0, 3)])
@pytest.mark.parametrize("offset", [0, 1, -1, 2, -3, 10])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (-1, 0), (1, 2), (-2, -1), (0, 2)])
def test_diagonal_matches_torch(shape, offset, dims):
    if max(dims) >= len(shape) or min(dims) < -len(shape):
        same_error(lambda L, x: L.diagonal(x, offset, *dims), randn(*shape))
        return
    assert_matches_torch(lambda L, x: L.diagonal(x, offset, *dims), randn(*shape))
    assert_matches_torch(lambda L, x: x.diagonal(offset=offset, dim1=dims[0], dim2=dims[1]), randn(*shape))


def test_diagonal_is_a_writable_view_like_torch():
    def fn(L, x):
        y = x * 1
        y.diagonal(1).fill_(5.0)
        return y
    assert_matches_torch(fn, randn(3, 4))
    same_error(lambda L, x: x.diagonal(0, 1, 1), randn(2, 3, 4))
    same_error(lambda L, x: x.diagonal(), randn(3))


def test_diagonal_double_backward():
    gradcheck(lambda L, x: L.diagonal(x, -1, 2, 0) ** 2, randn(3, 2, 4))


DTYPE_ERROR_CALLS = [
    lambda L: L.mm(L.ones(2, 3, dtype=L.bool), L.ones(3, 2, dtype=L.bool)),
    lambda L: L.bmm(L.ones(2, 2, 3, dtype=L.bool), L.ones(2, 3, 2, dtype=L.bool)),
    lambda L: L.mv(L.ones(2, 3, dtype=L.bool), L.ones(3, dtype=L.bool)),
    lambda L: L.dot(L.ones(3, dtype=L.bool), L.ones(3, dtype=L.bool)),
    lambda L: L.matmul(L.ones(3, dtype=L.bool), L.ones(3, 2, dtype=L.bool)),
    lambda L: L.trace(L.ones(3, 3, dtype=L.bool)),
    lambda L: L.addmm(L.ones(2, 2, dtype=L.float64), L.ones(2, 3), L.ones(3, 2)),
    lambda L: L.addmm(L.ones(2, 2), L.ones(2, 3, dtype=L.float64), L.ones(3, 2)),
    lambda L: L.baddbmm(L.ones(2, 2, 2, dtype=L.float64), L.ones(2, 2, 3), L.ones(2, 3, 2)),
    lambda L: L.baddbmm(L.ones(2, 2, 2, dtype=L.bool), L.ones(2, 2, 3, dtype=L.bool), L.ones(2, 3, 2, dtype=L.bool)),
    lambda L: L.addbmm(L.ones(2, 2, dtype=L.float64), L.ones(2, 2, 3), L.ones(2, 3, 2)),
]


@pytest.mark.parametrize("call", range(len(DTYPE_ERROR_CALLS)))
def test_product_dtype_errors_match_torch(call):
    """Bool products have no kernel (NotImplementedError naming torch's), mixed dtypes are refused."""
    same_error(lambda L: DTYPE_ERROR_CALLS[call](L))


# ----- einsum's dtype rules for two operands ------------------------------------------------

@pytest.mark.parametrize("equation", ["ij,jk->ik", "ij,ij->", "jl,lj->j", "bij,bjk->bik", "i,j->ij", "ij,kj->ik",
                                      "ii,i->i"])
@pytest.mark.parametrize("dtypes", [("bool", "bool"), ("float64", "float32"), ("int64", "float64"),
                                    ("int64", "bool")])
def test_einsum_pairs_follow_torchs_dtype_rules(equation, dtypes):
    # torch sums an index larger than 1 in only one operand in that operand first (ints -> int64),
    # promotes when nothing is left for bmm, and raises for bmm on bool or on different dtypes
    import itertools
    terms = equation.split("->")[0].split(",")
    for sizes in itertools.product([1, 2], repeat=len(terms[0]) + len(terms[1])):
        a = np.ones(sizes[:len(terms[0])], dtype=dtypes[0])
        b = np.ones(sizes[len(terms[0]):], dtype=dtypes[1])
        same_outcome(lambda L, x, y: L.einsum(equation, x, y), a, b)


def test_tensordot_broadcasts_a_size_1_contracted_dim_and_needs_equal_dtypes():
    same_outcome(lambda L, a, b: L.tensordot(a, b, 1), np.ones(1), np.ones(2))
    same_outcome(lambda L, a, b: L.tensordot(a, b, 1), np.ones(2, "float32"), np.ones(2))
    same_outcome(lambda L, a, b: L.inner(a, b), np.ones(0, "float32"), np.ones(1, "float32"))
    same_outcome(lambda L, a, b: L.bmm(a, b), np.ones((3, 0, 2), "int64"), np.ones((3, 2, 3)))


def test_bmm_of_an_empty_float_batch_with_int64_needs_a_differentiable_result():
    same_outcome(lambda L, a, b: L.bmm(a.requires_grad_(True), b), np.ones((3, 0, 2), "float32"),
                 np.ones((3, 2, 3), "int64"))


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32"), ("float16", "float32"),
                                    ("float32", "int64")])
@pytest.mark.parametrize("shapes", [((0, 2, 3), (0, 3, 4)), ((2, 0, 3), (2, 3, 4)), ((2, 2, 0), (2, 0, 4)),
                                    ((2, 3), (0, 3, 4)), ((1, 2, 3), (0, 3, 4)), ((2, 2, 3), (2, 3, 4)),
                                    ((2, 3), (3,)), ((3,), (0, 3, 2)), ((3,), (3, 4)), ((3,), (3,)),
                                    ((0, 3), (3, 4)), ((2, 2, 3), (3, 4))])
def test_matmul_of_two_dtypes_gives_torchs_zeros_or_error(shapes, dtypes, grad):
    # torch's bmm returns zeros in the second operand's dtype when there is nothing to compute; every
    # other path raises its kernel's dtype error (which path depends on requires_grad, as in torch)
    results = []
    for L in (minitorch, torch):
        a, b = (L.ones(s, dtype=getattr(L, d)) for s, d in zip(shapes, dtypes))
        if grad:
            a.requires_grad_(True)
        try:
            out = L.matmul(a, b)
        except RuntimeError as e:
            results.append(str(e))
            continue
        res = [tuple(out.shape), str(out.dtype).split(".")[-1], out.detach().numpy().tolist()]
        if grad and out.requires_grad:
            out.sum().backward()
            res += [str(a.grad.dtype).split(".")[-1], a.grad.numpy().tolist()]
        results.append(res)
    assert results[0] == results[1]


@pytest.mark.parametrize("code", ["a @ b", "a @ v", "v @ v", "torch.mm(a, b)", "torch.mv(a, v)", "torch.dot(v, v)",
                                  "torch.vdot(v, v)", "torch.bmm(c, d)", "a.matmul(b)"])
def test_matrix_products_name_their_nodes_as_torch(code):
    names = []
    for lib in (minitorch, torch):
        a, b, v = lib.randn(2, 3, requires_grad=True), lib.randn(3, 4, requires_grad=True), lib.randn(3, requires_grad=True)
        c, d = lib.randn(5, 2, 3, requires_grad=True), lib.randn(5, 3, 4, requires_grad=True)
        names.append(eval(code, {"torch": lib, "a": a, "b": b, "v": v, "c": c, "d": d}).grad_fn.name())
    assert names[0] == names[1]


def _node_tree(node, depth):
    """A grad_fn's name and its inputs' trees, `depth` levels down (leaves named without torch's prefix)."""
    if node is None or depth == 0:
        return None
    return (node.name().split("::")[-1], [_node_tree(n, depth - 1) for n, _ in node.next_functions])


@pytest.mark.parametrize("shapes", [((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)),
                                    ((2, 2, 3, 4), (4,)), ((2, 3, 4), (4, 5), "grad")])
def test_batched_matmul_nodes_match_torch(shapes):
    # torch folds a batched left operand into rows for a matrix or vector right operand (view, mm or mv,
    # _unsafe_view back) and reshapes bmm's result; the first levels of the graph are the same here
    trees, values = [], []
    for lib in (minitorch, torch):
        a = lib.tensor(randn(*shapes[0], dtype=np.float64), requires_grad=True)
        b = lib.tensor(randn(*shapes[1], dtype=np.float64, seed=1), requires_grad=len(shapes) == 3 or len(shapes[1]) == 3)
        out = a @ b
        trees.append(_node_tree(out.grad_fn, 3 if len(shapes[1]) < 3 else 2))
        (out * out).sum().backward()
        values.append([out.detach().numpy(), a.grad.numpy()] + ([b.grad.numpy()] if b.requires_grad else []))
    assert trees[0] == trees[1]
    for m, t in zip(*values):
        np.testing.assert_allclose(m, t, rtol=1e-12)


@pytest.mark.parametrize("a, b, dims", [(np.array(1.0), np.array(2.0), ([0], [1])), (np.ones(2), np.array(2.0), ([0], [1])),
                                        (np.ones(2), np.ones(2), ([0], [1])), (np.ones((2, 3)), np.ones((2, 3)), ([0], [5])),
                                        (np.ones(2, np.float32), np.ones(2), ([0], [5]))])
def test_tensordot_checks_dtypes_then_dims_like_torch(a, b, dims):
    same_outcome(lambda L, x, y: L.tensordot(x, y, dims), a, b)


@pytest.mark.parametrize("name, shapes", [("baddbmm", ((1, 1, 1), (1, 1, 1), (1, 1, 1))),
                                          ("addbmm", ((1, 1), (1, 1, 1), (1, 1, 1))),
                                          ("addmm", ((1, 1), (1, 1), (1, 1)))])
@pytest.mark.parametrize("beta, alpha", [(1, 0.5), (0.5, 1), (2, 3), (-1.7, 2.9)])
def test_integer_add_products_read_beta_and_alpha_as_integers_like_torch(name, shapes, beta, alpha):
    # torch truncates the scalars to the integer dtype: alpha=0.5 drops the product, beta=0.5 the input
    results = []
    for lib in (minitorch, torch):
        args = [lib.tensor(np.full(s, v, np.int64)) for s, v in zip(shapes, (3, 2, 5))]
        out = getattr(lib, name)(*args, beta=beta, alpha=alpha)
        results.append((out.tolist(), str(out.dtype).split(".")[-1]))
    assert results[0] == results[1]


# torch's order of checks in the add-product family (found by the differential products table)
@pytest.mark.parametrize("fn", [
    lambda L: L.addmv(L.ones(()), L.ones(()), L.ones(())),  # ranks before dtypes, RuntimeError
    lambda L: L.addmv(L.ones(()), L.ones(()), L.ones((), dtype=L.float64)),
    lambda L: L.addmv(L.ones(()), L.ones(2, 3), L.ones(0)),  # a 0-d input's size(0): IndexError
    lambda L: L.addmv(L.ones(3), L.ones(2, 0), L.ones(0, dtype=L.int64)),  # sizes before dtypes
    lambda L: L.addbmm(L.ones(()), L.ones(()), L.ones(())),
    lambda L: L.addbmm(L.ones(()), L.ones(2, 3), L.ones(2, 2, 3)),  # 'batch1 must be a 3D tensor'
    lambda L: L.addbmm(L.ones(()), L.ones(2, 2, 3), L.ones(2, 2, 3)),
    lambda L: L.addbmm(L.ones(()), L.ones(2, 0, 2, dtype=L.float64), L.ones(2, 2, 3)),
    lambda L: L.addbmm(L.ones(()), L.ones(2, 2, 3), L.ones(2, 3, 2, dtype=L.int64)),  # self vs mat2 first
    lambda L: L.baddbmm(L.ones(()), L.ones(()), L.ones(())),
    lambda L: L.baddbmm(L.ones(()), L.ones(2, 3), L.ones(2, 2, 3)),
    lambda L: L.baddbmm(L.ones(()), L.ones(2, 2, 3), L.ones(2, 3, 2, dtype=L.int64)),  # where it multiplies
    lambda L: L.addmm(L.ones((), dtype=L.int64), L.ones(()), L.ones(())),  # dtypes before ranks
])
def test_add_products_check_in_torchs_order(fn):
    same_error(fn)


@pytest.mark.parametrize("fn", [
    lambda L, x: L.addmv(x, L.ones(0, 2), L.ones(2)),  # empty matrix: beta * input in input's shape
    lambda L, x: L.addmv(x.reshape(1), L.ones(2, 0), L.ones(0), beta=3),
    lambda L, x: L.addbmm(x, L.ones(0, 2, 3, dtype=L.float64), L.ones(0, 3, 2)),  # no batches: no dtype check
    lambda L, x: L.baddbmm(x, L.ones(2, 0, 2), L.ones(2, 2, 3, dtype=L.int64)),  # batch2's dtype
    lambda L, x: L.baddbmm(x, L.ones(2, 2, 0), L.ones(2, 0, 2, dtype=L.float64)),
    lambda L, x: L.addr(x.double(), L.arange(3.0), L.arange(2.0)),  # a 0-d float64 input promotes
])
def test_add_products_of_empty_and_mixed_operands_like_torch(fn):
    same_outcome(fn, np.array(2.0, np.float32))


@pytest.mark.parametrize("a_shape,b_shape,dtype", [((1, 1, 0), (0, 0), "int64"), ((2, 0, 3), (3, 4), "float32"),
                                                   ((3, 2, 0), (0,), "float64")])
def test_matmul_folds_an_empty_batch_like_torch(a_shape, b_shape, dtype):
    # the batch is folded into the rows of one product: -1 cannot be inferred next to a 0 (found by fuzzing)
    results = []
    for lib in (minitorch, torch):
        a, b = lib.zeros(a_shape, dtype=getattr(lib, dtype)), lib.zeros(b_shape, dtype=getattr(lib, dtype))
        out = lib.matmul(a, b)
        results.append((tuple(out.shape), str(out.dtype).split(".")[-1]))
    assert results[0] == results[1]
