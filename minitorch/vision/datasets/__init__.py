"""Datasets with torchvision's interface: MNIST, Fashion-MNIST and FakeData."""
from .fakedata import FakeData
from .mnist import MNIST, FashionMNIST

__all__ = ["MNIST", "FashionMNIST", "FakeData"]
