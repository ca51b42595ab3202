"""The pieces of `minitorch.linalg` by concept: checks, inverse/det/solve, factorisations."""
