"""Creation functions against torch: values, shapes, dtypes (compared through repr) and errors."""
import re

import numpy as np
import pytest
import torch

import minitorch
from conftest import same_error


def run_both(code):
    """Exec `code` with `torch` bound to each library; return (minitorch result, torch result).

    A result is repr(r) or the raised exception's type.
    """
    results = []
    for lib in (minitorch, torch):
        namespace = {"torch": lib, "np": np}
        try:
            exec(code, namespace)
            results.append(repr(namespace["r"]))
        except Exception as e:  # the exception type is what must match
            results.append(type(e))
    return results


def assert_same(code):
    mt, th = run_both(code)
    assert mt == th, f"{code}\n minitorch: {mt}\n torch:     {th}"


DATA = ["[1, 2.5]", "[1, 2]", "[True, False]", "[True, 2]", "[True, 2.5]", "np.array([1., 2.])",
        "np.array([1, 2], np.int32)", "np.float64(2.5)", "np.int32(3)", "2.5", "3", "True", "-0.0",
        "[np.float64(1.5), 2]", "[[1, 2], [3, 4.]]", "[]", "[[]]", "[[], []]", "(1, 2)", "range(4)",
        "[torch.tensor(1.5), torch.tensor(2.)]", "[torch.tensor(1), torch.tensor(2)]",
        "np.array([1., 2.], np.float16)", "[np.int64(1), np.int64(2)]", "[np.float32(1.5)]",
        "[1, np.float32(2.5)]", "np.zeros((2, 0))", "np.array([[True]])", "[[1.5, 2], [3, 4]]",
        "np.arange(6).reshape(2, 3).T", "torch.arange(4.)", "[-2**63]"]
BAD_DATA = ["[[1, 2], [3]]", "[[1, 2], 3]", "[1, [2, 3]]", "'abc'", "[1, 'a']", "None", "[2**63]",
            "[torch.tensor([1., 2]), torch.tensor([3., 4])]", "[[[1], [2]], [[3]]]"]


@pytest.mark.parametrize("data", DATA)
def test_tensor_infers_dtype_like_torch(data):
    assert_same(f"r = torch.tensor({data})")
    assert_same(f"r = torch.as_tensor({data})")


@pytest.mark.parametrize("data", DATA[:12])
@pytest.mark.parametrize("dtype", ["float64", "int32", "bool", "uint8", "float16"])
def test_tensor_with_dtype(data, dtype):
    assert_same(f"r = torch.tensor({data}, dtype=torch.{dtype})")


@pytest.mark.parametrize("data", BAD_DATA)
def test_tensor_rejects_bad_data_like_torch(data):
    mt, th = run_both(f"r = torch.tensor({data})")
    assert isinstance(mt, type) and mt is th, (mt, th)


def test_ragged_message_names_the_lengths():
    with pytest.raises(ValueError, match="expected sequence of length 2 at dim 1 \\(got 1\\)"):
        minitorch.tensor([[1, 2], [3]])


def test_requires_grad_keyword():
    assert_same("r = torch.tensor([1., 2], requires_grad=True)")
    assert_same("r = torch.tensor([1., 2], dtype=torch.float64, requires_grad=True)")
    for factory in ["tensor([1, 2]", "zeros(2, dtype=torch.int64", "arange(5", "ones(2, dtype=torch.bool"]:
        mt, th = run_both(f"r = torch.{factory}, requires_grad=True)")
        assert mt is th is RuntimeError


def test_copies_and_sharing():
    a = np.ones(3)
    copied, shared, as_t = minitorch.tensor(a), minitorch.from_numpy(a), minitorch.as_tensor(a)
    a[0] = 5
    assert copied[0].item() == 1.0
    assert shared[0].item() == 5.0 and as_t[0].item() == 5.0
    shared.add_(1)  # writes through the tensor show in the array
    assert a[1] == 2.0
    converted = minitorch.as_tensor(a, dtype=minitorch.float32)
    a[2] = 100
    assert converted[2].item() == 2.0
    x = minitorch.ones(2)
    assert minitorch.as_tensor(x) is x
    assert minitorch.as_tensor(x, dtype=minitorch.float64).dtype is minitorch.float64
    source = minitorch.ones(2)
    assert minitorch.tensor(source).data_ptr() != source.data_ptr()


def test_from_numpy_errors():
    for lib in (minitorch, torch):
        with pytest.raises(TypeError):
            lib.from_numpy([1, 2])


SIZES = ["2, 3", "(2, 3)", "[2, 3]", "torch.Size([2, 3])", "()", "0", "(2, 3), dtype=torch.int32",
         "3, requires_grad=True", "size=(2, 3)", "1, 0, 2", "4, dtype=torch.bool", "2, dtype=torch.float64"]


