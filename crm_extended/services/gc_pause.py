"""Pausing Python's cyclic garbage collector around a batch."""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """Run the block without the cyclic collector (reference counting still
    frees everything that is not in a cycle).

    A nightly batch of 10,000 customers allocates some hundred thousand small
    dicts and tuples, none of them in a cycle: each allocation burst made the
    collector walk every object of the process (the registry's included) two
    or three times per batch, a tenth of the night at 50,000 customers. Left as
    it was found, so that nested or concurrent uses end with it enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
