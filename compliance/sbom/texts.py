"""The license texts a model ships, read again from where resolution found them, so an SBOM can carry the
model's own copy of a custom license (``ExtractedLicensingInfo``) instead of a pointer to the official text.

Resolution keeps only each file's digest; this reads the local folder or Hugging Face cache snapshot again and
keeps a text only when its SHA-256 is the one that was identified (a file changed in between is left out).
Hub downloads land in the Hugging Face cache, so online results are found there too. Nothing here touches the
network or imports huggingface_hub.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from ..errors import ComplianceError
from ..model import ModelRecord
from ..references import parse_reference
from ..sources import hf_cache, local


def _cache_roots(record: ModelRecord, cache_root: Path | None) -> list[Path | None]:
    roots: list[Path | None] = [cache_root]
    constants = sys.modules.get("huggingface_hub.constants")  # imported only when this run went online
    if record.source == "hub" and constants is not None and getattr(constants, "HF_HUB_CACHE", None):
        roots.append(Path(constants.HF_HUB_CACHE))  # where the client really put the files (it reads the env once)
    return roots


def license_texts(record: ModelRecord, *, cache_root: Path | None = None,
                  base_dir: Path | None = None) -> dict[str, str]:
    wanted = {lf.name: lf.sha256 for lf in record.license_files}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    try:
        if record.source == "local":
            ref = parse_reference(record.reference, base_dir=base_dir)
            snaps = [local.snapshot(Path(ref.target))] if ref.kind == "path" else []
        elif record.source in ("cache", "hub"):
            snaps = [hf_cache.snapshot(record.model, record.revision, root=root)
                     for root in _cache_roots(record, cache_root)]
        else:
            snaps = []
    except (ComplianceError, OSError):
        return {}
    for snap in snaps:
        for name, text in sorted((snap.license_texts if snap else {}).items()):
            if name not in found and wanted.get(name) == hashlib.sha256(text.encode("utf-8")).hexdigest():
                found[name] = text
    return found
