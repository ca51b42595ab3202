"""MNIST and Fashion-MNIST: 28x28 grayscale images with labels 0-9, as in torchvision.

    ds = MNIST(root="data", train=True, transform=ToTensor())
    img, label = ds[0]            # a (1, 28, 28) float tensor and the int 5
    ds.data.shape, ds.targets     # (60000, 28, 28) uint8 tensor, int64 labels

Where the files are looked for (the first folder holding the split's two files wins;
each file may be gzip-compressed, `name.gz`, or raw, `name`):
- with `root`: `root/MNIST/raw/` (torchvision's layout), `root/` itself (the layout of
  `../shared/data/mnist` and of Debian's packages) and `root/mnist/`;
- without `root`: the same three under `$MINITORCH_DATA` (or `~/.cache/minitorch/data`
  if that is unset), then the copy of MNIST vendored in this repository at `data/mnist/`,
  Debian's `/usr/share/datasets/<name>/` and `../shared/data/<name>/` beside the repository.
`download=True` puts whatever is missing into `root/MNIST/raw/` (`FashionMNIST/raw/`):
copied from one of the built-in folders above if a copy there has the right checksum
(so tutorials' `MNIST("data", download=True)` works offline), else fetched from the
public mirrors.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

import minitorch
from minitorch.utils.data import Dataset

from ._download import download_file, md5_matches
from ._idx import read_idx

_REPO = Path(__file__).resolve().parents[3]
_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049


class MNIST(Dataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images.

    Args match torchvision: `root` folder (optional here, see the module docstring),
    `train` picks the split, `transform` is applied to the PIL image and
    `target_transform` to the int label, `download` fetches missing files.
    Items are `(transform(PIL image of mode "L"), target_transform(int))`.
    """

    # URL prefixes tried in order
    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    # (file name, MD5 of the published .gz, MD5 of its decompressed content)
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "6bbc9ace898e44ae57da46a324031adb"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", "a25bea736e30d166cdddb491f175f624"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "2646ac647ad5339dbf082846283269ea"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", "27ae3e4e09519cfbb04c329615203637"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    # folder name under `root` in the plain layout, and under the system data folders
    _slug = "mnist"

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
    ) -> None:
        self.root = Path(root).expanduser() if root is not None else _default_root()
        self._root_is_default = root is None
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        folder = self._find()
        if folder is None and download:
            self.download()
            folder = self._find()
        if folder is None:
            raise RuntimeError(self._not_found_message())
        self.folder = folder
        images, labels = self._load(folder)
        self.data = minitorch.from_numpy(images)
        self.targets = minitorch.from_numpy(labels.astype(np.int64))

    # -- where the files are ------------------------------------------------------------

    @property
    def raw_folder(self) -> Path:
        """torchvision's layout: `root/<ClassName>/raw`, where `download` writes."""
        return self.root / type(self).__name__ / "raw"

    def _split_files(self) -> list[str]:
        """The (images, labels) file names of this split, without the `.gz`."""
        prefix = "train" if self.train else "t10k"
        return [name[: -len(".gz")] for name, _, _ in self.resources if name.startswith(prefix)]

    def _builtin_folders(self) -> list[Path]:
        """Copies that come with the repository or the system."""
        return [_REPO / "data" / self._slug,
                Path("/usr/share/datasets") / self._slug,
                _REPO.parent / "shared" / "data" / self._slug]

    def _search_folders(self) -> list[Path]:
        folders = [self.raw_folder, self.root, self.root / self._slug]
        return folders + self._builtin_folders() if self._root_is_default else folders

    def _find(self) -> Path | None:
        """The first search folder that holds both files of the split (raw or .gz)."""
        for folder in self._search_folders():
            if all(_locate(folder, name) is not None for name in self._split_files()):
                return folder
        return None

    def _not_found_message(self) -> str:
        tried = "\n  ".join(str(f) for f in self._search_folders())
        files = ", ".join(f"{n} (or {n}.gz)" for n in self._split_files())
        return (
            f"{type(self).__name__} not found: expected {files} in one of\n  {tried}\n"
            f"Use download=True to fetch them into {self.raw_folder}, or pass the folder holding them as root."
        )

    # -- reading --------------------------------------------------------------------------

    def _load(self, folder: Path) -> tuple[np.ndarray, np.ndarray]:
        image_name, label_name = self._split_files()
        image_path, label_path = _locate(folder, image_name), _locate(folder, label_name)
        images = read_idx(image_path, magic=_IMAGES_MAGIC)
        labels = read_idx(label_path, magic=_LABELS_MAGIC)
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise RuntimeError(
                f"{image_path} holds images of shape {images.shape} and {label_path} labels of shape "
                f"{labels.shape}: expected (N, H, W) and (N,) with the same N"
            )
        return images, labels

    def download(self) -> None:
        """Put the four files that are not yet in `raw_folder` there, checking their MD5:
        copied from a built-in folder if possible, else downloaded."""
        failures = []
        for name, md5_gz, md5_raw in self.resources:
            if _locate(self.raw_folder, name[: -len(".gz")]) is not None:
                continue
            if self._copy_builtin(name, {md5_gz, md5_raw}):
                continue
            try:
                download_file(name, self.mirrors, self.raw_folder, {md5_gz, md5_raw})
            except RuntimeError as e:
                failures.append(str(e))
        if failures:
            raise RuntimeError(self._not_found_message() + "\nDownloading failed:\n" + "\n".join(failures))

    def _copy_builtin(self, name: str, checksums: set[str]) -> bool:
        """Copy `name` (or its raw form) from a built-in folder if a copy there checks out."""
        for folder in self._builtin_folders():
            for source in (folder / name, folder / name[: -len(".gz")]):
                if source.is_file() and md5_matches(source, checksums):
                    self.raw_folder.mkdir(parents=True, exist_ok=True)
                    part = self.raw_folder / (source.name + ".part")
                    shutil.copyfile(source, part)
                    os.replace(part, self.raw_folder / source.name)  # atomic, like a download
                    return True
        return False

    # -- the dataset protocol -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        # read through .numpy() so that a user who replaces self.data / self.targets
        # (a common way to take a subset) is honoured, as in torchvision
        img = Image.fromarray(self.data.numpy()[index])
        target = int(self.targets.numpy()[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def __repr__(self) -> str:
        lines = [f"Dataset {type(self).__name__}",
                 f"    Number of datapoints: {len(self)}",
                 f"    Root location: {self.folder}",
                 f"    Split: {'Train' if self.train else 'Test'}"]
        if self.transform is not None:
            lines.append(f"    Transform: {self.transform!r}".replace("\n", "\n    "))
        if self.target_transform is not None:
            lines.append(f"    Target transform: {self.target_transform!r}".replace("\n", "\n    "))
        return "\n".join(lines)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: MNIST's format and sizes, ten kinds of clothing."""

    mirrors = [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    _slug = "fashion-mnist"


def _default_root() -> Path:
    return Path(os.environ.get("MINITORCH_DATA", "~/.cache/minitorch/data")).expanduser()


def _locate(folder: Path, name: str) -> Path | None:
    """`folder/name` if it exists, else `folder/name.gz` if that does, else None."""
    for candidate in (folder / name, folder / (name + ".gz")):
        if candidate.is_file():
            return candidate
    return None
