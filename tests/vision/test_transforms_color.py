"""ColorJitter (and the adjust_* functions), Grayscale, RandomGrayscale, GaussianBlur."""
import colorsys

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from PIL import Image, ImageEnhance

import minitorch
from minitorch.vision import transforms as T
from minitorch.vision.transforms import functional as F


def image(h=6, w=7, seed=0):
    arr = np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(arr), minitorch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1))), arr


def floats(h=6, w=7, seed=0):
    x = np.random.default_rng(seed).random((3, h, w)).astype(np.float32)
    return minitorch.from_numpy(x.copy()), x


def hwc(t):
    return t.numpy().transpose(1, 2, 0)


def luma(x):
    """torchvision's tensor grey: 0.2989 R + 0.587 G + 0.114 B."""
    return 0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2]


# -- PIL path: Pillow's ImageEnhance, with the factor drawn from a one-point range ---------


@pytest.mark.parametrize("name,enhancer", [("brightness", ImageEnhance.Brightness),
                                           ("contrast", ImageEnhance.Contrast),
                                           ("saturation", ImageEnhance.Color)])
@pytest.mark.parametrize("factor", [0.0, 0.6, 1.7])
def test_jitter_pil_is_image_enhance(name, enhancer, factor):
    img, _, _ = image()
    out = T.ColorJitter(**{name: (factor, factor)})(img)
    assert np.array_equal(np.asarray(out), np.asarray(enhancer(img).enhance(factor)))


def test_hue_pil_shifts_pillow_hsv():
    img, _, _ = image()
    for factor in (0.1, -0.3, 0.5):
        h, s, v = (np.asarray(c) for c in img.convert("HSV").split())
        shifted = ((h.astype(int) + int(factor * 255)) % 256).astype(np.uint8)
        expected = Image.merge("HSV", [Image.fromarray(c) for c in (shifted, s, v)]).convert("RGB")
        assert np.array_equal(np.asarray(F.adjust_hue(img, factor)), np.asarray(expected))
    grey = img.convert("L")
    assert F.adjust_hue(grey, 0.3) is grey


# -- tensor path: torchvision's formulas, by hand ------------------------------------------


def test_brightness_tensor():
    t, x = floats()
    assert np.allclose(F.adjust_brightness(t, 1.5).numpy(), np.clip(1.5 * x, 0, 1), atol=1e-6)
    _, u, arr = image()
    expected = np.clip(0.7 * arr.transpose(2, 0, 1).astype(np.float32), 0, 255).astype(np.uint8)  # truncates
    assert np.array_equal(F.adjust_brightness(u, 0.7).numpy(), expected)


def test_contrast_tensor():
    t, x = floats()
    mean = luma(x).mean()
    assert np.allclose(F.adjust_contrast(t, 0.4).numpy(), np.clip(0.4 * x + 0.6 * mean, 0, 1), atol=1e-6)
    _, u, arr = image()
    chw = arr.transpose(2, 0, 1).astype(np.float32)
    mean = luma(chw).astype(np.uint8).astype(np.float32).mean()  # grey is truncated to uint8 first
    expected = np.clip(1.8 * chw + (1 - 1.8) * mean, 0, 255).astype(np.uint8)
    assert np.array_equal(F.adjust_contrast(u, 1.8).numpy(), expected)


def test_saturation_tensor():
    t, x = floats()
    expected = np.clip(0.3 * x + 0.7 * luma(x)[None], 0, 1)
    assert np.allclose(F.adjust_saturation(t, 0.3).numpy(), expected, atol=1e-6)
    grey = minitorch.from_numpy(x[:1].copy())
    assert np.array_equal(F.adjust_saturation(grey, 0.0).numpy(), x[:1])


@pytest.mark.parametrize("factor", [0.0, 0.25, -0.4, 0.5])
def test_hue_tensor_is_colorsys(factor):
    t, x = floats(4, 5)
    expected = np.empty_like(x)
    for i in range(4):
        for j in range(5):
            h, s, v = colorsys.rgb_to_hsv(*x[:, i, j])
            expected[:, i, j] = colorsys.hsv_to_rgb((h + factor) % 1.0, s, v)
    assert np.allclose(F.adjust_hue(t, factor).numpy(), expected, atol=1e-5)