@pytest.mark.parametrize("fn", ["zeros", "ones"])
@pytest.mark.parametrize("args", SIZES)
def test_zeros_ones(fn, args):
    assert_same(f"r = torch.{fn}({args})")


@pytest.mark.parametrize("args", SIZES)
def test_empty_shape_and_dtype(args):
    assert_same(f"x = torch.empty({args}); r = (x.shape, x.dtype, x.requires_grad)")


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("args", ["2, -1", "2.5", "(2, 'a')"])
def test_bad_sizes(fn, args):
    mt, th = run_both(f"r = torch.{fn}({args})")
    assert isinstance(mt, type) and mt is th, (mt, th)


def test_negative_size_message():
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        minitorch.zeros(2, -1)


@pytest.mark.parametrize("args", ["(2, 3), 1.5", "(2, 3), 2", "(2, 3), True", "(2,), 1.5, dtype=torch.int64",
                                  "[2], 7, dtype=torch.float64", "(), 3", "(2,), -0.5, requires_grad=True",
                                  "(2,), torch.tensor(2.5)", "3, 1.0", "(2, -1), 1."])
def test_full(args):
    assert_same(f"r = torch.full({args})")


@pytest.mark.parametrize("fn", ["zeros_like", "ones_like", "full_like"])
@pytest.mark.parametrize("kwargs", ["", ", dtype=torch.float32", ", dtype=torch.float64, requires_grad=True"])
def test_like(fn, kwargs):
    value = ", 2.7" if fn == "full_like" else ""
    assert_same(f"r = torch.{fn}(torch.tensor([[1, 2], [3, 4]], dtype=torch.int32){value}{kwargs})")
    assert_same(f"r = torch.{fn}(torch.ones(2, 3, requires_grad=True){value}{kwargs})")


def test_empty_like():
    assert_same("x = torch.empty_like(torch.ones(2, 3, dtype=torch.int16)); r = (x.shape, x.dtype)")


ARANGE = ["5", "1, 4", "1, 4, 0.5", "0., 1., 0.1", "1, 2.5", "10, 0, -3", "0, 1, 0.3", "-1.5, 1.5, 0.5",
          "5, dtype=torch.float64", "0, 5, 2, dtype=torch.int32", "1, 1", "0", "torch.tensor(3)",
          "torch.tensor(3.)", "0.1, 0.5, 0.1", "1, 2.0000001", "0, 1, 1/3", "5., requires_grad=True",
          "2.5, dtype=torch.int64", "0, 2, 0.5, dtype=torch.int64", "-3.7, 2, dtype=torch.int64",
          "start=1, end=3", "0, 10, 3, dtype=torch.float16", "1e6, 1e6 + 5", "0.5, -2.5, -0.7",
          "0, 10, 0", "10, 0", "0, 10, -1", "float('inf')", "0, float('nan')", "0, 3, dtype=torch.bool",
          "5, requires_grad=True"]


@pytest.mark.parametrize("args", ARANGE)
def test_arange(args):
    assert_same(f"r = torch.arange({args})")


@pytest.mark.parametrize("start,end,step", [(0, 1, 0.1), (0, 0.9, 0.3), (-1, 1, 0.2), (0, 2.1, 0.7), (1, 0, -0.1)])
def test_arange_length_rule(start, end, step):
    # the length is ceil((end - start) / step) in double precision, torch's rule
    assert minitorch.arange(start, end, step).shape == torch.arange(start, end, step).shape


LINSPACE = ["0, 1, 5", "0, 1, 1", "0, 1, 0", "-1, 1, 4, dtype=torch.float64", "0, 10, 5, dtype=torch.int64",
            "1, 0, 4", "0, 10, 4, dtype=torch.int64", "torch.tensor(0.), torch.tensor(1.), 3", "0, 1, steps=3",
            "0, 1, 3, requires_grad=True", "0, 1, -1", "0, 1, 2.0", "3, -7, 11"]


@pytest.mark.parametrize("args", LINSPACE)
def test_linspace(args):
    assert_same(f"r = torch.linspace({args})")


@pytest.mark.parametrize("args", ["0, 2, 3", "0, 2, 3, base=2", "0, 2, 3, 2", "0, 3, 4, dtype=torch.int64",
                                  "-1, 1, 5, dtype=torch.float64", "0, 1, 0", "2, 0, 5", "0, 1, -2"])
def test_logspace(args):
    assert_same(f"r = torch.logspace({args})")


