"""Seed document 004 (../shared/seeds/004_*.txt, "PyTorch学习"): Conv2d/ConvTranspose2d notes
(constructor with device/dtype, unbatched inputs, 'same' only for stride 1, complex dtypes,
transposed conv as the input-gradient of conv), GroupNorm, scatter_ and the TensorBoard
SummaryWriter examples.

'same'/'valid'/groups/depthwise shapes, ConvTranspose2d shapes, GroupNorm values and the two
scatter examples are in tests/nn/test_seed_cnn.py and tests/ops/test_indexing.py."""
import os

import numpy as np
import pytest
import torch
from conftest import assert_prints_like_torch

import minitorch

SNIPPETS = {
    "conv2d_constructor_device_dtype_and_unbatched_input": """
        conv = torch.nn.Conv2d(3, 64, 3, 1, 1, device=None, dtype=None)
        print(conv, conv.weight.shape, conv.bias.shape, conv.weight.dtype)
        conv64 = torch.nn.Conv2d(4, 6, (3, 2), groups=2, device='cpu', dtype=torch.float64)
        print(conv64.weight.shape, conv64.weight.dtype, conv64.bias.dtype, conv64(torch.ones(2, 4, 5, 5, dtype=torch.float64)).dtype)
        print(conv(torch.ones(3, 8, 7)).shape, conv(torch.ones(2, 3, 8, 7)).shape)
        x = torch.arange(3 * 4 * 4, dtype=torch.float32).reshape(3, 4, 4) / 10
        small = torch.nn.Conv2d(3, 2, 2, bias=False)
        torch.nn.init.constant_(small.weight, 0.5)
        print(torch.equal(small(x), small(x.unsqueeze(0))[0]), small(x))
    """,
    "conv_transpose_constructor_and_unbatched_input": """
        m = torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, bias=True,
                                     dilation=1, padding_mode='zeros', device=None, dtype=torch.float64)
        print(m, m.weight.shape, m.weight.dtype, m(torch.ones(4, 5, 5, dtype=torch.float64)).shape)
    """,
    # H_out = floor((H + 2p - d(k-1) - 1)/s + 1) for Conv2d, and the transposed formula
    "output_size_formulas": """
        x = torch.ones(1, 2, 11, 9)
        for k, s, p, d in [(3, 2, 1, 1), ((2, 4), (3, 1), (0, 2), (1, 2)), (5, 3, 2, 2)]:
            conv = torch.nn.Conv2d(2, 2, k, s, p, d)
            kk, ss, pp, dd = [v if isinstance(v, tuple) else (v, v) for v in (k, s, p, d)]
            out = [(n + 2 * pp[i] - dd[i] * (kk[i] - 1) - 1) // ss[i] + 1 for i, n in enumerate((11, 9))]
            convt = torch.nn.ConvTranspose2d(2, 2, k, s, p, dilation=d)
            back = [(n - 1) * ss[i] - 2 * pp[i] + dd[i] * (kk[i] - 1) + 1 for i, n in enumerate(out)]
            y = conv(x)
            print(y.shape, out, convt(y).shape, back)
    """,
    # "a ConvTranspose2d is the gradient of a Conv2d with respect to its input"
    "conv_transpose_is_conv_input_gradient": """
        x = torch.arange(2 * 4 * 7 * 6, dtype=torch.float64).reshape(2, 4, 7, 6).div(50).requires_grad_()
        w = torch.linspace(-1, 1, 6 * 2 * 3 * 3, dtype=torch.float64).reshape(6, 2, 3, 3)
        y = torch.nn.functional.conv2d(x, w, stride=2, padding=1, groups=2)
        g = torch.linspace(-2, 3, y.numel(), dtype=torch.float64).reshape(y.shape)
        gx, = torch.autograd.grad(y, x, g)
        t = torch.nn.functional.conv_transpose2d(g, w, stride=2, padding=1, output_padding=(0, 1), groups=2)
        print(y.shape, t.shape, torch.allclose(t, gx), t[0, 0, :2])
    """,
    # ConvTranspose2d = zeros between inputs (stride-1), padding d(k-1)-p, conv with the flipped kernel
    "conv_transpose_as_zero_insertion_and_padding": """
        x = torch.tensor([[[[1., 2.], [3., 4.]]]])
        w = torch.tensor([[[[1., 0., -1.], [2., 1., 0.], [0., 3., 1.]]]])
        stride, padding, k = 2, 1, 3
        spread = torch.zeros(1, 1, 3, 3)
        spread[..., ::stride, ::stride] = x
        edge = 1 * (k - 1) - padding
        manual = torch.nn.functional.conv2d(torch.nn.functional.pad(spread, (edge,) * 4), w.flip(2, 3))
        print(torch.nn.functional.conv_transpose2d(x, w, stride=stride, padding=padding), manual)
    """,
    # chained Conv2d and ConvTranspose2d with the same parameters give back the input size
    "conv_then_transpose_restores_size": """
        x = torch.ones(1, 3, 16, 16)
        for k, s, p in [(3, 1, 1), (3, 2, 1), (4, 2, 1), (5, 1, 2)]:
            down = torch.nn.Conv2d(3, 8, k, s, p)
            up = torch.nn.ConvTranspose2d(8, 3, k, s, p)
            y = down(x)
            print(y.shape, up(y, output_size=x.shape[-2:]).shape)
    """,
    "group_norm_constructor_and_formula": """
        gn = torch.nn.GroupNorm(2, 6, eps=1e-05, affine=True, device=None, dtype=None)
        print(gn, gn.weight.shape, gn.bias.shape, gn.weight, gn.bias)
        print(torch.nn.GroupNorm(3, 6, affine=False), list(torch.nn.GroupNorm(3, 6, affine=False).parameters()))
        x = torch.arange(2 * 6 * 2 * 2, dtype=torch.float32).reshape(2, 6, 2, 2) ** 1.5
        g = x.reshape(2, 2, -1)
        expected = ((g - g.mean(-1, keepdim=True)) / torch.sqrt(g.var(-1, unbiased=False, keepdim=True) + 1e-5))
        print(torch.allclose(gn(x), expected.reshape(x.shape), atol=1e-5))
        with torch.no_grad():
            gn.weight.copy_(torch.arange(6.))
            gn.bias.fill_(-1.)
        print(torch.allclose(gn(x), expected.reshape(x.shape) * torch.arange(6.).view(1, 6, 1, 1) - 1, atol=1e-4))
        print(torch.nn.GroupNorm(2, 4, dtype=torch.float64).weight.dtype)
    """,
    "scatter_in_place_one_hot": """
        labels = torch.tensor([1, 3], dtype=torch.int64)
        targets = torch.zeros(2, 5)
        out = targets.scatter_(1, labels.unsqueeze(-1), 1.0)
        print(out is targets, targets)
        a = torch.arange(10).reshape((2, 5)).float()
        b = torch.zeros(3, 5)
        b.scatter_(0, torch.tensor([[1, 2, 1, 1, 2], [2, 0, 2, 1, 0]], dtype=torch.int64), a)
        print(b)
        print(torch.zeros(3, 5).scatter(0, torch.tensor([[1, 2]]), a))
    """,
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_prints_like_torch(name):
    assert_prints_like_torch(SNIPPETS[name])


@pytest.mark.parametrize("make", [
    lambda L: L.nn.Conv2d(4, 8, 3, stride=2, padding="same"),
    lambda L: L.nn.Conv2d(4, 8, 3, padding="full"),
    lambda L: L.nn.Conv2d(4, 6, 3, groups=4),
    lambda L: L.nn.Conv2d(6, 4, 3, groups=4),
    lambda L: L.nn.GroupNorm(4, 6),
], ids=["same_needs_stride_1", "bad_padding_string", "out_not_divisible", "in_not_divisible",
        "groups_must_divide_channels"])
def test_constructor_errors_like_torch(make):
    with pytest.raises(ValueError) as expected:
        make(torch)
    with pytest.raises(ValueError) as got:
        make(minitorch)

    def unordered(message):  # torch prints a Python set here, whose order varies between runs
        return message.replace("{'same', 'valid'}", "{'valid', 'same'}")
    assert unordered(str(got.value)) == unordered(str(expected.value))


def test_complex_dtypes_are_refused_clearly():
    """The seed says Conv2d supports complex dtypes; minitorch has no complex dtypes (a known gap),
    and says so instead of computing something else."""
    with pytest.raises(TypeError, match="complex"):
        minitorch.tensor([[1 + 1j, 0], [2, -1j]])
    assert not hasattr(minitorch, "complex64")


# ----- TensorBoard ---------------------------------------------------------------------------
def _events(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0})
    acc.Reload()
    return acc


