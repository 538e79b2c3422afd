"""The vocabulary of model-license terms.

Every record in ``licenses/`` validates against :class:`LicenseTerms`; every term carries :class:`Evidence`
(the file, the license's own section label, and a quote of at most 25 words). The models are strict and
frozen: an unknown key or a wrong type in a record is an error, never silently ignored.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .countries import is_territory_code

MAX_QUOTE_WORDS = 25


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _short_quote(value: str | None) -> str | None:
    if value is not None:
        words = len(value.split())
        if words == 0:
            raise ValueError("quote is empty")
        if words > MAX_QUOTE_WORDS:
            raise ValueError(f"quote has {words} words; at most {MAX_QUOTE_WORDS} are allowed")
    return value


def _territory_code(value: str) -> str:
    if not is_territory_code(value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code or a known group (EU, EEA, WORLD)")
    return value


Quote = Annotated[str, AfterValidator(_short_quote)]
TerritoryCode = Annotated[str, AfterValidator(_territory_code)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Evidence(Strict):
    """Where a term comes from.

    ``file`` is the text's path inside the corpus (``llama-4/USE_POLICY.md``) for verified records, or the
    official URL for records whose text is not in the corpus. ``section`` is the license's own label.
    """

    file: str
    section: str
    quote: Quote | None = None


Evidences = Annotated[tuple[Evidence, ...], Field(min_length=1)]


# --- commercial use -------------------------------------------------------------------------------

CommercialStatus = Literal["allowed", "non-commercial", "research-only", "registration-required", "unknown"]


class CommercialUse(Strict):
    """``allowed``; ``non-commercial``; ``research-only`` (research or evaluation only);
    ``registration-required`` (commercial use needs registration with, or an application to, the licensor);
    ``unknown`` (a family id such as ``cc`` whose members differ: the text must be read)."""

    status: CommercialStatus
    note: str | None = None
    evidence: Evidences


# --- thresholds -----------------------------------------------------------------------------------

Metric = Literal["monthly_active_users", "daily_active_users", "annual_revenue", "monthly_revenue"]
USER_METRICS = frozenset({"monthly_active_users", "daily_active_users"})
REVENUE_METRICS = frozenset({"annual_revenue", "monthly_revenue"})
Consequence = Literal["request-license", "license-terminates", "display-name"]
MeasuredAt = Literal["version-release-date", "any-time", "while-commercially-using"]


class Threshold(Strict):
    """A figure above which the grant changes.

    ``comparison`` says when the consequence applies: ``greater-than`` the limit (Llama: "greater than 700
    million") or ``at-least`` the limit (Baichuan: commercial use only while DAU is "less than 1 million").
    """

    metric: Metric
    limit: Annotated[float, Field(gt=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    comparison: Literal["greater-than", "at-least"] = "greater-than"
    counts_affiliates: bool | None = None
    measured_at: MeasuredAt | None = None
    period: Literal["preceding-calendar-month", "preceding-year", "any"] | None = None
    consequence: Consequence
    display_text: str | None = None
    evidence: Evidences

    @model_validator(mode="after")
    def _units(self) -> Threshold:
        if self.metric in REVENUE_METRICS and self.currency is None:
            raise ValueError(f"{self.metric} needs a currency")
        if self.metric in USER_METRICS and self.currency is not None:
            raise ValueError(f"{self.metric} counts users and takes no currency")
        if self.consequence == "display-name" and not self.display_text:
            raise ValueError("a display-name consequence needs display_text")
        return self

    def exceeded_by(self, figure: float) -> bool:
        return figure >= self.limit if self.comparison == "at-least" else figure > self.limit


# --- territory ------------------------------------------------------------------------------------

TerritoryScope = Literal["license", "multimodal-models"]
TerritoryBasis = Literal["licensee-domicile", "place-of-use"]


class Territory(Strict):
    """Countries where the grant does not reach.

    ``scope``: the whole license, or only the multimodal models it covers (Llama 3.2, 3.3 and 4 use policies).
    ``basis``: ``licensee-domicile`` binds where the licensee is domiciled or has its principal place of
    business (Llama); ``place-of-use`` binds where the materials are used or distributed (Hunyuan's Territory).
    """

    excluded: Annotated[tuple[TerritoryCode, ...], Field(min_length=1)]
    scope: TerritoryScope = "license"
    basis: TerritoryBasis = "place-of-use"
    end_users_exempt: bool = False
    evidence: Evidences


# --- attribution and notices ----------------------------------------------------------------------

ObligationKind = Literal["license-copy", "notice-file", "modification-notice", "built-with", "powered-by", "name-prefix",
                         "display-name", "source-disclosure", "same-license"]
ObligationScope = Literal["redistribution", "hosted-service", "derivatives", "derivative-models"]
OBLIGATION_KINDS: tuple[str, ...] = ObligationKind.__args__  # type: ignore[attr-defined]


def _notice_text(value: str | None) -> str | None:
    if value is not None and len(value.split()) > MAX_QUOTE_WORDS:
        raise ValueError(f"obligation text is at most {MAX_QUOTE_WORDS} words; set text_continues for a longer notice")
    return value


class ScaleTrigger(Strict):
    """One figure of the organization (or of the product built on the materials) above which a duty binds: Kimi
    K2's display duty binds above 100 million monthly active users *or* USD 20 million monthly revenue. It is
    not a cap on the grant (see :class:`Threshold`): below the figure the duty simply does not bind yet."""

    metric: Metric
    limit: Annotated[float, Field(gt=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    comparison: Literal["greater-than", "at-least"] = "greater-than"

    @model_validator(mode="after")
    def _units(self) -> ScaleTrigger:
        if self.metric in REVENUE_METRICS and self.currency is None:
            raise ValueError(f"{self.metric} needs a currency")
        if self.metric in USER_METRICS and self.currency is not None:
            raise ValueError(f"{self.metric} counts users and takes no currency")
        return self

    def exceeded_by(self, figure: float) -> bool:
        return figure >= self.limit if self.comparison == "at-least" else figure > self.limit


class Obligation(Strict):
    """An attribution or notice duty.

    ``text`` is the exact string the license requires (the NOTICE sentence, "Built with Llama", the name
    prefix "Llama"), at most 25 words: where the required notice runs on, ``text_continues`` says the rest must be
    copied from the license itself. ``required`` is false where the license only encourages it. ``applies_to`` says which
    acts trigger it: redistribution of the materials, a hosted service, derivative works, or models trained or
    improved with the materials or their outputs (``derivative-models``). ``condition`` limits the duty to some of
    the license's models ("NVIDIA Cosmos models only"): the tool lists it but cannot tell whether it binds.
    """

    kind: ObligationKind
    text: Annotated[str | None, AfterValidator(_notice_text)] = None
    text_continues: bool = False
    required: bool = True
    applies_to: Annotated[tuple[ObligationScope, ...], Field(min_length=1)]
    condition: str | None = None
    triggered_by: tuple[ScaleTrigger, ...] = ()
    evidence: Evidences


# --- use restrictions -----------------------------------------------------------------------------


class AcceptableUsePolicy(Strict):
    """An acceptable-use (or prohibited-use) policy that the license incorporates by reference."""

    name: str | None = None
    url: str | None = None
    incorporated_by_reference: bool = True
    may_be_updated: bool | None = None
    evidence: Evidences


UseCategory = Literal[
    "military",
    "weapons",
    "illegal-activity",
    "medical-advice",
    "automated-legal-decisions",
    "high-stakes-automated-decisions",
    "law-enforcement",
    "surveillance",
    "biometric-identification",
    "critical-infrastructure",
    "discrimination",
    "disinformation",
    "harm-to-minors",
    "malware",
    "privacy",
    "regulated-content",
    "other",
]
USE_CATEGORIES: tuple[str, ...] = UseCategory.__args__  # type: ignore[attr-defined]


class UseRestriction(Strict):
    """A field-of-use restriction stated in the license or its use policy. ``summary`` is in our words."""

    category: UseCategory
    summary: str
    evidence: Evidences


class PassThrough(Strict):
    """Whether the licensee must pass the use restrictions on to downstream users (an enforceable provision
    in any agreement, or notice to recipients)."""

    required: bool
    evidence: Evidences


OutputRule = Literal[
    "allowed",
    "allowed-with-naming",
    "prohibited-other-llms",
    "prohibited-any-ai-model",
    "prohibited-foundation-models",
    "prohibited-competing-models",
    "not-addressed",
]


class OutputUse(Strict):
    """Using outputs to create or improve other models.

    ``prohibited-other-llms``: not to improve any other large language model (Llama 2 and 3, Tongyi, DBRX,
    Hunyuan Large); ``prohibited-any-ai-model``: any other AI model (Hunyuan A13B, 3D-2);
    ``prohibited-foundation-models``: foundational generative models (Stability);
    ``prohibited-competing-models``: models that compete with the licensed one (FLUX.1 [dev]); ``allowed-with-naming``:
    allowed, but the resulting model's name must begin with ``naming`` (Llama 3.1 and later).
    ``distillation_is_derivative``: a model distilled from outputs is itself bound (Gemma, DeepSeek, RAIL).
    """

    rule: OutputRule
    naming: str | None = None
    distillation_is_derivative: bool = False
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _evidence_unless_silent(self) -> OutputUse:
        if self.rule != "not-addressed" and not self.evidence:
            raise ValueError(f"output_use {self.rule!r} needs evidence")
        if self.rule == "allowed-with-naming" and not self.naming:
            raise ValueError("allowed-with-naming needs the required name in 'naming'")
        return self


# --- copyleft, no-derivatives, public domain ---------------------------------------------------------

CopyleftStrength = Literal["weak", "strong", "network"]


class Copyleft(Strict):
    """Share-alike / copyleft: modified versions (and, for ``strong``, works based on it) must be offered under
    the same license. ``weak``: the duty stops at the file or library (MPL, LGPL, EPL) or is a share-alike of
    the material itself (CC BY-SA, ODbL); ``strong``: the whole derived work (GPL); ``network``: also when users
    interact with a modified version over a network (AGPL section 13, OSL external deployment)."""

    strength: CopyleftStrength
    applies_to: Annotated[tuple[ObligationScope, ...], Field(min_length=1)]
    summary: str
    evidence: Evidences


class NoDerivatives(Strict):
    """Adapted material may be made but not shared (CC ND): a fine-tuned model may not be distributed."""

    summary: str
    evidence: Evidences


class PublicDomain(Strict):
    """A public-domain dedication or waiver (CC0, Unlicense, PDDL): no conditions to meet."""

    summary: str
    evidence: Evidences


# --- termination, remote control, law -------------------------------------------------------------

TerminationTrigger = Literal[
    "breach", "litigation", "guardrail-bypass", "threshold-exceeded", "regulatory-update", "at-will", "territory"
]


class Termination(Strict):
    trigger: TerminationTrigger
    automatic: bool
    summary: str | None = None
    evidence: Evidences


class RemoteRestriction(Strict):
    """The licensor reserves the right to restrict use remotely or otherwise (a kill switch)."""

    summary: str
    evidence: Evidences


class GoverningLaw(Strict):
    """``jurisdiction`` is an ISO 3166 code, with the subdivision where one is named (``US-CA``, ``CN``, ``HK``)."""

    jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    law: str
    venue: str | None = None
    evidence: Evidences


class ExportControl(Strict):
    regimes: tuple[str, ...] = ()
    summary: str
    evidence: Evidences


# --- identity -------------------------------------------------------------------------------------

TextRole = Literal["license", "use-policy", "notice"]


class LicenseText(Strict):
    """One official text of the license, as it stands in the corpus: its path there, what it is, and hashes of
    the raw bytes and of the normalized text (the identification key). The text itself is never stored."""

    path: str
    role: TextRole = "license"
    sha256: Sha256
    normalized_sha256: Sha256
    words: int
    note: str | None = None


def _marker(value: str) -> str:
    from .normalize import normalize

    if normalize(value) != value:
        raise ValueError(f"marker {value!r} is not in normalized form (lower case, single spaces, straight quotes)")
    if len(value.split()) > MAX_QUOTE_WORDS:
        raise ValueError("a marker is a short phrase, at most 25 words")
    return value


Marker = Annotated[str, AfterValidator(_marker)]


class Identification(Strict):
    """Phrases that identify one document of the license (``role``) when its hash is unknown (reflowed, cut,
    edited, title removed).

    ``markers`` are distinctive phrases in normalized form, spread over the whole document so that a truncated
    copy still carries most of them. ``version_markers`` tell this version from its siblings (Llama 3.1 and
    3.2 differ only in version strings and URLs): a text carrying another record's version markers and none of
    this one's is not this one.
    """

    role: TextRole = "license"
    markers: Annotated[tuple[Marker, ...], Field(min_length=3)]
    version_markers: tuple[Marker, ...] = ()


Kind = Literal["permissive", "copyleft", "open-model", "responsible-ai", "non-commercial", "proprietary"]


class LicenseTerms(Strict):
    """What one license version says, term by term, each with its evidence."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")]
    name: str
    version: str | None = None
    date: _dt.date | None = None
    publisher: str
    family: str
    kind: Kind
    osi_approved: bool = False
    spdx: Annotated[str, Field(pattern=r"^([A-Za-z0-9.+-]+|LicenseRef-[A-Za-z0-9.-]+)$")]
    hf_ids: tuple[str, ...] = ()
    hf_license_names: tuple[str, ...] = ()
    license_link_patterns: tuple[str, ...] = ()
    source_url: str
    verified: bool
    texts: tuple[LicenseText, ...] = ()
    summary: str

    commercial_use: CommercialUse
    thresholds: tuple[Threshold, ...] = ()
    territory: Territory | None = None
    attribution: tuple[Obligation, ...] = ()
    acceptable_use: AcceptableUsePolicy | None = None
    field_of_use: tuple[UseRestriction, ...] = ()
    pass_through: PassThrough | None = None
    output_use: OutputUse = OutputUse(rule="not-addressed")
    copyleft: Copyleft | None = None
    no_derivatives: NoDerivatives | None = None
    public_domain: PublicDomain | None = None
    termination: tuple[Termination, ...] = ()
    remote_restriction: RemoteRestriction | None = None
    governing_law: GoverningLaw | None = None
    export_control: ExportControl | None = None
    identify: tuple[Identification, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> LicenseTerms:
        if self.verified and not self.texts:
            raise ValueError("a verified record lists the corpus texts it was checked against")
        if self.verified and not any(i.role == "license" for i in self.identify):
            raise ValueError("a verified record needs identification markers for its license text")
        roles = [i.role for i in self.identify]
        if len(roles) != len(set(roles)):
            raise ValueError("one identify entry per document role")
        if self.osi_approved and self.spdx.startswith("LicenseRef-"):
            raise ValueError("an OSI-approved license has an SPDX list id, not a LicenseRef")
        for pattern in self.license_link_patterns:
            re.compile(pattern)
        return self

    def evidence(self) -> list[tuple[str, Evidence]]:
        """Every (term name, evidence) pair in the record, in a stable order."""
        pairs: list[tuple[str, Evidence]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                if isinstance(item, BaseModel) and hasattr(item, "evidence"):
                    pairs.extend((name, ev) for ev in item.evidence)
        return pairs

    def obligations(self, kind: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.attribution if o.kind == kind)


# --- publishers -----------------------------------------------------------------------------------


class Publisher(Strict):
    """An organization (or individual) that publishes models, with its country of origin.

    ``namespaces`` are Hugging Face organization or user names; ``country`` is None when unknown (individual
    uploaders): the tool never guesses a country.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    name: str
    legal_entity: str | None = None
    country: Annotated[str, AfterValidator(_territory_code)] | None = None
    kind: Literal["company", "research-institute", "government", "community", "individual"] = "company"
    namespaces: tuple[str, ...] = ()
    source: str | None = None
