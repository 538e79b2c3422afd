"""Identification of real license texts and of the copies people actually have: re-wrapped, CRLF,
Markdown-escaped, quotes changed, title removed, cut short. And bad files get a clear answer, never a crash."""
from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path

import pytest

from compliance import knowledge
from compliance.identify import identify_file, identify_text

RENAMED = {"deepseek-r1-mit": "mit", "mistral-apache-2.0": "apache-2.0"}
SPECIAL = {"yi/MODEL_LICENSE_AGREEMENT.current-apache.txt": "apache-2.0"}


def corpus_texts(corpus: Path) -> list[tuple[str, Path]]:
    out = []
    for path in sorted((corpus / "licenses").glob("*/*")):
        if path.name.startswith("SOURCE"):
            continue
        rel = path.relative_to(corpus / "licenses").as_posix()
        expected = SPECIAL.get(rel) or RENAMED.get(path.parent.name, path.parent.name)
        out.append((expected, path))
    return out


@pytest.fixture(scope="module")
def kb():
    return knowledge.load()


def test_every_corpus_text_identifies_by_hash(corpus, kb):
    texts = corpus_texts(corpus)
    assert len(texts) == 41
    for expected, path in texts:
        result = identify_file(path, kb)
        assert (result.id, result.matched_by, result.confidence) == (expected, "hash", 1.0), path


# --- variants ---------------------------------------------------------------------------------------------


def reflow(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width=66, break_long_words=False) for p in paragraphs)


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def markdown_escape(text: str) -> str:
    if "](" in text:  # already Markdown
        return text
    text = re.sub(r"(?m)^(\s*)(\d+)\. ", r"\1\2\\. ", text)
    text = re.sub(r"(https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]*[A-Za-z0-9/])", r"[\1](\1)", text)
    text = re.sub(r"[“\"]([A-Z][^”\"\n]{1,40})[”\"]", r"“**\1**”", text)
    return text.replace("_", "\\_")


def swap_quotes(text: str) -> str:
    if "“" in text or "’" in text:
        return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    text = re.sub(r'"([^"\n]*)"', r"“\1”", text)
    return text.replace("'", "’")


def drop_title(text: str) -> str:
    lines = text.lstrip().splitlines()
    return "\n".join(lines[1:])


def two_thirds(text: str) -> str:
    return text[: len(text) * 2 // 3]


LOSSLESS = {"reflowed": reflow, "crlf": crlf, "markdown": markdown_escape, "quotes": swap_quotes}
LOSSY = {"title-removed": drop_title, "two-thirds": two_thirds,
         "title-removed+two-thirds+reflowed": lambda t: reflow(two_thirds(drop_title(t)))}


@pytest.mark.parametrize("variant", sorted(LOSSLESS))
def test_lossless_variants_still_match_by_hash(corpus, kb, variant):
    for expected, path in corpus_texts(corpus):
        result = identify_text(LOSSLESS[variant](path.read_text(encoding="utf-8")), kb)
        assert (result.id, result.matched_by) == (expected, "hash"), f"{variant}: {path}"


@pytest.mark.parametrize("variant", sorted(LOSSY))
def test_lossy_variants_identify_by_markers_or_fingerprint(corpus, kb, variant):
    for expected, path in corpus_texts(corpus):
        text = path.read_text(encoding="utf-8")
        if len(text.split()) < 150:  # a 19-word NOTICE cut to two thirds is not a license any more
            continue
        result = identify_text(LOSSY[variant](text), kb)
        assert result.id == expected, f"{variant}: {path}: got {result.id} ({result.reasons})"
        # standard texts (MIT, Apache) are decided by their SPDX fingerprint, model licenses by markers
        assert result.matched_by in ("markers", "fingerprint") and 0.5 <= result.confidence < 1.0


def test_siblings_are_told_apart_by_version_markers(corpus, kb):
    """Llama 3.1 / 3.2 / 3.3 differ only in version strings and URLs; the three Hunyuan texts in territory
    and threshold. A cut, title-less copy still goes to the right version."""
    for lic_id in ("llama-3.1", "llama-3.2", "llama-3.3", "hunyuan", "hunyuan-a13b", "hunyuan-3d-2"):
        text = (corpus / "licenses" / lic_id / "LICENSE").read_text(encoding="utf-8")
        result = identify_text(two_thirds(drop_title(text)), kb)
        assert result.id == lic_id
        assert any("version marker" in r for r in result.reasons)


def test_license_cards_and_prose_are_not_mistaken_for_licenses(corpus, kb):
    card = corpus / "model-cards" / "unsloth__Qwen3-235B-A22B-GGUF" / "README.md"
    assert identify_file(card, kb).id is None
    assert identify_text("This model is released under a license. Use it responsibly.", kb).id is None


# --- bad input ----------------------------------------------------------------------------------------------


def test_bad_files_get_a_clear_answer_in_bounded_time(tmp_path, kb):
    binary = tmp_path / "model.gguf"
    binary.write_bytes(b"GGUF\x00\x01\x02" + bytes(range(256)) * 10)
    empty = tmp_path / "LICENSE"
    empty.write_text("")
    latin = tmp_path / "LICENSE.latin1"
    latin.write_bytes("Licence accordée à « vous »".encode("latin-1"))
    huge = tmp_path / "LICENSE.huge"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    missing = tmp_path / "nope"
    started = time.perf_counter()
    results = {p.name: identify_file(p, kb) for p in (binary, empty, latin, huge, missing)}
    assert time.perf_counter() - started < 2
    assert "binary" in results["model.gguf"].error
    assert "empty" in results["LICENSE"].error
    assert "UTF-8" in results["LICENSE.latin1"].error
    assert "MB" in results["LICENSE.huge"].error
    assert "not found" in results["nope"].error
    assert all(r.id is None for r in results.values())
