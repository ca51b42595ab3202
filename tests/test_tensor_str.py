"""repr(tensor) must be character-for-character torch's repr."""
import numpy as np
import pytest
import torch

import minitorch


def _same_repr(array, **kwargs):
    mt, th = repr(minitorch.tensor(array, **kwargs)), repr(torch.tensor(array, **kwargs))
    assert mt == th, f"\nminitorch:\n{mt}\ntorch:\n{th}"


_RNG = np.random.default_rng(1234)
_SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 4), (30,), (2, 25), (1, 1, 7), (2, 2, 2, 2)]
_SCALES = [1.0, 0.5, 1e-5, 1e-9, 123.456, 1e3, 1e5, 1e9]


@pytest.mark.parametrize("shape", _SHAPES)
@pytest.mark.parametrize("scale", _SCALES)
def test_random_floats(shape, scale):
    _same_repr((_RNG.standard_normal(shape) * scale).astype(np.float32))


@pytest.mark.parametrize("dtype", [np.float64, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8])
@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 2, 3)])
def test_other_dtypes(dtype, shape):
    values = _RNG.standard_normal(shape) * 50
    _same_repr(np.abs(values).astype(dtype) if dtype == np.uint8 else values.astype(dtype))


@pytest.mark.parametrize("values", [
    [1.0, 2.0, 3.0], [1.0, float("nan"), float("inf"), -float("inf")], [float("nan")], [0.0, 0.0],
    [-0.0, 1.0], [1e10, 1.0], [100.0, 1e-3], [1e-5, 1.0], [123456789.0], [1e8, 1.0], [1e9], [1e-5],
    [float("nan"), 1e-5, 1.0], [1e-30, 1e30], [-1.5, 2.25, 1e4], [float("inf"), 1.5], [1e20, -1e20],
    [0.1, 0.2, 0.3], [-1.0, -2.0], [1000.0, 1.0], [1001.0, 1.0], [0.0001, 0.1], [99999999.0, 0.5],
    3.5, -2.0, 0.0, float("nan"), 1e-7, [[1.5, -2.0], [3.0, 4.0]],
])
def test_special_float_values(values):
    _same_repr(values)


@pytest.mark.parametrize("values", [[True, False], [[True], [False]], True, [-5, 0, 12], 7,
                                    list(range(1000000, 1000020))])
def test_bool_and_int(values):
    _same_repr(values)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0, 3), (3, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "int32"])
def test_empty(shape, dtype):
    mt = minitorch.empty(shape, dtype=getattr(minitorch, dtype))
    th = torch.empty(shape, dtype=getattr(torch, dtype))
    assert repr(mt) == repr(th)


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 40), (11, 11, 11), (3, 400), (400, 3), (2, 3, 200)])
@pytest.mark.parametrize("scale", [1.0, 1e3, 1e-6])
def test_summarised(shape, scale):
    _same_repr((_RNG.standard_normal(shape) * scale).astype(np.float32))


def test_summarised_int():
    _same_repr(_RNG.integers(-1000, 1000, (40, 40)))
    _same_repr(np.arange(2000))


@pytest.mark.parametrize("width", [11, 17, 23, 50])
def test_wide_rows_wrap(width):
    _same_repr((_RNG.standard_normal((3, width)) * 1e4).astype(np.float32))
    _same_repr(_RNG.standard_normal((2, 2, width)))


def test_autograd_suffixes():
    values = _RNG.standard_normal((2, 3)).astype(np.float32)
    mx = minitorch.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    assert repr(mx) == repr(tx)
    assert repr(mx * 2) == repr(tx * 2)
    assert repr(mx + 1) == repr(tx + 1)
    assert repr(mx.double() * 2) == repr(tx.double() * 2)
    assert repr(mx.detach()) == repr(tx.detach())


def test_suffix_wraps_onto_new_line():
    # A long last line pushes dtype= and requires_grad= onto lines of their own.
    values = _RNG.standard_normal((2, 7))
    mt = minitorch.tensor(values, requires_grad=True)
    th = torch.tensor(values, requires_grad=True)
    assert repr(mt) == repr(th)
    assert "\n       dtype=torch.float64" in repr(mt)
    assert repr(mt * 3) == repr(th * 3)


def test_default_dtype_changes_suffix():
    values = [1.5, 2.5]
    minitorch.set_default_dtype(minitorch.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert repr(minitorch.tensor(values)) == repr(torch.tensor(values))
        assert repr(minitorch.tensor(values, dtype=minitorch.float32)) == \
            repr(torch.tensor(values, dtype=torch.float32))
    finally:
        minitorch.set_default_dtype(minitorch.float32)
        torch.set_default_dtype(torch.float32)


def test_views_print_their_values():
    values = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7
    mt, th = minitorch.tensor(values), torch.tensor(values)
    assert repr(mt.transpose(0, 2)) == repr(th.transpose(0, 2))
    assert repr(mt.permute(1, 0, 2)) == repr(th.permute(1, 0, 2))
    assert str(mt) == str(th)


@pytest.mark.parametrize("options", [dict(precision=2), dict(sci_mode=True), dict(sci_mode=False),
                                     dict(threshold=5, edgeitems=1), dict(linewidth=30), dict(profile="short"),
                                     dict(profile="full")])
def test_set_printoptions_matches_torch(options):
    values = np.array([[1.23456, -2.5e-5, 300.0], [4.0, 5.5, 6.25]] * 5, dtype=np.float32)
    try:
        minitorch.set_printoptions(**options)
        torch.set_printoptions(**options)
        assert repr(minitorch.tensor(values)) == repr(torch.tensor(values))
    finally:
        minitorch.set_printoptions(profile="default", sci_mode=None)
        torch.set_printoptions(profile="default", sci_mode=None)


def test_cuda_is_reported_absent():
    assert minitorch.cuda.is_available() is torch.cuda.is_available() is False
    device = minitorch.device("cuda" if minitorch.cuda.is_available() else "cpu")
    assert minitorch.ones(2, device=device).device.type == "cpu"
