"""Evaluation throughput: every catalog model against every example policy, repeatedly.

    python benchmarks/check.py [--rounds 20]

Models are resolved once (offline, from the catalog); the loop measures `evaluate` alone, the pure decision
function a pre-commit hook calls per reference. Target: at least 5,000 evaluations per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance import catalog, knowledge  # noqa: E402
from compliance.evaluate import evaluate  # noqa: E402
from compliance.policy import load_policy  # noqa: E402
from compliance.resolve import Options, Resolver  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    kb = knowledge.default()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = tmp  # nothing cached: the catalog answers
        resolver = Resolver(Options(online=False))
        t0 = time.perf_counter()
        subjects = [resolver.resolve(entry.id) for entry in catalog.default()]
        resolve_s = time.perf_counter() - t0
    policies = [load_policy(p) for p in sorted((ROOT / "policies").glob("*.yaml"))]
    today = dt.date(2026, 11, 28)
    for subject in subjects:  # warm-up
        evaluate(subject, policies[0], kb, today=today)
    t0 = time.perf_counter()
    count = 0
    decisions: dict[str, int] = {}
    for _ in range(args.rounds):
        for policy in policies:
            for subject in subjects:
                a = evaluate(subject, policy, kb, today=today)
                count += 1
                decisions[a.decision] = decisions.get(a.decision, 0) + 1
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(subjects)} catalog models resolved in {resolve_s:.2f} s; {len(policies)} policies")
    print(f"{count} evaluations in {elapsed:.2f} s = {count / elapsed:,.0f} evaluations/s (target >= 5,000/s)")
    print(f"decisions: {', '.join(f'{k} {v}' for k, v in sorted(decisions.items()))}; peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
