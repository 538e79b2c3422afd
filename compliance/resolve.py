"""Any model reference → a :class:`~compliance.model.Resolved` record with its lineage.

Precedence: an explicit path wins; otherwise the Hugging Face cache, then the Hub (only when online), then the
embedded catalog. Ollama names go through local manifests and the catalog. Whatever the source, the catalog
supplements facts the source did not state (modality, parameters, release date), each marked as coming from it.
Network use is off unless asked for (``online=True``, ``--online``); ``HF_HUB_OFFLINE`` forces it off.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import catalog as catalog_mod
from . import knowledge
from .catalog import Catalog, CatalogEntry
from .errors import ResolveError
from .knowledge import KnowledgeBase
from .lineage import build_lineage
from .model import BaseRef, Fact, LicenseFile, ModelRecord, Resolved, ResolveFinding
from .references import HUB_ID, Reference, parse_reference
from .sources import hf_cache, local, ollama
from .sources.base import Snapshot

if TYPE_CHECKING:
    from .cards import Card

MIN_FILE_CONFIDENCE = 0.6
NOT_FOUND = "not found in cache or catalog; give a path, or run online"


def offline_forced() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Options:
    online: bool = False
    max_depth: int = 10
    cache_root: Path | None = None
    ollama_root: Path | None = None
    base_dir: Path | None = None

    @property
    def network(self) -> bool:
        return self.online and not offline_forced()


@dataclass
class Resolver:
    options: Options = field(default_factory=Options)
    kb: KnowledgeBase = field(default_factory=knowledge.default)
    catalog: Catalog = field(default_factory=catalog_mod.default)
    _records: dict[str, ModelRecord | None] = field(default_factory=dict)

    # --- public ------------------------------------------------------------------------------

    def resolve(self, raw: str) -> Resolved:
        """Resolve a reference and its lineage. Raises ResolveError when the model itself cannot be found."""
        reference = parse_reference(raw, base_dir=self.options.base_dir)
        record = self.record(reference)
        lineage, findings = build_lineage(record, self)
        if record.modality == "unknown":  # a quantization or fine-tune has its base's modality
            parent = next((a for a in lineage if a.depth == 1 and a.resolved and a.modality != "unknown"), None)
            if parent is not None:
                facts = dict(record.facts)
                facts["modality"] = (Fact(source="lineage", detail=f"from {parent.model} ({parent.relation})"),)
                record = record.model_copy(update={"modality": parent.modality, "facts": facts})
        return Resolved(record=record, lineage=tuple(lineage), findings=tuple(findings))

    def record(self, ref: Reference) -> ModelRecord:
        if ref.kind == "path":
            return self._from_path(ref)
        if ref.kind in ("ollama", "name"):
            return self._from_ollama(ref)
        found = self.lookup(ref.target, ref.revision, reference=ref.raw)
        if found is None:
            raise ResolveError(f"{ref}: {NOT_FOUND}" if not self.options.network else f"{ref}: not found")
        return found

    def lookup(self, model_id: str, revision: str | None = None, *, reference: str | None = None) -> ModelRecord | None:
        """A Hub id through cache → Hub (online) → catalog; None when no source has it."""
        key = f"{model_id.lower()}@{revision or ''}"
        if reference is None and key in self._records:
            return self._records[key]
        record: ModelRecord | None = None
        snap = hf_cache.snapshot(model_id, revision, root=self.options.cache_root)
        if snap is None and self.options.network:
            from .sources import hub  # the only importer of huggingface_hub

            snap = hub.snapshot(model_id, revision)
        if snap is not None:
            record = self.from_snapshot(reference or model_id, snap)
        else:
            entry = self.catalog.get(model_id)
            if entry is not None:
                record = self.from_catalog(reference or model_id, entry, revision=revision)
        if reference is None:
            self._records[key] = record
        return record

    # --- sources -----------------------------------------------------------------------------

    def _from_path(self, ref: Reference) -> ModelRecord:
        path = Path(ref.target)
        if path.is_file() and path.suffix == ".json":
            manifest = self._try_manifest(path)
            if manifest is not None:
                return self._from_manifest(ref, manifest)
        snap = local.snapshot(path)
        if "weights_file" in snap.info:
            return ModelRecord(
                reference=ref.raw, model=snap.model, source="local",
                facts={"model": (Fact(source="local", detail=str(path)),)},
                findings=(ResolveFinding(kind="unknown-provenance", severity="error",
                                         message=f"{path.name} is a weights file whose origin cannot be known from "
                                                 "the file alone: name the model it came from"),))
        return self.from_snapshot(ref.raw, snap)

    def _try_manifest(self, path: Path) -> ollama.Manifest | None:
        import json

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return ollama.read_manifest(path) if ollama.is_manifest(data) else None

    def _from_ollama(self, ref: Reference) -> ModelRecord:
        manifest = ollama.local_manifest(ref.target, self.options.ollama_root) if ref.kind == "ollama" else None
        entry = self.catalog.by_ollama(ref.target)
        if entry is None and ref.kind == "name":
            entry = self.catalog.get(ref.target) or self._by_repo_name(ref.target)
        if entry is None and manifest is None:
            if ref.kind == "name":
                raise ResolveError(f"{ref.raw}: the model behind this {ref.provider or 'gateway'} name is not known; "
                                   "name it as org/name or an Ollama tag")
            raise ResolveError(f"{ref.raw}: Ollama model {ref.target!r} is not in the catalog or the local Ollama "
                               f"models ({self.options.ollama_root or ollama.models_dir()}); name the underlying "
                               "model as org/name, or give a path")
        if manifest is not None and entry is None:
            return self._from_manifest(ref, manifest)
        record = self.lookup(entry.id) or self.from_catalog(ref.raw, entry)
        updates: dict = {"reference": ref.raw, "ollama": tuple(sorted({*record.ollama, ref.target}))}
        if ref.kind == "name":  # behind an OpenAI-compatible server: the name is all we know
            record = record.model_copy(update={"findings": record.findings + (ResolveFinding(
                kind="name-only", message=(f"{ref.raw}: a model served behind {ref.provider or 'a gateway'} is "
                                           f"identified by its name only, as {entry.id}; confirm the weights")),)})
        facts = dict(record.facts)
        facts["model"] = (Fact(source="ollama", detail=f"{ref.target} is {entry.id} (catalog)"),)
        updates["facts"] = facts
        if manifest is not None:
            files, findings = self._manifest_files(manifest)
            updates["license_files"] = record.license_files + files
            conflicting = {f.identified for f in files if f.identified} - set(record.licenses)
            if conflicting:
                findings.append(ResolveFinding(kind="license-conflict", message=(
                    f"the local Ollama manifest's license layers identify as {', '.join(sorted(conflicting))}, "
                    f"but {entry.id} is under {', '.join(record.licenses)}")))
            updates["findings"] = record.findings + tuple(findings)
        return record.model_copy(update=updates)

    def _by_repo_name(self, name: str) -> CatalogEntry | None:
        wanted = name.lower()
        matches = [e for e in self.catalog if e.id.split("/")[-1].lower() == wanted]
        return matches[0] if len(matches) == 1 else None

    def _manifest_files(self, manifest: ollama.Manifest) -> tuple[tuple[LicenseFile, ...], list[ResolveFinding]]:
        files: list[LicenseFile] = []
        findings: list[ResolveFinding] = []
        for layer in manifest.licenses:
            fact = Fact(source="ollama", detail=f"{manifest.path}: license layer {layer.digest}")
            digest = layer.digest.removeprefix("sha256:")
            if layer.text is None:
                found = self.kb.by_hash(digest)
                files.append(LicenseFile(name=layer.digest, sha256=digest, normalized_sha256=digest,
                                         identified=found[0].id if found else None, role=found[1] if found else None,
                                         confidence=1.0 if found else 0.0, matched_by="hash" if found else None,
                                         fact=fact))
                if not found:
                    findings.append(ResolveFinding(kind="license-unknown", severity="warning",
                                                   message=f"license layer {layer.digest}: {layer.problem}"))
                continue
            files.append(self._license_file(layer.digest, layer.text, fact))
        return tuple(files), findings

    def _from_manifest(self, ref: Reference, manifest: ollama.Manifest) -> ModelRecord:
        files, findings = self._manifest_files(manifest)
        licenses = tuple(dict.fromkeys(f.identified for f in files if f.identified and f.confidence >= MIN_FILE_CONFIDENCE))
        entry = self.catalog.by_ollama(manifest.name)
        if entry is not None:
            base = self.lookup(entry.id) or self.from_catalog(ref.raw, entry)
            return base.model_copy(update={"reference": ref.raw, "license_files": files,
                                           "ollama": tuple(sorted({*base.ollama, manifest.name})),
                                           "findings": base.findings + tuple(findings)})
        if not licenses:
            findings.append(ResolveFinding(kind="no-license-declared", message=f"{manifest.name}: no license layer identified"))
        return ModelRecord(reference=ref.raw, model=manifest.name, source="ollama", licenses=licenses,
                           license_files=files, ollama=(manifest.name,),
                           facts={"licenses": tuple(f.fact for f in files)} if files else {},
                           findings=tuple(findings))

    # --- building records --------------------------------------------------------------------

    def _license_file(self, name: str, text: str, fact: Fact) -> LicenseFile:
        from .identify import identify_text  # not on the catalog path (a pre-commit hook rarely reads licenses)

        result = identify_text(text, self.kb, file=name)
        return LicenseFile(name=name, sha256=result.sha256 or "", normalized_sha256=result.normalized_sha256 or "",
                           identified=result.id, role=result.role, confidence=result.confidence,
                           matched_by=result.matched_by, fact=fact)

    def from_catalog(self, reference: str, entry: CatalogEntry, *, revision: str | None = None) -> ModelRecord:
        pub = self.kb.publisher(entry.publisher)
        detail = f"licenses/models.yaml: {entry.id}"
        facts = {key: (Fact(source="catalog", detail=f"{detail}: {value}"),) for key, value in entry.checked.items()}
        facts.setdefault("license", (Fact(source="catalog", detail=detail),))
        findings = []
        if revision and revision != entry.revision:
            findings.append(ResolveFinding(kind="revision-not-pinned", severity="info", message=(
                f"revision {revision} was asked for; the catalog's facts are not tied to that revision")))
        return ModelRecord(
            reference=reference, model=entry.id, revision=revision or entry.revision, source="catalog", name=entry.name,
            publisher=entry.publisher, publisher_name=pub.name if pub else None, country=pub.country if pub else None,
            declared_license=entry.licenses, licenses=entry.licenses, modality=entry.modality,
            params_b=entry.params_b, release_date=entry.release_date,
            base_models=tuple(BaseRef(model=b.model, relation=b.relation, fact=Fact(source="catalog", detail=detail))
                              for b in entry.base_models),
            ollama=entry.ollama, facts=facts, findings=tuple(findings))

    def from_snapshot(self, reference: str, snap: Snapshot) -> ModelRecord:
        return RecordBuilder(self, reference, snap).build()


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

    def fact(self, key: str, source: str, detail: str | None = None) -> None:
        self.facts.setdefault(key, []).append(Fact(source=source, revision=self.snap.revision, detail=detail))

    def find(self, kind: str, message: str, severity: str = "warning") -> None:
        self.findings.append(ResolveFinding(kind=kind, message=message, severity=severity))

    def add_license(self, license_id: str, source: str, detail: str) -> None:
        if license_id not in self.licenses:
            self.licenses.append(license_id)
        self.fact("license", source, f"{detail} -> {license_id}")

    def build(self) -> ModelRecord:
        from .cards import modality_from, parse_card  # cards are read only for snapshots, not catalog answers

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
        if not self.licenses and card is not None:
            self._fallbacks(card)
        declares = card is not None and card.front_matter == "ok" and (card.licenses or card.license_name)
        if not self.licenses:
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
            self.fact("modality", "catalog", f"licenses/models.yaml: {entry.id}")
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
            licenses=tuple(self.licenses), additional_licenses=tuple(additional), license_files=tuple(files),
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
            lic = self.kb.by_hf_id(value) or self.kb.by_alias(value)
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
        for prose in card.prose_licenses:
            lic = self.kb.by_phrase(prose.phrase)
            if lic:
                self.add_license(lic.id, "card-prose", f"“{prose.sentence}”")
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
        entry = self.r.catalog.get(name) or self.r._by_repo_name(name)
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
