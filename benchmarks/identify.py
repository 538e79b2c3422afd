"""Identification throughput: every corpus license text, identified repeatedly on one core.

    python benchmarks/identify.py [--rounds 20]

Prints start-up (importing and loading the knowledge base), the knowledge base's load time (from the per-user
cache and from the YAML records), the fingerprint index's load time, texts per second on every path (hash,
markers, SPDX fingerprints, modified texts), and peak memory. Target: at least 500 texts/s after start-up. For scale: ScanCode spends about 9 s and 1.4 GB loading its index first.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

started = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from compliance import knowledge  # noqa: E402
from compliance.corpus import find_corpus  # noqa: E402
from compliance.identify import clear_cache, identify_text  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    kb = knowledge.default()
    startup = time.perf_counter() - started
    from compliance import fingerprint, kbcache
    from compliance.resources import licenses_dir

    root = licenses_dir()
    t0 = time.perf_counter()
    kbcache.cached("kb", root, lambda: knowledge.load(root), knowledge.KnowledgeBase)
    cached = time.perf_counter() - t0
    t0 = time.perf_counter()
    knowledge.load(root)
    uncached = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = fingerprint.index()
    fp_load = time.perf_counter() - t0
    print(f"knowledge base: {len(kb.licenses)} records; load {cached * 1000:.0f} ms from the cache, "
          f"{uncached * 1000:.0f} ms from the YAML; fingerprint index ({len(index.entries) if index else 0} SPDX "
          f"texts) {fp_load * 1000:.0f} ms, loaded on the first text that misses the hash")
    corpus = find_corpus()
    if corpus is None:
        print("corpus not found: set COMPLIANCE_CORPUS", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "licenses").glob("*/*"))
             if not p.name.startswith("SOURCE")]
    # the same texts cut to two thirds: these miss the hash and go through the marker scan
    cut = [t[: len(t) * 2 // 3] for t in texts]
    batches = [("whole texts (hash path)", texts), ("cut texts (marker path)", cut)]
    try:  # real standard texts from the installed licensedcode-data package, if there
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from support import scancode

        if scancode.data_dir() is not None:
            keys = ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0-only", "MPL-2.0", "CC-BY-4.0", "CC-BY-NC-SA-4.0",
                    "ISC", "Unlicense", "LGPL-2.1-only", "EPL-2.0", "CC0-1.0"]
            std = [scancode.spdx_text(k).replace("\n", "\r\n") for k in keys]  # CRLF: misses the hash
            batches.append(("SPDX texts (fingerprints)", std))
            batches.append(("MIT + a clause (modified)", [std[0] + "\nYou may not use it for evil, and you must "
                            "display the authors' names in every product built with it, without exception."] * 4))
    except ImportError:
        pass
    for label, batch in batches:
        identify_text(batch[0], kb)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.rounds):
            for text in batch:
                clear_cache()  # measure identification, not the per-process cache of identical texts
                identify_text(text, kb)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = args.rounds * len(batch)
        # CPU time too: on a shared machine the wall clock mostly measures the other processes
        print(f"{label:26s} {n:6d} texts in {elapsed:6.2f} s = {n / elapsed:7.0f} texts/s "
              f"({n / cpu:5.0f} per CPU-second)")
    # what `compliance identify` does: the id and the terms the text states (resolution needs only the id,
    # and the terms are extracted on first use)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for text in batches[0][1]:
            clear_cache()
            identify_text(text, kb).terms
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = args.rounds * len(batches[0][1])
    print(f"{'whole texts + their terms':26s} {n:6d} texts in {elapsed:6.2f} s = {n / elapsed:7.0f} texts/s "
          f"({n / cpu:5.0f} per CPU-second)")
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            identify_text(text, kb)
    elapsed = time.perf_counter() - t0
    n = args.rounds * len(texts)
    print(f"{'repeated texts (cached)':26s} {n:6d} texts in {elapsed:6.2f} s = {n / elapsed:7.0f} texts/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"start-up (imports + knowledge base): {startup:.2f} s; peak memory {peak:.0f} MB; "
          f"{len(kb.licenses)} records")
    try:  # the figures mean little on a busy machine: say how busy it was
        load = os.getloadavg()[0]
        print(f"machine load (1-minute average) {load:.1f} on {os.cpu_count()} CPUs"
              + ("" if load < 0.5 * (os.cpu_count() or 1) else ": loaded, figures are low; the per-CPU-second "
                 "ones are the fairer"))
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
