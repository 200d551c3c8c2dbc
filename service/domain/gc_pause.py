"""Pausing Python's cyclic garbage collector around bulk work on big maps.

Decoding, encoding or rebuilding a 100,000-statement map allocates hundreds of thousands
of small Structs and lists, none of which form reference cycles, so reference counting
frees all of them. The collector passes those allocations trigger would only re-scan
every live object in the process, again and again (measured at 3-5x the cost of the work
itself). The collector is restored afterwards, and only by the block that paused it, so
nested blocks never leave it switched off.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """`with gc_paused(): ...`, or `@gc_paused()` on a function."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
