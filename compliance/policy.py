"""Organization policies: who the organization is, what it accepts, and what each rule decides.

A policy is YAML, validated strictly (a typo is an error naming the file, line and key). ``extends: base.yaml``
(relative to the file) inherits a policy: mappings merge key by key, lists and values replace, and
``exceptions`` accumulate (the base's first). Omitted rules take the defaults documented on each field; they
fail closed (an unknown license is denied).
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .countries import COUNTRIES, canonical
from .errors import ComplianceError, PolicyError
from .terms import OBLIGATION_KINDS, ObligationKind
from .yamlio import key_lines, locate, parse_yaml, read_text, validate

def _yaml_off(value: Any) -> Any:
    """YAML reads a bare ``off`` (and ``no``) as false: that is the decision "off"."""
    return "off" if value is False else value


Decision = Annotated[Literal["allow", "review", "deny", "off"], BeforeValidator(_yaml_off)]
RULE_IDS = (
    "license", "unknown-license", "origin", "user-threshold", "territory", "non-commercial", "registration",
    "attribution", "acceptable-use", "output-use", "field-of-use", "lineage", "remote-restriction",
    "copyleft", "no-derivatives",
)
ACTIVITIES = ("hosted-service", "fine-tune", "redistribute-weights", "train-on-outputs", "distill", "on-device",
              "internal-tools")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _code(value: str) -> str:
    found = canonical(value)
    if found is None:
        raise ValueError(f"unknown country or group {value!r} (ISO 3166-1 alpha-2, or EU, EEA, WORLD)")
    return found


def _country(value: str) -> str:
    found = canonical(value)
    if found is None or found not in COUNTRIES:
        raise ValueError(f"unknown country code {value!r} (ISO 3166-1 alpha-2, e.g. DE, US)")
    return found


def _number(value: Any) -> Any:
    """YAML reads ``true``/``yes`` as a boolean, which Python counts as 1: a figure is never a boolean."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()}")
    return value


def _date(value: Any) -> Any:
    """A date is written as one (2026-06-30), not as a number a parser would read as seconds since 1970."""
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"expected a date (YYYY-MM-DD), not {value!r}")
    return value


Count = Annotated[int, Field(ge=0), BeforeValidator(_number)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False), BeforeValidator(_number)]
TerritoryCode = Annotated[str, AfterValidator(_code)]
CountryCode = Annotated[str, AfterValidator(_country)]


class Organization(Strict):
    """Who the organization is. Figures left out are asked for when a license's threshold needs them."""

    name: str | None = None
    domicile: CountryCode | None = Field(None, description="Where the company is based (ISO 3166-1 alpha-2).")
    regions: tuple[TerritoryCode, ...] = Field((), description="Where the product is offered: codes or EU, EEA, WORLD.")
    monthly_active_users: Count | None = None
    daily_active_users: Count | None = None
    annual_revenue_usd: Amount | None = None
    monthly_revenue_usd: Amount | None = None
    use: Literal["commercial", "internal", "research"] = "commercial"
    sector: Literal["private", "government", "defense"] = "private"
    activities: tuple[Literal[ACTIVITIES], ...] = Field(  # type: ignore[valid-type]
        (), description="What the organization does with models; obligations that no activity triggers are "
                        "not listed. Empty: every obligation applies.")


class Licenses(Strict):
    allow: tuple[str, ...] = Field((), description="License ids accepted (empty: no allow-list).")
    deny: tuple[str, ...] = Field((), description="License ids always denied.")
    unknown: Literal["deny", "review"] = Field("deny", description="Decision when no license can be identified.")


def _shorthand(value: Any) -> Any:
    """``territory: deny`` means ``territory: {decision: deny}`` (and ``territory: off``, read by YAML as false,
    ``{decision: off}``)."""
    return {"decision": _yaml_off(value)} if isinstance(value, (str, bool)) else value


class Rule(Strict):
    decision: Decision


class OriginRule(Strict):
    deny: tuple[TerritoryCode, ...] = Field((), description="Publisher countries (or groups) the rule catches.")
    decision: Decision = "deny"
    unknown: Decision = Field("off", description="Decision when no publisher in the lineage has a known country.")


class ThresholdRule(Strict):
    headroom: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), BeforeValidator(_number)] = Field(
        1.0, description="Trigger when the organization's figure exceeds limit × headroom.")
    decision: Decision = "deny"
    missing: Decision = Field("review", description="Decision when the policy does not state the figure a threshold needs.")


class AttributionRule(Strict):
    accept: tuple[ObligationKind, ...] = Field(
        ("license-copy", "notice-file", "modification-notice"),
        description="Attribution duties the organization has accepted to meet.")
    otherwise: Decision = "review"


