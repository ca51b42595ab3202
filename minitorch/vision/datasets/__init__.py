"""Datasets with torchvision's interface: MNIST and Fashion-MNIST."""
from .mnist import MNIST, FashionMNIST

__all__ = ["MNIST", "FashionMNIST"]
