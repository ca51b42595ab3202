"""Image transforms with torchvision's interface, on PIL images and tensors.

    from minitorch.vision import transforms
    t = transforms.Compose([transforms.RandomCrop(28, padding=2), transforms.ToTensor(),
                            transforms.Normalize((0.1307,), (0.3081,))])
"""
from . import functional
from .transforms import *  # noqa: F401,F403
from .transforms import __all__
