"""resnet18/resnet34: torchvision's architecture, parameter names and shapes; outputs and
gradients equal to the same network built from torch.nn with the same weights.

torchvision is not installed beside torch here, so the reference network is written below
from torch.nn modules following torchvision's documented layout, and the parameter counts
are the ones torchvision documents for its ResNet-18 / ResNet-34 weights.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from minitorch.vision import models


class TorchBasicBlock(torch.nn.Module):
    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(planes)
        self.relu = torch.nn.ReLU(inplace=True)
        self.conv2 = torch.nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = torch.nn.Sequential(torch.nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                                                  torch.nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))) + identity)


class TorchResNet(torch.nn.Module):
    def __init__(self, layers, num_classes=1000):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(64)
        self.relu = torch.nn.ReLU(inplace=True)
        self.maxpool = torch.nn.MaxPool2d(3, 2, 1)
        inplanes = 64
        for i, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if i == 0 else 2
            stage = [TorchBasicBlock(inplanes, planes, stride)] + [TorchBasicBlock(planes, planes)
                                                                   for _ in range(blocks - 1)]
            setattr(self, f"layer{i + 1}", torch.nn.Sequential(*stage))
            inplanes = planes
        self.avgpool = torch.nn.AdaptiveAvgPool2d((1, 1))
        self.fc = torch.nn.Linear(512, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def _shapes(state):
    return {name: tuple(value.shape) for name, value in state.items()}


@pytest.mark.parametrize("name, layers, documented_params", [("resnet18", [2, 2, 2, 2], 11_689_512),
                                                             ("resnet34", [3, 4, 6, 3], 21_797_672)])
def test_state_dict_names_and_shapes_are_torchvisions(name, layers, documented_params):
    ours = getattr(models, name)(weights=None)
    assert sum(p.numel() for p in ours.parameters()) == documented_params
    assert _shapes(ours.state_dict()) == _shapes(TorchResNet(layers).state_dict())
    assert list(ours.state_dict()) == list(TorchResNet(layers).state_dict())  # same order too
    blocks = 2 if name == "resnet18" else 3
    assert list(ours.state_dict())[:7] == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                           "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight"]
    assert ours.layer2[0].downsample[0].weight.shape == (128, 64, 1, 1)
    assert len(ours.layer1) == blocks and ours.layer1[0].downsample is None
    assert ours.fc.in_features == 512 and ours.fc.out_features == 1000


def test_initialisation_follows_torchvision():
    minitorch.manual_seed(0)
    model = models.resnet18(num_classes=10, zero_init_residual=True)
    assert model.fc.weight.shape == (10, 512)
    # kaiming normal, fan_out, relu gain: std sqrt(2 / (out_channels * 3 * 3)) for the 3x3 convs
    weight = model.layer4[1].conv1.weight.detach().numpy()
    assert abs(weight.std() - np.sqrt(2 / (512 * 9))) < 0.02 * np.sqrt(2 / (512 * 9))
    assert (model.bn1.weight.detach().numpy() == 1).all() and (model.bn1.bias.detach().numpy() == 0).all()
    assert (model.layer1[0].bn2.weight.detach().numpy() == 0).all()   # zero_init_residual


def test_forward_and_backward_match_the_torch_network_with_the_same_weights():
    minitorch.manual_seed(0)
    ours = models.resnet18(weights=None, num_classes=7)
    theirs = TorchResNet([2, 2, 2, 2], num_classes=7).double()
    ours = ours.double()
    theirs.load_state_dict({k: torch.from_numpy(v.detach().numpy().copy()) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 3, 40, 40))
    for train in (True, False):
        ours.train(train)
        theirs.train(train)
        out = ours(minitorch.tensor(x))
        ref = theirs(torch.tensor(x))
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-9, atol=1e-9)
    ours.train()
    theirs.train()
    ours(minitorch.tensor(x)).square().sum().backward()
    theirs(torch.tensor(x)).square().sum().backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-7, atol=1e-9, err_msg=name)
    for name, buffer in theirs.named_buffers():   # running statistics updated alike
        np.testing.assert_allclose(ours.get_buffer(name).numpy(), buffer.numpy(), rtol=1e-9, atol=1e-12)


def test_pretrained_weights_are_refused_without_downloading():
    with pytest.raises(ValueError, match="does not download pretrained weights"):
        models.resnet18(weights="IMAGENET1K_V1")
    with pytest.warns(UserWarning, match="'pretrained' is deprecated"), pytest.raises(ValueError):
        models.resnet34(pretrained=True)
    with pytest.raises(TypeError):
        models.resnet18(None)   # weights is keyword-only, as in torchvision
    with pytest.raises(ValueError, match="BasicBlock only supports groups=1"):
        models.resnet18(groups=2)
