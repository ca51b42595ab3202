"""Collective communication between processes, as in torch.distributed, on MPI (mpi4py).

Every process (a "rank") runs the same script; collectives such as `all_reduce` combine
the ranks' tensors in place. Start the ranks with `python -m minitorch.distributed.run
--nproc-per-node N script.py` or `mpiexec -n N python script.py`.
"""
from .process_group import (GroupMember, ProcessGroup, destroy_process_group, get_rank, get_world_size,
                            init_process_group, is_available, is_initialized, is_mpi_available, new_group)
from .collectives import (ReduceOp, Work, all_gather, all_gather_into_tensor, all_gather_object, all_reduce,
                          barrier, broadcast, broadcast_object_list, irecv, isend, recv, reduce,
                          reduce_scatter_tensor, send)

__all__ = ["is_available", "is_mpi_available", "init_process_group", "is_initialized",
           "destroy_process_group", "get_rank", "get_world_size", "new_group", "ProcessGroup", "GroupMember",
           "ReduceOp", "Work", "barrier", "all_reduce", "broadcast", "reduce", "all_gather",
           "all_gather_into_tensor", "reduce_scatter_tensor", "send", "recv", "isend", "irecv",
           "broadcast_object_list", "all_gather_object"]
