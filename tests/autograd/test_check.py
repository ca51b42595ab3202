"""check_graph: each node's backward against finite differences at the inputs it saw."""
import os
import sys


import minitorch
from minitorch.autograd import check_graph, record_inputs

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
from mnist_models import build_model  # noqa: E402


class WrongSquare(minitorch.autograd.Function):
    """x ** 2 with a planted bug: the backward forgets the factor 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x


class RightSquare(WrongSquare):
    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 2 * x


def mlp_loss(square):
    minitorch.manual_seed(1)
    model = minitorch.nn.Sequential(minitorch.nn.Linear(4, 8), minitorch.nn.Tanh(), minitorch.nn.Linear(8, 3))
    with record_inputs():
        hidden = model[:2](minitorch.randn(5, 4))
        logits = model[2](square.apply(hidden))
        return minitorch.nn.functional.cross_entropy(logits, minitorch.tensor([0, 1, 2, 1, 0]))


def test_flags_the_planted_bug_and_only_it():
    report = check_graph(mlp_loss(WrongSquare))
    assert not report.passed
    assert [(row.node.name(), row.input_index) for row in report.errors] == [("WrongSquareBackward", 0)]
    assert abs(report.errors[0].numeric - 2 * report.errors[0].analytic) < 1e-3 * abs(report.errors[0].numeric)
    assert "ERROR" in str(report) and "WrongSquareBackward" in str(report)


def test_the_corrected_function_passes():
    report = check_graph(mlp_loss(RightSquare))
    assert report.passed and all(row.status == "ok" for row in report)


def test_every_built_in_node_of_lenet5_passes():
    minitorch.manual_seed(0)
    model = build_model("lenet", minitorch)
    with record_inputs():
        loss = minitorch.nn.functional.cross_entropy(model(minitorch.randn(2, 1, 28, 28)), minitorch.tensor([1, 7]))
    report = check_graph(loss)
    assert report.passed
    checked = {row.node.name() for row in report}
    assert {"ConvolutionBackward0", "AddmmBackward0", "ReluBackward0", "NllLossBackward0",
            "MaxPool2DWithIndicesBackward0", "ViewBackward0"} <= checked
    for row in report:
        if row.status != "ok":  # only max pooling may sit on a kink: ReLU zeros tie in a window
            assert row.status == "kink" and row.node.name() == "MaxPool2DWithIndicesBackward0"
            pooled_input = row.node._recorded_call[1][0]._array
            windows = pooled_input.reshape(*pooled_input.shape[:2], pooled_input.shape[2] // 2, 2, -1, 2)
            top = windows.max(axis=(3, 5), keepdims=True)
            assert ((windows == top).sum(axis=(3, 5)) > 1).any()   # a real tie exists


def test_kinks_are_told_apart_from_errors():
    """relu'(0) is taken as 0, while the central difference there is 1/2: a kink, not a bug."""
    with record_inputs():
        x = minitorch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        loss = x.relu().sum()
    rows = check_graph(loss)
    relu_row = next(r for r in rows if r.node.name() == "ReluBackward0")
    assert relu_row.status == "kink" and rows.passed


def test_nodes_made_outside_record_inputs_are_reported_as_skipped():
    x = minitorch.randn(3, requires_grad=True)
    rows = check_graph((x * 2).sum())
    assert rows and all(row.status == "skipped" for row in rows) and rows.passed
