"""make_dot: a self-rendering drawing of the backward graph (DOT text always; SVG with graphviz)."""
import os
import re
import shutil
import sys

import pytest
import torch

import minitorch
from minitorch.autograd.graph import tape

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
from mnist_models import build_model  # noqa: E402


def edges(source):
    return re.findall(r"(\w+) -> (\w+)", source)


def labels(source):
    return dict(re.findall(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"', source, re.M))


def mlp_loss():
    x = minitorch.randn(4, 3)
    w = minitorch.randn(3, 2, requires_grad=True)
    b = minitorch.tensor([0.5, -0.5], requires_grad=True)
    return (x @ w + b).relu().sum(), w, b


def test_draws_root_leaves_and_every_edge():
    loss, w, b = mlp_loss()
    source = str(minitorch.autograd.make_dot(loss, params={"w": w, "b": b}))
    assert source.startswith("digraph backward {") and source.endswith("}")
    names = labels(source)
    root = next(k for k, v in names.items() if v.startswith("output"))
    sum_node = next(k for k, v in names.items() if v.startswith("SumBackward0"))
    assert (sum_node, root) in edges(source)                     # the root is drawn, fed by its grad_fn
    leaf_w = next(k for k, v in names.items() if v.startswith("w\\n(3, 2)"))
    accumulators = [k for k, v in names.items() if v == "AccumulateGrad"]
    assert any((leaf_w, acc) in edges(source) for acc in accumulators)  # leaf -> its AccumulateGrad
    node_edges = sum(1 for n in tape(loss) for c, _ in n.next_functions if c is not None)
    assert len(edges(source)) == node_edges + 1 + 2              # + root edge + two leaf edges
    assert "b\\n(2,)\\n[ 0.5, -0.5]" in source                   # small leaves show their values


def test_grads_quotes_and_view_bases():
    loss, w, b = mlp_loss()
    loss.backward()
    view = (b * 2).view(2, 1)
    source = str(minitorch.autograd.make_dot(view, params={'bias "b"': b}))
    assert 'bias \\"b\\"' in source and "\\ngrad\\n[" in source   # the leaf shows its .grad
    base = next(k for k, v in labels(source).items() if v.startswith("view of"))
    assert any(a == base for a, _ in edges(source)) and "style=dotted" in source


def test_lenet_has_one_cluster_per_layer_and_notes_fused_cross_entropy():
    model = build_model("lenet", minitorch)
    loss = minitorch.nn.functional.cross_entropy(model(minitorch.randn(2, 1, 28, 28)), minitorch.tensor([1, 2]))
    tloss = torch.nn.functional.cross_entropy(build_model("lenet", torch)(torch.randn(2, 1, 28, 28)),
                                              torch.tensor([1, 2]))
    assert loss.grad_fn.name() == tloss.grad_fn.name() == "NllLossBackward0"
    assert "log" in loss.grad_fn.metadata["fused"].lower() or "cross" in loss.grad_fn.metadata["fused"].lower()
    source = str(minitorch.autograd.make_dot(loss, module=model))
    clusters = re.findall(r'subgraph cluster_\d+ \{ label="([^"]+)"; [^}]*?((?:node\d+; )+)\}', source)
    assert sorted(label for label, _ in clusters) == ["0 (Conv2d)", "11 (Linear)", "3 (Conv2d)",
                                                     "7 (Linear)", "9 (Linear)"]
    names = labels(source)
    for label, members in clusters:
        kinds = sorted(names[m].split("\\n")[0] for m in members.split("; ") if m)
        # a linear layer is torch's addmm of (bias, input, weight.t())
        layer_ops = ["ConvolutionBackward0"] if "Conv" in label else ["AddmmBackward0", "TBackward0"]
        assert kinds == sorted(["AccumulateGrad", "AccumulateGrad"] + layer_ops)
    assert "fused: CrossEntropy" in source and "0.weight" in source


def test_saved_tensors_attributes_and_depth():
    class Scale(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.factor = 3.0
            return x * 3

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factor

    x = minitorch.randn(4, 3, requires_grad=True)
    y = Scale.apply(x.exp()).sum()
    source = str(minitorch.autograd.make_dot(y, show_saved=True, show_attrs=True))
    assert "_saved_result\\n(4, 3)\\n48 bytes" in source and "factor: 3.0" in source
    shallow = str(minitorch.autograd.make_dot(y, depth=1))
    assert "SumBackward0" in shallow and "ScaleBackward" in shallow and "ExpBackward0" not in shallow


def test_without_graphviz_render_writes_dot_and_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    graph = minitorch.autograd.make_dot(mlp_loss()[0])
    assert graph._repr_svg_() is None
    with pytest.raises(RuntimeError, match="graphviz"):
        graph.render(str(tmp_path / "mlp.dot"), "svg")
    assert (tmp_path / "mlp.dot").read_text() == str(graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="the optional Graphviz `dot` program is not installed")
def test_renders_svg_with_graphviz(tmp_path):
    pytest.importorskip("graphviz")
    graph = minitorch.autograd.make_dot(mlp_loss()[0])
    assert graph._repr_svg_().lstrip().startswith(("<?xml", "<svg"))
    path = graph.render(str(tmp_path / "mlp.dot"), "png")
    assert os.path.getsize(path) > 0
