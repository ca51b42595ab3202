"""Random functions: distribution statistics, shapes, dtypes, errors and reproducibility.

Values cannot match torch's streams, so each sampler is checked on 100k draws: sample
mean and std within a few standard errors of the theoretical values.
"""
import math

import numpy as np
import pytest
import torch

import minitorch

N = 100_000


def _stats(t):
    a = t.numpy().astype(np.float64)
    return a.mean(), a.std()


def _eval(call, lib):
    return eval("torch." + call, {"torch": lib, "N": N})


def _same_error(call):
    """The call fails under both libraries with the same exception type."""
    types = []
    for lib in (minitorch, torch):
        with pytest.raises(Exception) as info:
            _eval(call, lib)
        types.append(info.type)
    assert types[0] is types[1], types
    return types[0]


def _close(value, expected, scale, k=6):
    # k standard errors of a mean over N samples
    assert abs(value - expected) < k * scale / math.sqrt(N), (value, expected)


def test_rand_uniform():
    x = minitorch.rand(N)
    mean, std = _stats(x)
    _close(mean, 0.5, math.sqrt(1 / 12))
    assert abs(std - math.sqrt(1 / 12)) < 0.005
    assert x.min().item() >= 0 and x.max().item() < 1


def test_randn_normal():
    mean, std = _stats(minitorch.randn(N))
    _close(mean, 0.0, 1.0)
    assert abs(std - 1.0) < 0.01


def test_randint_uniform_integers():
    x = minitorch.randint(-3, 7, (N,))
    assert x.dtype is minitorch.int64
    values = x.numpy()
    assert values.min() == -3 and values.max() == 6
    counts = np.bincount(values + 3)
    assert np.all(np.abs(counts / N - 0.1) < 0.006)


def test_randperm_is_a_permutation():
    p = minitorch.randperm(1000)
    assert p.dtype is minitorch.int64
    assert sorted(p.tolist()) == list(range(1000))
    assert p.tolist() != list(range(1000))


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 1.0])
def test_bernoulli_scalar_and_tensor_p(p):
    probs = minitorch.full((N,), p)
    x = minitorch.bernoulli(probs)
    assert x.dtype is minitorch.float32 and set(np.unique(x.numpy())) <= {0.0, 1.0}
    _close(x.numpy().mean(), p, 0.5)
    y = minitorch.bernoulli(minitorch.zeros(N, dtype=minitorch.float64), p)
    assert y.dtype is minitorch.float64
    _close(y.numpy().mean(), p, 0.5)


def test_bernoulli_per_element_probabilities():
    probs = minitorch.tensor(np.tile([0.0, 1.0, 0.25], (N, 1)).astype(np.float32))
    x = minitorch.bernoulli(probs).numpy()
    assert x[:, 0].sum() == 0 and x[:, 1].sum() == N
    _close(x[:, 2].mean(), 0.25, 0.5)


def test_bernoulli_in_place():
    x = minitorch.ones(N, dtype=minitorch.int64)
    assert x.bernoulli_(0.3) is x and x.dtype is minitorch.int64
    _close(x.numpy().mean(), 0.3, 0.5)
    y = minitorch.empty(N).bernoulli_(minitorch.full((N,), 0.7))
    _close(y.numpy().mean(), 0.7, 0.5)


@pytest.mark.parametrize("call", ["bernoulli(torch.tensor([0.5, 2.]))", "bernoulli(torch.tensor([0.5, -1.]))",
                                  "bernoulli(torch.tensor([1, 0]))", "ones(3).bernoulli_(1.5)"])
def test_bernoulli_errors(call):
    _same_error(call)


# ----- normal: the four forms -------------------------------------------------------------
FORMS = ["normal(torch.full((N,), 2.), torch.full((N,), 3.))", "normal(torch.full((N,), 2.), 3.)",
         "normal(2., torch.full((N,), 3.))", "normal(2., 3., size=(N,))", "normal(2., 3., (N,))"]


