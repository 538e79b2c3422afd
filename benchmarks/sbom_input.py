"""SBOM input time: ``check`` on an SBOM listing N models, in every format the reader takes.

    python benchmarks/sbom_input.py [--models 1000]

Writes one CycloneDX 1.6 document with N model components under a mix of license statements (SPDX ids, OR and AND
expressions, WITH, LicenseRef-*, names, NOASSERTION), then our own SBOM of 50 catalog models in all four formats,
and times reading + judging each in process (the first read of a tag-value file pays spdx-tools' import). Prints
models per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance import catalog, knowledge, sbom  # noqa: E402
from compliance.evaluate import evaluate  # noqa: E402
from compliance.policy import load_policy  # noqa: E402
from compliance.resolve import Options, Resolver  # noqa: E402
from compliance.sbom.subjects import resolve_sbom  # noqa: E402

DATE = dt.date(2026, 11, 28)
STATEMENTS = [
    [{"license": {"id": "Apache-2.0"}}],
    [{"expression": "Apache-2.0 OR MIT"}],
    [{"expression": "(MIT AND CC-BY-NC-4.0)"}],
    [{"expression": "Apache-2.0 WITH LLVM-exception"}],
    [{"license": {"id": "LicenseRef-llama-3.1"}}],
    [{"license": {"name": "Llama 3.1 Community License Agreement"}}],
    [{"expression": "NOASSERTION"}],
    [{"expression": "CC-BY-NC-4.0 OR GPL-3.0-only OR MIT"}],
]
SUFFIX = {"spdx-json": "spdx.json", "spdx-tv": "spdx", "spdx3-jsonld": "spdx3.json", "cyclonedx-json": "cdx.json"}


def judge(path: Path, kb, policy) -> tuple[int, float]:
    start = time.perf_counter()
    resolved = resolve_sbom(path, kb)
    for subject in resolved:
        evaluate(subject, policy, kb, today=DATE)
    return len(resolved), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    kb = knowledge.default()
    policy = load_policy(ROOT / "policies" / "eu-saas.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = tmp
        folder = Path(tmp)
        components = [{"type": "machine-learning-model", "group": "acme", "name": f"model-{n}",
                       "licenses": STATEMENTS[n % len(STATEMENTS)]} for n in range(args.models)]
        big = folder / "many.cdx.json"
        big.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                                   "components": components}))
        n, seconds = judge(big, kb, policy)
        print(f"CycloneDX, {n} models ({big.stat().st_size / 1e6:.1f} MB): read + judged in {seconds:.2f} s "
              f"({n / seconds:,.0f} models/s)")
        resolver = Resolver(Options())
        resolved = [resolver.resolve(e.id) for e in list(catalog.default())[:50]]
        document = sbom.from_resolved(resolved, resolver, date=DATE, kb=kb)
        for fmt, suffix in SUFFIX.items():
            path = folder / f"ours.{suffix}"
            path.write_text(sbom.render(fmt, document))
            n, seconds = judge(path, kb, policy)
            print(f"{fmt:15} our SBOM of {n} catalog models: read + judged in {seconds:.2f} s ({n / seconds:,.0f} models/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
