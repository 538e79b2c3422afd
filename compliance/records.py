"""A model record from a snapshot (card + license files at a revision), whatever source it came from: the
declared license and its link, the license files identified, the gate text and prose when the metadata is
silent, base models (front matter, else prose), publisher, modality, and the source of every fact."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .expression import is_expression
from .model import BaseRef, Fact, LicenseChoice, LicenseFile, ModelRecord, ResolveFinding
from .references import HUB_ID
from .sources import local
from .sources.base import Snapshot

MIN_FILE_CONFIDENCE = 0.6  #: a license file identified with less confidence than this does not count

if TYPE_CHECKING:
    from .cards import Card
    from .resolve import Resolver


class RecordBuilder:
    """Turns a snapshot (card + license files) into a record, noting the source of every fact."""

    def __init__(self, resolver: Resolver, reference: str, snap: Snapshot):
        self.r = resolver
        self.kb = resolver.kb
        self.reference = reference
        self.snap = snap
        self.facts: dict[str, list[Fact]] = {}
        self.findings: list[ResolveFinding] = []
        self.licenses: list[str] = []
        self.choices: list[LicenseChoice] = []

    def fact(self, key: str, source: str, detail: str | None = None) -> None:
        self.facts.setdefault(key, []).append(Fact(source=source, revision=self.snap.revision, detail=detail))

    def find(self, kind: str, message: str, severity: str = "warning") -> None:
        self.findings.append(ResolveFinding(kind=kind, message=message, severity=severity))

    def add_license(self, license_id: str, source: str, detail: str) -> None:
        if license_id not in self.licenses:
            self.licenses.append(license_id)
        self.fact("license", source, f"{detail} -> {license_id}")

    def build(self) -> ModelRecord:
        from .cards import (  # cards are read only for snapshots, not catalog answers
            modality_from,
            parse_card,
        )

        snap = self.snap
        source = snap.source
        card = parse_card(snap.card_text, model_name=snap.model) if snap.card_text is not None else None
        if card is None:
            self.find("no-front-matter", "no model card found", "warning")
        elif card.front_matter == "unreadable":
            self.find("card-unreadable", card.error or "card metadata unreadable", "error")
        elif card.front_matter == "none":
            self.find("no-front-matter", "the card has no YAML front matter: no machine-readable license", "warning")
        for problem in snap.problems:
            self.find("license-unknown", f"license file not read: {problem}")
        if card is not None and card.front_matter == "ok":
            self._declared(card)
        files = self._files(declared=tuple(self.licenses))
        if not self.licenses and not self.choices and card is not None:
            self._fallbacks(card)
        declares = card is not None and card.front_matter == "ok" and (card.licenses or card.license_name)
        if not self.licenses and not self.choices:
            self.find("no-license-declared", "no license is declared in the card metadata, a license file or the text")
        elif card is not None and card.front_matter == "ok" and not declares:
            self.find("no-license-declared", "the card metadata declares no license (found elsewhere: "
                                             f"{', '.join(f.source for f in self.facts['license'])})")
        additional = self._section_licenses(card) if card is not None else []
        namespace = snap.model.split("/")[0] if "/" in snap.model else None
        pub = self.kb.publisher_for_namespace(namespace) if namespace else None
        entry = self.r.catalog.get(snap.model)
        modality = modality_from(card.pipeline_tag, card.tags) if card else "unknown"
        if modality != "unknown":
            self.fact("modality", source, f"pipeline_tag {card.pipeline_tag}" if card and card.pipeline_tag else "tags")
        elif entry is not None:
            modality = entry.modality
            self.fact("modality", "catalog", f"{self.r.catalog.file_of(entry)}: {entry.id}")
        if pub is None and entry is not None:
            pub = self.kb.publisher(entry.publisher)
        if pub is not None:
            self.fact("publisher", source if namespace and self.kb.publisher_for_namespace(namespace) else "catalog",
                      f"namespace {namespace}" if namespace else None)
        bases = self._bases(card)
        if card is not None and card.new_version:
            self.find("superseded", f"the card names a newer version: {card.new_version}", "info")
        return ModelRecord(
            reference=self.reference, model=snap.model, revision=snap.revision, source=source,
            name=entry.name if entry else None,
            publisher=pub.id if pub else None, publisher_name=pub.name if pub else None,
            country=pub.country if pub else None,
            declared_license=tuple(card.licenses) if card else (),
            license_name=card.license_name if card else None, license_link=card.license_link if card else None,
            licenses=tuple(self.licenses), additional_licenses=tuple(additional),
            license_choices=tuple(self.choices), license_files=tuple(files),
            modality=modality,
            params_b=entry.params_b if entry else None, release_date=entry.release_date if entry else None,
            base_models=tuple(bases), pipeline_tag=card.pipeline_tag if card else None,
            tags=tuple(card.tags) if card else (), datasets=tuple(card.datasets) if card else (),
            gated=card.gated if card else None, eu_disallowed=card.eu_disallowed if card else None,
            new_version=card.new_version if card else None, ollama=entry.ollama if entry else (),
            facts={k: tuple(v) for k, v in self.facts.items()}, findings=tuple(self.findings))

    def _declared(self, card: Card) -> None:
        where = f"{self.snap.card_name or 'card'} front matter"
        for value in card.licenses:
            if value == "other":
                continue
            if is_expression(value):
                self._expression(value, "card", f"{where} license: {value}")
                continue
            lic = self.kb.by_hf_id(value) or self.kb.by_alias(value) or self.kb.by_spdx(value)
            if lic:
                self.add_license(lic.id, "card", f"{where} license: {value}")
            else:
                self.find("license-unknown", f"license {value!r} is not in the knowledge base")
        if card.license_name:
            lic = self.kb.by_alias(card.license_name) or self.kb.by_hf_id(card.license_name) or self.kb.by_phrase(card.license_name)
            if lic:
                self.add_license(lic.id, "card", f"{where} license_name: {card.license_name}")
            elif not self._link_license(card):
                self.find("license-unknown", f"license_name {card.license_name!r} is not in the knowledge base")
        elif "other" in card.licenses and not self._link_license(card) and not card.license_link:
            self.find("license-unknown", "license: other without a license_name or license_link")
        if card.license_link:
            self._check_link(card)

    def _expression(self, value: str, source: str, detail: str) -> None:
        """An SPDX expression: AND adds every license; OR is a choice the evaluation makes under the policy."""
        from .errors import InputError
        from .expression import known_options, options

        try:
            opts = options(value)
        except InputError as exc:
            self.find("license-unknown", exc.message)
            return
        resolved, unresolved = known_options(opts, self.kb.by_spdx)
        if len(opts) == 1:
            if resolved:
                for lic_id in resolved[0]:
                    self.add_license(lic_id, source, detail)
            else:
                self.find("license-unknown", f"license expression {value!r}: {', '.join(unresolved)} not in the knowledge base")
            return
        self.fact("license", source, f"{detail} -> a choice of {len(opts)} options")
        if not resolved:
            self.find("license-unknown", f"license expression {value!r}: no option is fully in the knowledge base")
            return
        self.choices.append(LicenseChoice(expression=value, options=tuple(resolved), unresolved=tuple(unresolved)))

    def _link_license(self, card: Card) -> bool:
        if not card.license_link or "://" not in card.license_link:
            return False
        lic = self.kb.by_link(card.license_link)
        if lic:
            self.add_license(lic.id, "card", f"license_link {card.license_link}")
            return True
        return False

    def _check_link(self, card: Card) -> None:
        link = card.license_link or ""
        target = link.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        if "://" not in link:  # relative: a file in the model's own repository
            if self.snap.siblings is not None and target not in self.snap.siblings:
                self.find("license-link-unresolved", f"license_link {link!r} names a file the repository does not have")
            return
        lic = self.kb.by_link(link)
        if lic and self.licenses and lic.id not in self.licenses:
            self.find("license-conflict", f"license_link {link} points to {lic.id}, the card declares {', '.join(self.licenses)}")
        hub_file = "huggingface.co/" in link and ("/blob/" in link or "/resolve/" in link)
        if hub_file and target and not local.is_license_file(target):
            self.find("license-link-unresolved",
                      f"license_link {link} points to {target!r}, which is not a license file name (a typo?)")

    def _files(self, declared: tuple[str, ...]) -> list[LicenseFile]:
        """Identify the license files. A file naming code only (LICENSE-CODE beside LICENSE-MODEL) does not bind
        the weights; a file that disagrees with the card's declaration is a conflict (both then apply)."""
        files = []
        names = sorted(self.snap.license_texts)
        model_files = [n for n in names if "model" in n.lower()]
        from_files: list[str] = []
        for name in names:
            fact = Fact(source="license-file" if self.snap.source == "local" else self.snap.source,
                        revision=self.snap.revision, detail=name)
            lf = self._license_file(name, self.snap.license_texts[name], fact)
            files.append(lf)
            code_only = "code" in name.lower() and bool(model_files) and name not in model_files
            if lf.identified and lf.confidence >= MIN_FILE_CONFIDENCE and not code_only:
                self.add_license(lf.identified, "license-file", f"{name} ({lf.matched_by}, {lf.confidence:.2f})")
                if declared and lf.identified not in declared:
                    self.find("license-conflict", f"{name} is {lf.identified}; the card declares {', '.join(declared)}")
                if not declared and lf.identified not in from_files:
                    from_files.append(lf.identified)
            elif code_only and lf.identified:
                self.fact("code_license", "license-file", f"{name} -> {lf.identified} (code, not the weights)")
            elif not lf.identified:
                self.find("license-unknown", f"{name} does not match any known license")
        if from_files:
            self.find("license-from-file", f"license taken from the license files: {', '.join(from_files)}", "info")
        return files

    def _license_file(self, name: str, text: str, fact: Fact) -> LicenseFile:
        return self.r._license_file(name, text, fact)

    def _fallbacks(self, card: Card) -> None:
        from .identify import identify_text

        if card.gate_text:
            result = identify_text(card.gate_text, self.kb)
            if result.id and result.confidence >= MIN_FILE_CONFIDENCE:
                self.add_license(result.id, "gate-text", f"extra_gated_prompt ({result.matched_by}, {result.confidence:.2f})")
                self.find("license-from-gate-text", f"no license key; the gate text holds the {result.name}", "info")
                return
        from .notices import find, lookup

        for prose in card.prose_licenses:
            lic = self.kb.by_phrase(prose.phrase) or lookup(self.kb, prose.phrase)
            if lic:
                self.add_license(lic.id, "card-prose", f"“{prose.sentence}”")
        if not self.licenses and card.body:  # "released under CC BY-NC 4.0", "see LICENSE; DeepSeek License"
            from .normalize import clean

            ref = find(clean(card.body), self.kb)
            if ref:
                self.add_license(ref.license.id, "card-prose", f"reference: “{ref.sentence}”")
        if self.licenses:
            self.find("license-from-prose", f"license taken from the card text: {', '.join(self.licenses)}", "info")

    def _section_licenses(self, card: Card) -> list[str]:
        """Further terms the card's License section states for this model (TinySwallow: Apache-2.0 *and* the
        Gemma terms of its training data), beyond what it declares."""
        found: list[str] = []
        for kind, value, sentence in card.section_licenses:
            lic = self.kb.by_link(value) if kind == "link" else self.kb.by_phrase(value)
            if lic is None or lic.id in self.licenses or lic.id in found:
                continue
            found.append(lic.id)
            self.fact("additional_licenses", "card-prose", f"License section: “{sentence}” -> {lic.id}")
        if found:
            self.find("license-from-prose", f"the card's License section also states: {', '.join(found)}", "info")
        return found

    def _bases(self, card: Card | None) -> list[BaseRef]:
        bases: list[BaseRef] = []
        if card is None:
            return bases
        relation = self._relation(card)
        for base in card.base_models:
            bases.append(BaseRef(model=base, relation=relation,
                                 fact=Fact(source="card", revision=self.snap.revision, detail="front matter base_model")))
        if not bases:
            for prose in card.prose_bases:
                model = prose.model if HUB_ID.match(prose.model) else self._catalog_id(prose.model)
                if model and model.lower() != self.snap.model.lower():
                    bases.append(BaseRef(model=model, relation=prose.relation if prose.relation != "unknown" else relation,
                                         fact=Fact(source="card-prose", revision=self.snap.revision, detail=f"“{prose.sentence}”")))
                    break
        return bases

    def _catalog_id(self, name: str) -> str | None:
        """A base the card's prose names without its organization (``Meta-Llama-3.1-8B-Instruct``): the catalog
        model those exact parts denote, or None (never one of several candidates)."""
        entry = self.r.catalog.get(name) or self.r._by_repo_name(name)
        if entry is None:
            from .match import match_name

            entry = match_name(self.r.catalog, name).entry
        return entry.id if entry else None

    def _relation(self, card: Card) -> str:
        if card.base_model_relation in ("adapter", "merge", "quantized", "finetune"):
            return card.base_model_relation
        for tag in card.tags:
            parts = tag.split(":")
            if len(parts) >= 3 and parts[0] == "base_model" and parts[1] in ("adapter", "merge", "quantized", "finetune"):
                return parts[1]
        name = self.snap.model.lower()
        if str(card.metadata.get("library_name", "")).lower() == "peft":
            return "adapter"
        if "gguf" in name or "quantized_by" in card.metadata or any(t.lower() == "gguf" for t in card.tags):
            return "quantized"
        if len(card.base_models) > 1:
            return "merge"
        return "finetune"
