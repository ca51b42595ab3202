"""interpolate (every mode, size / scale_factor, align_corners, recompute_scale_factor) and
pixel_shuffle against torch, gradcheck, and errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_outcome


def F(lib):
    return lib.nn.functional


SIZES = [dict(size=7), dict(scale_factor=2), dict(scale_factor=1.7), dict(scale_factor=0.6),
         dict(scale_factor=1.7, recompute_scale_factor=True), dict(size=2)]
MODES = [("nearest", 1), ("nearest", 2), ("nearest", 3), ("nearest-exact", 2), ("nearest-exact", 1),
         ("linear", 1), ("bilinear", 2), ("bicubic", 2), ("trilinear", 3), ("area", 2)]


@pytest.mark.parametrize("mode,nd", MODES)
@pytest.mark.parametrize("kw", SIZES)
def test_interpolate_matches_torch(mode, nd, kw):
    x = randn(2, 3, *[5, 4, 3][:nd])
    corners = [None] if mode in ("nearest", "nearest-exact", "area") else [False, True]
    for ac in corners:
        assert_matches_torch(lambda lib, x: F(lib).interpolate(x, mode=mode, align_corners=ac, **kw), x)


def test_interpolate_float64_and_per_axis_sizes():
    x = randn(1, 2, 4, 5, dtype=np.float64)
    assert_matches_torch(lambda lib, x: F(lib).interpolate(x, size=(7, 3), mode="bicubic"), x)
    assert_matches_torch(lambda lib, x: F(lib).interpolate(x, scale_factor=(1.5, 0.5), mode="bilinear"), x)


def test_interpolate_gradcheck():
    x = randn(1, 2, 3, 4)
    for mode in ("nearest", "bilinear", "bicubic"):
        gradcheck(lambda lib, x: F(lib).interpolate(x, scale_factor=1.5, mode=mode), x)
    gradcheck(lambda lib, x: F(lib).interpolate(x, size=(5, 6), mode="bilinear", align_corners=True), x)


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle_matches_torch(r):
    assert_matches_torch(lambda lib, x: F(lib).pixel_shuffle(x, r), randn(2, 2 * r * r, 3, 2))
    assert_matches_torch(lambda lib, x: F(lib).pixel_unshuffle(x, r), randn(2, 2, 3 * r, 2 * r))
    assert_matches_torch(lambda lib, x: F(lib).pixel_shuffle(x, r), randn(3, r * r, 2, 2))


@pytest.mark.parametrize("fn,shape", [
    (lambda lib, x: F(lib).interpolate(x, size=4, scale_factor=2), (1, 1, 3, 3)),
    (lambda lib, x: F(lib).interpolate(x), (1, 1, 3, 3)),
    (lambda lib, x: F(lib).interpolate(x, size=4, mode="linear"), (1, 1, 3, 3)),
    (lambda lib, x: F(lib).interpolate(x, size=4, mode="nearest", align_corners=True), (1, 1, 3, 3)),
    (lambda lib, x: F(lib).interpolate(x, size=(4, 4, 4)), (1, 1, 3, 3)),
    (lambda lib, x: F(lib).pixel_shuffle(x, 2), (1, 3, 2, 2)),
    (lambda lib, x: F(lib).pixel_unshuffle(x, 2), (1, 1, 3, 4)),
])
def test_upsampling_errors(fn, shape):
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        fn(torch, torch.tensor(x))
    with pytest.raises(type(expected.value)):
        fn(minitorch, minitorch.tensor(x))


INTEGER_INTERPOLATIONS = [(dtype, mode, ndim) for dtype in ("int64", "bool")
                          for mode, ndim in [("nearest", 3), ("nearest", 4), ("nearest", 5), ("nearest-exact", 4),
                                             ("linear", 3), ("bilinear", 4), ("bicubic", 4), ("area", 4)]]
INTEGER_INTERPOLATIONS += [("uint8", "nearest", 3), ("uint8", "nearest", 4)]  # torch's one integer kernel


@pytest.mark.parametrize("dtype,mode,ndim", INTEGER_INTERPOLATIONS, ids=str)
def test_interpolate_integer_inputs_raise_like_torch(dtype, mode, ndim):
    """torch has no integer kernels here but uint8 nearest; it names the kernel it lacks."""
    x = np.ones((1, 1) + (4,) * (ndim - 2), dtype)
    same_outcome(lambda L, x: L.nn.functional.interpolate(x, scale_factor=2, mode=mode), x)


@pytest.mark.parametrize("kw", [{"scale_factor": 0.5}, {"size": (0, 1)}])
def test_area_interpolation_to_size_0_is_empty_like_torch(kw):
    # (torch cannot differentiate it: its adaptive pooling backward refuses an empty gradient)
    assert_matches_torch(lambda L, x: L.nn.functional.interpolate(x, mode="area", **kw), randn(1, 1, 1, 1), grad=False)
