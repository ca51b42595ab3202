"""Initialisation of parameters in place (torch.nn.init)."""
