"""SBOM export time: N catalog models (with their lineage and a policy decision each) in every format.

    python benchmarks/sbom.py [--models 50] [--rounds 5]

In process: resolve + evaluate + build once (the "facts"), then render each format ``--rounds`` times (the SPDX
2.3 formats include spdx-tools' full validation, which every write runs). Then the whole command, start-up
included, once per format in a fresh process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance import catalog, sbom  # noqa: E402
from compliance.policy import load_policy  # noqa: E402
from compliance.resolve import Options, Resolver  # noqa: E402

DATE = dt.date(2026, 11, 28)
SUFFIX = {"spdx-json": "spdx.json", "spdx-tv": "spdx", "spdx3-jsonld": "spdx3.json", "cyclonedx-json": "cdx.json"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ids = [entry.id for entry in catalog.default()][: args.models]
    policy = load_policy(ROOT / "policies" / "default.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = tmp  # nothing cached: the catalog answers
        t0 = time.perf_counter()
        resolver = Resolver(Options(online=False))
        resolved = [resolver.resolve(i) for i in ids]
        facts = sbom.from_resolved(resolved, resolver, date=DATE, policy=policy)
        build_s = time.perf_counter() - t0
        print(f"{len(ids)} models, {len(facts.nodes) - len(facts.roots)} ancestors, {len(facts.licenses)} licenses: "
              f"resolve + evaluate + build {build_s * 1000:.0f} ms")
        for fmt in sbom.FORMATS:
            sbom.render(fmt, facts)  # warm-up (imports)
            t0 = time.perf_counter()
            for _ in range(args.rounds):
                text = sbom.render(fmt, facts)
            each = (time.perf_counter() - t0) / args.rounds
            print(f"  {fmt:15} render {each * 1000:6.0f} ms  {len(text.encode()) / 1024:7.0f} KiB")
        for fmt, suffix in SUFFIX.items():
            out = Path(tmp) / f"models.{suffix}"
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "compliance", "sbom", *ids, "--policy",
                            str(ROOT / "policies" / "default.yaml"), "--date", DATE.isoformat(), "-o", str(out)],
                           check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
            print(f"  {fmt:15} command {time.perf_counter() - t0:5.2f} s wall (fresh process, start-up included)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process) {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
