"""minitorch.functional mirrors torch.functional: `import torch.functional as F` finds the same functions."""
import torch

import minitorch
import minitorch.functional as F


def test_functional_names_are_torchs_and_the_same_objects_as_the_top_level():
    assert set(F.__all__) <= set(torch.functional.__all__)
    for name in F.__all__:
        assert getattr(F, name) is getattr(minitorch, name)
    assert minitorch.functional is F
