"""The one place that knows where the data folders live.

``licenses/``, ``policies/`` and ``reports/`` sit at the top of the source tree and are installed inside the
wheel as the packages ``compliance.data.licenses`` and so on (see ``pyproject.toml``). Installed or editable,
the import system finds them; running straight from a checkout, the folders beside the package are used.
"""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

_FOLDERS = ("licenses", "policies", "reports")


@functools.cache
def data_dir(name: str) -> Path:
    if name not in _FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    try:
        spec = importlib.util.find_spec(f"compliance.data.{name}")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            path = Path(location)
            if path.is_dir():
                return path
    return Path(__file__).resolve().parent.parent / name


def licenses_dir() -> Path:
    return data_dir("licenses")


def policies_dir() -> Path:
    return data_dir("policies")


def reports_dir() -> Path:
    return data_dir("reports")


def hf_hub_cache_dir() -> Path:
    """The Hugging Face hub cache: ``HF_HUB_CACHE``, else ``$HF_HOME/hub``, else ``~/.cache/huggingface/hub``."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface" / "hub"


def ollama_models_dir() -> Path:
    """Ollama's model store: ``OLLAMA_MODELS``, else ``~/.ollama/models``."""
    env = os.environ.get("OLLAMA_MODELS")
    return Path(env).expanduser() if env else Path.home() / ".ollama" / "models"


def user_cache_dir() -> Path:
    """This tool's per-user cache: ``COMPLIANCE_CACHE_DIR``, else ``$XDG_CACHE_HOME/compliance``, else
    ``~/.cache/compliance`` (``Path.home()`` may raise RuntimeError where there is no home folder)."""
    if os.environ.get("COMPLIANCE_CACHE_DIR"):
        return Path(os.environ["COMPLIANCE_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "compliance"
