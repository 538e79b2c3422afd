"""What resolution produces: a model's record, with the source and revision of every fact, its license files,
its base models, and what could not be determined (findings, never exceptions)."""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import Field

from .terms import Strict

SourceKind = Literal[
    "reference",  # the reference itself (an Ollama tag, a revision in org/name@rev)
    "card",  # model card front matter
    "card-prose",  # model card text ("licensed under", "fine-tuned from")
    "gate-text",  # the card's extra_gated_prompt
    "license-file",  # a LICENSE / USE_POLICY / NOTICE file read and identified
    "local",  # a local folder or file
    "cache",  # the Hugging Face cache, offline
    "hub",  # the Hugging Face Hub, online
    "catalog",  # the embedded catalog, licenses/models.yaml
    "ollama",  # an Ollama manifest or the Ollama library mapping
    "modelfile",  # an Ollama Modelfile LICENSE directive
    "lineage",  # inherited from a base model
    "name-hint",  # inferred from the model's name or tags when its lineage cannot be followed
    "name",  # the name grammar: a republication, serving name or tag matched to the catalog by its parts
]
Relation = Literal["finetune", "adapter", "merge", "quantized", "distillation", "continued-pretraining", "unknown"]
Modality = Literal["text", "multimodal", "vision", "image-generation", "audio", "video", "embedding", "code", "unknown"]


class Fact(Strict):
    """Where one fact came from: the source, the revision it was read at (where there is one), and detail
    (the file, the front-matter key, the catalog entry)."""

    source: SourceKind
    revision: str | None = None
    detail: str | None = None


class LicenseFile(Strict):
    """A license text read from the model's own files (or an Ollama license layer), and what it identified as."""

    name: str
    sha256: str
    normalized_sha256: str
    identified: str | None = None
    role: str | None = None
    confidence: float = 0.0
    matched_by: str | None = None
    fact: Fact


class LicenseChoice(Strict):
    """A declared SPDX expression with a choice (``Apache-2.0 OR MIT``): each option is the knowledge-base ids
    that apply together. The evaluation picks the most favourable option the policy allows and says which;
    ``unresolved`` lists the expression's licenses the knowledge base does not know (their options are never
    chosen)."""

    expression: str
    options: tuple[tuple[str, ...], ...]
    unresolved: tuple[str, ...] = ()


class BaseRef(Strict):
    model: str
    relation: Relation = "unknown"
    fact: Fact


class ResolveFinding(Strict):
    """Something resolution could not determine or found inconsistent. ``kind`` is a stable id."""

    kind: Literal[
        "card-unreadable",
        "no-front-matter",
        "no-license-declared",
        "license-unknown",
        "license-from-prose",
        "license-from-file",
        "license-from-gate-text",
        "license-link-unresolved",
        "base-unresolvable",
        "lineage-cycle",
        "lineage-too-deep",
        "license-mismatch",
        "undeclared-inheritance",
        "superseded",
        "license-conflict",
        "unknown-provenance",
        "revision-not-pinned",
        "name-only",
        "resolved-by-rule",
    ]
    message: str
    severity: Literal["info", "warning", "error"] = "warning"


class ModelRecord(Strict):
    """A resolved model: everything the evaluation needs, each fact with its source."""

    reference: str
    model: str
    revision: str | None = None
    revision_date: _dt.date | None = None  # the date of ``revision`` where the source states it (the catalog)
    source: SourceKind
    name: str | None = None
    publisher: str | None = None
    publisher_name: str | None = None
    country: str | None = None
    declared_license: tuple[str, ...] = ()
    license_name: str | None = None
    license_link: str | None = None
    licenses: tuple[str, ...] = ()
    additional_licenses: tuple[str, ...] = ()
    license_choices: tuple[LicenseChoice, ...] = ()
    license_files: tuple[LicenseFile, ...] = ()
    modality: Modality = "unknown"
    params_b: float | None = None
    release_date: _dt.date | None = None
    base_models: tuple[BaseRef, ...] = ()
    pipeline_tag: str | None = None
    tags: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    gated: bool | None = None
    eu_disallowed: bool | None = None
    new_version: str | None = None
    ollama: tuple[str, ...] = ()
    facts: dict[str, tuple[Fact, ...]] = Field(default_factory=dict)
    findings: tuple[ResolveFinding, ...] = ()


class Ancestor(Strict):
    """One node of a model's lineage."""

    model: str
    relation: Relation
    depth: Annotated[int, Field(ge=1)]
    parent: str
    licenses: tuple[str, ...] = ()
    declared_license: tuple[str, ...] = ()
    publisher: str | None = None
    country: str | None = None
    modality: Modality = "unknown"
    source: SourceKind | None = None
    resolved: bool = True
    inferred: bool = False
    superseded_by: str | None = None
    findings: tuple[ResolveFinding, ...] = ()


class Resolved(Strict):
    """A model record with its lineage: what ``compliance inspect`` prints and the evaluation judges."""

    record: ModelRecord
    lineage: tuple[Ancestor, ...] = ()
    findings: tuple[ResolveFinding, ...] = ()

    def effective_licenses(self) -> tuple[str, ...]:
        """The model's own licenses, the further terms its card's License section states, and every ancestor's
        (inferred ones included: unknown is never permissive; an ancestor its own publisher relicensed further
        down the line excluded), in order of appearance, without repeats."""
        seen: list[str] = []
        for lic in (*self.record.licenses, *self.record.additional_licenses,
                    *(lic for a in self.lineage if not a.superseded_by for lic in a.licenses)):
            if lic not in seen:
                seen.append(lic)
        return tuple(seen)

    def countries(self) -> tuple[str, ...]:
        seen: list[str] = []
        for country in (self.record.country, *(a.country for a in self.lineage)):
            if country and country not in seen:
                seen.append(country)
        return tuple(seen)
