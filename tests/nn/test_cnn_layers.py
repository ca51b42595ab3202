"""CNN layer modules: reprs, parameters and buffers like torch, forward/backward with the
same weights, BatchNorm running statistics, padding modes, and a gradient penalty through a
small CNN."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, randn


def _copy_params(mt_module, th_module):
    """Give the minitorch module the torch module's parameters and buffers."""
    for name, t in list(th_module.named_parameters()) + list(th_module.named_buffers()):
        target = mt_module.get_parameter(name) if "." not in name and name in mt_module._parameters \
            else dict(mt_module.named_parameters(), **dict(mt_module.named_buffers()))[name]
        target._array[...] = t.detach().numpy()


def _compare_module(make, x, train=True, atol=1e-5):
    th = make(torch)
    mt = make(minitorch)
    _copy_params(mt, th)
    th.train(train)
    mt.train(train)
    xt = torch.tensor(x, requires_grad=True)
    xm = minitorch.tensor(x, requires_grad=True)
    yt, ym = th(xt), mt(xm)
    assert_close(ym, yt, atol=atol)
    w = randn(*yt.shape, seed=9)
    (yt * torch.tensor(w)).sum().backward()
    (ym * minitorch.tensor(w)).sum().backward()
    assert_close(xm.grad, xt.grad, atol=atol)
    th_params = dict(th.named_parameters())
    for name, p in mt.named_parameters():
        assert_close(p.grad, th_params[name].grad, atol=atol)
    for (name, b), (tname, tb) in zip(mt.named_buffers(), th.named_buffers()):
        assert name == tname
        assert_close(b, tb, atol=atol)
    return mt, th


LAYERS = [
    (lambda nn: nn.Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 9)),
    (lambda nn: nn.Conv2d(4, 6, 3, padding=1, groups=2), (2, 4, 6, 5)),
    (lambda nn: nn.Conv2d(3, 6, (3, 2), padding="same", dilation=2, bias=False), (2, 3, 6, 5)),
    (lambda nn: nn.Conv2d(2, 4, 3, padding=(1, 2), padding_mode="reflect"), (2, 2, 5, 6)),
    (lambda nn: nn.Conv2d(2, 4, 3, padding=2, padding_mode="replicate"), (2, 2, 5, 6)),
    (lambda nn: nn.Conv2d(2, 4, 3, padding=1, padding_mode="circular", stride=2), (2, 2, 5, 6)),
    (lambda nn: nn.Conv1d(2, 4, 4, padding="same", padding_mode="circular"), (2, 2, 7)),
    (lambda nn: nn.Conv3d(2, 2, 2, padding=1), (1, 2, 3, 3, 3)),
    (lambda nn: nn.ConvTranspose1d(3, 2, 3, stride=2, output_padding=1), (2, 3, 4)),
    (lambda nn: nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1), (2, 16, 4, 4)),
    (lambda nn: nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2, dilation=2), (2, 4, 3, 3)),
    (lambda nn: nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 7, 7)),
    (lambda nn: nn.AvgPool2d(2, count_include_pad=False, padding=1), (2, 3, 7, 7)),
    (lambda nn: nn.MaxPool1d(2), (2, 3, 7)),
    (lambda nn: nn.AvgPool1d(3, 2), (2, 3, 7)),
    (lambda nn: nn.AdaptiveAvgPool2d((3, 2)), (2, 3, 7, 7)),
    (lambda nn: nn.AdaptiveMaxPool2d(3), (2, 3, 7, 7)),
    (lambda nn: nn.LPPool2d(2, 2), (2, 3, 6, 6)),
    (lambda nn: nn.BatchNorm1d(3), (4, 3, 5)),
    (lambda nn: nn.BatchNorm2d(3, momentum=None), (4, 3, 2, 2)),
    (lambda nn: nn.BatchNorm2d(3, affine=False, track_running_stats=False), (4, 3, 2, 2)),
    (lambda nn: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (2, 3, 4, 4)),
    (lambda nn: nn.InstanceNorm1d(3), (3, 5)),
    (lambda nn: nn.LayerNorm([4, 5]), (2, 3, 4, 5)),
    (lambda nn: nn.GroupNorm(2, 4), (2, 4, 3, 3)),
    (lambda nn: nn.LocalResponseNorm(3), (2, 5, 3, 3)),
    (lambda nn: nn.Unfold(2, padding=1), (2, 3, 4, 4)),
    (lambda nn: nn.Upsample(scale_factor=2, mode="bilinear"), (1, 2, 3, 3)),
    (lambda nn: nn.UpsamplingBilinear2d(size=(5, 4)), (1, 2, 3, 3)),
    (lambda nn: nn.UpsamplingNearest2d(scale_factor=3), (1, 2, 3, 3)),
    (lambda nn: nn.ReflectionPad2d((1, 2, 0, 1)), (1, 2, 3, 3)),
    (lambda nn: nn.ReplicationPad1d(2), (1, 2, 3)),
    (lambda nn: nn.ZeroPad2d(1), (1, 2, 3, 3)),
    (lambda nn: nn.ConstantPad3d(1, 0.5), (1, 2, 2, 2, 2)),
    (lambda nn: nn.CircularPad2d(1), (1, 2, 3, 3)),
    (lambda nn: nn.PixelShuffle(2), (1, 8, 2, 3)),
    (lambda nn: nn.PixelUnshuffle(2), (1, 2, 4, 6)),
]


