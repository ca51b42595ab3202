"""Helpers around parameters: gradient clipping and flattening to a vector."""
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .rnn import PackedSequence  # variable-length sequences: nn.utils.rnn
from . import rnn
