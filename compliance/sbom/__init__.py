"""SBOM export: resolved models (and their lineage and policy decisions) as SPDX 2.3, SPDX 3.0.1 (AI profile)
or CycloneDX 1.6.

``common.build`` turns resolved models into one neutral :class:`~compliance.sbom.common.Sbom`; each format
module only spells it. ``FORMATS`` drives the CLI's ``--format`` choices. The writer modules are imported on
use: spdx_tools only for the SPDX 2.3 formats, nothing heavy for the others.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ..fileio import atomic_write, check_writable
from ..formats.registry import SBOM as SBOM_FORMATS
from ..formats.registry import Format
from .common import Sbom
from .mapping import build

__all__ = ["FORMATS", "Format", "build", "check_writable", "format_for_path", "from_resolved", "render", "write_atomic"]


# The format table lives in compliance.formats.registry (importing nothing heavy), so the command line can offer
# the choices without importing this package.
FORMATS = SBOM_FORMATS


def from_resolved(resolved, resolver, *, date, policy=None, kb=None, name: str | None = None) -> Sbom:
    """The SBOM of resolved models: ancestors looked up through ``resolver`` (its cache of records), license texts
    re-read from the models' own files, and, with a loaded ``policy``, each model's decision as of ``date``."""
    from .. import knowledge
    from .texts import license_texts

    kb = kb or knowledge.default()
    assessments = None
    if policy is not None:
        from ..evaluate import evaluate

        assessments = [evaluate(r, policy, kb, today=date) for r in resolved]
    options = resolver.options

    def texts(record):
        return license_texts(record, cache_root=options.cache_root, base_dir=options.base_dir)

    return build(resolved, kb, date=date, lookup=resolver.lookup, texts=texts, assessments=assessments,
                 policy=(policy.name, policy.sha256) if policy is not None else None,
                 organization=policy.policy.organization.name if policy is not None else None, name=name)


def format_for_path(path: str) -> str | None:
    """The format an output file name asks for (``models.spdx.json`` → spdx-json), or None."""
    name = path.lower()
    matches = [(len(s), f.name) for f in FORMATS.values() for s in f.suffixes if name.endswith(s)]
    return max(matches)[1] if matches else None


def render(fmt: str, sbom: Sbom, *, namespace_base: str | None = None) -> str:
    spec = FORMATS[fmt]
    module = importlib.import_module(spec.module)
    function = getattr(module, spec.function)
    return function(sbom, namespace_base=namespace_base) if spec.namespaced else function(sbom)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see compliance.fileio)."""
    atomic_write(path, text)
