"""Anomaly mode: NaN checks (switchable), the forward traceback of a failing backward, warning types."""
import warnings

import pytest
import torch

import minitorch


def nan_through_log_sqrt(lib):
    """log(-1) is NaN, so every gradient behind it is NaN."""
    x = lib.tensor([-1.0], requires_grad=True)
    x.log().sqrt().sum().backward()
    return x.grad


def test_check_nan_false_lets_nan_gradients_through_as_in_torch():
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        with torch.autograd.detect_anomaly(check_nan=False):
            expected = nan_through_log_sqrt(torch)
        with minitorch.autograd.detect_anomaly(check_nan=False):
            got = nan_through_log_sqrt(minitorch)
    assert torch.isnan(expected).all() and minitorch.isnan(got).all()


def test_check_nan_true_raises_naming_the_node():
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning):
            with lib.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="returned nan values"):
                nan_through_log_sqrt(lib)


def test_set_detect_anomaly_check_nan_false():
    for lib in (torch, minitorch):
        with lib.autograd.set_detect_anomaly(True, check_nan=False):
            assert lib.isnan(nan_through_log_sqrt(lib)).all()
        assert not lib.is_anomaly_enabled()


def failing_backward_warnings(lib):
    class Fails(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("backward failed")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with lib.autograd.detect_anomaly():
            x = lib.ones(2, requires_grad=True)
            y = Fails.apply(x)  # the forward line the traceback must point at
            with pytest.raises(ValueError, match="backward failed"):
                y.sum().backward()
    return [w for w in caught if "Error detected" in str(w.message)]


def test_exception_inside_backward_warns_with_the_forward_traceback():
    for lib in (torch, minitorch):
        (warning,) = failing_backward_warnings(lib)
        message = str(warning.message)
        assert warning.category is UserWarning
        assert message.startswith("Error detected in FailsBackward. Traceback of forward call")
        assert "y = Fails.apply(x)" in message


def test_no_traceback_warning_outside_anomaly_mode():
    class Fails(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("backward failed")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            Fails.apply(minitorch.ones(2, requires_grad=True)).sum().backward()
