"""The Hugging Face Hub, online: model info, then the card and license files at the commit it resolved to.

The only module that imports huggingface_hub (imported on first use: it costs ~0.25 s). The endpoint comes from
``HF_ENDPOINT`` and the token from the usual environment (``HF_TOKEN``) or the user's login; the token is never
printed. Files go through the normal Hugging Face cache, so a later offline run finds them there.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import NetworkError, ResolveError
from . import hf_cache
from .base import MAX_CARD_BYTES, MAX_LICENSE_BYTES, Snapshot, is_license_file

GATED = "gated: accept the license on the Hub and set HF_TOKEN"
TIMEOUT = 20.0


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def snapshot(model_id: str, revision: str | None = None) -> Snapshot:
    """Fetch ``model_id`` at ``revision``. Raises ResolveError (not found) or NetworkError (gated, unreachable)."""
    try:
        from huggingface_hub import HfApi, hf_hub_download
        from huggingface_hub import errors as hf_errors
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
    except hf_errors.GatedRepoError:
        raise NetworkError(f"{where}: {GATED}") from None
    except hf_errors.RevisionNotFoundError:
        raise ResolveError(f"{where}: revision {revision!r} not found on the Hub") from None
    except hf_errors.OfflineModeIsEnabled:
        raise NetworkError(f"{where}: HF_HUB_OFFLINE is set; unset it or run without --online") from None
    except hf_errors.HfHubHTTPError as exc:  # RepositoryNotFoundError too: the Hub answers 401 for private repos
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status in (401, 403):
            raise NetworkError(f"{where}: {GATED}") from None
        if isinstance(exc, hf_errors.RepositoryNotFoundError) or status == 404:
            raise ResolveError(f"{where}: not found on the Hub ({endpoint()})") from None
        raise NetworkError(f"{where}: the Hub answered HTTP {status or '?'}") from None
    except (OSError, ValueError) as exc:
        raise NetworkError(f"{where}: the Hub at {endpoint()} is unreachable ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - httpx2 and hf-xet raise their own families for network failures
        if type(exc).__module__.split(".")[0] in ("httpx2", "httpcore2", "httpx", "httpcore", "hf_xet"):
            raise NetworkError(f"{where}: the Hub at {endpoint()} is unreachable ({type(exc).__name__})") from None
        raise
