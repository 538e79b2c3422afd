"""The wheel carries licenses/, policies/ and reports/, and an installed copy finds them from any directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("openweight_compliance-*.whl"))  # distribution name; the import package is compliance
    names = zipfile.ZipFile(wheel).namelist()
    assert "compliance/data/licenses/llama-4.yaml" in names
    assert "compliance/data/licenses/publishers.yaml" in names
    assert "compliance/data/licenses/schema.json" in names
    assert not any(name.startswith(("tests/", "licenses/")) for name in names)

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c", "import compliance, compliance.resources as r; print(compliance.__file__); "
                               "print(r.licenses_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True).stdout.split()
    assert probe[0].startswith(str(site)) and probe[1].startswith(str(site))
    proc = subprocess.run([sys.executable, "-m", "compliance", "licenses", "--format", "json"],
                          capture_output=True, text=True, cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    assert any(row["id"] == "llama-4" for row in json.loads(proc.stdout)["licenses"])


def test_every_subpackage_ships():
    """A package folder missing from pyproject's list installs without it (found the hard way by the hook test)."""
    import tomllib

    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "compliance").rglob("__init__.py")}
    assert found <= declared, f"add to pyproject packages: {sorted(found - declared)}"
