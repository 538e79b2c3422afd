"""The embedded knowledge base: license records, publishers and the model catalog in ``licenses/``.

Facts live as data; this module only loads them, validates them against the vocabulary, and indexes them for
lookup by id, Hugging Face ``license:`` id, ``license_name`` alias, ``license_link`` URL and text hash.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KnowledgeBaseError
from .resources import licenses_dir
from .terms import LicenseTerms, Publisher
from .yamlio import parse_yaml, read_text, validate

RESERVED_FILES = {"publishers.yaml", "models.yaml", "kb.yaml"}


def alias_key(name: str) -> str:
    """Comparison form of a license name or alias: lower case, runs of punctuation and spaces to one dash."""
    return re.sub(r"[^a-z0-9.+]+", "-", name.strip().lower()).strip("-")


_FILLER = re.compile(r"\b(?:the|license|licence|agreement|community|terms|of|use|version|model|series)\b")


def phrase_key(phrase: str) -> str:
    """Compact form of a license named in prose: "Llama 4 Community License Agreement" -> "llama4",
    "Apache License, Version 2.0" -> "apache2.0", "llama3.1 license" -> "llama3.1"."""
    return re.sub(r"[^a-z0-9.+]", "", _FILLER.sub(" ", phrase.lower())).strip(".")


class Records(dict):
    """The records by id. Generated standard records (some 80 of them) are kept as their validated data and
    turned back into :class:`LicenseTerms` on first access: unpickling plain data is several times cheaper than
    unpickling pydantic objects, and the pre-commit hook, which loads the knowledge base from its cache on every
    run, rarely touches a standard license."""

    def __getitem__(self, key: str) -> LicenseTerms:
        value = dict.__getitem__(self, key)
        if isinstance(value, dict):
            value = LicenseTerms.model_validate(value)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: str, default=None):  # noqa: ANN001 - dict's signature
        return self[key] if key in self else default

    def values(self):  # noqa: ANN201
        return [self[k] for k in self]

    def items(self):  # noqa: ANN201
        return [(k, self[k]) for k in self]

    def __reduce__(self):
        return (Records, (dict(dict.items(self)),))


@dataclass
class KnowledgeBase:
    version: str
    licenses: dict[str, LicenseTerms]
    publishers: dict[str, Publisher]
    root: Path
    _by_hf_id: dict[str, str] = field(default_factory=dict)
    _by_alias: dict[str, str] = field(default_factory=dict)
    _by_hash: dict[str, tuple[str, str]] = field(default_factory=dict)
    _by_namespace: dict[str, str] = field(default_factory=dict)
    _by_phrase: dict[str, str | None] = field(default_factory=dict)
    _links: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for lic in self.licenses.values():
            for hf_id in lic.hf_ids:
                self._claim(self._by_hf_id, hf_id.lower(), lic.id, "Hugging Face license id")
            for alias in (lic.id, lic.spdx, *lic.hf_license_names):
                self._claim(self._by_alias, alias_key(alias), lic.id, "license alias")
            for phrase in {phrase_key(p) for p in (lic.id, lic.name, lic.spdx, *lic.hf_ids, *lic.hf_license_names)}:
                if phrase:  # a phrase two records share identifies neither
                    self._by_phrase[phrase] = lic.id if self._by_phrase.get(phrase, lic.id) == lic.id else None
            for text in lic.texts:
                self._by_hash.setdefault(text.normalized_sha256, (lic.id, text.role))
                self._by_hash.setdefault(text.sha256, (lic.id, text.role))
            for pattern in lic.license_link_patterns:
                self._links.append((re.compile(pattern, re.IGNORECASE), lic.id))
        for pub in self.publishers.values():
            for ns in pub.namespaces:
                self._claim(self._by_namespace, ns.lower(), pub.id, "publisher namespace")

    def _claim(self, index: dict[str, str], key: str, value: str, what: str) -> None:
        if index.get(key, value) != value:
            raise KnowledgeBaseError(f"{what} {key!r} is claimed by both {index[key]!r} and {value!r}", file=self.root)
        index[key] = value

    # --- lookups ------------------------------------------------------------------------------

    def get(self, license_id: str) -> LicenseTerms | None:
        return self.licenses.get(license_id)

    def by_hf_id(self, hf_id: str) -> LicenseTerms | None:
        found = self._by_hf_id.get(hf_id.strip().lower())
        return self.licenses[found] if found else None

    def by_alias(self, name: str) -> LicenseTerms | None:
        found = self._by_alias.get(alias_key(name))
        return self.licenses[found] if found else None

    def by_phrase(self, phrase: str) -> LicenseTerms | None:
        """A license named in prose ("the MIT License", "llama3.1 license", "Gemma Terms of Use")."""
        found = self._by_phrase.get(phrase_key(phrase))
        return self.licenses[found] if found else None

    def by_spdx(self, name: str) -> LicenseTerms | None:
        """A record for an SPDX id in any case or a deprecated form (``GPL-3.0+`` -> gpl-3.0-or-later), or an
        SPDX list name; the SPDX list is only consulted when the name is not already known."""
        found = self.by_alias(name) or self.by_hf_id(name)
        if found is None:
            from .spdx import canonical

            spdx_id = canonical(name)
            found = self.by_alias(spdx_id) if spdx_id else None
        return found

    def by_link(self, url: str) -> LicenseTerms | None:
        for pattern, lic_id in self._links:
            if pattern.search(url):
                return self.licenses[lic_id]
        return None

    def by_hash(self, digest: str) -> tuple[LicenseTerms, str] | None:
        """(record, document role) for the SHA-256 of a text, raw or normalized."""
        found = self._by_hash.get(digest)
        return (self.licenses[found[0]], found[1]) if found else None

    def publisher(self, publisher_id: str | None) -> Publisher | None:
        return self.publishers.get(publisher_id) if publisher_id else None

    def publisher_for_namespace(self, namespace: str) -> Publisher | None:
        found = self._by_namespace.get(namespace.lower())
        return self.publishers[found] if found else None

    def __iter__(self) -> Iterable[LicenseTerms]:
        return iter([self.licenses[k] for k in sorted(self.licenses)])


GENERATED_MARK = "# GENERATED"


def _load_records(root: Path, only: set[str] | None) -> tuple[dict[str, LicenseTerms], list[bytes], set[str]]:
    records: dict[str, LicenseTerms] = {}
    raw: list[bytes] = []
    generated: set[str] = set()
    for path in sorted(root.glob("*.yaml")):
        if path.name in RESERVED_FILES or (only is not None and path.stem not in only):
            continue
        text = read_text(path, what="knowledge-base record")
        raw.append(path.name.encode() + b"\0" + text.encode())
        record = validate(LicenseTerms, parse_yaml(text, file=path), file=path, text=text, error=KnowledgeBaseError)
        if record.id != path.stem:
            raise KnowledgeBaseError(f"record id {record.id!r} does not match its file name", file=path)
        records[record.id] = record
        if text.startswith(GENERATED_MARK):
            generated.add(record.id)
    return records, raw, generated


def _load_publishers(root: Path) -> tuple[dict[str, Publisher], bytes]:
    path = root / "publishers.yaml"
    text = read_text(path, what="publisher registry")
    data = parse_yaml(text, file=path) or {}
    entries = data.get("publishers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KnowledgeBaseError("expected a 'publishers:' list", file=path)
    publishers: dict[str, Publisher] = {}
    for index, entry in enumerate(entries):
        pub = validate(Publisher, entry, file=path, error=KnowledgeBaseError)
        if pub.id in publishers:
            raise KnowledgeBaseError(f"publisher {pub.id!r} listed twice (entry {index + 1})", file=path)
        publishers[pub.id] = pub
    return publishers, text.encode()


def load(root: Path | None = None, *, only: set[str] | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base (``only``: just these license records, for maintainers' checks)."""
    root = root or licenses_dir()
    records, raw, generated = _load_records(root, only)
    publishers, pub_raw = _load_publishers(root)
    for record in records.values():
        if record.publisher not in publishers:
            raise KnowledgeBaseError(f"{record.id}: unknown publisher {record.publisher!r}", file=root / f"{record.id}.yaml")
    kb_file = root / "kb.yaml"
    declared = "unversioned"
    if kb_file.exists():
        meta = parse_yaml(read_text(kb_file), file=kb_file) or {}
        declared = str(meta.get("version", declared))
    digest = hashlib.sha256(b"".join(sorted(raw)) + pub_raw).hexdigest()[:12]
    kb = KnowledgeBase(version=f"{declared}+{digest}", licenses=records, publishers=publishers, root=root)
    lazy = Records()
    for lic_id, record in records.items():  # validated above; generated records are kept as data (see Records)
        lazy[lic_id] = record.model_dump(mode="json", exclude_defaults=True) if lic_id in generated else record
    kb.licenses = lazy
    return kb


@functools.cache
def default() -> KnowledgeBase:
    """The embedded knowledge base, loaded once per process (through the per-user cache, see kbcache)."""
    from . import kbcache

    root = licenses_dir()
    return kbcache.cached("kb", root, lambda: load(root), KnowledgeBase)
