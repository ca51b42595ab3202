"""FakeData as torchvision's: image i is randn(image_size) after manual_seed(i + random_offset), via ToPILImage."""
import numpy as np
import pytest

import minitorch
from minitorch.vision import datasets, transforms


def test_image_and_label_come_from_the_seeded_draws():
    ds = datasets.FakeData(size=4, image_size=(3, 8, 6), num_classes=5, random_offset=7)
    img, label = ds[2]
    minitorch.manual_seed(9)
    pixels = minitorch.randn(3, 8, 6)
    expected_label = minitorch.randint(0, 5, size=(1,), dtype=minitorch.long)[0].item()
    assert img.mode == "RGB" and img.size == (6, 8)
    # ToPILImage scales by 255 and wraps into uint8, as torch's float -> byte cast does
    wrapped = (pixels.numpy() * 255).astype(np.int64).astype(np.uint8).transpose(1, 2, 0)
    np.testing.assert_array_equal(np.asarray(img), wrapped)
    assert type(label) is int and label == expected_label


def test_same_index_same_sample_and_global_random_state_kept():
    ds = datasets.FakeData(size=3, image_size=(1, 5, 5))
    minitorch.manual_seed(0)
    before = minitorch.rand(3)
    minitorch.manual_seed(0)
    first, again = ds[1], ds[1]
    assert first[0].mode == "L"
    np.testing.assert_array_equal(np.asarray(first[0]), np.asarray(again[0]))
    assert not np.array_equal(np.asarray(ds[0][0]), np.asarray(first[0]))
    np.testing.assert_array_equal(minitorch.rand(3).numpy(), before.numpy())
    shifted = datasets.FakeData(size=3, image_size=(1, 5, 5), random_offset=1)
    np.testing.assert_array_equal(np.asarray(shifted[0][0]), np.asarray(first[0]))


def test_transforms_length_and_index_error():
    ds = datasets.FakeData(size=2, image_size=(3, 4, 4), transform=transforms.ToTensor(),
                           target_transform=lambda t: t + 100)
    img, label = ds[0]
    assert len(ds) == 2 and img.shape == (3, 4, 4) and img.dtype == minitorch.float32
    assert 100 <= label < 110
    with pytest.raises(IndexError, match="FakeData index out of range"):
        ds[2]
    batch, labels = next(iter(minitorch.utils.data.DataLoader(ds, batch_size=2)))
    assert batch.shape == (2, 3, 4, 4) and labels.dtype == minitorch.int64
