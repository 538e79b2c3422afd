"""Rule extraction on real model licenses the knowledge base had never seen: per-fact expectations kept in
tests/data/extraction_unseen.yaml (with each text's sha256; the texts are read from the corpus or the installed
licensedcode-data package), nothing invented where the text is silent, and every term with its sentence."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from compliance.extract import extract
from compliance.normalize import normalize
from tests.support import scancode

DATA = yaml.safe_load((Path(__file__).parent / "data" / "extraction_unseen.yaml").read_text(encoding="utf-8"))["texts"]


def text_of(name: str, spec: dict, corpus) -> str:
    if spec["source"].startswith("corpus"):
        raw = (corpus / "licenses-found" / name / "LICENSE").read_bytes()
        digest, text = hashlib.sha256(raw).hexdigest(), raw.decode("utf-8")
    else:
        text = scancode.read(name)
        digest = hashlib.sha256(text.encode()).hexdigest()
    assert digest == spec["sha256"], f"{name}: the text changed; re-read it before trusting the expectations"
    return text


def test_there_are_ten_or_more_real_texts():
    assert len(DATA) >= 10


@pytest.mark.parametrize("name", sorted(DATA))
def test_facts_of_unseen_licenses(name, corpus):
    spec = DATA[name]
    text = text_of(name, spec, corpus)
    terms = extract(text)
    assert terms.commercial_use == spec["commercial"], "commercial"
    got = sorted((t.metric, t.limit, t.currency, t.consequence) for t in terms.thresholds)
    assert got == sorted(tuple(t) for t in spec["thresholds"]), "thresholds"
    got = {(o.kind, o.text) for o in terms.attribution}
    assert got == {tuple(a) for a in spec["attribution"]}, "attribution"
    assert terms.output_use == spec["output_use"], "output_use"
    law = terms.governing_law
    if spec["law"] is None:
        assert law is None
    else:
        code, venue = spec["law"]
        assert law["jurisdiction"] == code
        assert (venue is None and law["venue"] is None) or (venue and venue in (law["venue"] or ""))
    assert (terms.territory.excluded if terms.territory else None) == spec["territory"]


@pytest.mark.parametrize("name", sorted(DATA))
def test_every_term_keeps_its_sentence(name, corpus):
    text = text_of(name, DATA[name], corpus)
    terms = extract(text)
    flat = normalize(text)

    def present(sentence: str) -> bool:
        words = normalize(sentence.replace(" …", "")).split()
        return " ".join(words[:8]) in flat

    for t in terms.thresholds:
        assert present(t.sentence)
    for o in terms.attribution:
        assert present(o.sentence)
    for key, sentence in terms.evidence.items():
        assert present(sentence), key
    if terms.governing_law:
        assert present(terms.governing_law["sentence"])


@pytest.mark.parametrize("spdx", ["MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "MPL-2.0", "CC-BY-4.0",
                                  "CC-BY-NC-SA-4.0", "EUPL-1.2", "OFL-1.1", "BSD-3-Clause", "CDLA-Permissive-2.0",
                                  "ODbL-1.0", "EPL-2.0", "Artistic-2.0", "LPPL-1.3c"])
def test_texts_without_caps_yield_none(spdx):
    assert extract(scancode.spdx_text(spdx)).thresholds == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("If your annual revenue exceeds $5,000,000 you must obtain a paid license from us.",
     ("annual_revenue", 5e6, "USD", "paid-license")),
    ("Licensees with more than EUR 20 million in annual turnover must register with the Licensor.",
     ("annual_revenue", 2e7, "EUR", "registration")),
    ("Licensees with monthly revenue above USD 20M per month shall request a commercial license.",
     ("monthly_revenue", 2e7, "USD", "request-license")),
    ("Products with more than 20 million US dollars (or equivalent in other currencies) in monthly revenue "
     "must prominently display the model name.", ("monthly_revenue", 2e7, "USD", "display-name")),
    ("If annual revenue is greater than one hundred million euros, you must apply for a license.",
     ("annual_revenue", 1e8, "EUR", "request-license")),
    ("If your service has more than 1,000,000 daily active users, this license terminates.",
     ("daily_active_users", 1e6, None, "license-terminates")),
])
def test_caps_in_any_currency_form_with_what_they_trigger(sentence, expected):
    (t,) = extract(sentence).thresholds
    assert (t.metric, t.limit, t.currency, t.consequence) == expected


@pytest.mark.parametrize(("sentence", "codes"), [
    ("The rights granted under this Agreement are not granted in the People's Republic of China, Russia or Iran.",
     ["CN", "RU", "IR"]),
    ("You may not use the Model in the European Union or the United Kingdom.", ["EU", "GB"]),
    ("This License does not apply to users located in Brazil.", ["BR"]),
    ("The license is available worldwide, excluding the European Union.", ["EU"]),
])
def test_territory_exclusions_in_any_phrasing(sentence, codes):
    assert extract(sentence).territory.excluded == codes


def test_places_named_for_other_reasons_are_not_exclusions():
    assert extract("This Agreement is governed by the laws of Singapore.").territory is None
    assert extract("You may use the software in the United States.").territory is None


@pytest.mark.parametrize(("sentence", "code", "venue"), [
    ("This Agreement shall be governed by, and construed in accordance with, the laws of Singapore, without "
     "regard to conflict of laws.", "SG", None),
    ("This License is governed exclusively by the substantive laws of Switzerland. Disputes go to the courts "
     "of Zurich, Switzerland.", "CH", "courts: Zurich"),
    ("This Agreement will be governed and construed under the laws of the State of California. Any suit will be "
     "brought in the federal or state courts, as applicable, in San Mateo County, California.", "US-CA", "San Mateo"),
])
def test_governing_law_and_forum_with_intervening_words(sentence, code, venue):
    law = extract(sentence).governing_law
    assert law["jurisdiction"] == code
    assert (venue is None and law["venue"] is None) or venue in law["venue"]


@pytest.mark.parametrize(("sentence", "status"), [
    ("We grant you a royalty-free license to use and sell the Model. However, you may use the Model for research "
     "purposes only.", "research-only"),
    ("Subject to these terms you may sell copies. You will not use the Model for any commercial or production "
     "purposes.", "non-commercial"),
    ("Commercial use of the Model requires registration with the Licensor before use.", "registration-required"),
])
def test_a_later_restriction_beats_the_grant(sentence, status):
    assert extract(sentence).commercial_use == status
