"""Memory between the pipeline's phases and in its worker processes.

A corpus larger than memory is analysed in batches, and each phase should start from its own size, not from
the previous phase's peak: :func:`release_memory` hands freed memory back to the operating system, and
:func:`forked_pool` gives worker processes that share the parent's loaded lexicons and tokenizer instead of
copying them.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def release_memory() -> None:
    """Hand freed memory back to the operating system. pandas' text columns live in pyarrow's memory pool
    (mimalloc), which keeps freed pages for reuse, and glibc keeps the tail of its heaps: between the
    pipeline's phases, hundreds of MB freed by one phase would otherwise still count against the next."""
    with contextlib.suppress(Exception):
        import pyarrow
        pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc only; elsewhere this does nothing


@contextlib.contextmanager
def forked_pool(n_jobs: int):
    """A process pool forked from this process, whose objects are frozen meanwhile: the workers' garbage
    collector then leaves the inherited lexicons, tokenizer and tables alone, so their memory pages are
    neither walked again and again nor copied into every worker."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            yield pool
    finally:
        gc.unfreeze()
