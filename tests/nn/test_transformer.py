"""nn.Transformer and its encoder/decoder stacks and layers (nn/modules/transformer.py) against torch,
with torch's weights copied in by load_state_dict: outputs, gradients, masks, the inference path that
torch runs on nested tensors, warnings, repr, init, dropout, errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_prints_like_torch, randn

F64 = np.float64


def _pair(name, *args, **kwargs):
    with warnings.catch_warnings(record=True) as th_warnings:
        warnings.simplefilter("always")
        th = getattr(torch.nn, name)(*args, **kwargs).double()
    with warnings.catch_warnings(record=True) as mt_warnings:
        warnings.simplefilter("always")
        mt = getattr(minitorch.nn, name)(*args, **kwargs).double()
    assert {str(w.message) for w in mt_warnings} == {str(w.message) for w in th_warnings}
    assert list(mt.state_dict()) == list(th.state_dict())
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    return mt, th


def _compare(mt, th, shapes, masks=None, grad=True, **kwargs):
    masks = masks or {}
    arrays = [randn(*s, dtype=F64, seed=i) for i, s in enumerate(shapes)]
    th_in = [torch.tensor(a, requires_grad=grad) for a in arrays]
    mt_in = [minitorch.tensor(a, requires_grad=grad) for a in arrays]
    th_out = th(*th_in, **{k: torch.tensor(v) for k, v in masks.items()}, **kwargs)
    mt_out = mt(*mt_in, **{k: minitorch.tensor(v) for k, v in masks.items()}, **kwargs)
    assert tuple(mt_out.shape) == tuple(th_out.shape) and mt_out.dtype == minitorch.float64
    np.testing.assert_allclose(mt_out.detach().numpy(), th_out.detach().numpy(), atol=1e-10)
    if not grad:
        return
    upstream = randn(*th_out.shape, dtype=F64, seed=9)
    (th_out * torch.tensor(upstream)).sum().backward()
    (mt_out * minitorch.tensor(upstream)).sum().backward()
    for m, t in zip(mt_in, th_in):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=1e-10)
    for (name, p), (_, q) in zip(mt.named_parameters(), th.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-10, err_msg=name)


_LAYER_KWARGS = [{}, {"norm_first": True, "activation": "gelu"}, {"batch_first": True, "bias": False},
                 {"activation": torch.nn.functional.silu}]


def _activation_for(lib, kwargs):
    """The same kwargs with a callable activation taken from lib's functional."""
    act = kwargs.get("activation")
    if callable(act):
        return {**kwargs, "activation": getattr(lib.nn.functional, act.__name__)}
    return kwargs


@pytest.mark.parametrize("kwargs", _LAYER_KWARGS)
@pytest.mark.parametrize("name", ["TransformerEncoderLayer", "TransformerDecoderLayer"])
def test_layers_match_torch(name, kwargs):
    th = getattr(torch.nn, name)(8, 2, 16, 0.0, **kwargs).double()
    mt = getattr(minitorch.nn, name)(8, 2, 16, 0.0, **_activation_for(minitorch, kwargs)).double()
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    batch_first = kwargs.get("batch_first", False)
    shapes = [(3, 5, 8) if batch_first else (5, 3, 8)]
    if name == "TransformerDecoderLayer":
        shapes.append((3, 4, 8) if batch_first else (4, 3, 8))
    _compare(mt, th, shapes)


_PADDING = np.zeros((3, 5), bool)
_PADDING[1, 3:] = True
_CAUSAL = np.triu(np.full((5, 5), -np.inf), 1)


@pytest.mark.parametrize("shapes, masks, kwargs", [
    ([(5, 3, 8)], {"src_mask": _CAUSAL, "src_key_padding_mask": _PADDING}, {}),
    ([(5, 3, 8)], {"src_mask": _CAUSAL}, {"is_causal": True}),
    ([(5, 8)], {"src_mask": _CAUSAL < 0}, {}),  # unbatched, bool mask
])
def test_encoder_layer_masks_match_torch(shapes, masks, kwargs):
    mt, th = _pair("TransformerEncoderLayer", 8, 2, 16, 0.0)
    _compare(mt, th, shapes, masks, **kwargs)


def test_transformer_matches_torch():
    mt, th = _pair("Transformer", 8, 2, 2, 2, 16, 0.0)  # warns: batch_first is False
    _compare(mt, th, [(5, 3, 8), (4, 3, 8)], {"src_key_padding_mask": _PADDING, "tgt_mask": _CAUSAL[:4, :4],
                                              "memory_key_padding_mask": _PADDING})


def test_batch_first_transformer_in_training_and_inference():
    mt, th = _pair("Transformer", 8, 2, 2, 1, 16, 0.0, batch_first=True, activation="gelu")
    masks = {"src_key_padding_mask": _PADDING, "tgt_mask": _CAUSAL[:4, :4]}
    _compare(mt, th, [(3, 5, 8), (3, 4, 8)], masks)
    mt.eval()
    th.eval()
    # torch now runs the encoder on nested tensors: padded positions leave the encoder as zeros
    with torch.no_grad(), minitorch.no_grad():
        _compare(mt, th, [(3, 5, 8), (3, 4, 8)], masks, grad=False)
        _compare(mt.encoder, th.encoder, [(3, 5, 8)], {"src_key_padding_mask": _PADDING}, grad=False)
        _compare(mt.encoder, th.encoder, [(3, 5, 8)], {"src_key_padding_mask": np.where(_PADDING, -2.0, 0.0)},
                 grad=False)


