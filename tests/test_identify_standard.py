"""Standard licenses identify from their real texts (ScanCode's copies of the SPDX texts), however they are
formatted; look-alikes (CC siblings, MIT plus a clause, JSON, Pixar, RAIL variants) never identify as the base;
notices and SPDX headers identify by reference, with the sentence as evidence."""
from __future__ import annotations

import pytest

from compliance import knowledge
from compliance.identify import clear_cache, identify_text
from tests.support import scancode
from tests.test_identify import crlf, drop_title, markdown_escape, reflow, two_thirds

CC = [f"CC-{v}-{n}" for v in ("BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND") for n in ("2.0", "2.5", "3.0", "4.0")]
COMMON = ["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "BSL-1.0", "Unlicense", "CC0-1.0",
          "MPL-2.0", "GPL-2.0-only", "GPL-3.0-only", "LGPL-2.1-only", "LGPL-3.0-only", "AGPL-3.0-only", "EPL-2.0",
          "EUPL-1.2", "OFL-1.1", "PostgreSQL", "NCSA", "ECL-2.0", "AFL-3.0", "OSL-3.0", "Artistic-2.0", "MS-PL",
          "CDLA-Permissive-2.0", "CDLA-Sharing-1.0", "PDDL-1.0", "ODbL-1.0", "WTFPL", "C-UDA-1.0", "LGPLLR"]
VARIANTS = {"as-is": lambda t: t, "reflowed": reflow, "crlf": crlf, "markdown": markdown_escape}


@pytest.fixture(scope="module")
def kb():
    return knowledge.load()


def expected_id(kb, spdx: str) -> str:
    lic = kb.by_spdx(spdx)
    assert lic is not None, f"no record for {spdx}"
    return lic.id


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("spdx", CC + COMMON)
def test_standard_texts_identify(kb, spdx, variant):
    text = VARIANTS[variant](scancode.spdx_text(spdx))
    clear_cache()
    result = identify_text(text, kb)
    assert result.id == expected_id(kb, spdx), (spdx, variant, result.reasons)
    assert (result.matched_by == "fingerprint" and 0.9 <= result.confidence <= 0.95) or \
        (result.matched_by, result.confidence) == ("hash", 1.0)  # ScanCode's Apache text is the corpus one
    assert result.modified_from is None


@pytest.mark.parametrize("spdx", ["CC-BY-4.0", "CC-BY-NC-SA-4.0", "CC-BY-SA-3.0", "GPL-3.0-only", "MPL-2.0"])
def test_cut_copies_still_identify_with_lower_confidence(kb, spdx):
    result = identify_text(reflow(two_thirds(drop_title(scancode.spdx_text(spdx)))), kb)
    assert result.id == expected_id(kb, spdx), result.reasons
    assert 0.5 <= result.confidence < 0.9


@pytest.mark.parametrize("spdx", ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "CC-BY-ND-4.0"])
def test_cc_siblings_are_never_taken_for_cc_by_nc(kb, spdx):
    """The issue's report: these four texts all identified as cc-by-nc-4.0."""
    result = identify_text(scancode.spdx_text(spdx), kb)
    assert result.id == spdx.lower() != "cc-by-nc-4.0"


# --- look-alikes -------------------------------------------------------------------------------------------------

MIT_PLUS = ("\n\nAdditionally, the Software may not be used by any company with more than 500 employees without "
            "a separate written agreement with the copyright holders, and any such use must display the name "
            "of the original authors.\n")


def test_mit_plus_a_clause_is_a_modification_not_mit(kb):
    result = identify_text(scancode.spdx_text("MIT") + MIT_PLUS, kb)
    assert result.id is None and result.modified_from == "mit"
    assert len(result.added_clauses) == 1 and "500 employees" in result.added_clauses[0]["text"]
    assert any(r.startswith("modified: mit") for r in result.reasons)


def test_kimi_modified_mit_is_modified_mit_with_its_caps(corpus, kb):
    """Without its own record (as before it was written), the Kimi K2 text is "modified: mit" with the
    clause that adds the display duty and its two figures; never plain MIT."""
    text = (corpus / "licenses-found" / "kimi-k2-modified-mit" / "LICENSE").read_text(encoding="utf-8")
    without = knowledge.load(only={lic.id for lic in kb if lic.id != "kimi-k2-modified-mit"})
    clear_cache()
    result = identify_text(text, without)
    assert result.id is None and result.modified_from == "mit"
    assert identify_text(text, kb).id == "kimi-k2-modified-mit"  # with its record: the record
    (clause,) = result.added_clauses
    assert "Kimi K2" in clause["text"]
    caps = {(t["metric"], t["limit"], t["currency"]) for t in clause["terms"]["thresholds"]}
    assert caps == {("monthly_active_users", 1e8, None), ("monthly_revenue", 2e7, "USD")}


