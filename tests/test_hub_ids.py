"""Every `license:` id the Hugging Face Hub accepts resolves to a knowledge-base record (except `other` and
`unknown`, which send the tool to license_name, LICENSE files and the prose)."""
from __future__ import annotations

import re

import pytest

from compliance import knowledge

NOT_A_LICENSE = {"other", "unknown"}
# Model-specific Hub ids whose records are written by the data half of issue 10 (a separate branch): until that
# branch is merged they may be absent here, and the test names them as skipped rather than failing.
MODEL_RECORDS_ELSEWHERE = {"apple-amlr", "apple-ascl", "deepfloyd-if-license", "fair-noncommercial-research-license",
                           "grok2-community", "h-research", "intel-research", "openmdw-1.0", "openmdw-1.1"}
FAMILY_IDS = {"bsd", "cc", "gpl", "lgpl", "gfdl", "odc-by", "odbl", "openrail"}


def hub_ids(corpus) -> list[str]:
    text = (corpus / "hf-license-ids.md").read_text(encoding="utf-8")
    return re.findall(r"^\|[^|]+\|\s*`([^`]+)`\s*\|", text, re.M)


@pytest.fixture(scope="module")
def kb():
    return knowledge.load()


def test_the_hub_table_is_read_whole(corpus):
    ids = hub_ids(corpus)  # the issue says 84; the table at the recorded commit has 83 rows (81 + other, unknown)
    assert len(ids) == 83 and len(set(ids)) == 83 and {"apache-2.0", "gemma", "other", "unknown"} <= set(ids)


def test_every_hub_id_resolves(corpus, kb):
    missing, elsewhere, covered = [], [], {}
    for hub_id in hub_ids(corpus):
        if hub_id in NOT_A_LICENSE:
            assert kb.by_hf_id(hub_id) is None, f"{hub_id} must stay unknown"
            continue
        record = kb.by_hf_id(hub_id)
        if record is None:
            (elsewhere if hub_id in MODEL_RECORDS_ELSEWHERE else missing).append(hub_id)
        else:
            covered[hub_id] = record.id
    assert not missing, f"Hub ids without a record: {missing}"
    generated = sum(1 for rid in covered.values() if rid != rid.upper() and (kb.root / f"{rid}.yaml").read_text(
        encoding="utf-8").startswith("# GENERATED"))
    print(f"{len(covered)} Hub ids resolve ({generated} to generated standard records); "
          f"model-license records not on this branch: {sorted(elsewhere)}")
    if elsewhere:
        pytest.skip(f"records of the model-license data branch not merged yet: {', '.join(sorted(elsewhere))}")


def test_standard_hub_ids_use_spdx_records(corpus, kb):
    """SPDX-listed Hub ids resolve to a record carrying that SPDX id (c-uda -> C-UDA-1.0, lgpl-lr -> LGPLLR)."""
    expected = {"c-uda": "C-UDA-1.0", "lgpl-lr": "LGPLLR", "etalab-2.0": "etalab-2.0", "gpl-3.0": "GPL-3.0-only",
                "agpl-3.0": "AGPL-3.0-only", "cc-by-4.0": "CC-BY-4.0", "bsd-3-clause": "BSD-3-Clause",
                "cc0-1.0": "CC0-1.0", "mpl-2.0": "MPL-2.0", "pddl": "PDDL-1.0", "bsl-1.0": "BSL-1.0", "ncsa": "NCSA"}
    for hub_id, spdx in expected.items():
        assert kb.by_hf_id(hub_id).spdx == spdx, hub_id


def test_family_ids_claim_no_version(kb):
    for hub_id in FAMILY_IDS:
        record = kb.by_hf_id(hub_id)
        assert record.version is None and record.spdx.startswith("LicenseRef-"), hub_id
    # a family whose members differ on commercial use does not pretend to know
    assert kb.by_hf_id("cc").commercial_use.status == "unknown"
    assert kb.by_hf_id("cc").no_derivatives is None and kb.by_hf_id("cc").copyleft is None
