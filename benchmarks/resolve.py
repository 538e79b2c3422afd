"""Resolution throughput, offline: catalog ids, Ollama names and local model folders.

    python benchmarks/resolve.py [--references 10000]

The script makes the local folders itself (in a temporary directory): a card with front matter naming a
license and a catalogued base model, and, for a third of them, a LICENSE file (a real license text from the
corpus when it is present, else a short made-up one). It resolves the references with lineage, prints
references per second and peak memory, and estimates how long the whole Hub (2 million model cards) would take
at the measured local-folder rate. Target: at least 2,000 references per second.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance import catalog as catalog_mod  # noqa: E402
from compliance.corpus import find_corpus  # noqa: E402
from compliance.resolve import Options, Resolver  # noqa: E402

HUB_SIZE = 2_000_000


def make_folders(root: Path, count: int, bases: list[str]) -> list[str]:
    corpus = find_corpus()
    texts = []
    if corpus is not None:
        texts = [(corpus / "licenses" / name / "LICENSE").read_text(encoding="utf-8")
                 for name in ("llama-3.1", "apache-2.0", "mit", "gemma", "qwen-tongyi")]
    texts = texts or ["Made-up License 1.0. You may use this model for any purpose.\n"]
    rng = random.Random(7)
    paths = []
    for i in range(count):
        folder = root / f"org{i % 50}__model-{i}"
        folder.mkdir(parents=True)
        base = rng.choice(bases)
        license_id = rng.choice(["apache-2.0", "mit", "llama3.1", "other", "gemma"])
        extra = "license_name: qwen\n" if license_id == "other" else ""
        (folder / "README.md").write_text(
            f"---\nlicense: {license_id}\n{extra}base_model: {base}\npipeline_tag: text-generation\n"
            f"tags: [text-generation, benchmark]\n---\n\n# Model {i}\n\nFine-tuned from {base}.\n")
        if i % 3 == 0:
            (folder / "LICENSE").write_text(rng.choice(texts))
        paths.append(str(folder))
    return paths


def measure(label: str, resolver: Resolver, refs: list[str]) -> float:
    started = time.perf_counter()
    for ref in refs:
        resolver.resolve(ref)
    elapsed = time.perf_counter() - started
    rate = len(refs) / elapsed
    print(f"{label:34s} {len(refs):6d} references in {elapsed:6.2f} s = {rate:8.0f} references/s")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--references", type=int, default=10_000)
    args = parser.parse_args()
    cat = catalog_mod.default()
    ids = [e.id for e in cat]
    ollama = [name for e in cat for name in e.ollama]
    n = args.references
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = str(Path(tmp) / "empty-cache")  # offline, nothing cached
        os.environ["OLLAMA_MODELS"] = str(Path(tmp) / "no-ollama")
        folders = make_folders(Path(tmp) / "models", n // 3, ids)
        rng = random.Random(11)
        catalog_refs = [rng.choice(ids) for _ in range(n // 3)]
        ollama_refs = [rng.choice(ollama) for _ in range(n - 2 * (n // 3))]
        mixed = catalog_refs + ollama_refs + folders
        rng.shuffle(mixed)
        resolver = Resolver(Options(online=False))
        total = measure("mixed (catalog, Ollama, folders)", resolver, mixed)
        measure("catalog ids", Resolver(Options(online=False)), catalog_refs)
        measure("Ollama names", Resolver(Options(online=False)), ollama_refs)
        local_rate = measure("local folders (card + LICENSE)", Resolver(Options(online=False)), folders)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hours = HUB_SIZE / local_rate / 3600
    print(f"peak memory {peak:.0f} MB; mixed rate {total:.0f}/s (target >= 2,000/s)")
    print(f"whole-Hub estimate: {HUB_SIZE:,} model cards at {local_rate:.0f}/s on one core = {hours:.1f} h "
          f"(card and license files already on disk; download time not included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