def test_summary_writer_grouped_scalars_match_torch(tmp_path, monkeypatch):
    """The second example: Loss/train, Loss/test, Accuracy/train, Accuracy/test over 100 steps."""
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    from minitorch.utils.tensorboard import SummaryWriter
    monkeypatch.chdir(tmp_path)
    runs = []
    for Writer in (SummaryWriter, TorchWriter):
        np.random.seed(0)
        writer = Writer()  # Writer will output to ./runs/ directory by default
        for n_iter in range(100):
            writer.add_scalar('Loss/train', np.random.random(), n_iter)
            writer.add_scalar('Loss/test', np.random.random(), n_iter)
            writer.add_scalar('Accuracy/train', np.random.random(), n_iter)
            writer.add_scalar('Accuracy/test', np.random.random(), n_iter)
        writer.close()
        runs.append(writer.log_dir)
    assert all(os.path.dirname(d) == "runs" for d in runs)
    mine, ref = _events(runs[0]), _events(runs[1])
    assert sorted(mine.Tags()["scalars"]) == sorted(ref.Tags()["scalars"])
    for tag in ref.Tags()["scalars"]:
        assert [(e.step, e.value) for e in mine.Scalars(tag)] == [(e.step, e.value) for e in ref.Scalars(tag)]


def test_summary_writer_log_dir_arguments(tmp_path, monkeypatch):
    from minitorch.utils.tensorboard import SummaryWriter
    monkeypatch.chdir(tmp_path)
    with SummaryWriter("my_experiment") as w:
        assert w.log_dir == "my_experiment"
    with SummaryWriter(comment="LR_0.1_BATCH_16", filename_suffix=".seed", flush_secs=120, max_queue=10) as w:
        w.add_scalar("x", 1.0, 0)
    assert w.log_dir.startswith("runs") and w.log_dir.endswith("LR_0.1_BATCH_16")
    assert any(name.endswith(".seed") for name in os.listdir(w.log_dir))


