"""Inspecting the backward graph: walk, tape order, DOT drawing."""
import minitorch
from minitorch.autograd.graph import tape, to_dot, walk


def _example():
    x = minitorch.randn(2, 3)
    w = minitorch.randn(3, 4, requires_grad=True)
    b = minitorch.randn(4, requires_grad=True)
    return (x @ w + b).relu().sum(), w, b


def test_tape_runs_from_output_to_leaves():
    y, w, b = _example()
    names = [n.name() for n in tape(y)]
    assert names == ["SumBackward0", "ReluBackward0", "AddBackward0", "AccumulateGrad", "MmBackward0",
                     "AccumulateGrad"]
    leaves = [n.variable for n in tape(y) if n.name() == "AccumulateGrad"]
    assert {id(v) for v in leaves} == {id(w), id(b)}
    assert set(walk(y)) == set(tape(y))


def test_dot_names_parameters_and_links_every_edge():
    y, w, b = _example()
    dot = to_dot(y, params={"w": w, "b": b})
    assert dot.startswith("digraph backward {") and dot.endswith("}")
    assert 'label="w\\n(3, 4)"' in dot and 'label="b\\n(4,)"' in dot
    assert "ReluBackward0\\n(2, 4)" in dot
    edges = [line for line in dot.splitlines() if "->" in line]
    assert len(edges) == sum(1 for n in tape(y) for c, _ in n.next_functions if c is not None)
