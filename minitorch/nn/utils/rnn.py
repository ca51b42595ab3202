"""Variable-length sequences for the recurrent layers: padding, and packing into a PackedSequence.

A PackedSequence stores a batch of sequences sorted by decreasing length time step by time
step: `data` holds the rows of every sequence still running at step 0, then at step 1, ...,
and batch_sizes[t] says how many there are at step t. nn.RNN, LSTM and GRU accept one and
return their output in the same form.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence, Union

import numpy as np

from ... import _creation
from ..._ops.join import cat, stack
from ..._tensor import Tensor

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence", "unpad_sequence",
           "pack_sequence", "unpack_sequence"]


class PackedSequence(NamedTuple):
    """(data (sum of lengths, *), batch_sizes (max length,), sorted_indices, unsorted_indices).

    sorted_indices[i] is the batch entry placed i-th when sorting by length (None if the input
    was already sorted); unsorted_indices is its inverse permutation.
    """

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Optional[Tensor] = None
    unsorted_indices: Optional[Tensor] = None

    def to(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """The same sequence with data converted by Tensor.to (the index tensors stay int64)."""
        return self._replace(data=self.data.to(*args, **kwargs))

    def double(self) -> "PackedSequence":
        return self._replace(data=self.data.double())

    def float(self) -> "PackedSequence":
        return self._replace(data=self.data.float())

    def cpu(self) -> "PackedSequence":
        return self

    @property
    def is_cuda(self) -> bool:
        return False


def _steps(batch_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(time step, sorted batch position) of every row of a packed `data`, in order."""
    times = np.repeat(np.arange(len(batch_sizes)), batch_sizes)
    positions = np.concatenate([np.arange(b) for b in batch_sizes])
    return times, positions


def _count_running(lengths: np.ndarray) -> np.ndarray:
    """How many of the lengths (or batch sizes), sorted decreasing, exceed t, for t = 0, 1, ..."""
    return (lengths[None, :] > np.arange(int(lengths[0]))[:, None]).sum(1)


def _pack_sorted(padded: Tensor, batch_sizes: np.ndarray) -> Tensor:
    """(T, B, *) with B sorted by decreasing length -> packed data."""
    times, positions = _steps(batch_sizes)
    return padded[_creation.tensor(times), _creation.tensor(positions)]


def _pad_sorted(data: Tensor, batch_sizes: np.ndarray, padding_value: float, total_length: int) -> Tensor:
    """Packed data -> (total_length, B, *) in sorted batch order, padding_value elsewhere."""
    batch = int(batch_sizes[0])
    # row index into [data; one padding row] for every (t, b): the padding row where b has ended
    rows = np.full((total_length, batch), data.shape[0])
    times, positions = _steps(batch_sizes)
    rows[times, positions] = np.arange(data.shape[0])
    padding = _creation.full((1, *data.shape[1:]), padding_value, dtype=data.dtype)
    return cat([data, padding])[_creation.tensor(rows)]


def _invert(permutation: Optional[Tensor]) -> Optional[Tensor]:
    if permutation is None:
        return None
    inverse = np.empty(permutation.shape[0], dtype=np.int64)
    inverse[permutation.numpy()] = np.arange(permutation.shape[0])
    return _creation.tensor(inverse)


def pack_padded_sequence(input: Tensor, lengths: Union[Tensor, Sequence[int]], batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) ((B, T, *) with batch_first) of sequences with the given lengths.

    enforce_sorted=True requires lengths in decreasing order; otherwise the batch is sorted here
    and the permutation kept in the result.
    """
    lengths = np.asarray(lengths.tolist() if isinstance(lengths, Tensor) else lengths, dtype=np.int64)
    if batch_first:
        input = input.transpose(0, 1)
    if len(lengths) != input.shape[1]:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
                           f"(batch_size={input.shape[1]})")
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        sorted_indices = _creation.tensor(order)
        input, lengths = input.index_select(1, sorted_indices), lengths[order]
    elif np.any(lengths[1:] > lengths[:-1]):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                           "sidestep this requirement if you do not need ONNX exportability.")
    if np.any(lengths <= 0):
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    batch_sizes = _count_running(lengths)
    return PackedSequence(_pack_sorted(input, batch_sizes), _creation.tensor(batch_sizes), sorted_indices,
                          _invert(sorted_indices))


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: Optional[int] = None) -> tuple[Tensor, Tensor]:
    """Inverse of pack_padded_sequence: (padded (T, B, *) or (B, T, *), lengths int64 (B,)), original order.

    T is the longest length, or total_length when given (at least the longest length).
    """
    batch_sizes = sequence.batch_sizes.numpy()
    longest = len(batch_sizes)
    if total_length is not None and total_length < longest:
        raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                         f"got total_length={total_length} and max sequence length being {longest}")
    padded = _pad_sorted(sequence.data, batch_sizes, padding_value, total_length or longest)
    lengths = _count_running(batch_sizes)
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.numpy()]
    return (padded.transpose(0, 1) if batch_first else padded), _creation.tensor(lengths)


def pad_sequence(sequences: Union[Tensor, Sequence[Tensor]], batch_first: bool = False,
                 padding_value: float = 0.0, padding_side: str = "right") -> Tensor:
    """Stack sequences (L_i, *) into (T, B, *) ((B, T, *) with batch_first), T the longest L_i,
    filling with padding_value after (padding_side="right") or before ("left") each sequence."""
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    sequences = list(sequences)
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        fill = _creation.full((longest - s.shape[0], *s.shape[1:]), padding_value, dtype=s.dtype)
        padded.append(cat([s, fill] if padding_side == "right" else [fill, s]))
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Union[Tensor, Sequence[int]],
                   batch_first: bool = False) -> list[Tensor]:
    """The list of sequences (L_i, *) in a right-padded batch (inverse of pad_sequence)."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lengths = lengths.tolist() if isinstance(lengths, Tensor) else list(lengths)
    return [seq[:int(n)] for seq, n in zip(padded_sequences.unbind(0), lengths)]


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) (pad_sequence, then pack_padded_sequence)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences in a PackedSequence, in the original batch order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
