"""JSON Schemas generated from the pydantic models, kept in the repository for editors and validators."""
from __future__ import annotations

import json

from .terms import LicenseTerms


def dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def license_schema() -> str:
    schema = LicenseTerms.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "compliance knowledge-base license record"
    return dump(schema).rstrip("\n")