@pytest.mark.parametrize(("spdx", "base"), [("JSON", "mit"), ("Pixar", "apache-2.0"), ("MIT-0", None),
                                            ("X11", None), ("CC-BY-3.0-US", None), ("CC-BY-NC-SA-3.0-IGO", None)])
def test_spdx_look_alikes_are_not_the_base(kb, spdx, base):
    """JSON is MIT plus "for Good, not Evil"; Pixar is Apache with a changed trademark clause; CC ports differ
    from the unported text. None may come out as the license it resembles."""
    result = identify_text(scancode.spdx_text(spdx), kb)
    lic = kb.by_spdx(spdx)
    assert result.id == (lic.id if lic else None), result.reasons
    if base:
        assert result.id != base


@pytest.mark.parametrize("key", ["responsible-ai-source-1.0", "responsible-ai-source-1.1", "open-weights-permissive-1.0.0",
                                 "stable-diffusion-2022-08-22", "bigscience-open-rail-m", "bigcode-open-rail-m-v1"])
def test_rail_variants_are_decided_by_their_own_text(kb, key):
    expected = {"stable-diffusion-2022-08-22": "creativeml-openrail-m", "bigscience-open-rail-m": "bigscience-openrail-m",
                "bigcode-open-rail-m-v1": "bigcode-openrail-m"}.get(key)
    result = identify_text(scancode.read(key), kb)
    assert result.id == expected, (key, result.id, result.reasons)


# --- references ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("This model is licensed under the Llama 2 Community License, Copyright (c) Meta Platforms, Inc. All Rights "
     "Reserved.", "llama-2"),
    ("Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc.", "llama-3.1"),
    ("The model weights are released under CC BY-NC 4.0.", "cc-by-nc-4.0"),
    ("Code: MIT. For the weights see LICENSE-MODEL; DeepSeek License Agreement.", "deepseek-license"),
    ("This dataset is made available under the Open Database License.", "odbl"),
    ("Made available under the Open Data Commons Open Database License v1.0.", "odbl-1.0"),
    ("Distributed under the GNU General Public License v3.0 only.", "gpl-3.0-only"),
])
def test_notices_identify_by_reference(kb, text, expected):
    result = identify_text(text, kb)
    assert (result.id, result.matched_by) == (expected, "reference"), result.reasons
    assert result.evidence and result.evidence in " ".join(text.split())
    assert result.confidence == 0.6


@pytest.mark.parametrize("text", [
    "This model is released under a license. Use it responsibly.",
    "Fine-tuned from Llama. Licensed under the terms described below.",
    "We thank Meta for releasing Llama.",
])
def test_vague_notices_stay_unknown(kb, text):
    assert identify_text(text, kb).id is None


def test_spdx_header_identifies_a_file(kb):
    result = identify_text("# Copyright 2025 Example\n# SPDX-License-Identifier: Apache-2.0\n\nimport os\n", kb)
    assert (result.id, result.matched_by, result.evidence) == ("apache-2.0", "reference", "SPDX-License-Identifier: Apache-2.0")


def test_card_prose_references_resolve(tmp_path):
    """A card without front matter that says "released under CC BY-NC 4.0" resolves to that record, with the
    sentence as the fact's detail."""
    from compliance.resolve import Options, Resolver

    model = tmp_path / "model"
    model.mkdir()
    (model / "README.md").write_text("# Tiny model\n\nA small research model. The weights are released under "
                                     "CC BY-NC 4.0. Contact us for commercial use.\n", encoding="utf-8")
    resolved = Resolver(Options(online=False)).resolve(str(model))
    assert resolved.record.licenses == ("cc-by-nc-4.0",)
    details = [f.detail for f in resolved.record.facts["license"]]
    assert any("released under CC BY-NC 4.0" in (d or "") for d in details)


def test_a_short_added_duty_still_makes_a_modification(kb):
    text = scancode.spdx_text("MIT") + "\n\nYou must display the name Foo in any product with more than 1 million " \
                                       "monthly active users.\n"
    result = identify_text(text, kb)
    assert result.id is None and result.modified_from == "mit"
    (clause,) = result.added_clauses
    assert clause["terms"]["thresholds"][0]["consequence"] == "display-name"


@pytest.mark.parametrize("spdx", ["MIT", "BSD-3-Clause", "Apache-2.0", "ISC"])
def test_a_copyright_line_and_title_are_not_clauses(kb, spdx):
    text = (f"{spdx} License\n\nCopyright (c) 2021-2024 Example Research Laboratories Inc. and contributors. "
            f"All rights reserved.\n\n" + scancode.spdx_text(spdx))
    clear_cache()
    result = identify_text(text, kb)
    assert result.id == kb.by_spdx(spdx).id and result.modified_from is None, result.reasons
