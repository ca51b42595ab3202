"""autograd.Variable as torch's legacy wrapper: a detached tensor sharing the data, any tensor is an instance."""
import warnings

import numpy as np
import pytest
import torch

import minitorch


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_variable_is_a_detached_tensor_sharing_data(lib):
    x = lib.ones(2)
    v = lib.autograd.Variable(x)
    assert type(v) is lib.Tensor and v is not x and not v.requires_grad
    assert isinstance(x, lib.autograd.Variable) and not isinstance(2.0, lib.autograd.Variable)
    w = lib.autograd.Variable(x, requires_grad=True)
    assert w.requires_grad and not x.requires_grad and w.is_leaf
    v.add_(1)                                   # shares x's storage
    np.testing.assert_array_equal(x.numpy(), [2.0, 2.0])
    y = w * 3
    z = lib.autograd.Variable(y)
    assert z.grad_fn is None and not z.requires_grad
    (w * 2).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_variable_errors_and_volatile(lib):
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got float"):
        lib.autograd.Variable(3.0)
    with pytest.warns(UserWarning, match="volatile was removed"):
        lib.autograd.Variable(lib.ones(1), volatile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lib.autograd.Variable(lib.ones(1))
