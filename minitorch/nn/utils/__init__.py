"""Helpers around parameters: gradient clipping and flattening to a vector."""