def test_hue_tensor_uint8_and_grey():
    _, u, arr = image()
    out = F.adjust_hue(u, 0.0).numpy()
    assert out.dtype == np.uint8 and np.abs(out.astype(int) - arr.transpose(2, 0, 1)).max() <= 1
    exact = np.array([[[255]], [[0]]] + [[[0]]], np.uint8)  # pure red turned by a third: pure green
    assert F.adjust_hue(minitorch.from_numpy(exact), 1 / 3).numpy().ravel().tolist() == [0, 255, 0]
    grey = minitorch.from_numpy(np.ones((1, 2, 2), np.float32))
    assert np.array_equal(F.adjust_hue(grey, 0.3).numpy(), grey.numpy())


def test_tensor_close_to_pil():
    img, u, _ = image(10, 12)
    for fn, factor, tol in [(F.adjust_brightness, 1.3, 1), (F.adjust_saturation, 0.4, 2), (F.adjust_contrast, 0.5, 2),
                            (F.adjust_hue, 0.2, 8)]:  # Pillow's HSV has 8 bits per channel: a few levels apart
        diff = np.abs(hwc(fn(u, factor)).astype(int) - np.asarray(fn(img, factor)).astype(int))
        assert diff.max() <= tol, (fn.__name__, diff.max())


def test_adjust_errors():
    _, t, _ = image()
    with pytest.raises(ValueError, match=r"brightness_factor \(-1\) is not non-negative"):
        F.adjust_brightness(t, -1)
    with pytest.raises(ValueError, match=r"hue_factor \(0.7\) is not in \[-0.5, 0.5\]"):
        F.adjust_hue(t, 0.7)
    with pytest.raises(TypeError, match=r"permitted channel values are \[1, 3\], but found 4"):
        F.adjust_contrast(minitorch.from_numpy(np.zeros((4, 2, 2), np.float32)), 0.5)


# -- ColorJitter ---------------------------------------------------------------------------


def test_color_jitter_ranges():
    j = T.ColorJitter(brightness=0.5, contrast=2, saturation=(0.2, 0.9), hue=0.2)
    assert j.brightness == (0.5, 1.5) and j.contrast == (0.0, 3.0) and j.saturation == (0.2, 0.9)
    assert j.hue == (-0.2, 0.2)
    assert T.ColorJitter().brightness is None and T.ColorJitter(hue=(0, 0)).hue is None
    assert repr(T.ColorJitter(0.1)) == "ColorJitter(brightness=(0.9, 1.1), contrast=None, saturation=None, hue=None)"
    with pytest.raises(ValueError, match="If brightness is a single number, it must be non negative"):
        T.ColorJitter(brightness=-1)
    with pytest.raises(ValueError, match=r"hue values should be between \(-0.5, 0.5\), but got \[-0.6, 0.6\]"):
        T.ColorJitter(hue=0.6)
    with pytest.raises(TypeError, match="contrast should be a single number or a list/tuple with length 2"):
        T.ColorJitter(contrast=(1, 2, 3))


def test_color_jitter_draws_order_and_factors_from_seed():
    t, x = floats()
    j = T.ColorJitter(0.4, 0.4, 0.4, 0.1)
    minitorch.manual_seed(21)
    order, b, c, s, h = j.get_params(j.brightness, j.contrast, j.saturation, j.hue)
    assert sorted(order) == [0, 1, 2, 3]
    assert 0.6 <= b < 1.4 and 0.6 <= c < 1.4 and 0.6 <= s < 1.4 and -0.1 <= h < 0.1
    expected = t
    fns = [F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue]
    for k in order:
        expected = fns[k](expected, [b, c, s, h][k])
    minitorch.manual_seed(21)
    assert np.array_equal(j(t).numpy(), expected.numpy())
    orders = set()
    for _ in range(40):
        orders.add(tuple(j.get_params(j.brightness, None, None, None)[0]))
    assert len(orders) > 10


# -- grey ----------------------------------------------------------------------------------


def test_grayscale_pil():
    img, _, _ = image()
    assert np.array_equal(np.asarray(T.Grayscale()(img)), np.asarray(img.convert("L")))
    three = np.asarray(T.Grayscale(3)(img))
    assert three.shape == (6, 7, 3) and all(np.array_equal(three[..., k], np.asarray(img.convert("L"))) for k in range(3))


