"""minitorch.vision: what torchvision gives PyTorch users, for minitorch.

- `datasets`: MNIST and FashionMNIST, read from IDX files, downloaded if asked;
- `transforms`: image transforms on PIL images and tensors (Compose, ToTensor, ...);
- `models`: resnet18 and resnet34 with torchvision's parameter names (no pretrained weights);
- `utils`: make_grid and save_image.
"""
from . import datasets, models, transforms, utils

__all__ = ["datasets", "models", "transforms", "utils"]
