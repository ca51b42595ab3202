"""ToTensor, PILToTensor, ToPILImage, ConvertImageDtype, Normalize, Compose, Lambda."""
import numpy as np
import pytest
from PIL import Image

import minitorch
from minitorch.vision import transforms as T
from minitorch.vision.transforms import functional as F


def rgb(h=5, w=7, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_to_tensor_rgb():
    arr = rgb()
    x = T.ToTensor()(Image.fromarray(arr))
    assert x.shape == (3, 5, 7) and x.dtype == minitorch.float32
    assert np.allclose(x.numpy(), arr.transpose(2, 0, 1) / 255.0, atol=1e-7)


def test_to_tensor_grey_and_modes():
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    x = T.ToTensor()(Image.fromarray(grey))
    assert x.shape == (1, 3, 4) and np.allclose(x.numpy()[0], grey / 255.0)
    binary = Image.fromarray(grey > 100)  # mode "1"
    assert binary.mode == "1"
    assert np.array_equal(T.ToTensor()(binary).numpy()[0], (grey > 100).astype(np.float32))
    ints = Image.fromarray(np.array([[70000, -3]], dtype=np.int32))  # mode "I": kept, not scaled
    t = T.ToTensor()(ints)
    assert t.dtype == minitorch.int32 and t.numpy().tolist() == [[[70000, -3]]]
    floats = Image.fromarray(np.array([[0.25, 7.5]], dtype=np.float32))  # mode "F"
    assert T.ToTensor()(floats).numpy().tolist() == [[[0.25, 7.5]]]


def test_to_tensor_ndarray():
    arr = rgb()
    assert np.allclose(T.ToTensor()(arr).numpy(), arr.transpose(2, 0, 1) / 255.0)
    f = np.random.default_rng(0).random((4, 6)).astype(np.float64)
    t = T.ToTensor()(f)  # not uint8: values and dtype kept, only the layout changes
    assert t.dtype == minitorch.float64 and t.shape == (1, 4, 6) and np.array_equal(t.numpy()[0], f)


def test_to_tensor_errors():
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray. Got <class 'list'>"):
        T.ToTensor()([[1, 2]])
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions"):
        T.ToTensor()(np.zeros((1, 2, 3, 4), np.uint8))


def test_pil_to_tensor():
    arr = rgb()
    t = T.PILToTensor()(Image.fromarray(arr))
    assert t.dtype == minitorch.uint8 and np.array_equal(t.numpy(), arr.transpose(2, 0, 1))
    with pytest.raises(TypeError, match="pic should be PIL Image"):
        T.PILToTensor()(arr)


def test_to_pil_image_round_trip():
    arr = rgb()
    img = T.ToPILImage()(T.PILToTensor()(Image.fromarray(arr)))
    assert img.mode == "RGB" and np.array_equal(np.asarray(img), arr)
    grey = T.ToPILImage()(minitorch.from_numpy(np.array([[[0.0, 0.5, 1.0]]], np.float32)))
    assert grey.mode == "L" and np.asarray(grey).tolist() == [[0, 127, 255]]  # truncation, like torchvision


def test_convert_image_dtype():
    u8 = minitorch.from_numpy(np.array([[[0, 1, 128, 255]]], np.uint8))
    f = T.ConvertImageDtype(minitorch.float32)(u8)
    assert f.dtype == minitorch.float32 and np.allclose(f.numpy(), [[[0, 1 / 255, 128 / 255, 1]]])
    back = T.ConvertImageDtype(minitorch.uint8)(f)
    assert back.numpy().tolist() == u8.numpy().tolist()
    # float -> int: each of the 256 levels gets an equal share of [0, 1]
    levels = minitorch.from_numpy(np.array([[[0.0, 0.00390, 0.00392, 0.5, 0.999, 1.0]]], np.float32))
    assert F.convert_image_dtype(levels, minitorch.uint8).numpy().tolist() == [[[0, 0, 1, 127, 255, 255]]]
    # int -> int by whole bits
    assert F.convert_image_dtype(u8, minitorch.int16).numpy().tolist() == [[[0, 128, 128 * 128, 255 * 128]]]
    i16 = minitorch.from_numpy(np.array([[[0, 127, 128, 32767]]], np.int16))
    assert F.convert_image_dtype(i16, minitorch.uint8).numpy().tolist() == [[[0, 0, 1, 255]]]
    assert F.convert_image_dtype(f, minitorch.float32) is f
    with pytest.raises(RuntimeError, match="The cast from torch.float32 to torch.int32 cannot be performed safely"):
        F.convert_image_dtype(f, minitorch.int32)
    with pytest.raises(TypeError, match="Tensor Image"):
        F.convert_image_dtype(np.zeros(3), minitorch.float32)


def test_normalize_hand_computed():
    x = minitorch.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 2, 2) / 10)
    out = T.Normalize((0.1, 0.2, 0.3), (0.5, 1.0, 2.0))(x)
    expected = (x.numpy() - np.array([0.1, 0.2, 0.3]).reshape(3, 1, 1)) / np.array([0.5, 1.0, 2.0]).reshape(3, 1, 1)
    assert np.allclose(out.numpy(), expected, atol=1e-6) and out is not x
    batch = minitorch.from_numpy(np.ones((4, 1, 2, 2), np.float32))
    assert np.allclose(F.normalize(batch, [0.5], [0.25]).numpy(), 2.0)


