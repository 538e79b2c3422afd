"""The one place that knows where the data folders live.

``licenses/``, ``policies/`` and ``reports/`` sit at the top of the source tree and are installed inside the
wheel as the packages ``compliance.data.licenses`` and so on (see ``pyproject.toml``). Installed or editable,
the import system finds them; running straight from a checkout, the folders beside the package are used.
"""
from __future__ import annotations

import functools
import importlib.util
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
