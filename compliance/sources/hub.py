"""The Hugging Face Hub, online: model info, then the card and license files at the commit it resolved to; and a
dataset's card metadata (:func:`dataset_card`), for the license of a dataset a scan lists.

The only module that imports huggingface_hub (imported on first use: it costs ~0.25 s). The endpoint comes from
``HF_ENDPOINT`` and the token from the usual environment (``HF_TOKEN``) or the user's login; the token is never
printed. Files go through the normal Hugging Face cache, so a later offline run finds them there.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import NetworkError, ResolveError
from . import hf_cache
from .base import MAX_CARD_BYTES, MAX_LICENSE_BYTES, Snapshot, is_license_file

GATED = "gated: accept the license on the Hub and set HF_TOKEN"
TIMEOUT = 20.0


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def _hub_failure(exc: BaseException, where: str, revision: str | None = None) -> None:
    """Raise the one-line error a Hub failure means (gated, revision or repository not found, offline mode,
    unreachable); return when ``exc`` is none of those (the caller re-raises it). Never names the token."""
    from huggingface_hub import errors as hf_errors

    if isinstance(exc, hf_errors.GatedRepoError):
        raise NetworkError(f"{where}: {GATED}") from None
    if isinstance(exc, hf_errors.RevisionNotFoundError) and revision is not None:
        raise ResolveError(f"{where}: revision {revision!r} not found on the Hub") from None
    if isinstance(exc, hf_errors.OfflineModeIsEnabled):
        raise NetworkError(f"{where}: HF_HUB_OFFLINE is set; unset it or run without --online") from None
    if isinstance(exc, hf_errors.HfHubHTTPError):  # RepositoryNotFoundError too: the Hub answers 401 for private repos
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status in (401, 403):
            raise NetworkError(f"{where}: {GATED}") from None
        if isinstance(exc, hf_errors.RepositoryNotFoundError) or status == 404:
            raise ResolveError(f"{where}: not found on the Hub ({endpoint()})") from None
        raise NetworkError(f"{where}: the Hub answered HTTP {status or '?'}") from None
    if isinstance(exc, (OSError, ValueError)) or \
            type(exc).__module__.split(".")[0] in ("httpx2", "httpcore2", "httpx", "httpcore", "hf_xet"):
        # httpx2 and hf-xet raise their own families for network failures
        raise NetworkError(f"{where}: the Hub at {endpoint()} is unreachable ({type(exc).__name__})") from None


def snapshot(model_id: str, revision: str | None = None) -> Snapshot:
    """Fetch ``model_id`` at ``revision``. Raises ResolveError (not found) or NetworkError (gated, unreachable)."""
    try:
        from huggingface_hub import HfApi, hf_hub_download
        from huggingface_hub.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - huggingface_hub is a dependency
        raise NetworkError(f"huggingface_hub is not installed: {exc}") from None
    hf_logging.set_verbosity_error()
    where = f"{model_id}@{revision}" if revision else model_id
    api = HfApi(endpoint=endpoint())
    try:
        info = api.model_info(model_id, revision=revision, timeout=TIMEOUT)
        commit = info.sha or revision
        siblings = [s.rfilename for s in (info.siblings or [])]
        snap = Snapshot(model=info.id or model_id, revision=commit, source="hub", siblings=siblings)
        snap.info = {"gated": info.gated, "tags": list(info.tags or []), "pipeline_tag": info.pipeline_tag}
        card = next((n for n in siblings if n == "README.md"), None)
        wanted = ([card] if card else []) + [n for n in siblings if "/" not in n and is_license_file(n)]
        for name in wanted:
            # the cache folder is passed explicitly: huggingface_hub reads HF_HUB_CACHE once, at import, and our
            # offline reader (hf_cache) must find these files where they land
            path = Path(hf_hub_download(model_id, name, revision=commit, endpoint=endpoint(), etag_timeout=TIMEOUT,
                                        cache_dir=str(hf_cache.cache_dir())))
            limit = MAX_CARD_BYTES if name == card else MAX_LICENSE_BYTES
            if path.stat().st_size > limit:
                snap.problems.append(f"{name}: larger than {limit // 1_000_000} MB, not read")
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                snap.problems.append(f"{name}: not valid UTF-8")
                continue
            if name == card:
                snap.card_text, snap.card_name = text, name
            else:
                snap.license_texts[name] = text
        return snap
    except Exception as exc:  # noqa: BLE001 - mapped to one line each, or re-raised
        _hub_failure(exc, where, revision)
        raise


@dataclass(frozen=True)
class DatasetCard:
    """What a dataset's card says about its license, and where that was read."""

    dataset: str
    revision: str | None
    licenses: tuple[str, ...] = ()
    license_name: str | None = None
    license_link: str | None = None
    source: str = "cardData"  # cardData (the Hub's parsed front matter) | README.md front matter | tags


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip())
    return ()


def dataset_card(dataset_id: str) -> DatasetCard:
    """The license metadata of a dataset on the Hub: the ``cardData`` of ``/api/datasets/{id}``, else its README's
    front matter, else its ``license:`` tags. Raises ResolveError (not found) or NetworkError (gated, unreachable);
    the messages never carry the token."""
    try:
        from huggingface_hub import HfApi, hf_hub_download
        from huggingface_hub.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - huggingface_hub is a dependency
        raise NetworkError(f"huggingface_hub is not installed: {exc}") from None
    hf_logging.set_verbosity_error()
    where = f"dataset {dataset_id}"
    try:
        info = HfApi(endpoint=endpoint()).dataset_info(dataset_id, timeout=TIMEOUT)
        data = info.card_data.to_dict() if info.card_data is not None else {}
        licenses = _strings(data.get("license"))
        name, link = (_strings(data.get("license_name")) or (None,))[0], (_strings(data.get("license_link")) or (None,))[0]
        if licenses or name:
            return DatasetCard(info.id or dataset_id, info.sha, licenses, name, link, "cardData")
        siblings = [s.rfilename for s in (info.siblings or [])]
        if "README.md" in siblings:
            from ..cards import parse_card

            path = Path(hf_hub_download(dataset_id, "README.md", repo_type="dataset", revision=info.sha,
                                        endpoint=endpoint(), etag_timeout=TIMEOUT, cache_dir=str(hf_cache.cache_dir())))
            if path.stat().st_size <= MAX_CARD_BYTES:
                card = parse_card(path.read_text(encoding="utf-8-sig", errors="replace"), model_name=dataset_id)
                if card.licenses or card.license_name:
                    return DatasetCard(info.id or dataset_id, info.sha, tuple(card.licenses), card.license_name,
                                       card.license_link, "README.md front matter")
        tags = tuple(t.split(":", 1)[1] for t in (info.tags or []) if isinstance(t, str) and t.startswith("license:"))
        return DatasetCard(info.id or dataset_id, info.sha, tags, None, None, "tags")
    except Exception as exc:  # noqa: BLE001 - mapped to one line each, or re-raised
        _hub_failure(exc, where)
        raise