@pytest.mark.parametrize("args", ["3", "2, 3", "3, 2", "0", "3, dtype=torch.int64", "n=2, m=3",
                                  "3, requires_grad=True", "3, dtype=torch.bool", "-1", "2, -1"])
def test_eye(args):
    assert_same(f"r = torch.eye({args})")


@pytest.mark.parametrize("dev", ["'cpu'", "torch.device('cpu')", "None"])
def test_cpu_device_everywhere(dev):
    for code in [f"r = torch.zeros(2, device={dev})", f"r = torch.tensor([1.5], device={dev})",
                 f"r = torch.arange(3, device={dev}).device", f"r = torch.full((2,), 1., device={dev}).device",
                 f"r = torch.ones(1).to({dev})", f"r = torch.rand(2, device={dev}).shape"]:
        assert_same(code)


@pytest.mark.parametrize("dev", ["'cuda'", "'cuda:0'", "'mps'", "torch.device('cuda')"])
def test_other_devices_refused(dev):
    for code in [f"torch.zeros(2, device={dev})", f"torch.tensor([1.], device={dev})",
                 f"torch.ones(2).to({dev})", f"torch.rand(2, device={dev})", "torch.ones(2).cuda()"]:
        with pytest.raises(RuntimeError, match="supported devices: 'cpu'"):
            exec(code, {"torch": minitorch})


# ----- out=: the result is written into `out` (resized to fit) and `out` is returned ------------
@pytest.mark.parametrize("make, out_dtype", [
    (lambda L, o: L.zeros((3, 3), out=o), "int64"),
    (lambda L, o: L.ones(2, 2, out=o), "float32"),
    (lambda L, o: L.empty(0, out=o).shape, "float64"),
    (lambda L, o: L.full((2,), 7.0, out=o), "int32"),
    (lambda L, o: L.arange(3, out=o), "float32"),
    (lambda L, o: L.arange(3.0, out=o), "int64"),
    (lambda L, o: L.linspace(0, 1, 3, out=o), "int64"),
    (lambda L, o: L.logspace(0, 2, 3, out=o), "float64"),
    (lambda L, o: L.eye(2, 3, out=o), "float32"),
])
def test_out_is_filled_resized_and_returned_like_torch(make, out_dtype):
    shown = []
    for L in (minitorch, torch):
        out = L.tensor([1, 2, 3, 4, 5], dtype=getattr(L, out_dtype))
        result = make(L, out)
        shown.append((repr(result), repr(out), result is out or not isinstance(result, L.Tensor)))
    assert shown[0] == shown[1]


@pytest.mark.parametrize("make", [
    lambda L: L.zeros(2, dtype=L.float32, out=L.tensor([1])),
    lambda L: L.arange(3, dtype=L.float64, out=L.empty(0)),
    lambda L: L.zeros(2, out=L.ones(1, requires_grad=True)),
])
def test_out_errors_like_torch(make):
    same_error(make)


def test_out_with_requires_grad_makes_out_a_leaf_that_requires_grad():
    shown = [repr(L.ones(2, out=L.empty(0), requires_grad=True)) for L in (minitorch, torch)]
    assert shown[0] == shown[1]


def test_layout_is_strided():
    assert repr(minitorch.strided) == repr(torch.strided)
    assert repr(minitorch.zeros(2, layout=minitorch.strided).layout) == repr(torch.zeros(2).layout)


@pytest.mark.parametrize("code", [
    "r = torch.tensor([1.91, 0.1], dtype=torch.float64).tolist()",
    "r = torch.tensor(1.91, dtype=torch.float64).item()",
    "r = torch.tensor([[1.91], [0.1]], dtype=torch.float64).tolist()",
    "r = torch.tensor([1, 0.1], dtype=torch.float64).tolist()",
    "r = torch.as_tensor([1.91, 0.1], dtype=torch.float64).tolist()",
    "r = torch.full((2,), 1.91, dtype=torch.float64).tolist()",
    "r = torch.arange(0.1, 2, 0.7, dtype=torch.float64).tolist()",
    "r = torch.linspace(0, 1.91, 5, dtype=torch.float64).tolist()",
    "r = torch.tensor([1.7, -1.7, 2**40 + 0.5], dtype=torch.int64).tolist()",
    "r = torch.tensor([16777217.0], dtype=torch.float64).tolist()",
])
def test_float64_from_python_floats_is_exact_like_torch(code):
    # Python floats are doubles: an explicit float64 dtype must not round through float32
    mine, theirs = run_both(code)
    assert mine == theirs
