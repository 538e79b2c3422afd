"""Check licenses/models.yaml against the knowledge base: schema, license ids, publishers, bases, Ollama names.

    python scripts/catalog_check.py        # problems (exit 1) and notes (bases outside the catalog)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance import catalog, knowledge  # noqa: E402


def problems(cat: catalog.Catalog, kb: knowledge.KnowledgeBase) -> tuple[list[str], list[str]]:
    errors, notes = [], []
    for entry in cat:
        for lic in entry.licenses:
            if lic not in kb.licenses:
                errors.append(f"{entry.id}: unknown license id {lic!r}")
        if entry.publisher not in kb.publishers:
            errors.append(f"{entry.id}: unknown publisher {entry.publisher!r}")
        namespace = entry.id.split("/")[0]
        pub = kb.publisher_for_namespace(namespace)
        if pub is not None and pub.id != entry.publisher:
            errors.append(f"{entry.id}: namespace {namespace} belongs to {pub.id}, entry says {entry.publisher}")
        for base in entry.base_models:
            if cat.get(base.model) is None:
                notes.append(f"{entry.id}: base {base.model} is not in the catalog")
            if base.model.lower() == entry.id.lower():
                errors.append(f"{entry.id}: lists itself as its base")
    return errors, notes


def main() -> int:
    kb = knowledge.load()
    cat = catalog.load()
    errors, notes = problems(cat, kb)
    for line in notes:
        print("note:", line)
    for line in errors:
        print("error:", line)
    print(f"{len(cat)} models, {len(errors)} error(s), {len(notes)} note(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
