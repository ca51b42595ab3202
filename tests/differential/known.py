"""KNOWN_DIFFERENCES: confirmed differences from torch kept out of CI.

Each entry is (description with torch's behaviour, predicate over a test case's parameters).
A case matching a predicate is not compared. Each entry's description is self-contained: it says
what torch does, what minitorch does and why the difference stays (a torch bug or inconsistency,
or rounding noise not yet replayed); predicates are narrow on purpose, so that everything else is
compared. MINITORCH_FUZZ_IGNORE_KNOWN=1 compares every case anyway (with MINITORCH_FUZZ_LOG, to see
which entries still match a difference: an entry that never does is stale and should go).
"""
from __future__ import annotations

import os


def is_known(known: list, **case) -> bool:
    """True if `case` matches one of the (description, predicate) entries in `known`."""
    if os.environ.get("MINITORCH_FUZZ_IGNORE_KNOWN"):
        return False
    return any(predicate(case) for _, predicate in known)