@pytest.mark.parametrize("form", FORMS)
def test_normal_forms_statistics(form):
    x = _eval(form, minitorch)
    assert x.shape == (N,) and x.dtype is minitorch.float32
    mean, std = _stats(x)
    _close(mean, 2.0, 3.0)
    assert abs(std - 3.0) < 0.03


@pytest.mark.parametrize("form", [
    "normal(torch.zeros(3), torch.ones(3))", "normal(torch.zeros(3), 1.)", "normal(0., torch.ones(3))",
    "normal(0., 1., size=(2, 3))", "normal(0, 1, (2,))", "normal(torch.zeros(2, 1), torch.ones(3))",
    "normal(torch.zeros(3, dtype=torch.float64), 1.)", "normal(0., torch.ones(3, dtype=torch.float64))",
    "normal(torch.zeros(3, dtype=torch.float64), torch.ones(3))", "normal(0., 1., (2,), dtype=torch.float64)",
    "normal(mean=torch.zeros(4), std=torch.ones(4))", "normal(torch.zeros(3, requires_grad=True), 1.)",
    "normal(0., 1., (2,), requires_grad=True)"])
def test_normal_forms_shape_dtype_like_torch(form):
    mt, th = _eval(form, minitorch), _eval(form, torch)
    assert tuple(mt.shape) == tuple(th.shape)
    assert repr(mt.dtype) == str(th.dtype)
    assert mt.requires_grad == th.requires_grad


@pytest.mark.parametrize("form", ["normal(torch.zeros(2), torch.ones(3))", "normal(0., 1.)",
                                  "normal(torch.zeros(3), -1.)", "normal(0., -1., (2,))",
                                  "normal(torch.zeros(3), torch.tensor([1., -1, 1]))",
                                  "normal(torch.zeros(3, dtype=torch.int64), 1.)"])
def test_normal_errors(form):
    _same_error(form)


def test_normal_gradient_is_zero_like_torch():
    for lib in (minitorch, torch):
        mean = lib.zeros(3, requires_grad=True)
        std = lib.ones(3, requires_grad=True)
        lib.normal(mean, std).sum().backward()
        assert mean.grad.tolist() == [0.0, 0.0, 0.0] and std.grad.tolist() == [0.0, 0.0, 0.0]


# ----- multinomial ------------------------------------------------------------------------
def test_multinomial_with_replacement_frequencies():
    weights = minitorch.tensor([1.0, 2.0, 0.0, 7.0])
    x = minitorch.multinomial(weights, N, replacement=True)
    assert x.dtype is minitorch.int64 and x.shape == (N,)
    freq = np.bincount(x.numpy(), minlength=4) / N
    assert freq[2] == 0
    assert np.all(np.abs(freq - [0.1, 0.2, 0.0, 0.7]) < 0.01)


def test_multinomial_without_replacement():
    weights = minitorch.tensor([[1.0, 2.0, 3.0, 0.0], [5.0, 1.0, 1.0, 1.0]])
    first = []
    for _ in range(3000):
        x = minitorch.multinomial(weights, 3)
        assert x.shape == (2, 3)
        for row in x.tolist():
            assert len(set(row)) == 3  # no category twice
        assert 3 not in x[0].tolist()  # zero weight never drawn while others remain
        first.append(x[1, 0].item())
    # the first draw follows the weights: category 0 with probability 5/8
    assert abs(np.mean(np.array(first) == 0) - 5 / 8) < 0.04
    # all categories, zero-weight last
    assert minitorch.multinomial(minitorch.tensor([1.0, 2.0, 0.0]), 3)[2].item() == 2


@pytest.mark.parametrize("call", [
    "multinomial(torch.tensor([1., 2., 3.]), 4)", "multinomial(torch.tensor([1., -2., 3.]), 2)",
    "multinomial(torch.tensor([0., 0.]), 1)", "multinomial(torch.tensor([1., 2.]), 0)",
    "multinomial(torch.tensor([1, 2]), 1)", "multinomial(torch.ones(2, 2, 2), 1)",
    "multinomial(torch.tensor([1., float('nan')]), 1)", "multinomial(torch.tensor([1., float('inf')]), 1)",
    "multinomial(torch.tensor(1.), 1)", "multinomial(torch.tensor([]), 1)"])
