"""`save` and `load`: tensors, state_dicts, optimizer state and nested containers of them.

The file is a zip archive: `data.pkl`, a pickle in which every tensor is replaced by a
reference, and one `tensors/<n>.npy` per tensor. `load(weights_only=True)` (the default)
unpickles with an allow-list of harmless types, so a crafted file cannot run code; the
arrays are read with numpy's `allow_pickle=False`. Saving to a path writes a temporary
file beside it and renames it into place, so a crash never leaves a truncated checkpoint.
"""
from __future__ import annotations

import collections
import io
import os
import pickle
import tempfile
import warnings
import zipfile
from typing import Any, BinaryIO

import numpy as np

from . import _dtype
from ._device import check_device
from ._tensor import Tensor, _wrap
from .nn.parameter import Parameter

_FORMAT = "minitorch-checkpoint-v1"
_TRUE_VALUES = ("1", "y", "yes", "true")


class _Pickler(pickle.Pickler):
    def __init__(self, file: BinaryIO, archive: zipfile.ZipFile):
        super().__init__(file, protocol=4)
        self.archive = archive
        self.ids: dict[int, int] = {}
        self.keep: list = []  # keeps tensors alive so ids are not reused while saving

    def persistent_id(self, obj: Any) -> Any:
        if not isinstance(obj, Tensor):
            return None
        if id(obj) not in self.ids:
            key = self.ids[id(obj)] = len(self.ids)
            self.keep.append(obj)
            buffer = io.BytesIO()
            # np.ascontiguousarray would turn a 0-d array into shape (1,): copy in C order instead
            np.save(buffer, np.array(obj._array, order="C"), allow_pickle=False)
            self.archive.writestr(f"tensors/{key}.npy", buffer.getvalue())
        kind = "parameter" if type(obj).__name__ == "Parameter" else "tensor"
        return ("tensor", self.ids[id(obj)], kind, obj.requires_grad)


_SAFE_GLOBALS = {
    ("collections", "OrderedDict"): collections.OrderedDict, ("collections", "Counter"): collections.Counter,
    ("builtins", "set"): set, ("builtins", "frozenset"): frozenset, ("builtins", "slice"): slice,
    ("builtins", "complex"): complex, ("builtins", "range"): range,
    ("minitorch._dtype", "_by_name"): _dtype._by_name,
}


# what the user allowed beyond _SAFE_GLOBALS: add_safe_globals, or safe_globals for one block
_USER_GLOBALS: dict = {}


def _key(obj: Any) -> tuple[str, str]:
    return obj.__module__, obj.__qualname__


def add_safe_globals(safe_globals: list) -> None:
    """Let weights_only load rebuild these classes and functions (torch.serialization.add_safe_globals)."""
    _USER_GLOBALS.update((_key(obj), obj) for obj in safe_globals)


def get_safe_globals() -> list:
    """The classes and functions added by add_safe_globals."""
    return list(_USER_GLOBALS.values())


def clear_safe_globals() -> None:
    """Forget everything add_safe_globals allowed."""
    _USER_GLOBALS.clear()


class safe_globals:
    """Context manager: add_safe_globals(safe_globals) for the duration of a `with` block."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals

    def __enter__(self) -> None:
        self.saved = dict(_USER_GLOBALS)
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc: Any) -> None:
        _USER_GLOBALS.clear()
        _USER_GLOBALS.update(self.saved)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, archive: zipfile.ZipFile, weights_only: bool):
        super().__init__(file)
        self.archive, self.weights_only = archive, weights_only
        self.loaded: dict[int, Tensor] = {}

    def find_class(self, module: str, name: str) -> Any:
        if not self.weights_only:
            return super().find_class(module, name)
        if (module, name) in _SAFE_GLOBALS:
            return _SAFE_GLOBALS[(module, name)]
        if (module, name) in _USER_GLOBALS:
            return _USER_GLOBALS[(module, name)]
        raise pickle.UnpicklingError(
            f"Weights only load failed: the file refers to {module}.{name}, which is not an allowed "
            "type. Re-run load with weights_only=False only if you trust the file's source: it can "
            "run arbitrary code.")

    def persistent_load(self, pid: Any) -> Tensor:
        _, key, kind, requires_grad = pid
        if key not in self.loaded:
            with self.archive.open(f"tensors/{key}.npy") as f:
                array = np.load(io.BytesIO(f.read()), allow_pickle=False)
            if kind == "parameter":
                self.loaded[key] = Parameter(_wrap(array), requires_grad=requires_grad)
            else:
                self.loaded[key] = _wrap(array, requires_grad=requires_grad)
        return self.loaded[key]


def save(obj: Any, f: str | os.PathLike | BinaryIO, pickle_module: Any = None,
         pickle_protocol: int = 2, _use_new_zipfile_serialization: bool = True) -> None:
    """Write `obj` (tensors, dicts/lists/tuples of them, numbers, strings) to a path or binary file."""
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pt")
        try:
            with os.fdopen(fd, "wb") as out:
                _write(obj, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    else:
        _write(obj, f)


def _write(obj: Any, out: BinaryIO) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("format", _FORMAT)
        data = io.BytesIO()
        _Pickler(data, archive).dump(obj)
        archive.writestr("data.pkl", data.getvalue())


def _resolve_weights_only(weights_only: bool | None) -> bool:
    """weights_only after torch's environment overrides: TORCH_FORCE_WEIGHTS_ONLY_LOAD always wins,
    TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD only where the caller did not pass weights_only."""
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE_VALUES
    force_no = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE_VALUES
    if force and force_no:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force:
        return True
    if weights_only is None:
        if force_no:
            warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the `weights_only` "
                          "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
                          UserWarning, stacklevel=3)
            return False
        return True
    return weights_only


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: Any = None, **pickle_load_args: Any) -> Any:
    """Read an object written by `save`. weights_only (True unless passed or overridden by the
    TORCH_FORCE_[NO_]WEIGHTS_ONLY_LOAD environment variables) refuses anything but plain data."""
    weights_only = _resolve_weights_only(weights_only)
    if map_location is not None and not callable(map_location) and not isinstance(map_location, dict):
        check_device(map_location)
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else getattr(f, "name", "<file>")
    try:
        archive = zipfile.ZipFile(f)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise RuntimeError(f"{name} is not a minitorch checkpoint or is truncated/corrupt ({e})") from None
    with archive:
        try:
            if archive.read("format").decode() != _FORMAT:
                raise RuntimeError(f"{name}: unknown checkpoint format")
            with archive.open("data.pkl") as data:
                return _Unpickler(io.BytesIO(data.read()), archive, weights_only).load()
        except pickle.UnpicklingError:
            raise
        except (KeyError, zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
            raise RuntimeError(f"{name} is not a minitorch checkpoint or is truncated/corrupt ({e})") from None
