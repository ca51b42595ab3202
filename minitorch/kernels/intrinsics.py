"""Three machine operations that numba's Python cannot spell, for threads that share work
without the GIL (`shared_work`): an atomic read-modify-write of an int64 array entry, an
address taken as a typed pointer, and a call through a function pointer.

A thread that runs only compiled code never waits for the GIL, and so never sleeps until
another thread lets go of it (a futex wake-up, 20-100 us on the VMs measured, more than a
small kernel's work). Two such threads can still share a piece of work: each takes the
next slice by adding to a shared counter atomically (`fetch_add`), says which job it is in
(`exchange`, a full barrier on x86), and runs the job's slices by calling the job's
compiled function through its address (`call_job`), the job's arrays reaching it as
addresses in an int64 array (`pointer`, then numba's `carray`).

Under NUMBA_DISABLE_JIT the compiled code is Python: `fetch_add` and `exchange` are then
plain Python (the GIL makes them atomic), and `pointer` and `call_job` are never reached
(`shared_work.compiled_jobs` is False, so the kernels call themselves).
"""
from __future__ import annotations

import numba
import numpy as np
from llvmlite import ir
from numba import carray, njit, types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["JOB", "array_at", "call_job", "exchange", "fetch_add", "pointer"]

# A job's slice: job(args, share, start, stop) runs items [start, stop) of the job whose
# arguments sit in the int64 array at `args`, on the thread whose per-thread buffers are
# number `share` (0 for the caller).
JOB = types.void(types.CPointer(types.int64), types.int64, types.int64, types.int64)
_JOB_TYPE = ir.FunctionType(ir.VoidType(), [ir.IntType(64).as_pointer()] + [ir.IntType(64)] * 3)


def _entry(context, builder, array_type, array, index):
    """The LLVM pointer to array[index] (int64 array, index in bounds)."""
    return cgutils.get_item_pointer(context, builder, array_type,
                                    context.make_array(array_type)(context, builder, array), [index])


def _atomic(operation: str):
    """An intrinsic op(array, index, value): `operation` ("add", "xchg") on array[index] in one
    indivisible step, sequentially consistent, returning the old value."""
    @intrinsic
    def read_modify_write(typingctx, array, index, value):
        def codegen(context, builder, signature, args):
            return builder.atomic_rmw(operation, _entry(context, builder, signature.args[0], args[0], args[1]),
                                      args[2], "seq_cst")
        return types.int64(array, types.intp, types.int64), codegen
    return read_modify_write


_fetch_add, _exchange = _atomic("add"), _atomic("xchg")


@intrinsic
def pointer(typingctx, address, dtype):
    """pointer(address, numba.float32): the int64 `address` as a float32* (for `carray`)."""
    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], context.get_value_type(signature.return_type))
    return types.CPointer(dtype.dtype)(types.int64, dtype), codegen


@intrinsic
def call_job(typingctx, function, args, share, start, stop):
    """call_job(function, args, share, start, stop): the `JOB` at address `function` called
    with the address `args` of its arguments and the slice [start, stop)."""
    def codegen(context, builder, signature, values):
        job = builder.inttoptr(values[0], _JOB_TYPE.as_pointer())
        builder.call(job, [builder.inttoptr(values[1], ir.IntType(64).as_pointer())] + list(values[2:]))
        return context.get_dummy_value()
    return types.void(types.int64, types.int64, types.int64, types.int64, types.int64), codegen


@njit(cache=True, nogil=True)
def array_at(address, shape, dtype):
    """The C-contiguous array of `shape` (a tuple) and `dtype` (numba.float32, ...) at `address`."""
    return carray(pointer(address, dtype), shape)


def _fetch_add_in_python(array: np.ndarray, index: int, value: int) -> int:
    old = int(array[index])
    array[index] = old + value
    return old


def _exchange_in_python(array: np.ndarray, index: int, value: int) -> int:
    old = int(array[index])
    array[index] = value
    return old


# fetch_add(array, i, v): array[i] += v, returning the old value, in one indivisible step
# (v = 0 reads array[i] with a full barrier). exchange(array, i, v): array[i] = v, likewise.
fetch_add = _fetch_add_in_python if numba.config.DISABLE_JIT else _fetch_add
exchange = _exchange_in_python if numba.config.DISABLE_JIT else _exchange