def test_multinomial_errors(call):
    assert _same_error(call) is RuntimeError


def test_multinomial_shapes_like_torch():
    for call in ["multinomial(torch.tensor([1., 2., 3.]), 2)", "multinomial(torch.ones(4, 5), 5)",
                 "multinomial(torch.ones(4, 5), 7, True)", "multinomial(torch.ones(5), 1)"]:
        mt, th = _eval(call, minitorch), _eval(call, torch)
        assert tuple(mt.shape) == tuple(th.shape) and repr(mt.dtype) == str(th.dtype)


# ----- in-place fills -----------------------------------------------------------------------
def test_uniform_normal_exponential_random_fills():
    x = minitorch.empty(N)
    assert x.uniform_(2, 5) is x
    _close(x.numpy().mean(), 3.5, 3 / math.sqrt(12))
    assert x.numpy().min() >= 2 and x.numpy().max() < 5
    x.normal_(-1, 2)
    _close(x.numpy().mean(), -1.0, 2.0)
    assert abs(x.numpy().std() - 2) < 0.02
    x.exponential_(4.0)
    _close(x.numpy().mean(), 0.25, 0.25)
    assert x.numpy().min() >= 0
    i = minitorch.empty(N, dtype=minitorch.int64).random_(2, 6)
    assert set(np.unique(i.numpy())) == {2, 3, 4, 5}
    assert set(np.unique(minitorch.empty(1000).random_(3).numpy())) == {0.0, 1.0, 2.0}
    assert minitorch.empty(1000).random_().numpy().min() >= 0


def test_fills_and_zero():
    for lib in (minitorch, torch):
        x = lib.zeros(2, 3, dtype=lib.int64)
        assert x.fill_(2.7).tolist() == [[2, 2, 2], [2, 2, 2]]
        assert x.zero_().tolist() == [[0, 0, 0], [0, 0, 0]]
        assert lib.ones(2).fill_(lib.tensor(3.5)).tolist() == [3.5, 3.5]
    with pytest.raises(RuntimeError, match="0-dimension"):
        minitorch.ones(2).fill_(minitorch.ones(2))


def test_fills_respect_autograd_rules():
    for lib in (minitorch, torch):
        leaf = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            leaf.normal_()
        with lib.no_grad():
            leaf.uniform_(0, 1)  # initialising parameters is allowed under no_grad
            leaf.zero_()
        assert leaf.tolist() == [0.0, 0.0, 0.0] and leaf.requires_grad
        y = leaf * 2
        y.fill_(5.0)
        assert y.grad_fn is not None
        y.sum().backward()
        assert leaf.grad.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("call", ["ones(3).uniform_(3, 2)", "ones(3).normal_(2, -3)", "ones(3).exponential_(-1)",
                                  "ones(3, dtype=torch.int64).uniform_()", "rand(2, dtype=torch.int64)",
                                  "randn(2, dtype=torch.int64)", "rand_like(torch.ones(2, dtype=torch.int64))",
                                  "randint(5, 1, (2,))", "randint(5)", "randint(5, 2)", "randint(2.5, (2,))",
                                  "randint(-3, 5, (2,), dtype=torch.uint8)", "randint(0, 300, (2,), dtype=torch.uint8)",
                                  "randint(0, 5, (2,), requires_grad=True)", "randperm(-1)", "rand(-1)", "rand()"])
def test_random_errors_like_torch(call):
    _same_error(call)


@pytest.mark.parametrize("call", [
    "rand(2, 3)", "rand((2, 3))", "rand(size=(2,))", "rand(2, dtype=torch.float64)", "rand(2, dtype=torch.float16)",
    "rand([2, 3], requires_grad=True)", "randn(4, 1)", "randn(())", "randint(5, (2,))", "randint(1, 5, (2, 2))",
    "randint(0, 5, size=(2,))", "randint(high=5, size=(2,))", "randint(5, (2,), dtype=torch.float32)",
    "randint(0, 2, (3,), dtype=torch.bool)", "randperm(5)", "randperm(5, dtype=torch.float32)", "randperm(0)",
    "rand_like(torch.ones(2, 3))", "randn_like(torch.ones(2, dtype=torch.float64))",
    "rand_like(torch.ones(2), dtype=torch.float64)", "randint_like(torch.ones(2, 3), 5)",
    "randint_like(torch.ones(2, 3), 2, 5)", "randint_like(torch.ones(2, 3, dtype=torch.int32), 5)",
    "bernoulli(torch.tensor([0.5, 1.], requires_grad=True))", "ones(3, dtype=torch.int64).random_(2, 5)",
    "ones(3).random_(5)", "empty(3, dtype=torch.float64).normal_()"])