def test_grayscale_tensor():
    t, x = floats()
    assert np.allclose(T.Grayscale()(t).numpy(), luma(x)[None], atol=1e-6)
    _, u, arr = image()
    out = T.Grayscale(num_output_channels=3)(u).numpy()
    expected = luma(arr.transpose(2, 0, 1).astype(np.float32)).astype(np.uint8)
    assert out.shape == (3, 6, 7) and all(np.array_equal(out[k], expected) for k in range(3))
    with pytest.raises(ValueError, match="num_output_channels should be either 1 or 3"):
        T.Grayscale(2)


def test_random_grayscale():
    img, t, _ = image()
    assert T.RandomGrayscale(p=1)(img).mode == "RGB"  # as many channels as it came with
    assert T.RandomGrayscale(p=1, num_output_channels=1)(img).mode == "L"
    assert T.RandomGrayscale(p=1)(t).shape == (3, 6, 7)
    assert T.RandomGrayscale(p=0)(t) is t
    minitorch.manual_seed(0)
    greys = sum(T.RandomGrayscale(p=0.25)(img) is not img for _ in range(400))
    assert 70 < greys < 130


# -- GaussianBlur --------------------------------------------------------------------------


def blur_reference(x, kx, ky, sx, sy):
    """torchvision's recipe with torch: outer product kernel, reflect padding, depthwise conv."""
    def kernel1d(k, s):
        half = (k - 1) * 0.5
        pdf = torch.exp(-0.5 * (torch.linspace(-half, half, k) / s).pow(2))
        return pdf / pdf.sum()
    kernel = torch.mm(kernel1d(ky, sy)[:, None], kernel1d(kx, sx)[None, :])
    img = torch.from_numpy(x)[None]
    c = img.shape[1]
    img = TF.pad(img, [kx // 2, kx // 2, ky // 2, ky // 2], mode="reflect")
    return TF.conv2d(img, kernel.expand(c, 1, ky, kx), groups=c)[0].numpy()


@pytest.mark.parametrize("k,sigma", [((3, 3), (1.0, 1.0)), ((5, 3), (0.8, 2.0)), ((1, 7), (0.5, 1.5))])
def test_gaussian_blur_tensor_matches_conv(k, sigma):
    t, x = floats(9, 11)
    out = F.gaussian_blur(t, list(k), list(sigma)).numpy()
    assert np.allclose(out, blur_reference(x, *k, *sigma), atol=1e-6)


def test_gaussian_blur_pil_and_uint8():
    img, u, arr = image(9, 11)
    ref = blur_reference(arr.transpose(2, 0, 1).astype(np.float32), 5, 5, 1.2, 1.2)
    out_t = F.gaussian_blur(u, 5, 1.2).numpy()
    out_p = np.asarray(F.gaussian_blur(img, [5, 5], [1.2, 1.2])).transpose(2, 0, 1)
    assert np.abs(out_t.astype(float) - ref).max() <= 0.5 + 1e-4  # rounded to the nearest level
    assert np.array_equal(out_t, out_p)
    grey = Image.fromarray(arr[..., 0])
    assert F.gaussian_blur(grey, 3).mode == "L"


def test_gaussian_blur_transform():
    t, _ = floats(9, 11)
    minitorch.manual_seed(2)
    sigma = T.GaussianBlur.get_params(0.1, 2.0)
    assert 0.1 <= sigma < 2.0
    minitorch.manual_seed(2)
    out = T.GaussianBlur(3)(t)
    assert np.array_equal(out.numpy(), F.gaussian_blur(t, [3, 3], [sigma, sigma]).numpy())
    assert T.GaussianBlur((3, 5), sigma=0.7).sigma == (0.7, 0.7)
    for args, text in [((4,), "odd and positive"), ((3, -1), "must be positive"),
                       ((3, (2.0, 1.0)), r"positive and of the form \(min, max\)"),
                       ((3, (1, 2, 3)), "single number or a list/tuple with length 2")]:
        with pytest.raises(ValueError, match=text):
            T.GaussianBlur(*args)
    with pytest.raises(ValueError, match=r"kernel_size should have odd and positive integers. Got \[2, 2\]"):
        F.gaussian_blur(t, 2)
