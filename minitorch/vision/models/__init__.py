"""minitorch.vision.models: network architectures with torchvision's module and parameter names."""
from .resnet import BasicBlock, ResNet, resnet18, resnet34

__all__ = ["ResNet", "BasicBlock", "resnet18", "resnet34"]
