"""Scan speed: a generated repository of 10,000 files (~50 MB, a few hundred real model references) and a
typical 20-file commit run the way pre-commit runs the hook (a fresh process).

    python benchmarks/scan.py [--files 10000] [--runs 15]

Prints files per second on the big tree (scan + resolve + evaluate, one process), the median wall time of a
20-file hook run as a fresh `compliance scan` process, and peak memory of both. Targets: at least 5,000 files
per second, and a 20-file run under 0.3 s (most of it Python start-up). For scale: ScanCode spends about 9 s
before its first file; `reuse lint-file` took 3 min 26 s on 55,000 files in a reported issue.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODELS = ["meta-llama/Llama-3.3-70B-Instruct", "deepseek-ai/DeepSeek-R1", "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
          "Qwen/Qwen2.5-Coder-32B-Instruct", "google/gemma-3-12b-it", "microsoft/phi-4", "acme/private-finetune"]
FILLER = '''def handler_{i}(request, items):
    """Process a batch of items for request {i}; nothing here names a model."""
    total = 0
    for index, item in enumerate(items):
        if item.get("path") == "src/utils/{i}":
            total += index * {i}
        route = "api/v1/resource/{i}"
    return {{"total": total, "route": route, "config": "team/project"}}

'''


def generate(root: Path, count: int) -> list[Path]:
    rng = random.Random(5)
    paths = []
    for i in range(count):
        folder = root / f"pkg{i % 100}" / f"mod{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = i % 10
        if kind < 7:
            path = folder / f"file{i}.py"
            body = "import os\nimport json\n\n" + "".join(FILLER.format(i=i * 10 + k) for k in range(15))
            if i % 40 == 0:
                body += f'\nmodel = AutoModelForCausalLM.from_pretrained("{rng.choice(MODELS)}")\n'
        elif kind < 9:
            path = folder / f"config{i}.yaml"
            body = "".join(f"service_{k}:\n  replicas: {k}\n  image: registry.example/app:{k}\n  path: data/{k}\n"
                           for k in range(40))
            if i % 40 == 1:
                body += f"llm:\n  model_id: {rng.choice(MODELS)}\n"
        else:
            path = folder / f"run{i}.sh"
            body = "#!/bin/sh\nset -e\n" + "".join(f"echo step {k}\ncp data/{k} out/{k}\n" for k in range(80))
            if i % 40 == 9:
                body += f"vllm serve {rng.choice(MODELS)} --tp 2\n"
        path.write_text(body)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from compliance.gate import Gate
    from compliance.policy import load_policy

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = str(Path(tmp) / "empty-cache")
        os.environ["OLLAMA_MODELS"] = str(Path(tmp) / "no-ollama")
        tree = Path(tmp) / "repo"
        files = generate(tree, args.files)
        size = sum(p.stat().st_size for p in files) / 1e6
        policy_path = ROOT / "policies" / "eu-saas.yaml"
        policy = load_policy(policy_path)
        started = time.perf_counter()
        report = Gate(policy, today=dt.date(2026, 11, 28)).run([str(tree)], root=tree)
        elapsed = time.perf_counter() - started
        print(f"big tree: {len(report.files)} files ({size:.0f} MB), {len(report.items)} references, "
              f"scanned and judged in {elapsed:.2f} s = {len(report.files) / elapsed:,.0f} files/s (target >= 5,000)")
        print(f"  peak memory (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

        commit = [str(p) for p in files[:: max(1, len(files) // 20)][:20]]
        command = [sys.executable, "-m", "compliance", "scan", "--policy", str(policy_path), *commit]
        timings = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, cwd=tree)
            timings.append(time.perf_counter() - t0)
            if proc.returncode not in (0, 1):
                print(proc.stderr, file=sys.stderr)
                return 2
        baseline = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            baseline.append(time.perf_counter() - t0)
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"20-file hook run (fresh process): median {statistics.median(timings):.3f} s, "
              f"min {min(timings):.3f} s over {args.runs} runs (target < 0.3 s); "
              f"python -c pass alone {statistics.median(baseline):.3f} s; peak memory {child:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
