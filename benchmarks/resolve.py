"""Resolution throughput, offline: catalog ids, Ollama names, local model folders and names the grammar reads
(republications, quantizations, serving names), with the catalog's load time.

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


def measure(label: str, resolver: Resolver, refs: list[str], *, tolerant: bool = False) -> float:
    """Resolve every reference; ``tolerant``: a name the catalog cannot answer (ambiguous, unknown) is counted,
    not fatal."""
    from compliance.errors import ComplianceError

    failed = 0
    started = time.perf_counter()
    for ref in refs:
        try:
            resolver.resolve(ref)
        except ComplianceError:
            if not tolerant:
                raise
            failed += 1
    elapsed = time.perf_counter() - started
    rate = len(refs) / elapsed
    note = f" ({failed} not resolved)" if failed else ""
    print(f"{label:40s} {len(refs):6d} references in {elapsed:6.2f} s = {rate:8.0f} references/s{note}")
    return rate


def name_forms(cat, rng: random.Random, count: int) -> list[str]:
    """References the name grammar answers: republications, official quantizations, Ollama tags with
    quantization suffixes, provider serving names (LiteLLM prefixes), OpenRouter variants."""
    forms = []
    entries = [e for e in cat if "/" in e.id]
    tagged = [n for e in cat for n in e.ollama if ":" in n and not n.endswith(":latest")]
    for _ in range(count):
        e = rng.choice(entries)
        org, name = e.id.split("/")
        forms.append(rng.choice((
            f"bartowski/{name}-GGUF", f"unsloth/{name}-bnb-4bit", f"mlx-community/{name}-4bit",
            f"hf.co/bartowski/{org}_{name}-GGUF:Q4_K_M", f"{e.id}-AWQ", f"together_ai/{e.id}-Turbo",
            f"openrouter/{e.id.lower()}:free",
            f"{rng.choice(tagged)}-q4_K_M" if tagged else f"{e.id}-GPTQ-Int4")))
    return forms


def catalog_load_times() -> None:
    from compliance import kbcache, providers
    from compliance.resources import licenses_dir

    root = licenses_dir()
    started = time.perf_counter()
    cat = catalog_mod.load(root=root)
    prov = providers.load(root)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    kbcache.cached("catalog", root, lambda: cat, catalog_mod.Catalog)
    warm = time.perf_counter() - started
    from compliance.match import index_for

    started = time.perf_counter()
    index_for(cat)
    index = time.perf_counter() - started
    print(f"catalog: {len(cat)} models, {len(cat.families)} family rules, {len(prov)} serving names; "
          f"load and validate {cold * 1000:.0f} ms, from the per-user cache {warm * 1000:.0f} ms, "
          f"name index {index * 1000:.0f} ms (built on first name lookup)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--references", type=int, default=10_000)
    args = parser.parse_args()
    catalog_load_times()
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
        named = name_forms(cat, rng, n // 3)
        mixed = catalog_refs + ollama_refs + folders + named
        rng.shuffle(mixed)
        resolver = Resolver(Options(online=False))
        total = measure("mixed (catalog, Ollama, folders, names)", resolver, mixed, tolerant=True)
        measure("catalog ids", Resolver(Options(online=False)), catalog_refs)
        measure("Ollama names", Resolver(Options(online=False)), ollama_refs)
        measure("names by grammar (republications …)", Resolver(Options(online=False)), named, tolerant=True)
        local_rate = measure("local folders (card + LICENSE)", Resolver(Options(online=False)), folders)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hours = HUB_SIZE / local_rate / 3600
    print(f"peak memory {peak:.0f} MB; mixed rate {total:.0f}/s (target >= 2,000/s)")
    print(f"whole-Hub estimate: {HUB_SIZE:,} model cards at {local_rate:.0f}/s on one core = {hours:.1f} h "
          f"(card and license files already on disk; download time not included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
