"""Standard licenses (the SPDX list) in the knowledge base: every quote is in the real text, the Creative
Commons family comes out exactly right, copyleft strengths are right, and the generated files are current."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import knowledge
from compliance.normalize import normalize
from tests.support import scancode

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb():
    return knowledge.load()


def spdx_evidence(kb):
    for lic in kb:
        for term, ev in lic.evidence():
            m = re.match(r"https://spdx\.org/licenses/(.+)\.html$", ev.file)
            if m:
                yield lic.id, term, m.group(1), ev


def test_every_quote_citing_an_spdx_text_occurs_in_it(kb):
    scancode.require()
    checked = 0
    for lic_id, term, spdx, ev in spdx_evidence(kb):
        if ev.quote is None:
            continue
        text = normalize(scancode.spdx_text(spdx))
        assert normalize(ev.quote) in text, f"{lic_id} {term}: quote not in {spdx}: {ev.quote!r}"
        checked += 1
    assert checked > 150


# (commercial status, attribution duty, copyleft strength or None, no-derivatives)
CC = {
    "by": ("allowed", True, None, False), "by-sa": ("allowed", True, "weak", False),
    "by-nc": ("non-commercial", True, None, False), "by-nc-sa": ("non-commercial", True, "weak", False),
    "by-nd": ("allowed", True, None, True), "by-nc-nd": ("non-commercial", True, None, True),
}


@pytest.mark.parametrize("variant", sorted(CC))
@pytest.mark.parametrize("version", ["2.0", "2.5", "3.0", "4.0"])
def test_creative_commons_family_is_exact(kb, variant, version):
    lic = kb.get(f"cc-{variant}-{version}")
    status, attribution, copyleft, nd = CC[variant]
    assert lic is not None and lic.spdx == f"CC-{variant.upper()}-{version}"
    assert lic.commercial_use.status == status
    assert bool(lic.attribution) == attribution
    assert (lic.copyleft.strength if lic.copyleft else None) == copyleft
    assert (lic.no_derivatives is not None) == nd
    assert lic.version == version


@pytest.mark.parametrize(("lic_id", "strength", "hosted"), [
    ("gpl-2.0-only", "strong", False), ("gpl-3.0-or-later", "strong", False), ("agpl-3.0-only", "network", True),
    ("lgpl-2.1-only", "weak", False), ("mpl-2.0", "weak", False), ("epl-2.0", "weak", False),
    ("osl-3.0", "network", True), ("cc-by-sa-4.0", "weak", False), ("odbl", "weak", False),
])
def test_copyleft_strength(kb, lic_id, strength, hosted):
    lic = kb.get(lic_id)
    assert lic.copyleft.strength == strength
    assert ("hosted-service" in lic.copyleft.applies_to) == hosted


@pytest.mark.parametrize("lic_id", ["mit", "apache-2.0", "bsd-3-clause", "isc", "zlib", "bsl-1.0", "cc-by-4.0"])
def test_permissive_licenses_have_no_copyleft_and_allow_commercial_use(kb, lic_id):
    lic = kb.get(lic_id)
    assert lic.copyleft is None and lic.no_derivatives is None and lic.commercial_use.status == "allowed"


@pytest.mark.parametrize("lic_id", ["cc0-1.0", "unlicense", "pddl-1.0"])
def test_public_domain_dedications(kb, lic_id):
    lic = kb.get(lic_id)
    assert lic.public_domain is not None and not lic.attribution and lic.commercial_use.status == "allowed"


def test_generated_files_are_current():
    scancode.require()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_standard.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
