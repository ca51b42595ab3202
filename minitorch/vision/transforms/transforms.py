"""Transform objects with torchvision's names, arguments and behaviour.

A transform is a callable on one image (PIL or tensor, see `functional.py`); random
ones draw their parameters from minitorch's default generator at each call, so
`minitorch.manual_seed(s)` makes a pipeline reproducible. Each random transform has a
`get_params` that does only the drawing, for applying one draw to several images.
"""
from .color import *  # noqa: F401,F403
from .composition import *  # noqa: F401,F403
from .conversion import *  # noqa: F401,F403
from .functional import InterpolationMode
from .geometry import *  # noqa: F401,F403

__all__ = [
    "Compose", "Lambda", "RandomApply", "RandomChoice", "RandomOrder",
    "ToTensor", "PILToTensor", "ToPILImage", "ConvertImageDtype", "Normalize",
    "Resize", "CenterCrop", "Pad", "RandomCrop", "RandomResizedCrop",
    "RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation", "RandomAffine",
    "ColorJitter", "Grayscale", "RandomGrayscale", "GaussianBlur", "RandomErasing",
    "InterpolationMode",
]
