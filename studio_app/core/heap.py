"""The cyclic garbage collector and a long show (issue 20)."""
from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Move everything alive now out of the cyclic collector's reach.

    Start-up builds a large, long-lived heap (Qt wrappers, numpy, SciPy filters, SQLAlchemy,
    the show). A full collection walks all of it: 60-140 ms with the GIL held, a visible
    prompter stutter (measured by the soak). Frozen, full collections walk only what the show
    created since. Call once, when start-up is done (the desk: 1 s after the first paint).
    """
    gc.collect()
    gc.freeze()
