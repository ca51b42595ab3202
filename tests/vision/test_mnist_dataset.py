"""MNIST / FashionMNIST: IDX parsing on the real files, layouts, and broken files."""
import gzip
import hashlib
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import minitorch
from minitorch.vision import datasets, transforms
from minitorch.vision.datasets._idx import parse_idx, read_idx

REPO = Path(__file__).resolve().parents[2]
VENDORED = REPO / "data" / "mnist"
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def idx_bytes(arr: np.ndarray, type_code: int = 0x08) -> bytes:
    """Encode an array as IDX (the format under test, written independently here)."""
    header = struct.pack(">BBBB", 0, 0, type_code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def write_split(folder: Path, images: np.ndarray, labels: np.ndarray, prefix: str = "train", gz: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in ((f"{prefix}-images-idx3-ubyte", idx_bytes(images)), (f"{prefix}-labels-idx1-ubyte", idx_bytes(labels))):
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)


@pytest.fixture
def small():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), np.array([3, 1, 4, 1, 5, 9], dtype=np.uint8)


@pytest.fixture(autouse=True)
def empty_default_root(tmp_path, monkeypatch):
    """Default lookups start in an empty folder, so a user's cache cannot leak in."""
    monkeypatch.setenv("MINITORCH_DATA", str(tmp_path / "default-root"))


# -- the real files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def mnist_train():
    return datasets.MNIST(root=VENDORED, train=True)


