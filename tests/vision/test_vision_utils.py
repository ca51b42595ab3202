"""make_grid and save_image."""
import numpy as np
import pytest
from PIL import Image

import minitorch
from minitorch.vision.utils import make_grid, save_image


def batch(n=5, c=1, h=4, w=3):
    x = (np.arange(n, dtype=np.float32)[:, None, None, None] + 1) * np.ones((n, c, h, w), np.float32) / 10
    return minitorch.from_numpy(x), x


def test_grid_layout():
    t, x = batch()
    grid = make_grid(t, nrow=3, padding=2, pad_value=0.9)
    # 5 images, 3 per row: 2 rows; each cell is 4+2 by 3+2, plus the outer frame
    assert grid.shape == (3, 2 * 6 + 2, 3 * 5 + 2) and grid.dtype == minitorch.float32
    g = grid.numpy()
    for k in range(5):
        top, left = 2 + (k // 3) * 6, 2 + (k % 3) * 5
        assert np.all(g[:, top:top + 4, left:left + 3] == x[k, 0])  # grey repeated in 3 channels
    assert np.all(g[:, 0, :] == np.float32(0.9)) and np.all(g[:, 8:14, 12:17] == np.float32(0.9))  # frame, empty cell


def test_grid_list_rgb_and_single():
    imgs = [minitorch.from_numpy(np.full((3, 2, 2), v, np.float32)) for v in (0.1, 0.2)]
    grid = make_grid(imgs, padding=1)
    assert grid.shape == (3, 4, 7) and grid.numpy()[:, 1, 4].tolist() == pytest.approx([0.2] * 3)
    one = minitorch.from_numpy(np.ones((3, 5, 6), np.float32))
    assert make_grid(one).shape == (3, 5, 6)  # a single image comes back without a frame
    assert make_grid(minitorch.from_numpy(np.ones((5, 6), np.float32))).shape == (3, 5, 6)


def test_grid_normalize():
    t, x = batch(n=2)
    g = make_grid(t, normalize=True, padding=0).numpy()
    assert g.min() == 0.0 and g.max() == 1.0  # (x - 0.1) / (0.2 - 0.1)
    g = make_grid(t, normalize=True, scale_each=True, padding=0).numpy()
    assert np.all(g == 0.0)  # each image is constant: maps to 0, not NaN
    g = make_grid(t, normalize=True, value_range=(0.0, 0.15), padding=0).numpy()
    assert g[0, 0, 0] == pytest.approx(0.1 / 0.15) and g[0, 0, -1] == pytest.approx(1.0)  # clamped
    assert np.array_equal(t.numpy(), x)  # the input is left alone
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        make_grid(t, normalize=True, value_range=[0, 1])


def test_grid_errors():
    with pytest.raises(TypeError, match="tensor or list of tensors expected, got <class 'numpy.ndarray'>"):
        make_grid(np.zeros((2, 1, 2, 2)))
    with pytest.raises(TypeError, match="got a list containing <class 'int'>"):
        make_grid([1, 2])
    with pytest.raises(ValueError, match=r"got \(1, 1, 1, 2, 2\)"):
        make_grid(minitorch.from_numpy(np.zeros((1, 1, 1, 2, 2), np.float32)))


def test_save_image(tmp_path):
    t, x = batch(n=4, c=3)
    save_image(t, tmp_path / "grid.png", nrow=2, padding=1)
    back = np.asarray(Image.open(tmp_path / "grid.png"))
    assert back.shape == (2 * 5 + 1, 2 * 4 + 1, 3)
    assert back[1, 1].tolist() == [26, 26, 26]  # 0.1 * 255 = 25.5, rounded half up
    assert back[0, 0].tolist() == [0, 0, 0]
    save_image(minitorch.from_numpy(x[0]), tmp_path / "one.jpg")
    assert Image.open(tmp_path / "one.jpg").format == "JPEG"