def test_random_shapes_dtypes_like_torch(call):
    mt, th = _eval(call, minitorch), _eval(call, torch)
    assert tuple(mt.shape) == tuple(th.shape)
    assert repr(mt.dtype) == str(th.dtype)
    assert mt.requires_grad == th.requires_grad


# ----- seeds and generators -----------------------------------------------------------------
def _draw(**kw):
    return [minitorch.rand(5, **kw).tolist(), minitorch.randn(3, **kw).tolist(),
            minitorch.randint(0, 100, (4,), **kw).tolist(), minitorch.randperm(6, **kw).tolist(),
            minitorch.normal(0.0, 1.0, (2,), **kw).tolist(),
            minitorch.multinomial(minitorch.ones(5), 3, **kw).tolist(),
            minitorch.bernoulli(minitorch.full((6,), 0.5), **kw).tolist(),
            minitorch.empty(3).uniform_(**kw).tolist()]


def test_manual_seed_reproduces():
    minitorch.manual_seed(123)
    a = _draw()
    minitorch.manual_seed(123)
    assert _draw() == a
    minitorch.manual_seed(124)
    assert _draw() != a
    assert minitorch.initial_seed() == 124


def test_generator_is_independent_of_the_default():
    g = minitorch.Generator().manual_seed(7)
    a = _draw(generator=g)
    minitorch.manual_seed(0)
    minitorch.rand(10)  # consuming the default stream must not affect g
    g.manual_seed(7)
    assert _draw(generator=g) == a
    assert g.initial_seed() == 7


def test_generator_state_roundtrip():
    g = minitorch.Generator()
    g.manual_seed(5)
    state = g.get_state()
    assert state.dtype is minitorch.uint8
    a = minitorch.rand(4, generator=g).tolist()
    g.set_state(state)
    assert minitorch.rand(4, generator=g).tolist() == a
    state = minitorch.get_rng_state()
    b = minitorch.randn(3).tolist()
    minitorch.set_rng_state(state)
    assert minitorch.randn(3).tolist() == b


def test_generator_seed_and_api():
    for lib in (minitorch, torch):
        g = lib.Generator(device="cpu")
        assert str(g.device) == "cpu"
        s = g.seed()
        assert isinstance(s, int) and g.initial_seed() == s
        assert g.manual_seed(3) is g
        assert lib.manual_seed(-1).initial_seed() == 2 ** 64 - 1
        with pytest.raises(ValueError):
            lib.manual_seed(2 ** 64)
    with pytest.raises(RuntimeError, match="supported devices"):
        minitorch.Generator(device="cuda")


@pytest.mark.parametrize("call", ["randint(10, size=(3,))", "randint(10, (2, 2))", "randint(3, 10, (4,))",
                                  "randint(low=3, high=10, size=(4,))", "randint(high=5, size=(2,))",
                                  "randint(7, size=(0,))"])
def test_randint_overloads_like_torch(call):
    ours, theirs = eval("minitorch." + call), eval("torch." + call)
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.dtype.is_floating_point is False
    low = 3 if "3," in call or "low=3" in call else 0
    assert all(low <= v < 10 for v in ours.flatten().tolist())


@pytest.mark.parametrize("call", ["randint(10)", "randint(high=10)", "randint(size=(2,))", "randint()"])
def test_randint_without_size_or_high_raises_type_error_like_torch(call):
    for lib in ("minitorch", "torch"):
        with pytest.raises(TypeError):
            eval(f"{lib}.{call}")
