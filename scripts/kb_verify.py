"""Check the knowledge base against the corpus, or print the `texts:` facts for corpus files.

    python scripts/kb_verify.py                      # every problem, exit 1 if any
    python scripts/kb_verify.py --ids llama-2,llama-3 # only these records (corpus coverage is not checked)
    python scripts/kb_verify.py --facts llama-4/LICENSE llama-4/USE_POLICY.md
    python scripts/kb_verify.py --fix-hashes          # rewrite every record's text hashes from the corpus
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance import knowledge  # noqa: E402
from compliance.corpus import corpus_file, find_corpus, text_facts, verify  # noqa: E402


def fix_hashes(corpus: Path) -> int:
    """Rewrite sha256 / normalized_sha256 / words of every `- path:` entry (after a normalization change)."""
    import re

    from compliance.resources import licenses_dir

    changed = 0
    for record in sorted(licenses_dir().glob("*.yaml")):
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        current = None
        for i, line in enumerate(lines):
            m = re.match(r"^\s*- path: (\S+)\s*$", line)
            if m:
                path = corpus_file(corpus, m.group(1))
                current = text_facts(path) if path.is_file() else None
                continue
            m = re.match(r"^(\s*)(sha256|normalized_sha256|words): (\S+)\s*$", line)
            if m and current is not None and str(current[m.group(2)]) != m.group(3):
                lines[i] = f"{m.group(1)}{m.group(2)}: {current[m.group(2)]}\n"
                changed += 1
        record.write_text("".join(lines), encoding="utf-8")
    print(f"{changed} value(s) rewritten")
    return 0


def main(argv: list[str]) -> int:
    corpus = find_corpus()
    if corpus is None:
        print("corpus not found: set COMPLIANCE_CORPUS", file=sys.stderr)
        return 2
    if argv[:1] == ["--fix-hashes"]:
        return fix_hashes(corpus)
    if argv[:1] == ["--facts"]:
        for rel in argv[1:]:
            facts = text_facts(corpus_file(corpus, rel))
            print(f"  - path: {rel}\n    role: license\n" + "".join(f"    {k}: {v}\n" for k, v in facts.items()))
        return 0
    only = None
    if argv[:1] == ["--ids"] and len(argv) > 1:
        only = set(argv[1].split(","))
    problems = verify(knowledge.load(only=only), corpus)
    if only is not None:
        problems = [p for p in problems if not p.startswith("corpus text ")]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
