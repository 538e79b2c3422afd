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

from . import byname, knowledge
from . import catalog as catalog_mod
from . import providers as providers_mod
from .catalog import Catalog, CatalogEntry
from .errors import ResolveError
from .knowledge import KnowledgeBase
from .providers import Providers
from .lineage import build_lineage
from .model import BaseRef, Fact, LicenseFile, ModelRecord, Resolved, ResolveFinding
from .records import MIN_FILE_CONFIDENCE, RecordBuilder  # MIN_FILE_CONFIDENCE re-exported (gate imports it here)
from .references import Reference, parse_reference
from .sources import hf_cache, local, ollama
from .sources.base import Snapshot

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
    serving_tables: Providers | None = None  # the provider tables; loaded on first use (not on the hook path)
    _records: dict[str, ModelRecord | None] = field(default_factory=dict)

    @property
    def providers(self) -> Providers:
        if self.serving_tables is None:
            self.serving_tables = providers_mod.default()
        return self.serving_tables

    # --- public ------------------------------------------------------------------------------

    def resolve(self, raw: str) -> Resolved:
        """Resolve a reference and its lineage. Raises ResolveError when the model itself cannot be found."""
        reference = parse_reference(raw, base_dir=self.options.base_dir)
        record = self.record(reference)
        lineage, findings = build_lineage(record, self.lookup, self.kb, max_depth=self.options.max_depth,
                                          network=self.options.network)
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
        if ref.kind == "name" or ref.provider not in (None, "huggingface", "ollama-hf"):  # a provider's serving name
            found = byname.served(self, ref)
            if found is not None:
                return found
        if ref.kind == "ollama":
            legacy = self._legacy(ref)
            return legacy if legacy is not None else self._from_ollama(ref)
        if ref.kind == "name":
            return self._from_name(ref)
        found = self.lookup(ref.target, ref.revision, reference=ref.raw, rules=False)
        if found is None and ref.provider in (None, "huggingface"):  # cerebras/llama3.1-8b reads as a Hub id
            found = byname.served(self, ref)
        if found is None:
            found = byname.bare_served(self, ref, ref.target)
        if found is None:  # the grammar's catalog match, else the family rule for the id, else for its stem
            what = NOT_FOUND if not self.options.network else "not found"
            found = byname.by_grammar(self, ref, ref.target, tag=ref.quant, what=what, direct=ref.target,
                                      serving=bool(ref.provider and ref.provider != "ollama-hf"))
        return found

    def _legacy(self, ref: Reference) -> ModelRecord | None:
        """A bare pre-organization Hub id (``gpt2``, ``bert-base-uncased``): the Hub model it redirects to, never
        an Ollama name (``ollama/name`` or ``name:tag`` still reach Ollama). The cache folder the legacy id was
        downloaded under (``models--gpt2``) comes first, then the namespaced id through cache, Hub and catalog."""
        if ref.provider is not None or ":" in ref.target or "/" in ref.target:
            return None
        entry = self.catalog.legacy(ref.target)
        if entry is None:
            return None
        snap = hf_cache.snapshot(ref.target, root=self.options.cache_root)
        record = self.from_snapshot(ref.raw, snap) if snap is not None else self.lookup(entry.id)
        if record is None:  # pragma: no cover - the catalog has the row
            record = self.from_catalog(ref.raw, entry)
        facts = dict(record.facts)
        facts["model"] = (Fact(source="catalog", detail=(
            f"{ref.target} is the pre-organization Hub id of {entry.id} (the Hub redirects it; "
            f"{self.catalog.file_of(entry)}: {entry.checked['legacy_ids']})")),)
        return record.model_copy(update={"reference": ref.raw, "facts": facts})

    def _from_name(self, ref: Reference) -> ModelRecord:
        """A name behind a gateway or provider (``fireworks_ai/…/deepseek-r1``, ``openai/gpt-oss-20b``): the
        catalog, the provider tables, then the grammar. The Ollama table applies only to Ollama tags
        (``openai/llama3.1:8b`` on Ollama's OpenAI-compatible server), never to a provider's names."""
        for model_id in (ref.raw, ref.target):
            if self.catalog.get(model_id) is not None:
                return self.lookup(model_id) or self.from_catalog(ref.raw, self.catalog.get(model_id))
        if ":" in ref.target and ref.provider not in ("fireworks_ai",) and self.catalog.by_ollama(ref.target):
            return self._from_ollama(ref)
        entry = self._by_repo_name(ref.target)
        found = self.lookup(entry.id) if entry is not None else byname.bare_served(self, ref, ref.target)
        if found is None:
            found = byname.by_grammar(self, ref, ref.target, serving=True, what=(
                f"the model behind this {ref.provider or 'gateway'} name is not known; name it as org/name or an "
                "Ollama tag"))
        return _name_only(found, ref) if entry is not None else found

    def lookup(self, model_id: str, revision: str | None = None, *, reference: str | None = None,
               rules: bool = True) -> ModelRecord | None:
        """A Hub id through cache → Hub (online) → catalog → family rules; None when no source has it."""
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
            elif rules:
                record = self.from_rule(reference or model_id, model_id, revision=revision)
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
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            return None
        return ollama.read_manifest(path) if ollama.is_manifest(data) else None

    def _from_ollama(self, ref: Reference) -> ModelRecord:
        manifest = ollama.local_manifest(ref.target, self.options.ollama_root) if ref.kind == "ollama" else None
        entry = self.catalog.by_ollama(ref.target)
        stripped = byname.ollama_base_tag(ref.target) if entry is None else None
        if stripped is not None:  # llama3.1:8b-instruct-q4_K_M is llama3.1:8b, quantized
            entry = self.catalog.by_ollama(stripped)
        if entry is None and manifest is None:
            what = (f"Ollama model {ref.target!r} is not in the catalog or the local Ollama models "
                    f"({self.options.ollama_root or ollama.models_dir()}); name the underlying model as org/name, "
                    "or give a path")
            if "/" in ref.target.partition(":")[0]:  # a community namespace: anyone's weights under any name
                raise ResolveError(f"{ref.raw}: {what}")
            name, _, tag = ref.target.partition(":")
            return (byname.bare_served(self, ref, ref.target)
                    or byname.by_grammar(self, ref, name, tag=tag or None, serving=True, what=what))
        if manifest is not None and entry is None:
            return self._from_manifest(ref, manifest)
        record = self.lookup(entry.id) or self.from_catalog(ref.raw, entry)
        updates: dict = {"reference": ref.raw, "ollama": tuple(sorted({*record.ollama, ref.target}))}
        if ref.kind == "name":  # behind an OpenAI-compatible server: the name is all we know
            record = _name_only(record, ref)
        facts = dict(record.facts)
        how = f" ({ref.target} is {stripped} with its quantization or default variant)" if stripped else ""
        facts["model"] = (Fact(source="ollama", detail=f"{stripped or ref.target} is {entry.id} (catalog){how}"),)
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
        detail = f"{self.catalog.file_of(entry)}: {entry.id}"
        facts = {key: (Fact(source="catalog", detail=f"{detail}: {value}"),) for key, value in entry.checked.items()}
        facts.setdefault("license", (Fact(source="catalog", detail=detail),))
        if entry.revision:
            on = f" on {entry.revision_date.isoformat()}" if entry.revision_date else ""
            facts["revision"] = (Fact(source="catalog", revision=entry.revision,
                                      detail=f"card and license as checked at revision {entry.revision}{on}"),)
        findings = []
        if revision and revision != entry.revision:
            findings.append(ResolveFinding(kind="revision-not-pinned", severity="info", message=(
                f"revision {revision} was asked for; the catalog's facts are not tied to that revision")))
        return ModelRecord(
            reference=reference, model=entry.id, revision=revision or entry.revision, source="catalog", name=entry.name,
            publisher=entry.publisher, publisher_name=pub.name if pub else None, country=pub.country if pub else None,
            declared_license=entry.licenses, licenses=entry.licenses, modality=entry.modality,
            params_b=entry.params_b, release_date=entry.release_date,
            revision_date=entry.revision_date if (revision or entry.revision) == entry.revision else None,
            base_models=tuple(BaseRef(model=b.model, relation=b.relation, fact=Fact(source="catalog", detail=detail))
                              for b in entry.base_models),
            ollama=entry.ollama, facts=facts, findings=tuple(findings))

    def from_rule(self, reference: str, model_id: str, *, revision: str | None = None,
                  name_only: bool = False, size_b: float | None = None) -> ModelRecord | None:
        """A model the catalog does not list, from the family rule that covers its id (None: no rule, or two
        families cover it: an ambiguity the caller reports)."""
        matches = self.catalog.by_rule(model_id, size_b, name_only=name_only)
        if len(matches) != 1:
            return None
        rule = matches[0]
        family = rule.family
        pub = self.kb.publisher(family.publisher)
        detail = f"{rule.describe()} (checked: {family.checked['license']})"
        facts = {"license": (Fact(source="catalog", detail=detail),),
                 "modality": (Fact(source="catalog", detail=f"{rule.file}: family {family.id}"),)}
        findings = [ResolveFinding(kind="resolved-by-rule", severity="info", message=(
            f"{model_id} is not in the catalog; resolved by the {family.name} family rule "
            f"({rule.file}): {', '.join(rule.licenses)}"))]
        if revision:
            findings.append(ResolveFinding(kind="revision-not-pinned", severity="info", message=(
                f"revision {revision} was asked for; the family rule is not tied to a revision")))
        return ModelRecord(
            reference=reference, model=model_id, revision=revision, source="catalog", name=None,
            publisher=family.publisher, publisher_name=pub.name if pub else None, country=pub.country if pub else None,
            declared_license=rule.licenses, licenses=rule.licenses, modality=rule.modality, params_b=rule.size_b,
            facts=facts, findings=tuple(findings))

    def from_snapshot(self, reference: str, snap: Snapshot) -> ModelRecord:
        return RecordBuilder(self, reference, snap).build()


def _name_only(record: ModelRecord, ref: Reference) -> ModelRecord:
    return record.model_copy(update={"findings": record.findings + (ResolveFinding(
        kind="name-only", message=(f"{ref.raw}: a model served behind {ref.provider or 'a gateway'} is "
                                   f"identified by its name only, as {record.model}; confirm the weights")),)})
