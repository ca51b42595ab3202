"""`torch.backends`: the flags CPU training scripts commonly set (`torch.backends.cudnn.benchmark = True`).

Each backend is a module, as in torch, so `import torch.backends.cudnn as cudnn` works; none of
them is available here and setting their flags changes nothing.
"""
from . import cudnn, mps

__all__ = ["cudnn", "mps"]
