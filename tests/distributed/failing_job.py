"""Run under mpiexec by test_failures.py: rank 1 raises or kills itself while rank 0 waits in a collective."""
import os
import signal
import sys

import minitorch as torch
import minitorch.distributed as dist

dist.init_process_group("mpi")
if dist.get_rank() == 1:
    if sys.argv[1] == "raise":
        raise ValueError("rank 1 failed on purpose")
    os.kill(os.getpid(), signal.SIGKILL)
dist.all_reduce(torch.ones(3))          # would wait forever without the abort
print("rank 0 finished, which it must not")
