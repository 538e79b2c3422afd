"""Real standard-license texts from the installed ``licensedcode-data`` package (ScanCode's license data), for
tests. The project stores none of these texts; tests skip cleanly when the package is not installed."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest


@functools.cache
def data_dir() -> Path | None:
    try:
        import licensedcode
    except ImportError:
        return None
    path = Path(list(licensedcode.__path__)[0]) / "data" / "licenses"
    return path if path.is_dir() else None


def require() -> Path:
    path = data_dir()
    if path is None:
        pytest.skip("licensedcode-data is not installed (pip install licensedcode-data)")
    return path


def read(key: str) -> str:
    """The text of ScanCode license ``key`` without its YAML front matter."""
    raw = (require() / f"{key}.LICENSE").read_text(encoding="utf-8", errors="replace")
    m = re.match(r"---\n.*?\n---\n?(.*)", raw, re.S)
    return m.group(1) if m else raw


@functools.cache
def spdx_keys() -> dict[str, str]:
    """SPDX id -> ScanCode key, for every non-deprecated SPDX-listed text."""
    out: dict[str, str] = {}
    for path in sorted(require().glob("*.LICENSE")):
        head = path.read_text(encoding="utf-8", errors="replace").split("\n---", 1)[0]
        spdx = re.search(r"^spdx_license_key: (\S+)", head, re.M)
        if spdx and "is_deprecated: yes" not in head and "is_exception: yes" not in head:
            out.setdefault(spdx.group(1), path.stem)
    return out


def spdx_text(spdx: str) -> str:
    return read(spdx_keys()[spdx])
