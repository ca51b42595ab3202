"""minitorch.vision: what torchvision gives PyTorch users, for minitorch.

- `datasets`: MNIST and FashionMNIST, read from IDX files, downloaded if asked;
- `transforms`: image transforms on PIL images and tensors (Compose, ToTensor, ...);
- `io`: read_image / decode_image (PNG, JPEG, ... via Pillow) into uint8 (C, H, W) tensors;
- `models`: resnet18 and resnet34 with torchvision's parameter names (no pretrained weights);
- `utils`: make_grid and save_image.
"""
from . import datasets, io, models, transforms, utils

__all__ = ["datasets", "io", "models", "transforms", "utils"]
