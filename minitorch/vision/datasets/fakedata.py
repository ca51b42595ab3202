"""FakeData: random images made on demand, for checking a pipeline without any files (torchvision's).

Image `i` is `randn(*image_size)` drawn right after `manual_seed(i + random_offset)` and turned into
a PIL image by ToPILImage (values times 255, wrapped into uint8), so an index always gives the same
image and label; the global random state is put back afterwards, so reading the dataset does not
disturb the program's own random stream.
"""
from __future__ import annotations

from typing import Any, Callable

import minitorch
from minitorch.utils.data import Dataset

from ..transforms import ToPILImage


class FakeData(Dataset):
    """`size` random (C, H, W) = `image_size` images as PIL images, with labels in [0, num_classes)."""

    def __init__(self, size: int = 1000, image_size: tuple[int, int, int] = (3, 224, 224),
                 num_classes: int = 10, transform: Callable | None = None,
                 target_transform: Callable | None = None, random_offset: int = 0) -> None:
        self.size, self.image_size, self.num_classes = size, image_size, num_classes
        self.transform, self.target_transform, self.random_offset = transform, target_transform, random_offset

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        if index >= len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        state = minitorch.get_rng_state()
        minitorch.manual_seed(index + self.random_offset)
        img = minitorch.randn(*self.image_size)
        target = minitorch.randint(0, self.num_classes, size=(1,), dtype=minitorch.long)[0]
        minitorch.set_rng_state(state)
        img = ToPILImage()(img)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target.item()