def test_real_train_split(mnist_train):
    ds = mnist_train
    assert len(ds) == 60000
    assert ds.data.shape == (60000, 28, 28) and ds.data.dtype == minitorch.uint8
    assert ds.targets.dtype == minitorch.int64
    assert ds.targets.numpy()[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    pixels = ds.data.numpy() / 255.0
    assert abs(pixels.mean() - 0.1307) < 5e-5
    assert abs(pixels.std() - 0.3081) < 5e-5
    assert np.bincount(ds.targets.numpy()).tolist()[:2] == [5923, 6742]


def test_real_item_is_pil_and_int(mnist_train):
    img, label = mnist_train[0]
    assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
    assert label == 5 and type(label) is int
    assert np.array_equal(np.asarray(img), mnist_train.data.numpy()[0])


def test_real_test_split():
    ds = datasets.MNIST(root=VENDORED, train=False)
    assert len(ds) == 10000
    assert ds.targets.numpy()[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_vendored_copy_is_the_real_content():
    expected = {name: md5 for name, _, md5 in datasets.MNIST.resources}
    for name in expected:
        assert hashlib.md5(gzip.decompress((VENDORED / name).read_bytes())).hexdigest() == expected[name]


def test_fashion_mnist(tmp_path, small):
    # Fashion-MNIST is not vendored: the same IDX layout, written here, exercises the class
    write_split(tmp_path / "fashion-mnist", *small, prefix="t10k")
    ds = datasets.FashionMNIST(root=tmp_path / "fashion-mnist", train=False,
                               transform=transforms.ToTensor(), target_transform=lambda y: y + 100)
    assert len(ds) == 6 and ds.classes[9] == "Ankle boot"
    x, y = ds[0]
    assert x.shape == (1, 28, 28) and x.dtype == minitorch.float32 and y == 103
    assert np.allclose(x.numpy()[0], small[0][0] / 255.0)
    assert ds.class_to_idx["Trouser"] == 1


def test_default_root_finds_vendored_copy():
    ds = datasets.MNIST(train=False)
    assert ds.folder == VENDORED
    assert len(ds) == 10000


# -- layouts ------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["torchvision", "flat", "named"])
@pytest.mark.parametrize("gz", [True, False])
def test_layouts(tmp_path, small, layout, gz):
    images, labels = small
    folder = {"torchvision": tmp_path / "MNIST" / "raw", "flat": tmp_path, "named": tmp_path / "mnist"}[layout]
    write_split(folder, images, labels, gz=gz)
    ds = datasets.MNIST(tmp_path, transform=transforms.ToTensor())
    assert ds.folder == folder and len(ds) == 6
    assert np.array_equal(ds.data.numpy(), images)
    x, y = ds[2]
    assert y == 4 and np.allclose(x.numpy()[0], images[2] / 255.0)


def test_env_var_root(tmp_path, small, monkeypatch):
    write_split(tmp_path / "FashionMNIST" / "raw", *small, prefix="t10k")
    monkeypatch.setenv("MINITORCH_DATA", str(tmp_path))
    ds = datasets.FashionMNIST(train=False)
    assert len(ds) == 6 and ds.folder == tmp_path / "FashionMNIST" / "raw"


def test_subset_by_reassigning_data(tmp_path, small):
    write_split(tmp_path, *small)
    ds = datasets.MNIST(tmp_path)
    ds.data = minitorch.from_numpy(ds.data.numpy()[:2].copy())
    ds.targets = minitorch.from_numpy(ds.targets.numpy()[:2].copy())
    assert len(ds) == 2 and ds[1][1] == 1


def test_not_found_names_folder_and_files(tmp_path):
    with pytest.raises(RuntimeError) as e:
        datasets.MNIST(tmp_path, train=False)
    msg = str(e.value)
    assert str(tmp_path / "MNIST" / "raw") in msg and str(tmp_path) in msg
    assert "t10k-images-idx3-ubyte" in msg and "t10k-labels-idx1-ubyte" in msg and "download=True" in msg


def test_repr(tmp_path, small):
    write_split(tmp_path, *small)
    text = repr(datasets.MNIST(tmp_path, transform=transforms.ToTensor()))
    assert text.startswith("Dataset MNIST\n    Number of datapoints: 6")
    assert "Split: Train" in text and "ToTensor()" in text


# -- broken files -------------------------------------------------------------------------


def test_truncated_gzip(tmp_path, small):
    write_split(tmp_path, *small)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(RuntimeError, match="train-images-idx3-ubyte.gz is not a valid gzip file"):
        datasets.MNIST(tmp_path)


def test_corrupt_gzip_crc(tmp_path, small):
    write_split(tmp_path, *small)
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    raw = bytearray(path.read_bytes())
    raw[-6] ^= 0xFF  # the CRC32 in the trailer
    path.write_bytes(bytes(raw))
    with pytest.raises(RuntimeError, match="not a valid gzip file"):
        datasets.MNIST(tmp_path)


def test_truncated_idx_payload(tmp_path, small):
    write_split(tmp_path, *small, gz=False)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(RuntimeError, match=r"truncated: shape \(6, 28, 28\) of uint8 needs 4720 bytes, file has 4620"):
        datasets.MNIST(tmp_path)


def test_trailing_bytes(tmp_path, small):
    write_split(tmp_path, *small, gz=False)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(RuntimeError, match="has trailing bytes"):
        datasets.MNIST(tmp_path)


def test_wrong_magic_swapped_files(tmp_path, small):
    images, labels = small
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes(labels))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    with pytest.raises(RuntimeError, match=r"wrong magic number 2049 \(0x00000801\), expected 2051"):
        datasets.MNIST(tmp_path)


def test_not_idx_at_all(tmp_path):
    (tmp_path / "x").write_bytes(b"<html>not found</html>")
    with pytest.raises(RuntimeError, match="not an IDX file"):
        read_idx(tmp_path / "x")


def test_count_mismatch(tmp_path, small):
    images, labels = small
    write_split(tmp_path, images, labels[:5])
    with pytest.raises(RuntimeError, match=r"\(6, 28, 28\).*\(5,\)"):
        datasets.MNIST(tmp_path)


@pytest.mark.parametrize("dtype,code", [(np.uint8, 0x08), (np.int8, 0x09), (np.int16, 0x0B),
                                        (np.int32, 0x0C), (np.float32, 0x0D), (np.float64, 0x0E)])
def test_parse_idx_types(dtype, code):
    arr = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    out = parse_idx(idx_bytes(arr, code))
    assert out.dtype == np.dtype(dtype) and np.array_equal(out, arr) and out.flags.writeable


def test_short_header():
    with pytest.raises(RuntimeError, match="too short"):
        parse_idx(b"\0\0")
    with pytest.raises(RuntimeError, match="truncated header"):
        parse_idx(b"\0\0\x08\x03\0\0\0\x01")


def test_copy_of_shared_layout_debian(tmp_path):
    """The four files directly in root, as in the MNIST downloads and Debian's packages."""
    for name in FILES[2:]:
        shutil.copy(VENDORED / (name + ".gz"), tmp_path)
    ds = datasets.MNIST(tmp_path, train=False)
    assert ds.folder == tmp_path and len(ds) == 10000