class CopyleftRule(Strict):
    weak: Decision = Field("off", description="Weak copyleft or share-alike (MPL, LGPL, EPL, CC BY-SA, ODbL) when "
                                               "the organization redistributes or modifies.")
    strong: Decision = Field("review", description="Strong copyleft (GPL, EUPL, GFDL) when the organization "
                                                   "redistributes or modifies.")
    network: Decision = Field("review", description="Network copyleft (AGPL, OSL) when the organization offers a "
                                                    "hosted service, redistributes or modifies.")


class FieldOfUseRule(Strict):
    decision: Decision = "review"
    defense: Decision = Field("deny", description="Decision when sector is defense and a license bans military use.")


class Rules(Strict):
    license: Rule = Field(Rule(decision="deny"), description="An identified license not in licenses.allow.")
    origin: OriginRule = OriginRule()
    user_threshold: ThresholdRule = Field(ThresholdRule(), alias="user-threshold")
    territory: Rule = Rule(decision="deny")
    non_commercial: Rule = Field(Rule(decision="deny"), alias="non-commercial")
    registration: Rule = Rule(decision="review")
    attribution: AttributionRule = AttributionRule()
    acceptable_use: Rule = Field(Rule(decision="review"), alias="acceptable-use")
    output_use: Rule = Field(Rule(decision="review"), alias="output-use")
    field_of_use: FieldOfUseRule = Field(FieldOfUseRule(), alias="field-of-use")
    lineage: Rule = Rule(decision="review")
    remote_restriction: Rule = Field(Rule(decision="off"), alias="remote-restriction")
    copyleft: CopyleftRule = Field(CopyleftRule(), description="Share-alike and copyleft duties.")
    no_derivatives: Rule = Field(Rule(decision="deny"), alias="no-derivatives",
                                 description="A no-derivatives license (CC ND) when the organization fine-tunes or "
                                             "distills and redistributes.")

    @field_validator("*", mode="before")
    @classmethod
    def _decision_shorthand(cls, value: Any) -> Any:
        return _shorthand(value)

    def get(self, rule_id: str) -> BaseModel:
        return getattr(self, rule_id.replace("-", "_"))


class PolicyException(Strict):
    """A waiver: findings of ``rule`` for models matching ``model`` (an id or a glob) become waived until
    ``expires`` (inclusive, a UTC date)."""

    model: str
    rule: Literal[RULE_IDS]  # type: ignore[valid-type]
    reason: Annotated[str, Field(min_length=3)]
    approved_by: Annotated[str, Field(min_length=3)]
    expires: Annotated[_dt.date, BeforeValidator(_date)]
    ticket: str | None = None

    def matches(self, *names: str) -> bool:
        pattern = self.model.lower()
        return any(n and fnmatch.fnmatchcase(n.lower(), pattern) for n in names)


class Policy(Strict):
    name: str | None = None
    description: str | None = None
    extends: str | None = Field(None, description="A policy file this one inherits from (relative path).")
    organization: Organization = Organization()
    licenses: Licenses = Licenses()
    rules: Rules = Rules()
    exceptions: tuple[PolicyException, ...] = ()
    exclude: tuple[str, ...] = Field((), exclude=True,  # never serialized: not in the hash, reports or locks
                                     description="compliance scan only: globs of paths it leaves out "
                                                 "(tests/**, vendor/**, docs/**). Not part of the policy's hash.")

    @model_validator(mode="after")
    def _names(self) -> Policy:
        overlap = set(self.licenses.allow) & set(self.licenses.deny)
        if overlap:
            raise ValueError(f"licenses both allowed and denied: {', '.join(sorted(overlap))}")
        return self


