"""The Tensor: a numpy array plus what autograd needs to know about it.

Storage is `_array`, a numpy ndarray that may be a view of another tensor's array;
an in-place write through any view is seen by all of them, as in PyTorch. Autograd
state lives beside it: `requires_grad`, `grad`, `grad_fn` (the graph node that made
this tensor, None for leaves) and a version counter, shared by all views of one
buffer, that in-place ops bump so backward can refuse stale saved tensors.

This file keeps only what is about the tensor object itself. The ops are functions in
`minitorch/_ops/`; `minitorch/_tensor_methods.py` lists every method they back (`x.exp()`,
`x + y`, `x.add_(y)`, ...), grouped by family.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from . import _dtype
from ._device import CPU, check_device
from ._size import Size
from ._tensor_str import tensor_repr
from .utils.hooks import RemovableHandle


def _legacy_array(dtype: _dtype.dtype | None, args: tuple) -> np.ndarray:
    """The array of torch's legacy constructors: `torch.Tensor(...)` (dtype None: the default
    dtype) and the typed ones such as `torch.LongTensor(...)`.

    No argument: empty (0,); ints or a torch.Size: that shape, uninitialised; a tensor: its
    storage, shared (a typed constructor requires its own dtype); anything else: data copied
    as `tensor(data, dtype=...)` would (floats truncated for integers).
    """
    if len(args) == 1 and isinstance(args[0], Tensor):
        if dtype is not None and args[0].dtype is not dtype:
            raise TypeError(f"expected TensorOptions(dtype={dtype}) (got TensorOptions(dtype={args[0].dtype}))")
        return args[0]._array
    dtype = dtype or _dtype.get_default_dtype()
    if not args:
        return np.empty(0, dtype=dtype.np)
    if all(isinstance(a, int) for a in args) or (len(args) == 1 and isinstance(args[0], Size)):
        return np.empty(tuple(args[0]) if isinstance(args[0], Size) else args, dtype=dtype.np)
    if len(args) > 1:
        raise TypeError(f"new() received an invalid combination of arguments: {args}")
    from ._creation import tensor    # the creation functions build on Tensor: imported when first needed
    return tensor(args[0], dtype=dtype)._array


class Tensor:
    """An n-dimensional array with autograd, like `torch.Tensor`."""

    __slots__ = ("_array", "_requires_grad", "_grad", "grad_fn", "_output_nr", "_version_box",
                 "_base", "_view_chain", "_leaf_edge", "_hooks", "_retains_grad", "__dict__", "__weakref__")
    __array_priority__ = 1000  # numpy defers `ndarray + Tensor` to Tensor.__radd__

    def __new__(cls, *args: Any, **kwargs: Any) -> "Tensor":
        return _blank(cls, _EMPTY, False)

    def __init__(self, *args: Any, device: Any = None) -> None:
        check_device(device)
        self._array = _legacy_array(None, args)

    # ----- the autograd fields ---------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            if value:
                return  # a non-leaf already requires grad

            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients, "
                               f"got {self.dtype}")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set requires_grad in place (leaves only) and return self."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not made by a recorded op (user-created, or requires_grad=False)."""
        return self.grad_fn is None

    @property
    def grad(self) -> "Tensor | None":
        if self.grad_fn is not None and not self._retains_grad and self._requires_grad:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed want "
                "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has data of a different size: got "
                                   f"{list(value.shape)} but expected {list(self.shape)}")
            if value.dtype is not self.dtype:
                raise RuntimeError(f"assigned grad has data of a different type: got {value.dtype} "
                                   f"but expected {self.dtype}")
        self._grad = value

    @property
    def _version(self) -> int:
        return self._version_box[0]

    def _bump_version(self) -> None:
        self._version_box[0] += 1

    def retain_grad(self) -> None:
        """Keep `.grad` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self._retains_grad = True
            self.grad_fn._table("_retained")[self._output_nr] = self

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> "RemovableHandle":
        """Call `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            hooks = self.grad_fn._table("_tensor_hooks").setdefault(self._output_nr, {})
        else:
            if self._hooks is None:
                self._hooks = {}
            hooks = self._hooks
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[["Tensor"], None]) -> "RemovableHandle":
        """Call `hook(self)` after backward has accumulated into this leaf's `.grad`."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .autograd.function import gradient_edge
        accumulator = gradient_edge(self)[0]

        def after_accumulation(grad_inputs: tuple, grad_outputs: tuple) -> None:
            hook(self)
        return accumulator.register_hook(after_accumulation)

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's `.grad` (see autograd.backward)."""
        from .autograd.engine import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """A new tensor sharing this one's storage (and version counter), cut from the graph."""
        out = _wrap(self._array)
        out._version_box = self._version_box
        return out

    def detach_(self) -> "Tensor":
        """Cut this tensor from the graph in place, making it a leaf."""
        if self._base is not None and self._base._requires_grad:
            # its base would still be connected to the graph through the shared storage
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> "Tensor":
        """The same storage as a tensor that autograd does not track."""
        return _wrap(self._array)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._array = value._array

    # ----- metadata ---------------------------------------------------------------------
    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self._array.dtype)

    @property
    def device(self) -> device:
        return CPU

    @property
    def layout(self) -> _dtype.layout:
        return _dtype.strided

    # a minitorch tensor is always dense and on the CPU: torch's device and storage flags say so
    is_cpu = property(lambda self: True, doc="True: minitorch tensors live on the CPU.")
    is_cuda = is_xpu = is_mps = is_meta = is_xla = is_ipu = is_mtia = is_maia = is_vulkan = \
        property(lambda self: False, doc="False: minitorch has no accelerator devices.")
    is_sparse = is_sparse_csr = is_quantized = is_nested = is_mkldnn = \
        property(lambda self: False, doc="False: minitorch tensors are dense, strided and unquantized.")

    def cuda(self, device: Any = None, non_blocking: bool = False) -> "Tensor":
        """Refused: minitorch has no GPU."""
        check_device(device if device is not None else "cuda")
        return self

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the length of dimension `dim`."""
        if dim is None:
            return Size(self._array.shape)
        return self._array.shape[self._wrap_dim(dim)]

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        """The number of dimensions."""
        return self._array.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return self._array.size

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element."""
        return self._array.itemsize

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """Strides in elements (not bytes), like torch."""
        strides = tuple(s // self._array.itemsize for s in self._array.strides)
        return strides if dim is None else strides[self._wrap_dim(dim)]

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True if the elements are laid out row-major without gaps."""
        return bool(self._array.flags.c_contiguous)

    def storage_offset(self) -> int:
        """Offset in elements of the first element from the start of the base buffer."""
        base = self._array
        while base.base is not None and isinstance(base.base, np.ndarray):
            base = base.base
        return (self._array.__array_interface__["data"][0] - base.__array_interface__["data"][0]) \
            // self._array.itemsize

    def data_ptr(self) -> int:
        """The address of the first element."""
        return self._array.__array_interface__["data"][0]

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return False

    def _wrap_dim(self, dim: int) -> int:
        return wrap_dim(dim, self._array.ndim)

    # ----- conversion to Python and numpy -----------------------------------------------
    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._array.size != 1:
            raise RuntimeError(f"a Tensor with {self._array.size} elements cannot be converted to Scalar")
        return self._array.reshape(-1)[0].item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers."""
        return self._array.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The values as a numpy array sharing memory with this tensor."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._array

    def share_memory_(self) -> "Tensor":
        """Move the values into shared memory that child processes see (see minitorch.multiprocessing)."""
        from . import multiprocessing
        if not multiprocessing.is_shared(self._array):
            self._array = multiprocessing.shared_array(self._array)
        return self

    def is_shared(self) -> bool:
        """True if the values live in shared memory (after `share_memory_`)."""
        from . import multiprocessing
        return multiprocessing.is_shared(self._array)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._array if dtype is None else self._array.astype(dtype)

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        if self._array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def _scalar_value(self) -> Any:
        if self._array.size != 1:
            raise RuntimeError(f"a Tensor with {self._array.size} elements cannot be converted to Scalar")
        return self._array.reshape(-1)[0]

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._array.reshape(-1)[0])

    def __float__(self) -> float:
        return float(self._scalar_value())

    def __int__(self) -> int:
        return int(self._scalar_value())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._array.reshape(-1)[0])

    def __complex__(self) -> complex:
        return complex(self._scalar_value())

    def __format__(self, spec: str) -> str:
        if self._array.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return tensor_repr(self)

    def __reduce_ex__(self, protocol: int):
        # Pickling (DataLoader workers, deepcopy) keeps values, dtype and requires_grad.
        return (_rebuild, (type(self), self._array, self._requires_grad))

    def __deepcopy__(self, memo: dict) -> "Tensor":
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.")
        out = _rebuild(type(self), self._array.copy(), self._requires_grad)
        if self._grad is not None:
            out._grad = self._grad.__deepcopy__(memo)
        out.__dict__.update({k: __import__("copy").deepcopy(v, memo) for k, v in self.__dict__.items()})
        memo[id(self)] = out
        return out


_EMPTY = np.empty(0, dtype=np.float32)


def _wrap(array: np.ndarray, requires_grad: bool = False) -> Tensor:
    """Make a Tensor around an ndarray without copying (the fast internal constructor)."""
    return _blank(Tensor, array, requires_grad)


def _blank(cls: type, array: np.ndarray, requires_grad: bool) -> Tensor:
    """A `cls` instance around `array` with every autograd field at its default: the one place
    that lists them. Every op's result is made here, so it skips __new__'s argument handling."""
    t = _new_object(cls)
    t._array = array
    t._requires_grad = requires_grad
    t._grad = None
    t.grad_fn = None
    t._output_nr = 0
    t._version_box = [0]  # shared by views of one buffer (autograd.function._mark_view)
    t._base = None
    t._view_chain = ()
    t._leaf_edge = None  # (its AccumulateGrad, 0), made when a node first reads the leaf
    t._hooks = None
    t._retains_grad = False
    return t


_new_object = object.__new__


def _rebuild(cls: type, array: np.ndarray, requires_grad: bool) -> Tensor:
    """Unpickling: a `cls` made by its own __new__, around `array`."""
    t = cls.__new__(cls)
    t._array = array
    t._requires_grad = requires_grad
    return t


def wrap_dim(dim: int, ndim: int) -> int:
    """Turn a possibly negative `dim` into an index in [0, ndim); IndexError if out of range."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim + n if dim < 0 else dim
