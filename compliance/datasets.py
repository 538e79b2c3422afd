"""Dataset licenses, online: the license a dataset's Hub card declares, identified through the knowledge base like a
model card's, with the category of its terms (non-commercial, share-alike …).

A scan lists datasets apart and offline marks them "license not evaluated". With ``--online`` each Hub dataset id
is looked up (``/api/datasets/{id}`` cardData, else the README front matter, else ``license:`` tags). The result
is shown, never judged: the scan's decision stays about models, and no dataset is ever reported "allowed"; an
unknown, gated or missing one says so. Imported only on the online path (it loads the knowledge base).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .errors import ComplianceError, InputError, NetworkError
from .knowledge import KnowledgeBase
from .scan_report import DatasetLicense

DATASET_ID = re.compile(r"^(?:[A-Za-z0-9][\w.-]{0,95}/)?[A-Za-z0-9][\w.-]{0,95}$")
COPYLEFT = {"weak": "share-alike", "strong": "copyleft", "network": "network-copyleft"}
RESTRICTED = ("non-commercial", "research-only", "registration-required", "unknown")


def categories(lic) -> list[str]:
    """What kind of terms one license sets, in the words a reader scans for."""
    out = []
    if lic.commercial_use.status in RESTRICTED:
        out.append(lic.commercial_use.status)
    if lic.copyleft is not None:
        out.append(COPYLEFT[lic.copyleft.strength])
    if lic.no_derivatives is not None:
        out.append("no-derivatives")
    if lic.public_domain is not None:
        out.append("public-domain")
    return out or [lic.kind]


def _lookup(value: str, kb: KnowledgeBase):
    return kb.by_hf_id(value) or kb.by_spdx(value) or kb.by_alias(value)


def identify(dataset: str, card, kb: KnowledgeBase) -> DatasetLicense:
    """A dataset card's license values (``hub.DatasetCard``) as a :class:`DatasetLicense`."""
    from .expression import is_expression, options

    ids: list[str] = []
    unknown: list[str] = []
    declared = list(card.licenses) + ([f"license_name: {card.license_name}"] if card.license_name else [])
    for value in card.licenses:
        if value.lower() in ("other", "unknown"):
            continue
        if is_expression(value):
            try:
                terms = [t.key for opt in options(value) for t in opt]
            except InputError as exc:
                unknown.append(exc.message)
                continue
            for key in dict.fromkeys(terms):
                lic = _lookup(key, kb)
                (ids.append(lic.id) if lic else unknown.append(f"{key!r} (in {value!r}) is not in the knowledge base"))
            continue
        lic = _lookup(value, kb)
        (ids.append(lic.id) if lic else unknown.append(f"{value!r} is not in the knowledge base"))
    if card.license_name and (not card.licenses or any(v.lower() == "other" for v in card.licenses)):
        lic = kb.by_alias(card.license_name) or kb.by_phrase(card.license_name) or kb.by_hf_id(card.license_name)
        if lic is None and card.license_link and "://" in card.license_link:
            lic = kb.by_link(card.license_link)
        (ids.append(lic.id) if lic else unknown.append(f"license_name {card.license_name!r} is not in the knowledge base"))
    elif any(v.lower() == "other" for v in card.licenses):
        unknown.append("license: other without a license_name the knowledge base identifies")
    if any(v.lower() == "unknown" for v in card.licenses):
        unknown.append("the card says license: unknown")
    ids = list(dict.fromkeys(ids))
    cats = list(dict.fromkeys(c for i in ids for c in categories(kb.licenses[i])))
    if not ids and not unknown:
        unknown.append("the dataset card declares no license (none in its cardData, README front matter or license "
                       "tags)" if card.source == "tags" else f"the dataset card declares no license ({card.source})")
    if unknown:
        return DatasetLicense(dataset, "unknown", tuple(ids), tuple(declared), tuple(dict.fromkeys([*cats, "unknown"])),
                              "; ".join(unknown), card.revision)
    return DatasetLicense(dataset, "identified", tuple(ids), tuple(declared), tuple(cats), f"from the Hub {card.source}",
                          card.revision)


def _reason(exc: ComplianceError, dataset: str) -> str:
    message = exc.message
    prefix = f"dataset {dataset}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def look_up(datasets: Iterable[str], kb: KnowledgeBase, *, fetch: Callable | None = None) -> dict[str, DatasetLicense]:
    """The license of every dataset id, looked up on the Hub. Per dataset, never fatal: a gated, missing or
    unreachable one is ``unavailable`` with the reason (once the Hub is unreachable, it is not asked again)."""
    if fetch is None:
        from .sources.hub import dataset_card as fetch
    found: dict[str, DatasetLicense] = {}
    unreachable: str | None = None
    for name in sorted(set(datasets), key=str.lower):
        if not DATASET_ID.match(name) or name.startswith((".", "/")):
            found[name] = DatasetLicense(name, "unknown", categories=("unknown",),
                                         reason="not a Hub dataset id (a local path or a loading script): its "
                                                "license cannot be looked up")
            continue
        if unreachable is not None:
            found[name] = DatasetLicense(name, "unavailable", categories=("unknown",), reason=unreachable)
            continue
        try:
            card = fetch(name)
        except ComplianceError as exc:
            reason = _reason(exc, name)
            if isinstance(exc, NetworkError) and "unreachable" in reason:
                unreachable = reason
            found[name] = DatasetLicense(name, "unavailable", categories=("unknown",), reason=reason)
            continue
        found[name] = identify(name, card, kb)
    return found
