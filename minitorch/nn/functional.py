"""Functions behind the nn layers (torch.nn.functional)."""
