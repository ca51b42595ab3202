"""`torch.backends` flags that CPU training scripts commonly set; they change nothing here."""
from types import SimpleNamespace

cudnn = SimpleNamespace(enabled=False, benchmark=False, deterministic=False, is_available=lambda: False)
mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