def test_normalize_inplace_and_differentiable():
    x = minitorch.from_numpy(np.full((1, 2, 2), 3.0, np.float32))
    assert T.Normalize([1.0], [2.0], inplace=True)(x) is x
    assert np.allclose(x.numpy(), 1.0)
    leaf = minitorch.tensor(np.ones((2, 2, 2), np.float32), requires_grad=True)
    F.normalize(leaf, [0.0, 1.0], [2.0, 4.0]).sum().backward()
    assert np.allclose(leaf.grad.numpy()[0], 0.5) and np.allclose(leaf.grad.numpy()[1], 0.25)


def test_normalize_errors():
    with pytest.raises(TypeError, match="should be a torch tensor"):
        F.normalize(np.zeros((1, 2, 2)), [0.0], [1.0])
    with pytest.raises(TypeError, match="should be a float tensor. Got torch.uint8"):
        F.normalize(minitorch.from_numpy(np.zeros((1, 2, 2), np.uint8)), [0.0], [1.0])
    with pytest.raises(ValueError, match=r"tensor image of size \(..., C, H, W\). Got tensor.size\(\) = \(2, 2\)"):
        F.normalize(minitorch.from_numpy(np.zeros((2, 2), np.float32)), [0.0], [1.0])
    with pytest.raises(ValueError, match="std evaluated to zero"):
        F.normalize(minitorch.from_numpy(np.zeros((1, 2, 2), np.float32)), [0.0], [0.0])


def test_transform_invert_round_trip():
    """The tutorials' transform_invert: undo Normalize with its mean/std, then ToTensor."""
    arr = rgb(8, 8)
    pipeline = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    x = pipeline(Image.fromarray(arr))
    norm = next(t for t in pipeline.transforms if isinstance(t, T.Normalize))
    mean, std = np.array(norm.mean).reshape(3, 1, 1), np.array(norm.std).reshape(3, 1, 1)
    restored = (x.numpy() * std + mean).transpose(1, 2, 0) * 255
    assert np.abs(restored - arr).max() < 1e-3


def test_compose_and_lambda():
    c = T.Compose([T.Lambda(lambda v: v + 1), T.Lambda(lambda v: v * 10)])
    assert c(1) == 20
    assert repr(T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))])) == (
        "Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.5,))\n)")
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        T.Lambda(3)


def test_not_an_image():
    with pytest.raises(TypeError, match="img should be PIL Image or Tensor. Got <class 'numpy.ndarray'>"):
        F.hflip(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="not a torch image"):
        F.hflip(minitorch.from_numpy(np.zeros(3, np.float32)))
