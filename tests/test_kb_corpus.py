"""Every quote, hash and marker of every verified record, checked against the real texts."""
from __future__ import annotations

from compliance import knowledge
from compliance.corpus import verify


def _texts(corpus):
    """Every license text of the corpus: `licenses/` and the later `licenses-found/` folder."""
    return [*(corpus / "licenses").glob("*/*"), *(corpus / "licenses-found").glob("*/*")]


def test_knowledge_base_matches_the_corpus(corpus):
    problems = verify(knowledge.load(), corpus)
    assert problems == [], "\n".join(problems)


def test_no_record_stores_a_license_text(corpus):
    """Records keep facts and quotes of at most 25 words: no run of 26 words in any record string occurs in a
    corpus text."""
    import yaml

    from compliance.normalize import normalize
    from conftest import ROOT
    from support.yamltree import strings

    span = 26
    shingles: set[str] = set()
    for path in _texts(corpus):
        if not path.name.startswith("SOURCE"):
            words = normalize(path.read_text(encoding="utf-8")).split()
            shingles.update(" ".join(words[i:i + span]) for i in range(len(words) - span + 1))

    for path in (ROOT / "licenses").glob("*.yaml"):
        for s in strings(yaml.safe_load(path.read_text())):
            words = normalize(s).split()
            copied = [" ".join(words[i:i + span]) for i in range(len(words) - span + 1)
                      if " ".join(words[i:i + span]) in shingles]
            assert not copied, f"{path.name}: copies license text: {copied[0]!r}"


def test_no_tracked_file_chains_quotes_into_a_copy(corpus):
    """Whole files, read as a run of words the way a plagiarism check reads them: quotes and markers that sit
    next to each other must not add up to 30 consecutive words of a corpus text."""
    import re

    from conftest import ROOT

    span = 30

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    shingles: set[str] = set()
    for path in _texts(corpus):
        if not path.name.startswith("SOURCE"):
            w = words(path.read_text(encoding="utf-8"))
            shingles.update(" ".join(w[i:i + span]) for i in range(0, len(w) - span + 1))
    for path in sorted((ROOT / "licenses").glob("*.yaml")):
        w = words(path.read_text(encoding="utf-8"))
        runs = [" ".join(w[i:i + span]) for i in range(len(w) - span + 1) if " ".join(w[i:i + span]) in shingles]
        assert not runs, f"{path.name} reproduces license text: {runs[0]!r}"