@pytest.mark.parametrize("make,shape", LAYERS)
def test_layer_matches_torch(make, shape):
    mt, th = _compare_module(lambda lib: make(lib.nn), randn(*shape))
    assert repr(mt) == repr(th)
    assert [n for n, _ in mt.named_parameters()] == [n for n, _ in th.named_parameters()]
    assert [tuple(p.shape) for p in mt.parameters()] == [tuple(p.shape) for p in th.parameters()]


def test_fold_module_matches_torch():
    _compare_module(lambda lib: lib.nn.Fold((4, 5), (2, 2)), randn(1, 12, 12))


@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_running_stats_over_steps_and_eval(momentum):
    th, mt = torch.nn.BatchNorm2d(3, momentum=momentum), minitorch.nn.BatchNorm2d(3, momentum=momentum)
    for step in range(3):
        x = randn(4, 3, 2, 2, seed=step) * (step + 1) + step
        _, _ = mt(minitorch.tensor(x)), th(torch.tensor(x))
    assert int(mt.num_batches_tracked) == int(th.num_batches_tracked) == 3
    assert_close(mt.running_mean, th.running_mean)
    assert_close(mt.running_var, th.running_var)
    mt.eval(), th.eval()
    x = randn(2, 3, 2, 2, seed=11)
    assert_close(mt(minitorch.tensor(x)), th(torch.tensor(x)))
    assert list(mt.state_dict()) == list(th.state_dict())


def test_conv_weights_and_bias_are_initialised_in_torch_range():
    conv = minitorch.nn.Conv2d(6, 16, 5)
    bound = 1 / np.sqrt(6 * 25)
    assert conv.weight.shape == (16, 6, 5, 5) and conv.bias.shape == (16,)
    w = np.abs(conv.weight.detach().numpy())
    assert bound * 0.9 < w.max() <= bound
    assert conv.weight.requires_grad and conv.weight.is_leaf


@pytest.mark.parametrize("lib_name", ["Conv1d", "Conv2d", "ConvTranspose2d", "Conv3d"])
def test_conv_reset_parameters_follows_torch(lib_name):
    """Like torch's _ConvNd: weight and bias ~ U(+-1/sqrt(fan_in)), fan_in from weight dim 1
    (also for transposed convs), re-drawn in place by reset_parameters()."""
    th, mt = getattr(torch.nn, lib_name)(4, 6, 3, groups=2), getattr(minitorch.nn, lib_name)(4, 6, 3, groups=2)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(th.weight)
    bound = 1 / np.sqrt(fan_in)
    weight, bias = mt.weight, mt.bias
    before = weight.detach().numpy().copy()
    mt.reset_parameters()
    assert mt.weight is weight and mt.bias is bias and not np.array_equal(before, weight.detach().numpy())
    assert tuple(mt.weight.shape) == tuple(th.weight.shape)
    for p in (mt.weight, mt.bias):
        values = np.abs(p.detach().numpy())
        assert values.max() <= bound and values.max() > bound * 0.5


