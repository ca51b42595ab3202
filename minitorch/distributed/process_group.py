"""The process group: which processes take part in collectives, and MPI start-up and shut-down."""
from __future__ import annotations

import os
import sys
import traceback
from typing import Any, Sequence

_INSTALL_HINT = "install the distributed extra: pip install 'minitorch[distributed]' (mpi4py and mpich)"


def _import_mpi() -> Any:
    """mpi4py's MPI module, or None when mpi4py (or an MPI library) is missing."""
    try:
        import mpi4py
        mpi4py.rc.initialize = False      # MPI starts in init_process_group, not at import
        mpi4py.rc.finalize = True
        from mpi4py import MPI
        return MPI
    except Exception:                     # ImportError, or mpi4py present but no libmpi
        return None


def is_available() -> bool:
    """True if minitorch.distributed can be used (mpi4py and an MPI library are installed)."""
    return _import_mpi() is not None


def is_mpi_available() -> bool:
    """True if the MPI backend is available (the only backend minitorch has)."""
    return is_available()


class ProcessGroup:
    """A set of ranks that communicate together; wraps one MPI communicator."""

    def __init__(self, comm: Any, ranks: Sequence[int]):
        self.comm = comm
        self.ranks = list(ranks)           # global ranks of the members, in group-rank order

    def rank(self) -> int:
        return self.comm.Get_rank()

    def size(self) -> int:
        return self.comm.Get_size()

    def name(self) -> str:
        return "mpi"


class GroupMember:
    """torch's markers: WORLD is the default group, NON_GROUP_MEMBER a group this rank is not in."""
    WORLD: ProcessGroup | None = None
    NON_GROUP_MEMBER = object()


def _abort_on_uncaught_exception(kind: type, value: BaseException, tb: Any) -> None:
    """Print the failing rank's traceback, then end every rank (the others would wait forever)."""
    rank = GroupMember.WORLD.rank() if GroupMember.WORLD is not None else "?"
    sys.stderr.write(f"[rank {rank}] uncaught exception, aborting the job:\n")
    sys.stderr.write("".join(traceback.format_exception(kind, value, tb)))
    sys.stderr.flush()
    _import_mpi().COMM_WORLD.Abort(1)


def init_process_group(backend: str | None = None, init_method: str | None = None, timeout: Any = None,
                       world_size: int = -1, rank: int = -1, store: Any = None, group_name: str = "",
                       pg_options: Any = None, device_id: Any = None) -> None:
    """Join the default process group: every rank started by mpiexec (or the launcher).

    The rank and world size come from MPI; when `rank`/`world_size` or torch's RANK and
    WORLD_SIZE environment variables are given they must agree with it.
    """
    if GroupMember.WORLD is not None:
        raise ValueError("trying to initialize the default process group twice!")
    if backend not in (None, "mpi"):
        raise ValueError(f"minitorch.distributed supports only backend='mpi', got backend={backend!r}")
    MPI = _import_mpi()
    if MPI is None:
        raise RuntimeError(f"Distributed package doesn't have MPI built in: {_INSTALL_HINT}")
    if not MPI.Is_initialized():
        MPI.Init_thread(MPI.THREAD_MULTIPLE)
    comm = MPI.COMM_WORLD
    expected = {"rank": (rank, os.environ.get("RANK"), comm.Get_rank()),
                "world_size": (world_size, os.environ.get("WORLD_SIZE"), comm.Get_size())}
    for name, (argument, env, actual) in expected.items():
        for given in (argument, env):
            if given not in (None, -1) and int(given) != actual:
                raise ValueError(f"{name}={given} does not match MPI's {name} {actual}: "
                                 f"start the processes with mpiexec or minitorch.distributed.run")
    GroupMember.WORLD = ProcessGroup(comm, range(comm.Get_size()))
    sys.excepthook = _abort_on_uncaught_exception


def is_initialized() -> bool:
    """True once init_process_group has run (and destroy_process_group has not)."""
    return GroupMember.WORLD is not None


def _resolve(group: ProcessGroup | None) -> ProcessGroup:
    """The group a collective runs on; raises like torch if there is none."""
    if GroupMember.WORLD is None:
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
    return GroupMember.WORLD if group is None else group


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Leave `group` (by default the default group, which ends all groups)."""
    pg = _resolve(group)
    if pg is GroupMember.WORLD:
        GroupMember.WORLD = None
        sys.excepthook = sys.__excepthook__
    else:
        pg.comm.Free()


def get_rank(group: ProcessGroup | None = None) -> int:
    """This process's rank in `group` (0..size-1); -1 if it is not a member."""
    pg = _resolve(group)
    return -1 if pg is GroupMember.NON_GROUP_MEMBER else pg.rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    """The number of ranks in `group`."""
    pg = _resolve(group)
    return -1 if pg is GroupMember.NON_GROUP_MEMBER else pg.size()


def new_group(ranks: Sequence[int] | None = None, timeout: Any = None, backend: str | None = None,
              pg_options: Any = None, use_local_synchronization: bool = False) -> Any:
    """A group of the given global ranks (all ranks must call it); others get NON_GROUP_MEMBER."""
    world = _resolve(None)
    ranks = sorted(range(world.size()) if ranks is None else ranks)
    for r in ranks:
        if not 0 <= r < world.size():
            raise ValueError(f"The new group's rank should be within the world_size set by "
                             f"init_process_group, got rank {r} with world size {world.size()}")
    MPI = _import_mpi()
    member = world.rank() in ranks
    comm = world.comm.Split(0 if member else MPI.UNDEFINED, ranks.index(world.rank()) if member else 0)
    return ProcessGroup(comm, ranks) if member else GroupMember.NON_GROUP_MEMBER