# ----- Tensor.new_*: self's dtype, a new leaf --------------------------------------------------
NEW_CALLS = [
    lambda x: x.new_tensor([1.5, 2.0]),
    lambda x: x.new_tensor([[7, 8]]),
    lambda x: x.new_zeros(2, 3),
    lambda x: x.new_ones((2,)),
    lambda x: x.new_ones(size=(1, 2)),
    lambda x: x.new_zeros([]),
    lambda x: x.new_full((2, 2), 3.7),
    lambda x: x.new_full([3], True),
    lambda x: x.new_empty(0, 4),
]


@pytest.mark.parametrize("dtype", ["int64", "float64", "float32"])
@pytest.mark.parametrize("call", range(len(NEW_CALLS)))
def test_new_methods_match_torch(call, dtype):
    got = NEW_CALLS[call](minitorch.tensor([1, 2], dtype=getattr(minitorch, dtype)))
    want = NEW_CALLS[call](torch.tensor([1, 2], dtype=getattr(torch, dtype)))
    assert (str(got.dtype), tuple(got.shape), got.requires_grad) == (str(want.dtype), tuple(want.shape), False)
    if call != len(NEW_CALLS) - 1:  # new_empty's values are arbitrary
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_new_tensor_copies_a_tensor_out_of_the_graph_with_torchs_warning():
    for lib in (minitorch, torch):
        source = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.warns(UserWarning, match="recommended to use sourceTensor.detach"):
            copy = source.new_tensor(source)
        assert not copy.requires_grad and copy.grad_fn is None
        copy[0] = 5.0
        assert source[0].item() == 1.0


def test_new_methods_take_dtype_and_requires_grad():
    for lib in (minitorch, torch):
        x = lib.tensor([1, 2])
        y = x.new_zeros(2, dtype=lib.float64, requires_grad=True)
        assert y.dtype == lib.float64 and y.requires_grad and y.is_leaf
        with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
            x.new_ones(2, requires_grad=True)
        with pytest.raises(TypeError, match=r"new_full\(\): argument 'size' \(position 1\) must be tuple of ints"):
            x.new_full(2, 1)


_OVERFLOW_CASES = [-256, -255, -129, -128, -1, 127, 128, 255, 256, 70000, 2**63 - 1, -2.5, -0.5, -0.0, 0.5, 2.5,
                   127.5, 128.0, 255.5, 256.0, -255.0, 1e10, float("inf"), float("nan"), 2.0**63, 9.3e18, -1e19]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
def test_tensor_refuses_python_numbers_the_integer_dtype_cannot_hold(dtype):
    # torch.tensor checks each Python number against the dtype (uint8 lets ints down to -255 wrap,
    # floats compare with the bounds as floats: int64's max reads 2**63); numpy's cast would wrap them
    for value in _OVERFLOW_CASES:
        try:
            expected = torch.tensor([value], dtype=getattr(torch, dtype)).tolist()
        except RuntimeError as error:
            with pytest.raises(RuntimeError, match=str(error)):
                minitorch.tensor([value], dtype=getattr(minitorch, dtype))
        else:
            assert minitorch.tensor([value], dtype=getattr(minitorch, dtype)).tolist() == expected, value


_MIXED_LISTS = [[-1, 2.5], [-255, 2.5], [-256, 2.5], [2.5, -1], [-128, -1.9], [127.9, 1], [2**62 + 1, 0.5],
                [True, 2.5], [[1, 2.5], [300, 4]], [2**63, 1.5], [-2**63, 1.5], [-2**63 - 1, 1.5], [2**64, 0.5],
                [float("nan"), 1], [2.0**63, -3]]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool", "float16", "float64"])
def test_tensor_converts_each_python_number_of_a_mixed_list_by_its_own_type(dtype):
    # torch converts number by number: an int wraps (uint8 from -1 is 255) and keeps all 64 bits, a float
    # truncates; numpy parses the list as float64 first (-1.0 into uint8 would be refused, 2**62 + 1 rounded)
    for data in _MIXED_LISTS:
        try:
            expected = torch.tensor(data, dtype=getattr(torch, dtype))
        except (RuntimeError, ValueError) as error:
            with pytest.raises(type(error), match=str(error)):
                minitorch.tensor(data, dtype=getattr(minitorch, dtype))
        else:
            ours = minitorch.tensor(data, dtype=getattr(minitorch, dtype))
            assert ours.tolist() == expected.tolist() or np.array_equal(ours.numpy(), expected.numpy(),
                                                                        equal_nan=True), data


