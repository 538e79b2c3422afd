"""Audit-report size and speed: 10, 50 and 200 models to PDF and Markdown, end to end through the CLI.

    python benchmarks/report.py [--sizes 10 50 200] [--formats pdf markdown] [--keep DIR]

Each run is a fresh process (`compliance report --from refs.txt --policy policies/eu-saas.yaml ...`), so the
seconds include start-up, resolution and evaluation, and the peak memory is that run's own. References are the
embedded catalog's ids repeated in order (offline, nothing downloaded). Targets: 50 models to PDF in under 5 s
and under 500 MB.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTENSIONS = {"pdf": ".pdf", "markdown": ".md", "html": ".html", "json": ".json"}


def one(refs: str, fmt: str, out: str) -> int:
    """The child: one report, then its own wall time and peak memory on stdout."""
    started = time.perf_counter()
    import resource

    from compliance.cli import main

    code = main(["report", "--from", refs, "--policy", str(ROOT / "policies" / "eu-saas.yaml"),
                 "--date", "2026-11-28", "--format", fmt, "-o", out])
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {code} {elapsed:.3f} {peak:.0f}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--formats", nargs="+", default=["pdf", "markdown"], choices=list(EXTENSIONS))
    parser.add_argument("--keep", help="Keep the reports in this folder.")
    parser.add_argument("--one", nargs=3, metavar=("REFS", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one(*args.one)

    from compliance import catalog

    ids = [entry.id for entry in catalog.default()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "HF_HUB_CACHE": str(Path(tmp) / "empty-cache"), "PYTHONPATH": str(ROOT)}
        print(f"{len(ids)} catalog models, repeated; policy eu-saas; {os.cpu_count()} CPUs; "
              f"Python {sys.version.split()[0]}")
        print(f"{'models':>6}  {'format':8}  {'seconds':>7}  {'peak MB':>7}  {'pages':>5}  {'size':>9}")
        for size in args.sizes:
            refs = work / f"refs-{size}.txt"
            refs.write_text("\n".join(ids[i % len(ids)] for i in range(size)) + "\n")
            for fmt in args.formats:
                out = work / f"report-{size}{EXTENSIONS[fmt]}"
                proc = subprocess.run([sys.executable, __file__, "--one", str(refs), fmt, str(out)], env=env,
                                      capture_output=True, text=True, check=False)
                line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
                if proc.returncode or line is None or line.split()[1] != "0":
                    print(f"{size:>6}  {fmt:8}  failed: {proc.stderr.strip()[-300:]}")
                    continue
                _, _, seconds, peak = line.split()
                pages = _pages(out) if fmt == "pdf" else ""
                print(f"{size:>6}  {fmt:8}  {float(seconds):7.2f}  {float(peak):7.0f}  {pages:>5}  "
                      f"{out.stat().st_size / 1024:7.0f} KB")
    print("targets: 50 models to PDF in < 5 s and < 500 MB")
    return 0


def _pages(path: Path) -> str:
    try:
        from pypdf import PdfReader

        return str(len(PdfReader(str(path)).pages))
    except Exception:  # noqa: BLE001 - pypdf is a test dependency; the figure is optional
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
