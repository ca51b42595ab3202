"""A guided tour of minitorch's autograd, printing each step (companion of docs/autograd.md).

    python examples/autograd_tour.py                 # pictures go to ./autograd_tour_out/
    python examples/autograd_tour.py --out /tmp/tour

1. the seed notes' autograd examples: higher derivatives, the graph freed after backward,
   gradients that accumulate, requires_grad flowing forward, in-place on a leaf;
2. explain_backward on log(xy) + exp(xy): every node, its incoming gradient and its sources;
3. step_backward: the engine's pending buffers and dependency counts, one node at a time;
4. check_graph on an MLP with a planted bug in a custom Function;
5. make_dot of an MLP and of LeNet-5, written as .dot files (and .svg when Graphviz is there);
6. torch.func and autograd.functional: gradients and Hessians as functions.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import minitorch as torch  # noqa: E402
from mnist_models import build_model  # noqa: E402


def section(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 70 - len(title)))


def seed_notes() -> None:
    section("1. The seed notes: autograd basics")
    x = torch.tensor([3.], requires_grad=True)
    y = torch.pow(x, 2)                                   # y = x**2
    grad_1 = torch.autograd.grad(y, x, create_graph=True)  # dy/dx = 2x = 6, itself differentiable
    print(grad_1)
    grad_2 = torch.autograd.grad(grad_1[0], x)            # d(2x)/dx = 2
    print(grad_2)

    a = torch.tensor([1., 2.], requires_grad=True)
    loss = (a * a).sum()
    loss.backward()
    try:
        loss.backward()                                   # the graph was freed by the first call
    except RuntimeError as error:
        print("second backward:", str(error)[:60], "...")
    (a * 3).sum().backward()
    print("gradients accumulate: a.grad =", a.grad)       # 2a + 3
    a.grad.zero_()
    print("after a.grad.zero_():", a.grad)
    print("a node depending on a leaf requires grad:", (a + 1).requires_grad)
    try:
        a.add_(1)                                         # in-place on a leaf that requires grad
    except RuntimeError as error:
        print("in-place on a leaf:", error)


def explain() -> None:
    section("2. explain_backward on log(xy) + exp(xy)")
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    xy = x * y
    z = xy.log() + xy.exp()
    print(torch.autograd.explain_backward(z, params={"x": x, "y": y}, time=False))
    print("x.grad =", x.grad, " y.grad =", y.grad)

    section("3. step_backward: what the engine holds as each node starts")
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    xy = x * y
    for step in torch.autograd.step_backward(xy.log() + xy.exp(), params={"x": x, "y": y}):
        pending = {name: [round(float(g), 4) for g in grads if g is not None]
                   for name, grads in step.pending.items()}
        print(f"step {step.index}: {step.label:<18} pending={pending} waiting on={step.dependencies}")


class PlantedBugSquare(torch.autograd.Function):
    """x ** 2, whose backward forgets the factor 2: the bug check_graph should find."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x


def check() -> None:
    section("4. check_graph: each node against finite differences")
    torch.manual_seed(0)
    first, second = torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)
    with torch.autograd.record_inputs():
        hidden = PlantedBugSquare.apply(first(torch.randn(5, 4)).tanh())
        loss = torch.nn.functional.cross_entropy(second(hidden), torch.tensor([0, 1, 2, 1, 0]))
    report = torch.autograd.check_graph(loss)
    print(report)
    print("passed:", report.passed, "| errors:", [row.node.name() for row in report.errors])


def draw(out_dir: str) -> None:
    section("5. make_dot: an MLP and LeNet-5")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    lenet = build_model("lenet", torch)
    graphs = {
        "mlp": torch.autograd.make_dot(mlp(torch.randn(3, 4)).sum(), module=mlp, show_saved=True),
        "lenet5": torch.autograd.make_dot(
            torch.nn.functional.cross_entropy(lenet(torch.randn(2, 1, 28, 28)), torch.tensor([3, 7])),
            module=lenet),
    }
    for name, graph in graphs.items():
        path = os.path.join(out_dir, f"{name}.dot")
        try:
            written = graph.render(path, "svg")
        except RuntimeError as missing:        # no graphviz: the .dot file is still written
            written = path
            print(str(missing).split(". ")[0] + ".")
        print(f"{name}: {str(graph).count('->')} edges, "
              f"{str(graph).count('subgraph cluster')} module clusters -> {written}")


def transforms() -> None:
    section("6. Gradients as functions: torch.func and autograd.functional")
    x = torch.tensor([0.5, -1.0, 2.0])
    f = lambda t: (t ** 3).sum()                       # noqa: E731
    print("grad(f)(x)     =", torch.func.grad(f)(x))    # 3 x^2
    print("hessian(f)(x)  =\n", torch.func.hessian(f)(x))  # diag(6 x)
    print("jacobian(exp)  =\n", torch.autograd.functional.jacobian(torch.exp, x))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="autograd_tour_out", help="folder for the drawings")
    args = parser.parse_args(argv)
    seed_notes()
    explain()
    check()
    draw(args.out)
    transforms()


if __name__ == "__main__":
    main()
