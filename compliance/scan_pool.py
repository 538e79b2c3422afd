"""Scanning many files at once: a pool of processes for a big tree, the plain loop for everything else.

The pool is used only when it pays: at least ``MIN_FILES`` files (a CI scan of a repository, not the pre-commit
hook's handful), more than one CPU, and CPUs not all busy already (load average below their number). Workers are forked (they inherit the loaded modules and the catalog index,
so they start in milliseconds) and take chunks of files while the tree is still being walked; the results come
back in the order the files were found, so the output is the same as without the pool. Where a pool cannot be
had (no ``fork``, other threads running, a daemon process, no semaphores in a sandbox) or a worker dies, the
files are scanned in this process instead.

``COMPLIANCE_SCAN_JOBS=N`` sets the number of processes (``1``: never a pool).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain, islice

from .scan_types import FileResult

MIN_FILES = 400  # fewer files are scanned in this process: a pool's start-up would cost more than it saves
CHUNK = 256  # files per task: few hand-overs (each costs the parent a little), still even shares of the work
MAX_JOBS = 8


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def busy() -> bool:
    """Whether every CPU is already taken (the load average is at least their number): then a pool gets no more
    CPU time than this process would (Linux shares it between sessions), and its hand-overs make it slower."""
    try:
        return os.getloadavg()[0] >= cpus()
    except (AttributeError, OSError):
        return False


def jobs_for(count: int, jobs: int | None = None) -> int:
    """How many processes scan ``count`` files (``count`` is at most what is known so far)."""
    if jobs is None:
        configured = os.environ.get("COMPLIANCE_SCAN_JOBS", "").strip()
        if configured.isdigit():
            jobs = int(configured)
        elif count < MIN_FILES or busy():
            return 1
        else:
            jobs = cpus()
    return max(1, min(jobs, MAX_JOBS, (count + CHUNK - 1) // CHUNK))


ScanOne = Callable[[str, str], FileResult]


def scan_many(files: Iterable[tuple[str, str]], scan_one: ScanOne, jobs: int | None = None) -> list[FileResult]:
    """``scan_one(path, shown)`` of every (path, path as shown) in ``files``, in order."""
    files = iter(files)
    head = list(islice(files, MIN_FILES))
    workers = jobs_for(len(head), jobs)
    if workers > 1:
        consumed: list[tuple[str, str]] = []
        results = _in_pool(chain(head, files), scan_one, workers, consumed)
        if results is not None:
            return results
        files = iter(consumed)  # what the pool took (all of it) is scanned here instead
        head = []
    return [scan_one(path, shown) for path, shown in chain(head, files)]


def _scan_chunk(scan_one: ScanOne, chunk: list[tuple[str, str]]) -> list[FileResult | None]:
    """The results of a chunk; None for a file where nothing was found (most files: less to send back)."""
    results: list[FileResult | None] = []
    for path, shown in chunk:
        result = scan_one(path, shown)
        empty = not (result.references or result.datasets or result.skipped or result.note or result.partial
                     or result.ignored)
        results.append(None if empty else result)
    return results


def _chunks(files: Iterator[tuple[str, str]], consumed: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    while True:
        chunk = list(islice(files, CHUNK))
        if not chunk:
            return
        consumed.extend(chunk)
        yield chunk


def _in_pool(files: Iterator[tuple[str, str]], scan_one: ScanOne, workers: int,
             consumed: list[tuple[str, str]]) -> list[FileResult] | None:
    """The results from ``workers`` forked processes, or None when a pool cannot be had (then the caller scans
    ``consumed``, every file taken from ``files``)."""
    import multiprocessing
    import threading

    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon \
            or threading.active_count() > 1:  # forking a process that runs other threads is not safe
        consumed.extend(files)
        return None
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .scan_values import catalog_index

    catalog_index()  # loaded once here, inherited by every worker
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(partial(_scan_chunk, scan_one), _chunks(files, consumed)))
    except (OSError, BrokenProcessPool, NotImplementedError):
        consumed.extend(files)  # the rest of the walk, if it stopped part-way
        return None
    results: list[FileResult] = []
    offset = 0
    for part in parts:
        results.extend(FileResult(consumed[offset + n][1]) if result is None else result
                       for n, result in enumerate(part))
        offset += len(part)
    return results
