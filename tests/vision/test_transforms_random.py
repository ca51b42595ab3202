"""RandomErasing, RandomApply, RandomChoice, RandomOrder, and seeding whole pipelines."""
import numpy as np
import pytest
from PIL import Image

import minitorch
from minitorch.vision import transforms as T


def floats(c=3, h=20, w=30, seed=0):
    x = np.random.default_rng(seed).random((c, h, w)).astype(np.float32)
    return minitorch.from_numpy(x.copy()), x  # separate memory, to see in-place writes


def changed_box(before, after):
    """(top, left, h, w) of the rectangle where the images differ (in any channel)."""
    rows, cols = np.nonzero((before != after).any(axis=0))
    return rows.min(), cols.min(), rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


# -- RandomErasing ------------------------------------------------------------------------


def test_erasing_value_and_rectangle():
    t, x = floats()
    minitorch.manual_seed(1)
    out = T.RandomErasing(p=1.0, value=0.5)(t).numpy()
    top, left, h, w = changed_box(x, out)
    assert np.all(out[:, top:top + h, left:left + w] == 0.5)
    untouched = np.ones((20, 30), bool)
    untouched[top:top + h, left:left + w] = False
    assert np.array_equal(out[:, untouched], x[:, untouched])
    assert 0.02 * 600 * 0.8 <= h * w <= 0.33 * 600 * 1.2 and 0.3 * 0.8 <= h / w <= 3.3 * 1.2
    assert np.array_equal(t.numpy(), x)  # not in place by default


def test_erasing_follows_get_params():
    t, x = floats()
    minitorch.manual_seed(7)
    minitorch.rand(1)  # the draw that decides whether to erase comes first
    i, j, h, w, v = T.RandomErasing.get_params(t, (0.02, 0.33), (0.3, 3.3), [0.0])
    minitorch.manual_seed(7)
    out = T.RandomErasing(p=1.0)(t).numpy()
    expected = x.copy()
    expected[:, i:i + h, j:j + w] = 0.0
    assert np.array_equal(out, expected)


def test_erasing_per_channel_and_random():
    t, x = floats()
    out = T.RandomErasing(p=1, value=(0.1, 0.2, 0.3))(t).numpy()
    top, left, h, w = changed_box(x, out)
    assert [float(out[k, top, left]) for k in range(3)] == pytest.approx([0.1, 0.2, 0.3])
    for value in ("random", "1234"):  # any string means noise, as in the tutorials' torchvision
        noisy = T.RandomErasing(p=1, value=value)(t).numpy()
        top, left, h, w = changed_box(x, noisy)
        patch = noisy[:, top:top + h, left:left + w]
        assert patch.min() < 0 or patch.max() > 1  # standard normal noise leaves [0, 1]


def test_erasing_inplace_and_uint8():
    t, x = floats()
    assert T.RandomErasing(p=1, inplace=True)(t) is t
    assert not np.array_equal(t.numpy(), x)
    u = minitorch.from_numpy(np.full((1, 10, 10), 200, np.uint8))
    out = T.RandomErasing(p=1, value=7)(u)
    assert out.dtype == minitorch.uint8 and set(np.unique(out.numpy())) == {7, 200}


def test_erasing_gives_up_when_nothing_fits():
    t, x = floats(h=1, w=1)
    assert np.array_equal(T.RandomErasing(p=1)(t).numpy(), x)


def test_erasing_errors():
    t, _ = floats()
    img = Image.new("RGB", (4, 4))
    assert T.RandomErasing(p=0)(img) is img
    with pytest.raises(TypeError, match="img should be Tensor Image"):
        T.RandomErasing(p=1)(img)
    with pytest.raises(ValueError, match="either a single value or 3 \\(number of input channels\\), got 2"):
        T.RandomErasing(p=1, value=(1, 2))(t)
    with pytest.raises(ValueError, match="probability should be between 0 and 1, got 2"):
        T.RandomErasing(p=2)
    with pytest.raises(ValueError, match="Scale should be between 0 and 1"):
        T.RandomErasing(scale=(0.1, 2))
    with pytest.raises(TypeError, match="Argument value should be either a number or str or a sequence"):
        T.RandomErasing(value={1})
    with pytest.warns(UserWarning, match="Scale and ratio should be of kind"):
        T.RandomErasing(ratio=(3, 1))


# -- containers ----------------------------------------------------------------------------


def add(k):
    return T.Lambda(lambda v: v + [k])


def test_random_apply():
    assert T.RandomApply([add(1), add(2)], p=1.0)([]) == [1, 2]
    assert T.RandomApply([add(1)], p=0.0)([]) == []
    minitorch.manual_seed(0)
    applied = sum(T.RandomApply([add(1)], p=0.3)([]) == [1] for _ in range(500))
    assert 110 < applied < 190
    assert repr(T.RandomApply([T.ToTensor()], p=0.3)) == "RandomApply(\n    p=0.3\n    ToTensor()\n)"
    with pytest.raises(TypeError, match="Argument transforms should be a sequence"):
        T.RandomApply(add(1))


def test_random_choice():
    assert {tuple(T.RandomChoice([add(1), add(2)], p=[1, 0])([])) for _ in range(20)} == {(1,)}
    minitorch.manual_seed(0)
    picks = [T.RandomChoice([add(0), add(1), add(2)], p=[0.2, 0.3, 0.5])([])[0] for _ in range(1000)]
    assert np.allclose(np.bincount(picks) / 1000, [0.2, 0.3, 0.5], atol=0.05)
    with pytest.raises(ValueError, match="Length of p doesn't match the number of transforms: 1 != 2"):
        T.RandomChoice([add(1), add(2)], p=[1])
    with pytest.raises(TypeError, match="Argument p should be a sequence"):
        T.RandomChoice([add(1)], p=1)


def test_random_order():
    minitorch.manual_seed(0)
    orders = {tuple(T.RandomOrder([add(1), add(2), add(3)])([])) for _ in range(60)}
    assert orders == {(1, 2, 3), (1, 3, 2), (2, 1, 3), (2, 3, 1), (3, 1, 2), (3, 2, 1)}


# -- seeding -------------------------------------------------------------------------------


def test_pipeline_reproducible_under_manual_seed():
    arr = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    img = Image.fromarray(arr)
    pipeline = T.Compose([
        T.RandomResizedCrop(24), T.RandomHorizontalFlip(), T.RandomRotation(20), T.RandomAffine(10, (0.1, 0.1)),
        T.ColorJitter(0.3, 0.3, 0.3, 0.1), T.RandomGrayscale(0.3), T.RandomApply([T.GaussianBlur(3)]),
        T.RandomChoice([T.RandomCrop(20), T.CenterCrop(20)]), T.RandomOrder([T.RandomVerticalFlip(), T.Pad(1)]),
        T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.2, 0.2, 0.2)), T.RandomErasing(value="random"),
    ])
    minitorch.manual_seed(123)
    first = [pipeline(img).numpy() for _ in range(5)]
    minitorch.manual_seed(123)
    second = [pipeline(img).numpy() for _ in range(5)]
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert not np.array_equal(first[0], first[1])  # but successive draws differ
    assert first[0].shape == (3, 22, 22)
