"""nn.init: gains, fans, distribution statistics and bounds like torch's, errors, deprecated aliases."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn
from minitorch.nn import init


@pytest.mark.parametrize("args", [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                                  ("leaky_relu", 0.2), ("selu",)])
def test_calculate_gain(args):
    assert init.calculate_gain(*args) == pytest.approx(torch.nn.init.calculate_gain(*args))


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")
    with pytest.raises(ValueError, match="negative_slope"):
        init.calculate_gain("leaky_relu", "x")


def test_fans_like_torch():
    for shape in ((3, 4), (8, 3, 5, 5), (2, 6, 7)):
        assert init._calculate_fan_in_and_fan_out(minitorch.empty(*shape)) == \
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(minitorch.empty(5))


def _stats(fn_name, shape, *args, **kwargs):
    ours = getattr(init, fn_name)(minitorch.empty(*shape), *args, **kwargs).numpy()
    theirs = getattr(torch.nn.init, fn_name)(torch.empty(*shape), *args, **kwargs).numpy()
    return ours, theirs


@pytest.mark.parametrize("fn_name,args,kwargs", [
    ("uniform_", (-0.5, 2.0), {}), ("normal_", (1.0, 0.5), {}), ("xavier_uniform_", (), {"gain": 2.0}),
    ("xavier_normal_", (), {}), ("kaiming_uniform_", (), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", (), {"mode": "fan_out", "nonlinearity": "relu"}), ("kaiming_normal_", (), {}),
    ("trunc_normal_", (), {"std": 2.0, "a": -1.0, "b": 3.0}), ("orthogonal_", (), {"gain": 1.5}),
])
def test_distribution_statistics_match_torch(fn_name, args, kwargs):
    ours, theirs = _stats(fn_name, (256, 128), *args, **kwargs)
    assert ours.dtype == np.float32
    scale = theirs.std()
    assert abs(ours.mean() - theirs.mean()) < 0.03 * scale + 0.01 * abs(theirs.mean())
    assert abs(ours.std() - scale) < 0.03 * scale
    if fn_name in ("uniform_", "xavier_uniform_", "kaiming_uniform_", "trunc_normal_"):
        # bounded: same support, and the extremes are reached
        assert ours.min() >= theirs.min() - 0.02 * scale and ours.max() <= theirs.max() + 0.02 * scale
        assert abs(ours.max() - theirs.max()) < 0.05 * scale


def test_uniform_bounds_exact():
    t = init.kaiming_uniform_(minitorch.empty(300, 400), a=math.sqrt(5))
    assert np.abs(t.numpy()).max() <= 1 / math.sqrt(400)
    t = init.xavier_uniform_(minitorch.empty(30, 70))
    assert np.abs(t.numpy()).max() <= math.sqrt(6 / 100)


def test_orthogonal_is_orthogonal():
    for shape in ((5, 8), (8, 5), (4, 2, 3)):
        w = init.orthogonal_(minitorch.empty(*shape)).numpy().reshape(shape[0], -1)
        small = min(w.shape)
        gram = w @ w.T if w.shape[0] == small else w.T @ w
        np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)


def test_constant_ones_zeros_eye_dirac():
    assert init.constant_(minitorch.empty(2, 2), 3.5).tolist() == [[3.5, 3.5], [3.5, 3.5]]
    assert init.ones_(minitorch.empty(2)).tolist() == [1.0, 1.0]
    assert init.zeros_(minitorch.empty(2)).tolist() == [0.0, 0.0]
    assert init.eye_(minitorch.empty(2, 3)).tolist() == torch.nn.init.eye_(torch.empty(2, 3)).tolist()
    for shape, groups in (((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((2, 2, 3, 3, 3), 1)):
        np.testing.assert_array_equal(init.dirac_(minitorch.empty(*shape), groups).numpy(),
                                      torch.nn.init.dirac_(torch.empty(*shape), groups).numpy())
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(minitorch.empty(2, 2, 2))


def test_sparse_zeros_per_column():
    w = init.sparse_(minitorch.empty(10, 6), sparsity=0.3).numpy()
    assert ((w == 0).sum(0) >= 3).all() and abs(w[w != 0].std() - 0.01) < 0.005


def test_in_place_on_parameter_and_generator():
    p = nn.Parameter(minitorch.empty(3, 3))
    version = p._version
    assert init.normal_(p) is p and p.requires_grad and p._version > version
    g1, g2 = minitorch.Generator().manual_seed(5), minitorch.Generator().manual_seed(5)
    a = init.uniform_(minitorch.empty(4), generator=g1).tolist()
    assert a == init.uniform_(minitorch.empty(4), generator=g2).tolist()


def test_deprecated_aliases_warn_like_torch():
    for name in ("uniform", "normal", "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                 "kaiming_normal", "orthogonal"):
        args = (0.5,) if name == "constant" else ()
        for lib_init, t in ((init, minitorch.empty(3, 4)), (torch.nn.init, torch.empty(3, 4))):
            with pytest.warns(FutureWarning, match=f"`nn.init.{name}` is now deprecated in favor of `nn.init.{name}_`"):
                getattr(lib_init, name)(t, *args)


def test_zero_element_warns():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(minitorch.empty(0, 3))
