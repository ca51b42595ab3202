"""minitorch.vision: what torchvision gives PyTorch users, for minitorch.

- `datasets`: MNIST and FashionMNIST, read from IDX files, downloaded if asked;
- `transforms`: image transforms on PIL images and tensors (Compose, ToTensor, ...);
- `utils`: make_grid and save_image.
"""
from . import datasets, transforms, utils

__all__ = ["datasets", "transforms", "utils"]