class LoadedPolicy:
    """A validated policy with its provenance: the files it was read from and a hash of what was evaluated."""

    def __init__(self, policy: Policy, files: list[Path], label: str):
        self.policy = policy
        self.files = files
        self.label = label
        canonical_json = json.dumps(policy.model_dump(mode="json", by_alias=True, exclude={"extends", "exclude"}),
                                    sort_keys=True, separators=(",", ":"))
        self.sha256 = hashlib.sha256(canonical_json.encode()).hexdigest()

    @property
    def name(self) -> str:
        return self.policy.name or self.label


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in child.items():
        if key == "exceptions" and isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = [*base[key], *value]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, chain: tuple[Path, ...], kb_ids: set[str] | None,
          roots: tuple[Path, ...] | None) -> tuple[dict[str, Any], list[Path]]:
    resolved = path.resolve()
    if resolved in chain:
        raise PolicyError(f"extends cycle: {' -> '.join(p.name for p in (*chain, resolved))}", file=path)
    text = read_text(path, what="policy file")
    data = parse_yaml(text, file=path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError("a policy is a mapping of keys (name, organization, licenses, rules, exceptions)",
                          file=path, line=1)
    # each file is validated on its own, so an error names the file and line it is in
    validate(Policy, data, file=path, text=text, error=PolicyError)
    _check_license_ids(data, path, text, kb_ids)
    files = [path]
    parent = data.get("extends")
    if parent:
        line = locate(key_lines(text), ("extends",))
        base_path = _extends_target(path, str(parent), line, roots)
        try:
            base, base_files = _read(base_path, (*chain, resolved), kb_ids, roots)
        except ComplianceError as exc:
            raise PolicyError(_without_content(exc), file=exc.file or base_path, line=exc.line) from None
        data = _merge(base, {k: v for k, v in data.items() if k != "extends"})
        files = base_files + files
    return data, files


def _extends_target(path: Path, parent: str, line: int | None, roots: tuple[Path, ...] | None) -> Path:
    """The file ``extends:`` names, confined to the naming policy's folder (or ``roots``) and the shipped example
    policies: a policy cannot make the tool read /etc/passwd or ../../secrets.yaml."""
    from .inputs import check_readable
    from .resources import policies_dir

    base_path = (path.parent / parent).resolve()
    allowed = (*(roots if roots is not None else (path.parent.resolve(),)), policies_dir().resolve())
    if not any(base_path == root or root in base_path.parents for root in allowed):
        raise PolicyError(f"extends: {parent!r} is outside the policy's folder ({path.parent.resolve()}); a policy "
                          "may only extend files in its folder or below it", file=path, line=line)
    if not base_path.exists():
        raise PolicyError(f"extends: {parent!r} not found ({base_path})", file=path, line=line)
    try:
        check_readable(base_path, what="policy file")
    except ComplianceError as exc:
        raise PolicyError(f"extends: {parent!r}: {exc.message}", file=path, line=line) from None
    return base_path


def _without_content(exc: ComplianceError) -> str:
    """A base policy's error without what it may quote from the file (a key, a value): the file and line are
    named, and ``compliance policy validate`` on that file shows the details."""
    if exc.message.startswith(("extends", "policy file", "is a ", "cannot read", "a policy is a mapping")):
        return exc.message
    return (f"does not validate as a policy (the base of an extends chain; 'compliance policy validate "
            f"{exc.file}' shows why)")


def _check_license_ids(data: dict[str, Any], path: Path, text: str, kb_ids: set[str] | None) -> None:
    if kb_ids is None:
        return
    licenses = data.get("licenses") or {}
    for key in ("allow", "deny"):
        for index, value in enumerate(licenses.get(key) or []):
            if value not in kb_ids:
                line = locate(key_lines(text), ("licenses", key, index))
                raise PolicyError(f"licenses.{key}: unknown license id {value!r} ('compliance licenses' lists them)",
                                  file=path, line=line)


def load_policy(path: str | Path, *, kb_ids: set[str] | None = None,
                extends_roots: tuple[str | Path, ...] | None = None) -> LoadedPolicy:
    """Load, merge (``extends``) and validate a policy file. Raises PolicyError naming file, line and key.

    ``extends`` may name files in the naming policy's folder or below it, or the shipped example policies;
    ``extends_roots`` (or ``$COMPLIANCE_POLICY_ROOTS``, folders separated by ``os.pathsep``) replaces the first
    with the given folders."""
    import os

    path = Path(path)
    if extends_roots is None and os.environ.get("COMPLIANCE_POLICY_ROOTS"):
        extends_roots = tuple(p for p in os.environ["COMPLIANCE_POLICY_ROOTS"].split(os.pathsep) if p)
    roots = tuple(Path(r).expanduser().resolve() for r in extends_roots) if extends_roots is not None else None
    if kb_ids is None:
        from . import knowledge

        kb = knowledge.default()
        kb_ids = set(kb.licenses)
    data, files = _read(path, (), kb_ids, roots)
    policy = validate(Policy, data, file=path, error=PolicyError)
    if not policy.name:
        raise PolicyError("the policy has no name", file=path, line=1)
    return LoadedPolicy(policy, files, path.stem)


def apply_overrides(loaded: LoadedPolicy, overrides: dict[str, Any]) -> LoadedPolicy:
    """The policy with per-run organization overrides (``--mau``, ``--domicile``…), validated like the file itself;
    empty values (None, ()) are ignored."""
    overrides = {k: v for k, v in overrides.items() if v not in (None, ())}
    if not overrides:
        return loaded
    org = loaded.policy.organization.model_dump(by_alias=True)
    org.update(overrides)
    try:
        organization = Organization.model_validate(org)
    except ValidationError as exc:  # one line naming the option
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise PolicyError(f"override {where}: {first['msg'].removeprefix('Value error, ')}") from None
    policy = loaded.policy.model_copy(update={"organization": organization})
    return LoadedPolicy(policy, loaded.files, loaded.label)


def policy_schema() -> str:
    schema = Policy.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "compliance organization policy"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)


__all__ = ["ACTIVITIES", "OBLIGATION_KINDS", "RULE_IDS", "LoadedPolicy", "Policy", "apply_overrides", "load_policy", "policy_schema"]
