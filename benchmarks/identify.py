"""Identification throughput: every corpus license text, identified repeatedly on one core.

    python benchmarks/identify.py [--rounds 20]

Prints start-up (importing and loading the knowledge base), texts per second, and peak memory. Target: at least
500 texts/s after start-up. For scale: ScanCode spends about 9 s and 1.4 GB loading its index first.
"""
from __future__ import annotations

import argparse
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
    corpus = find_corpus()
    if corpus is None:
        print("corpus not found: set COMPLIANCE_CORPUS", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "licenses").glob("*/*"))
             if not p.name.startswith("SOURCE")]
    # the same texts cut to two thirds: these miss the hash and go through the marker scan
    cut = [t[: len(t) * 2 // 3] for t in texts]
    for label, batch in (("whole texts (hash path)", texts), ("cut texts (marker path)", cut)):
        identify_text(batch[0], kb)
        t0 = time.perf_counter()
        for _ in range(args.rounds):
            for text in batch:
                clear_cache()  # measure identification, not the per-process cache of identical texts
                identify_text(text, kb)
        elapsed = time.perf_counter() - t0
        n = args.rounds * len(batch)
        print(f"{label:26s} {n:6d} texts in {elapsed:6.2f} s = {n / elapsed:7.0f} texts/s")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