def test_conv_transpose_output_size():
    x = randn(1, 4, 5, 5)
    for size in ([9, 9], [10, 10], (1, 4, 10, 9)):
        th, mt = torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1), minitorch.nn.ConvTranspose2d(4, 2, 3, 2, 1)
        _copy_params(mt, th)
        assert_close(mt(minitorch.tensor(x), output_size=size), th(torch.tensor(x), output_size=size))
    with pytest.raises(ValueError):
        torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)(torch.tensor(x), output_size=[12, 12])
    with pytest.raises(ValueError, match="output size"):
        minitorch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)(minitorch.tensor(x), output_size=[12, 12])


def test_fractional_max_pool_module_with_samples():
    x = randn(2, 3, 9, 9)
    samples = np.random.default_rng(1).random((2, 3, 2)).astype(np.float32)
    th = torch.nn.FractionalMaxPool2d(2, output_ratio=0.5, _random_samples=torch.tensor(samples))
    mt = minitorch.nn.FractionalMaxPool2d(2, output_ratio=0.5, _random_samples=minitorch.tensor(samples))
    _compare_module(lambda lib: mt if lib is minitorch else th, x)


def test_max_unpool_module_round_trip():
    x = randn(1, 2, 6, 6)
    for lib in (torch, minitorch):
        pool, unpool = lib.nn.MaxPool2d(2, return_indices=True), lib.nn.MaxUnpool2d(2)
        out, idx = pool(lib.tensor(x))
        restored = unpool(out, idx)
        assert tuple(restored.shape) == (1, 2, 6, 6)
        if lib is torch:
            expected = restored.numpy()
    np.testing.assert_array_equal(restored.numpy(), expected)


@pytest.mark.parametrize("ctor,match", [
    (lambda nn: nn.Conv2d(3, 4, 3, groups=2), "in_channels must be divisible by groups"),
    (lambda nn: nn.Conv2d(4, 3, 3, groups=2), "out_channels must be divisible by groups"),
    (lambda nn: nn.Conv2d(4, 4, 3, stride=2, padding="same"), "padding='same'"),
    (lambda nn: nn.Conv2d(4, 4, 3, padding_mode="mirror"), "padding_mode"),
    (lambda nn: nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect"), "zeros"),
    (lambda nn: nn.GroupNorm(3, 4), "divisible"),
])
def test_layer_constructor_errors(ctor, match):
    with pytest.raises(ValueError):
        ctor(torch.nn)
    with pytest.raises(ValueError, match=match):
        ctor(minitorch.nn)


def test_batchnorm_rank_error():
    with pytest.raises(ValueError, match="expected 4D input"):
        minitorch.nn.BatchNorm2d(3)(minitorch.tensor(randn(2, 3, 4)))


def _small_cnn(lib):
    lib.manual_seed(0)
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, stride=2), nn.GroupNorm(2, 6), nn.Tanh(),
                         nn.ConvTranspose2d(6, 2, 3, stride=2, output_padding=1), nn.AvgPool2d(2),
                         nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(8, 1))


def test_gradient_penalty_through_small_cnn_matches_torch():
    x = randn(3, 1, 10, 10, dtype=np.float64)
    results = {}
    for lib in (torch, minitorch):
        model = _small_cnn(lib).double()
        if lib is minitorch:
            _copy_params(model, th_model)
        else:
            th_model = model
        xi = lib.tensor(x, requires_grad=True)
        out = model(xi)
        g, = lib.autograd.grad(out.sum(), xi, create_graph=True)
        loss = out.pow(2).mean() + 10 * ((g.pow(2).sum((1, 2, 3)) + 1e-12).pow(0.5) - 1).pow(2).mean()
        loss.backward()
        results[lib] = (loss, [p.grad for p in model.parameters()])
    assert_close(results[minitorch][0], results[torch][0], atol=1e-8, rtol=1e-6)
    for m, t in zip(results[minitorch][1], results[torch][1]):
        assert_close(m, t, atol=1e-8, rtol=1e-6)
