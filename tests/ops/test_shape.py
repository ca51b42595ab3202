"""Views (_ops/shape.py) against torch: values, dtypes, gradients, shared memory and versions,
in-place shape changes, node names and errors. Views taken by slicing and splitting are
checked here too (test_views_share_memory_and_version)."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import case_table_tests, randn, same_error, same_outcome

# (id, fn(lib, *tensors), input shapes)
CASES = [
    ("reshape", lambda L, x: x.reshape(4, -1), [(2, 3, 4)]),
    ("reshape_copy", lambda L, x: L.reshape(x.transpose(0, 1), (-1,)), [(3, 4)]),
    ("reshape_as", lambda L, x: x.reshape_as(x.t()), [(3, 4)]),
    ("view", lambda L, x: x.view(6, 4), [(2, 3, 4)]),
    ("view_tuple", lambda L, x: x.view((3, -1)), [(3, 4)]),
    ("view_as", lambda L, x, y: x.view_as(y), [(3, 4), (2, 6)]),
    ("transpose", lambda L, x: x.transpose(0, 2), [(2, 3, 4)]),
    ("transpose_1d", lambda L, x: L.transpose(x, 0, -1), [(5,)]),
    ("swapaxes", lambda L, x: L.swapaxes(x, 0, 1), [(2, 3, 4)]),
    ("swapdims", lambda L, x: x.swapdims(-1, 0), [(2, 3, 4)]),
    ("permute", lambda L, x: x.permute(2, 0, 1), [(2, 3, 4)]),
    ("permute_tuple", lambda L, x: L.permute(x, (1, 0, 2)), [(2, 3, 4)]),
    ("t", lambda L, x: x.t(), [(3, 4)]),
    ("t_1d", lambda L, x: L.t(x), [(4,)]),
    ("T", lambda L, x: x.T, [(3, 4)]),
    ("mT", lambda L, x: x.mT, [(2, 3, 4)]),
    ("squeeze", lambda L, x: x.squeeze(), [(1, 3, 1, 2)]),
    ("squeeze_dim", lambda L, x: L.squeeze(x, 2), [(1, 3, 1, 2)]),
    ("squeeze_dims", lambda L, x: x.squeeze((0, 1, 2)), [(1, 3, 1, 2)]),
    ("unsqueeze", lambda L, x: x.unsqueeze(-1), [(3, 4)]),
    ("flatten", lambda L, x: x.flatten(), [(2, 3, 4)]),
    ("flatten_range", lambda L, x: L.flatten(x, 1), [(2, 3, 4)]),
    ("flatten_noncontig", lambda L, x: x.transpose(0, 2).flatten(0, 1), [(2, 3, 4)]),
    ("unflatten", lambda L, x: x.unflatten(1, (2, -1)), [(3, 4)]),
    ("unflatten_fn", lambda L, x: L.unflatten(x, -1, (2, 2)), [(3, 4)]),
    ("expand", lambda L, x: x.expand(2, 3, 4), [(3, 1)]),
    ("expand_keep", lambda L, x: x.expand(-1, 5), [(3, 1)]),
    ("expand_as", lambda L, x, y: x.expand_as(y), [(1, 4), (3, 4)]),
    ("broadcast_to", lambda L, x: L.broadcast_to(x, (2, 3, 4)), [(4,)]),
    ("broadcast_tensors", lambda L, x, y: L.broadcast_tensors(x, y), [(3, 1), (1, 4)]),
    ("movedim", lambda L, x: x.movedim(0, 2), [(2, 3, 4)]),
    ("movedim_tuple", lambda L, x: L.movedim(x, (0, 1), (2, 0)), [(2, 3, 4)]),
    ("moveaxis", lambda L, x: L.moveaxis(x, -1, 0), [(2, 3, 4)]),
]


test_matches_torch, test_gradcheck = case_table_tests(CASES)


VIEWS = [
    lambda x: x.view(-1), lambda x: x.reshape(4, 3), lambda x: x.t(), lambda x: x.T,
    lambda x: x.permute(1, 0), lambda x: x.transpose(0, 1), lambda x: x.unsqueeze(0),
    lambda x: x[None].squeeze(0), lambda x: x.narrow(0, 1, 2), lambda x: x.select(1, 2),
    lambda x: x.unbind(0)[1], lambda x: x.chunk(2, 1)[1], lambda x: x.split(1)[2],
    lambda x: x.split([1, 3], 1)[1], lambda x: x.tensor_split(2, 1)[0], lambda x: x.flatten(),
    lambda x: x.unflatten(1, (2, 2)), lambda x: x.movedim(0, 1), lambda x: x.mT, lambda x: x.view_as(x),
    lambda x: x[1], lambda x: x[-1, 1:], lambda x: x[:, ::2], lambda x: x[..., 0], lambda x: x[1, 2],
    lambda x: x.swapaxes(0, 1)[::2].reshape(-1, 3).t(),
]


@pytest.mark.parametrize("op", VIEWS)
def test_views_share_memory_and_version(op):
    results = []
    for L in (minitorch, torch):
        base = L.arange(12.0).reshape(3, 4).clone()
        v = op(base)
        before = base._version
        v.mul_(10)  # write through the view
        assert v._version == base._version > before
        base.add_(1)  # write through the base
        assert v._base is base
        results.append((base.clone(), v.clone()))
    for m, t in zip(*results):
        np.testing.assert_array_equal(m.numpy(), t.numpy())


def test_expand_is_a_view():
    x = minitorch.zeros(3, 1)
    e = x.expand(3, 4)
    x.add_(2)
    assert e._version == x._version == 1 and e.tolist() == [[2.0] * 4] * 3


def test_view_of_view_has_the_storage_owner_as_base():
    x = minitorch.zeros(2, 3, requires_grad=True)
    v = x[1:][:, 1]
    assert v._base is x
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        v.add_(1)


ERRORS = [
    lambda L, x: x.view(5), lambda L, x: x.t().view(12), lambda L, x: x.reshape(-1, -1),
    lambda L, x: x.permute(0), lambda L, x: x.permute(0, 0), lambda L, x: x.expand(2, 3),
    lambda L, x: x.expand(3), lambda L, x: x.squeeze(3), lambda L, x: x.unsqueeze(3),
    lambda L, x: x.transpose(0, 2), lambda L, x: x.movedim((0, 1), (0,)),
    lambda L, x: x.movedim((0, 0), (0, 1)), lambda L, x: x.unflatten(1, (3, 2)),
    lambda L, x: L.broadcast_tensors(x, L.zeros(5)), lambda L, x: L.t(L.zeros(2, 2, 2)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn, np.zeros((3, 4), np.float32))


# ----- the examples of ../shared/seeds/002 (cat, stack, chunk, split, reshape, ...) ---------
def _both(fn):
    return [fn(L) for L in (minitorch, torch)]


@pytest.mark.parametrize("example", [
    lambda L: L.cat([L.ones(2, 3), L.zeros(2, 3)], dim=0),
    lambda L: L.cat([L.ones(2, 3), L.zeros(2, 3)], dim=1),
    lambda L: L.stack([L.ones(2, 3), L.zeros(2, 3)], dim=2),
    lambda L: L.chunk(L.ones(2, 7), 3, dim=1),
    lambda L: L.split(L.ones(2, 5), 2, dim=1),
    lambda L: L.split(L.ones(2, 5), [2, 1, 2], dim=1),
    lambda L: L.reshape(L.arange(8), (-1, 2, 2)),
    lambda L: L.transpose(L.arange(24).reshape(2, 3, 4), dim0=1, dim1=2),
    lambda L: L.squeeze(L.arange(6.0).reshape(1, 2, 3, 1)),
    lambda L: L.squeeze(L.arange(6.0).reshape(1, 2, 3, 1), dim=1),
    lambda L: L.unsqueeze(L.arange(6.0).reshape(2, 3), dim=1),
    lambda L: L.arange(6.0).reshape(1, 2, 3).expand(2, 2, 3),
    lambda L: L.arange(6.0).reshape(2, 3).repeat(2, 1),
    lambda L: L.arange(6.0).reshape(2, 3).narrow(1, 1, 2),
])
def test_seed_examples_print_like_torch(example):
    mine, ref = _both(example)
    assert repr(mine) == repr(ref)


def test_seed_reshape_shares_memory():
    for L in (minitorch, torch):
        t = L.arange(8)
        t_reshape = L.reshape(t, (-1, 2, 2))
        t[0] = 1024
        assert t_reshape[0, 0, 0].item() == 1024 and repr(t_reshape).startswith("tensor([[[1024,")


# ----- in-place shape changes: resize_, unsqueeze_, squeeze_, transpose_, t_ --------------------
@pytest.mark.parametrize("steps", [
    [(2, 3)],                      # same number of elements
    [(4,), (6,)],                  # shrink, then grow back over the kept memory
    [(3,), (2, 2)],
    [(1, 6), [6], ((3, 2),)],      # a Size/list/tuple argument
])
def test_resize_like_torch(steps):
    for L in (minitorch, torch):
        t = L.arange(1.0, 7.0)
        shown = [repr(t.resize_(*(s if isinstance(s, tuple) else (s,)))) for s in steps]
        if L is minitorch:
            mine = shown
        else:
            assert mine == shown


def test_resize_reads_memory_order_and_keeps_sharing():
    mine, ref = [], []
    for L, out in ((minitorch, mine), (torch, ref)):
        a = L.arange(6.0).reshape(2, 3)
        out.append(repr(a.t().resize_(6)))              # a transposed view reads memory in order
        base = L.arange(6.0)
        view = base[:3]
        out.append(repr(view.resize_(4)))               # a view grows inside its base's memory
        view[3] = 100
        out.append(repr(base))
        same = L.arange(6.0)
        alias = same.view(2, 3)
        same.resize_(3, 2)[0, 0] = -1                   # same number of elements: memory shared
        out.append(repr(alias))
    assert mine == ref


def test_resize_growing_past_the_buffer_keeps_the_old_prefix():
    for L in (minitorch, torch):
        t = L.arange(4).resize_(2, 3)
        assert t.shape == (2, 3) and t.dtype == L.int64 and t.flatten()[:4].tolist() == [0, 1, 2, 3]


def test_resize_as_like_torch():
    assert repr(minitorch.arange(6.0).resize_as_(minitorch.ones(2, 2))) == \
        repr(torch.arange(6.0).resize_as_(torch.ones(2, 2)))


@pytest.mark.parametrize("fn", [
    lambda L: L.ones(2, requires_grad=True).resize_(3),
    lambda L: (L.ones(2, requires_grad=True) * 2).resize_(2, 1),
    lambda L: L.arange(6.0).resize_(2.0),
])
def test_resize_errors_like_torch(fn):
    with pytest.raises(Exception) as expected:
        fn(torch)
    with pytest.raises(type(expected.value)):
        fn(minitorch)
    if "require grad" in str(expected.value):
        with pytest.raises(RuntimeError, match=str(expected.value)):
            fn(minitorch)


def test_resize_negative_size_is_a_runtime_error():
    with pytest.raises(RuntimeError):
        torch.arange(6.0).resize_(2, -1)
    with pytest.raises(RuntimeError, match=r"-1"):
        minitorch.arange(6.0).resize_(2, -1)


@pytest.mark.parametrize("op", [
    lambda t: t.unsqueeze_(0), lambda t: t.unsqueeze_(dim=-1), lambda t: t.squeeze_(),
    lambda t: t.squeeze_(1), lambda t: t.transpose_(0, 2), lambda t: t.swapdims_(0, 1),
    lambda t: t[:, 0].t_(),
])
def test_inplace_view_ops_like_torch(op):
    shown = []
    for L in (minitorch, torch):
        base = L.arange(6.0).reshape(2, 1, 3)
        alias = base.view(6)
        out = op(base)
        out.mul_(10)                          # still the same memory as `alias`
        shown.append((out is base, repr(out), repr(alias), out._version))
    assert shown[0] == shown[1]


def test_inplace_view_ops_autograd_like_torch():
    grads, errors = [], []
    for L in (minitorch, torch):
        x = L.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        y = x * 2
        y.unsqueeze_(0).transpose_(0, 2).squeeze_()
        (y * L.tensor([1.0, 2.0, 3.0])).sum().backward()
        grads.append((tuple(y.shape), repr(x.grad)))
        with pytest.raises(RuntimeError) as e:
            x.unsqueeze_(0)
        errors.append(str(e.value))
    assert grads[0] == grads[1] and errors[0] == errors[1]


@pytest.mark.parametrize("op", [
    lambda x: x.unsqueeze(0), lambda x: x.squeeze(), lambda x: x.squeeze(1), lambda x: x.squeeze((1,)),
    lambda x: x.transpose(0, 2), lambda x: x.squeeze().t(), lambda x: x.select(0, 1),
    lambda x: x.narrow(2, 1, 2), lambda x: x.permute(2, 0, 1), lambda x: x.view(15),
])
def test_view_node_names_like_torch(op):
    names = [op(L.ones(3, 1, 5, requires_grad=True) * 1).grad_fn.name() for L in (minitorch, torch)]
    assert names[0] == names[1]


# ----- dims out of range, repeated or missing: torch's exception, never a silent result ----------------------
SHAPE_CALLS = {
    "flatten": [lambda x: x.flatten(2), lambda x: x.flatten(1, 0), lambda x: x.flatten(0, -1), lambda x: x.flatten(1),
                lambda x: x.flatten(-2), lambda x: x.flatten(-1, -1)],
    "permute": [lambda x: x.permute(), lambda x: x.permute(()), lambda x: x.permute(0), lambda x: x.permute(0, 0),
                lambda x: x.permute(0, 2), lambda x: x.permute(-1, 0), lambda x: x.permute([1, 0])],
    "squeeze": [lambda x: x.squeeze(2), lambda x: x.squeeze(0), lambda x: x.squeeze(1), lambda x: x.squeeze((0, 0)),
                lambda x: x.squeeze((0, -2)), lambda x: x.squeeze(()), lambda x: x.squeeze(-3)],
    "unsqueeze": [lambda x: x.unsqueeze(3), lambda x: x.unsqueeze(-4), lambda x: x.unsqueeze(-1), lambda x: x.unsqueeze(1)],
    "transpose": [lambda x: x.transpose(0, 2), lambda x: x.transpose(0, -1), lambda x: x.transpose(-3, 0),
                  lambda x: x.transpose(1, 1), lambda x: x.t()],
    "movedim": [lambda x: x.movedim(0, 2), lambda x: x.movedim((0, 1), (1, 1)), lambda x: x.movedim((0, 1), (1,)),
                lambda x: x.movedim(0, 0), lambda x: x.movedim(0, -1), lambda x: x.movedim(1, 0),
                lambda x: x.movedim((0, -1), (-1, 0))],
    "unflatten": [lambda x: x.unflatten(2, (1, 3)), lambda x: x.unflatten(-1, (-1, 1)), lambda x: x.unflatten(0, (2, 2))],
    "expand": [lambda x: x.expand(3), lambda x: x.expand(2, -1), lambda x: x.expand(-1, 2, 3), lambda x: x.expand(4, 2, 3)],
    "view": [lambda x: x.view(4, -1), lambda x: x.view(-1, -1), lambda x: x.view(-1), lambda x: x.reshape(-2, 3),
             lambda x: x.view(())],
}


@pytest.mark.parametrize("shape", [(), (1,), (2, 3), (1, 2), (0, 3), (2, 1, 3)], ids=str)
@pytest.mark.parametrize("family", SHAPE_CALLS)
def test_shape_ops_with_bad_dims_raise_like_torch(family, shape):
    """Every call either gives torch's result or raises torch's exception class."""
    for call in SHAPE_CALLS[family]:
        same_outcome(lambda L, x: call(x), randn(*shape))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "uint8", "bool"])
def test_expand_to_fewer_sizes_than_dims_raises_torchs_message(dtype):
    messages = []
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError) as error:
            lib.zeros(2, 3, dtype=getattr(lib, dtype)).expand(3)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
