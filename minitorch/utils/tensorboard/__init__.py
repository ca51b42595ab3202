"""TensorBoard logging, as in torch.utils.tensorboard (needs the optional `tensorboardX` package)."""
from .writer import SummaryWriter

__all__ = ["SummaryWriter"]