def test_summary_writer_mnist_images_and_graph(tmp_path):
    """The first example, with the seed's typos fixed and a small CNN in place of resnet50."""
    from minitorch.utils.tensorboard import SummaryWriter
    from minitorch.vision import datasets, transforms, utils
    root = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist")  # the vendored copy
    writer = SummaryWriter(tmp_path)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    trainset = datasets.MNIST(root, train=False, download=False, transform=transform)
    trainloader = minitorch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
    model = minitorch.nn.Sequential(minitorch.nn.Conv2d(3, 8, 3), minitorch.nn.ReLU(),
                                    minitorch.nn.AdaptiveAvgPool2d(1), minitorch.nn.Flatten(),
                                    minitorch.nn.Linear(8, 10))
    # Have the model take in grayscale rather than RGB
    model[0] = minitorch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    model[4] = minitorch.nn.Linear(64, 10)
    images, labels = next(iter(trainloader))
    grid = utils.make_grid(images)
    writer.add_image('images', grid, 0)
    writer.add_graph(model, images)
    writer.close()
    assert images.shape == (64, 1, 28, 28) and labels.shape == (64,)
    assert grid.shape == (3, 8 * 30 + 2, 8 * 30 + 2)  # torchvision's make_grid: 8 per row, padding 2
    acc = _events(tmp_path)
    image = acc.Images("images")[0]
    assert (image.step, image.width, image.height) == (0, 242, 242)
    ops = {n.op for n in acc.Graph().node}
    assert any("Convolution" in op for op in ops)
