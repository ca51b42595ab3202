"""Reading IDX files, the binary format MNIST and Fashion-MNIST are distributed in.

An IDX file is a tiny header followed by a dense big-endian array:

    bytes 0-1   zero
    byte  2     element type (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                0x0D float32, 0x0E float64)
    byte  3     number of dimensions n
    then        n big-endian uint32 sizes, then the elements in C order.

Read together, bytes 0-3 are the "magic number": 2049 (0x00000801) for a 1-D uint8
label file, 2051 (0x00000803) for a 3-D uint8 image file.
"""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

# element type code -> big-endian numpy dtype
_IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_bytes(path: Path) -> bytes:
    """The content of `path`, gunzipped if it is a gzip file (by its magic, not its name)."""
    raw = Path(path).read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:  # bad header, truncated stream, bad CRC
        raise RuntimeError(f"{path} is not a valid gzip file ({e}); delete it and fetch it again") from None


def parse_idx(data: bytes, source: str = "<bytes>") -> np.ndarray:
    """Decode an IDX byte string into an array of its shape, in native byte order.

    `source` names the file in error messages. Raises RuntimeError if the header is not
    IDX or the payload is shorter or longer than the header promises.
    """
    if len(data) < 4:
        raise RuntimeError(f"{source}: {len(data)} bytes is too short for an IDX header")
    if data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise RuntimeError(
            f"{source}: not an IDX file (magic number 0x{int.from_bytes(data[:4], 'big'):08X}; "
            f"expected 0x0000TTNN with type TT in {sorted(f'{t:02X}' for t in _IDX_TYPES)})"
        )
    dtype, ndim = _IDX_TYPES[data[2]], data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise RuntimeError(f"{source}: truncated header ({len(data)} bytes, {ndim} dimensions need {header})")
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        kind = "truncated" if len(data) < expected else "has trailing bytes"
        raise RuntimeError(
            f"{source}: {kind}: shape {shape} of {dtype.name} needs {expected} bytes, file has {len(data)}"
        )
    # frombuffer gives a read-only view of `data`; astype copies into a writable,
    # native-endian array that owns its memory
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path: Path, magic: int | None = None) -> np.ndarray:
    """Read an IDX file (gzip or raw) into an array; check its magic number if given.

    MNIST's images have magic 2051 and shape (N, 28, 28); labels magic 2049 and shape (N,).
    """
    data = read_bytes(path)
    if magic is not None and len(data) >= 4 and int.from_bytes(data[:4], "big") != magic:
        found = int.from_bytes(data[:4], "big")
        raise RuntimeError(f"{path}: wrong magic number {found} (0x{found:08X}), expected {magic} (0x{magic:08X})")
    return parse_idx(data, str(path))
