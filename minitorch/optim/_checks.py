"""Argument checks shared by the optimizers, with torch's messages."""
from __future__ import annotations


def check_non_negative(*named_values: tuple[str, float]) -> None:
    """Raise ValueError("Invalid <name>: <value>") for the first negative value of (name, value) pairs."""
    for name, value in named_values:
        if value < 0.0:
            raise ValueError(f"Invalid {name}: {value}")


def check_betas(betas: tuple) -> None:
    """Each beta must lie in [0, 1)."""
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
