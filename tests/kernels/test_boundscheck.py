"""The kernel tests again with NUMBA_BOUNDSCHECK=1: any out-of-range index raises IndexError.

Numba skips bounds checks by default, so a kernel that indexes past an array silently
reads garbage or corrupts memory. The flag is read when numba compiles, so a subprocess
runs the other kernel tests with it and a private cache folder (cached machine code
compiled without checks must not be reused). Numba drops the checks inside `prange`
loops of parallel kernels, so the subprocess also compiles every kernel serially
(`prange` then runs as `range`; the indices are the same).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

KERNEL_TESTS = Path(__file__).parent

RUN_SERIAL_WITH_CHECKS = textwrap.dedent("""
    import sys
    import numba
    compile_parallel = numba.njit

    def njit_serial(*args, **options):
        options["parallel"] = False
        return compile_parallel(*args, **options)

    numba.njit = njit_serial  # before minitorch.kernels imports it
    import pytest
    sys.exit(pytest.main(sys.argv[1:]))
""")


def test_kernel_tests_pass_with_numba_boundscheck(tmp_path):
    env = dict(os.environ, NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))
    others = sorted(str(p) for p in KERNEL_TESTS.glob("test_*.py")
                    if p.name not in (Path(__file__).name, "test_without_jit.py"))
    result = subprocess.run(
        [sys.executable, "-c", RUN_SERIAL_WITH_CHECKS, "-q", "-x", "-p", "no:cacheprovider", *others],
        cwd=KERNEL_TESTS.parent.parent, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
