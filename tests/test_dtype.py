"""dtypes and promotion, checked exhaustively against torch."""
import itertools

import pytest
import torch

import minitorch

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
PAIRS = list(itertools.product(NAMES, NAMES))
SCALARS = [True, False, 3, -3, 0, 2.5, -1e300, 1e-300]


def _make(lib, name, kind):
    """A tensor of dtype `name`: with dimensions ('dim') or zero-dimensional ('zero')."""
    return lib.ones(2 if kind == "dim" else (), dtype=getattr(lib, name))


def test_all_nine_dtypes_and_aliases():
    for name in NAMES:
        mt, th = getattr(minitorch, name), getattr(torch, name)
        assert repr(mt) == repr(th) == str(mt)
        assert mt.is_floating_point == th.is_floating_point
        assert mt.is_signed == th.is_signed
        assert mt.itemsize == th.itemsize
    for alias in ["half", "float", "double", "short", "int", "long"]:
        assert repr(getattr(minitorch, alias)) == repr(getattr(torch, alias))


@pytest.mark.parametrize("a,b", PAIRS)
def test_promote_types(a, b):
    assert repr(minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b))) == \
        str(torch.promote_types(getattr(torch, a), getattr(torch, b)))


@pytest.mark.parametrize("a,b", PAIRS)
def test_result_type_of_tensors(a, b):
    for ka, kb in itertools.product(["dim", "zero"], repeat=2):
        expected = torch.result_type(_make(torch, a, ka), _make(torch, b, kb))
        got = minitorch.result_type(_make(minitorch, a, ka), _make(minitorch, b, kb))
        assert repr(got) == str(expected), (a, ka, b, kb)


@pytest.mark.parametrize("a", NAMES)
@pytest.mark.parametrize("scalar", SCALARS)
def test_result_type_with_weak_scalars(a, scalar):
    for kind in ["dim", "zero"]:
        assert repr(minitorch.result_type(_make(minitorch, a, kind), scalar)) == \
            str(torch.result_type(_make(torch, a, kind), scalar))
        assert repr(minitorch.result_type(scalar, _make(minitorch, a, kind))) == \
            str(torch.result_type(scalar, _make(torch, a, kind)))


@pytest.mark.parametrize("s1,s2", list(itertools.product([True, 3, 2.5], repeat=2)))
def test_result_type_of_two_scalars(s1, s2):
    assert repr(minitorch.result_type(s1, s2)) == str(torch.result_type(s1, s2))


@pytest.mark.parametrize("a,b", PAIRS)
def test_binary_ops_use_the_promotion_table(a, b):
    # Not just the table: an op on real tensors must produce the promoted dtype.
    for ka, kb in [("dim", "dim"), ("dim", "zero"), ("zero", "dim")]:
        expected = (_make(torch, a, ka) * _make(torch, b, kb)).dtype
        got = (_make(minitorch, a, ka) * _make(minitorch, b, kb)).dtype
        assert repr(got) == str(expected), (a, ka, b, kb)


@pytest.mark.parametrize("a", NAMES)
@pytest.mark.parametrize("scalar", [True, 3, 2.5])
def test_ops_with_scalars_are_weak(a, scalar):
    assert repr((_make(minitorch, a, "dim") * scalar).dtype) == str((_make(torch, a, "dim") * scalar).dtype)
    assert repr((scalar * _make(minitorch, a, "dim")).dtype) == str((scalar * _make(torch, a, "dim")).dtype)


@pytest.mark.parametrize("a,b", PAIRS)
def test_can_cast(a, b):
    assert minitorch.can_cast(getattr(minitorch, a), getattr(minitorch, b)) == \
        torch.can_cast(getattr(torch, a), getattr(torch, b))


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo(name):
    mt, th = minitorch.finfo(getattr(minitorch, name)), torch.finfo(getattr(torch, name))
    for attr in ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"]:
        assert getattr(mt, attr) == getattr(th, attr), attr
    assert repr(mt) == repr(th)


def test_finfo_defaults_to_default_dtype():
    assert minitorch.finfo().dtype == torch.finfo().dtype == "float32"


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo(name):
    mt, th = minitorch.iinfo(getattr(minitorch, name)), torch.iinfo(getattr(torch, name))
    for attr in ["bits", "max", "min", "dtype"]:
        assert getattr(mt, attr) == getattr(th, attr), attr
    assert repr(mt) == repr(th)


def test_info_errors():
    for lib in (minitorch, torch):
        with pytest.raises(TypeError, match="iinfo"):
            lib.iinfo(lib.bool)
        with pytest.raises(TypeError, match="iinfo"):
            lib.iinfo(lib.float32)
        with pytest.raises(TypeError, match="floating point"):
            lib.finfo(lib.int32)


@pytest.mark.parametrize("name", ["float64", "float16", "float32"])
def test_set_default_dtype(name):
    minitorch.set_default_dtype(getattr(minitorch, name))
    torch.set_default_dtype(getattr(torch, name))
    try:
        for lib in (minitorch, torch):
            assert repr(lib.get_default_dtype()) == f"torch.{name}"
        for data in ([1.5], [1, 2], [True], 2.5):
            assert repr(minitorch.tensor(data).dtype) == str(torch.tensor(data).dtype)
        assert repr(minitorch.zeros(2).dtype) == str(torch.zeros(2).dtype)
        assert repr((minitorch.ones(2, dtype=minitorch.int64) * 0.5).dtype) == \
            str((torch.ones(2, dtype=torch.int64) * 0.5).dtype)
        assert repr(minitorch.arange(0.0, 1.0, 0.5).dtype) == str(torch.arange(0.0, 1.0, 0.5).dtype)
    finally:
        minitorch.set_default_dtype(minitorch.float32)
        torch.set_default_dtype(torch.float32)


def test_set_default_dtype_rejects_non_float():
    for lib in (minitorch, torch):
        with pytest.raises(TypeError, match="floating"):
            lib.set_default_dtype(lib.int32)
    assert minitorch.get_default_dtype() is minitorch.float32


@pytest.mark.parametrize("name", NAMES)
def test_is_floating_point(name):
    mt, th = minitorch.ones(2, dtype=getattr(minitorch, name)), torch.ones(2, dtype=getattr(torch, name))
    assert minitorch.is_floating_point(mt) == torch.is_floating_point(th)
    assert mt.is_floating_point() == th.is_floating_point()
