"""Big trees are scanned by a pool of processes: the same results in the same order as one process, never a pool
for a small run (the hook), and a clean fallback where a pool cannot be had."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from compliance.errors import InputError
from compliance.scan import scan_paths
from compliance.scan_types import FileResult

pool = importlib.import_module("compliance.scan_pool")

MODELS = ["meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-R1", "google/gemma-3-1b-it"]


def tree(root: Path, count: int) -> Path:
    """``count`` small files; every seventh names a model, every eleventh a dataset, one is binary."""
    for i in range(count):
        folder = root / f"pkg{i % 9}" / f"sub{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 7 == 0:
            body = f'model = AutoModelForCausalLM.from_pretrained("{MODELS[i % len(MODELS)]}")\n'
        elif i % 11 == 0:
            body = 'data = load_dataset("HuggingFaceH4/ultrachat_200k")\n'
        else:
            body = f"def f{i}(x):\n    return x + {i}\n"
        (folder / f"m{i}.py").write_text(body)
    (root / "pkg0" / "blob.json").write_bytes(b"\x00\x01binary" * 10)
    return root


def summary(results: list[FileResult]):
    return [(r.path, r.skipped, [(x.line, x.column, x.model, x.how) for x in r.references],
             [(d.line, d.model) for d in r.datasets]) for r in results]


POOLED = """
import json, os, sys
from pathlib import Path
from compliance.scan import scan_paths
from compliance.scan_pool import scan_many
from compliance.scan_types import FileResult

def pid(path, shown):
    return FileResult(shown, note=str(os.getpid()))

root = Path(sys.argv[1])
results = scan_paths([root], root=root, jobs=2)
pids = {r.note for r in scan_many([(str(n), str(n)) for n in range(500)], pid, jobs=2)}
print(json.dumps({"summary": [[r.path, r.skipped, [[x.line, x.column, x.model, x.how] for x in r.references],
                               [[d.line, d.model] for d in r.datasets]] for r in results],
                  "workers": sorted(pids - {str(os.getpid())})}))
"""


def test_a_pool_in_a_fresh_process_uses_other_processes_and_gives_the_same_results(tmp_path):
    # a fresh interpreter: no test threads running, so the scan forks for real
    import json
    import subprocess
    import sys

    root = tree(tmp_path, pool.MIN_FILES + 60)
    alone = json.loads(json.dumps(summary(scan_paths([root], root=root, jobs=1))))
    env = {k: v for k, v in os.environ.items() if k != "COMPLIANCE_SCAN_JOBS"}
    proc = subprocess.run([sys.executable, "-c", POOLED, str(root)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["workers"], "no file was scanned by a worker process"
    assert out["summary"] == alone


def test_a_small_run_never_starts_a_pool(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a pool was started for a small run")

    monkeypatch.setattr(pool, "_in_pool", refuse)
    monkeypatch.delenv("COMPLIANCE_SCAN_JOBS", raising=False)
    root = tree(tmp_path, 20)
    assert sum(len(r.references) for r in scan_paths([root], root=root)) == 3
    assert pool.jobs_for(20) == 1 and pool.jobs_for(pool.MIN_FILES - 1) == 1


def test_without_fork_the_files_are_scanned_here(tmp_path, monkeypatch):
    import multiprocessing

    root = tree(tmp_path, pool.MIN_FILES + 30)
    expected = summary(scan_paths([root], root=root, jobs=1))
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert summary(scan_paths([root], root=root, jobs=2)) == expected


def test_a_broken_pool_falls_back_to_this_process(tmp_path, monkeypatch):
    from concurrent.futures import process

    class Broken:
        def __init__(self, *args, **kwargs):
            raise process.BrokenProcessPool("no workers here")

    root = tree(tmp_path, pool.MIN_FILES + 30)
    expected = summary(scan_paths([root], root=root, jobs=1))
    monkeypatch.setattr(process, "ProcessPoolExecutor", Broken)
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    assert summary(scan_paths([root], root=root, jobs=2)) == expected


def test_the_number_of_processes(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_SCAN_JOBS", "1")
    assert pool.jobs_for(50_000) == 1
    monkeypatch.setenv("COMPLIANCE_SCAN_JOBS", "3")
    assert pool.jobs_for(50_000) == 3
    monkeypatch.delenv("COMPLIANCE_SCAN_JOBS")
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.1, 0.1))
    assert pool.jobs_for(50_000) == min(pool.cpus(), pool.MAX_JOBS)
    monkeypatch.setattr(os, "getloadavg", lambda: (float(pool.cpus()), 1.0, 1.0))
    assert pool.jobs_for(50_000) == 1  # every CPU busy already: a pool would only add its hand-overs
    assert pool.jobs_for(50_000, jobs=2) == 2  # asked for explicitly
    assert pool.jobs_for(pool.CHUNK, jobs=4) == 1  # one chunk of work: one process


def test_a_missing_path_is_still_an_error_in_a_big_run(tmp_path):
    root = tree(tmp_path / "big", pool.MIN_FILES + 10)
    with pytest.raises(InputError):
        scan_paths([root, tmp_path / "no-such-folder"], root=tmp_path, jobs=2)
