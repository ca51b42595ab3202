"""Hypothesis profiles for the differential tests.

"ci" (the default) keeps the whole folder to about a minute on two cores; `make fuzz` selects
"fuzz" through MINITORCH_FUZZ=1 (MINITORCH_FUZZ_EXAMPLES sets the examples per test), and
MINITORCH_FUZZ_LOG=file makes every mismatch a log line instead of a failure, so one long
run collects all distinct differences (see differential_harness.py).
"""
import os
import sys

from hypothesis import HealthCheck, settings

sys.path.append(os.path.dirname(__file__))  # after tests/, whose conftest the other tests import

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("fuzz", max_examples=int(os.environ.get("MINITORCH_FUZZ_EXAMPLES", "3000")),
                          deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile("fuzz" if os.environ.get("MINITORCH_FUZZ") else "ci")