def test_decoder_detects_causal_mask():
    th = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2,
                                     norm=torch.nn.LayerNorm(8)).double()
    mt = minitorch.nn.TransformerDecoder(minitorch.nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2,
                                         norm=minitorch.nn.LayerNorm(8)).double()
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    _compare(mt, th, [(5, 3, 8), (4, 3, 8)], {"tgt_mask": _CAUSAL})


def test_generate_square_subsequent_mask():
    for dtype in (None, "float64"):
        th = torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=dtype and getattr(torch, dtype))
        mt = minitorch.nn.Transformer.generate_square_subsequent_mask(4, dtype=dtype and getattr(minitorch, dtype))
        assert str(mt.dtype) == str(th.dtype)
        np.testing.assert_array_equal(mt.numpy(), th.numpy())


def test_repr_and_init():
    assert_prints_like_torch("print(nn.Transformer(8, 2, 1, 1, 16, batch_first=True, norm_first=True))")
    model = minitorch.nn.Transformer(64, 4, 1, 1, 128)
    w = model.encoder.layers[0].linear1.weight.detach().numpy()
    bound = (6 / (64 + 128)) ** 0.5  # every matrix re-drawn Xavier-uniform
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    # a stack holds independent copies of its layer, starting from the same values
    stack = minitorch.nn.TransformerEncoder(minitorch.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                            enable_nested_tensor=False)
    first, second = stack.layers[0].linear1.weight, stack.layers[1].linear1.weight
    assert first is not second and np.array_equal(first.detach().numpy(), second.detach().numpy())


def test_dropout_only_in_training():
    layer = minitorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = minitorch.tensor(randn(5, 3, 8))
    assert not np.allclose(layer(x).detach().numpy(), layer(x).detach().numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())


@pytest.mark.parametrize("call, error", [
    (lambda lib: lib.nn.TransformerEncoderLayer(8, 2, activation="tanh"), RuntimeError),
    (lambda lib: lib.nn.Transformer(8, 2, 1, 1, 16)(lib.zeros(5, 3, 8), lib.zeros(4, 2, 8)), RuntimeError),
    (lambda lib: lib.nn.Transformer(8, 2, 1, 1, 16)(lib.zeros(5, 3, 8), lib.zeros(4, 3, 6)), RuntimeError),
])
def test_errors_match_torch(call, error):
    messages = []
    for lib in (torch, minitorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(error) as err:
                call(lib)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_whole_model_save_and_load_with_safe_globals(tmp_path):
    """word_language_model's checkpoint: torch.save(model), then torch.load under safe_globals
    naming classes by torch's module paths (nn.modules.activation.MultiheadAttention, ...)."""
    nn = minitorch.nn
    model = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2)
    minitorch.save(model, tmp_path / "model.pt")
    with pytest.raises(Exception, match="Weights only load failed"):
        minitorch.load(tmp_path / "model.pt")
    allowed = [minitorch.nn.functional.relu, nn.modules.activation.MultiheadAttention, nn.modules.container.ModuleList,
               nn.modules.dropout.Dropout, nn.modules.linear.Linear, nn.modules.linear.NonDynamicallyQuantizableLinear,
               nn.modules.normalization.LayerNorm, nn.modules.transformer.TransformerEncoder,
               nn.modules.transformer.TransformerEncoderLayer]
    with minitorch.serialization.safe_globals(allowed):
        loaded = minitorch.load(tmp_path / "model.pt")
    assert minitorch.serialization.get_safe_globals() == []
    assert list(loaded.state_dict()) == list(model.state_dict())
    x = minitorch.tensor(randn(2, 5, 8))
    model.eval()
    loaded.eval()
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())


@pytest.mark.parametrize("build, call", [
    (lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16), 1, enable_nested_tensor=False),
     lambda lib, m: m(lib.zeros(5, 3, 8), mask=lib.nn.Transformer.generate_square_subsequent_mask(5),
                      src_key_padding_mask=lib.zeros(3, 5, dtype=lib.bool))),
    (lambda lib: lib.nn.TransformerEncoderLayer(8, 2, 16),
     lambda lib, m: m(lib.zeros(5, 3, 8), src_mask=lib.nn.Transformer.generate_square_subsequent_mask(5),
                      src_key_padding_mask=lib.zeros(3, 5, dtype=lib.bool))),
    (lambda lib: lib.nn.MultiheadAttention(8, 2),
     lambda lib, m: m(lib.zeros(5, 3, 8), lib.zeros(5, 3, 8), lib.zeros(5, 3, 8), attn_mask=lib.zeros(5, 5),
                      key_padding_mask=lib.zeros(3, 5, dtype=lib.bool))),
])
def test_mismatched_mask_types_warn_as_torch(build, call):
    seen = []
    for lib in (torch, minitorch):
        module = build(lib)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(lib, module)
        seen.append({str(w.message) for w in caught})
    assert seen[0] and seen[0] == seen[1]


@pytest.mark.parametrize("activation", ["relu", "gelu", "ReLU", "GELU", "silu"])
def test_activation_flag_and_nested_tensor_warning_match_torch(activation):
    """activation_relu_or_gelu (1, 2 or 0) decides whether an encoder may use nested tensors."""
    results = []
    for lib in (torch, minitorch):
        act = {"ReLU": lib.nn.ReLU(), "GELU": lib.nn.GELU(), "silu": lib.nn.functional.silu}.get(activation,
                                                                                                  activation)
        layer = lib.nn.TransformerEncoderLayer(8, 2, 16, activation=act, batch_first=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            encoder = lib.nn.TransformerEncoder(layer, 1)
        results.append((layer.activation_relu_or_gelu, encoder.use_nested_tensor, [str(w.message) for w in caught],
                        repr(layer)))
    assert results[0] == results[1]