def test_tensor_of_ints_beyond_64_bits():
    # numpy keeps such ints as Python objects; torch reads them as floats beside a float or for a float dtype
    for data, dtype in [([2**64, 1.5], None), ([-2**63 - 1], "float32"), ([2**64], None), (-2**63 - 1, None)]:
        try:
            expected = torch.tensor(data, dtype=dtype and getattr(torch, dtype))
        except ValueError as error:
            with pytest.raises(ValueError, match=str(error)):
                minitorch.tensor(data, dtype=dtype and getattr(minitorch, dtype))
        else:
            ours = minitorch.tensor(data, dtype=dtype and getattr(minitorch, dtype))
            assert (ours.tolist(), str(ours.dtype)) == (expected.tolist(), str(expected.dtype))


class _Opaque:
    pass


_NOT_NUMBERS = [("a", None), (["a"], None), (["a", 1], None), ([1, "a"], None), ([[1, 2], "ab"], None),
                (["ab", [1, 2]], None), ([None], None), ((1, None), None), ([[1, 2], [3, None]], None),
                ([[1, None], [3]], None), ([[1], [2, 3], None], None), ([_Opaque()], None), ({"a": 1}, None),
                ([1.5, {}], None), ([1, [2, 3]], None), ([[1, 2], 3], None), ([[1, 2], [3]], None),
                ([None], "float32"), ([1, "a"], "float32"), ([[1, 2], [None, 2]], "float64"), ([_Opaque()], "int64"),
                ([[5, "a"]], "int64"), ([None], "bool"), ([1, [1]], "bool")]


@pytest.mark.parametrize("data, dtype", _NOT_NUMBERS, ids=range(len(_NOT_NUMBERS)))
def test_tensor_refuses_what_is_not_numbers_with_torchs_error(data, dtype):
    # torch's order: a string as data; the sizes along the first elements (a string there never ends);
    # the dtype of every leaf (without dtype=); then each item against the sizes and the dtype
    with pytest.raises(Exception) as expected:
        torch.tensor(data, dtype=dtype and getattr(torch, dtype))
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        minitorch.tensor(data, dtype=dtype and getattr(minitorch, dtype))


_INF, _NAN = float("inf"), float("nan")
_RANGE_CASES = [
    ("arange", (False, False, True), None), ("arange", (False, False, False), None), ("arange", (0, 5, 1.5), "int32"),
    ("arange", (1.5, 5.2, 1), "int32"), ("arange", (0, 0.5, 0.5), "int32"), ("arange", (0, 1, 0.3), "int64"),
    ("arange", (0.0, 0.1, 2), "int64"), ("arange", (0.0, 5.0, _NAN), None), ("arange", (0, 5, _INF), "int64"),
    ("arange", (0, 5, _INF), "float32"), ("arange", (7e-272, 0.0, 7e-272), None), ("arange", (-0.9, 5e-324, 5e-324), None),
    ("arange", (-6e-05, -1.5e-17, -6e-05), "int64"), ("arange", (1e20, 1e20, 1.0), "int16"),
    ("linspace", (True, _INF, 5), "float32"), ("linspace", (_INF, False, 4), None), ("linspace", (False, -110, 3), "uint8"),
    ("linspace", (2.5, -3.7, 4), "int32"), ("linspace", (0, 10, 4), "float16"), ("linspace", (-299, 65504.0, 5), "float16"),
    ("linspace", (0, 300, 3), "int8"),
    ("linspace", (-907.8, 94, 0), "int8"), ("linspace", (-0.9, -736.6, 1), "bool"), ("linspace", (1.5, 2.5, 3), "bool"),
    ("linspace", (1e20, 1, 1), "float16"), ("linspace", (0.5, 1e20, 2), "float16"),
    ("full", ((2,), -238), "uint8"), ("full", ((2,), -300), "uint8"), ("full", ((2,), _INF), "uint8"),
    ("full", ((2,), 1e20), "float16"), ("full", ((2,), 401.9), "int8"),
]


@pytest.mark.parametrize("name, args, dtype", _RANGE_CASES, ids=range(len(_RANGE_CASES)))
def test_ranges_and_fills_follow_torchs_arithmetic_and_checks(name, args, dtype):
    # arange sizes from the arguments as given (int64: truncated first), integer values from trunc(start) and
    # trunc(step); linspace in the dtype, symmetric from both ends; the fill values' overflow checks
    try:
        expected = getattr(torch, name)(*args, dtype=dtype and getattr(torch, dtype))
    except Exception as error:
        with pytest.raises(type(error)):
            getattr(minitorch, name)(*args, dtype=dtype and getattr(minitorch, dtype))
    else:
        ours = getattr(minitorch, name)(*args, dtype=dtype and getattr(minitorch, dtype))
        assert str(ours.dtype) == str(expected.dtype)
        assert np.array_equal(ours.numpy(), expected.numpy(), equal_nan=True)
