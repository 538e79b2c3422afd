"""Scanning real repositories (shared/corpus/repos: LLaMA-Factory, lm-evaluation-harness, alignment-handbook,
mlx-lm, unchanged): every labelled line in tests/data/scan_labels.yaml is found with the right model, or is not
a finding when a careful reader says it is not a reference; datasets are listed apart."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.scan import scan_paths
from conftest import ROOT

LABELS = yaml.safe_load((ROOT / "tests" / "data" / "scan_labels.yaml").read_text())


@pytest.fixture(scope="module")
def scanned(corpus):
    repos = corpus / "repos"
    if not repos.is_dir():
        pytest.skip("shared/corpus/repos is not here")
    files = sorted({label["file"] for label in LABELS})
    results = {r.path: r for r in scan_paths([repos / f for f in files], root=repos)}
    return results


def _at(result, line):
    return ({r.model for r in result.references if r.line == line},
            {d.model for d in result.datasets if d.line == line})


@pytest.mark.parametrize("label", LABELS, ids=lambda label: f"{Path(label['file']).name}:{label['line']}")
def test_labelled_line(scanned, label):
    result = scanned[label["file"]]
    assert result.skipped is None
    models, datasets = _at(result, label["line"])
    if label["model"] is None:
        assert not models, f"{label['syntax']}: not a reference, found {models}"
    else:
        assert label["model"] in models, f"{label['syntax']}: expected {label['model']}, found {models or 'nothing'}"
    if label.get("dataset"):
        assert label["dataset"] in datasets, f"{label['syntax']}: dataset {label['dataset']} not listed"


def test_recall_and_precision_on_the_labels(scanned):
    """The figures the README quotes: share of labelled references found with the right model, and share of
    findings on labelled lines that are right."""
    positives = [label for label in LABELS if label["model"]]
    found = sum(1 for label in positives if label["model"] in _at(scanned[label["file"]], label["line"])[0])
    wrong = sum(len(_at(scanned[label["file"]], label["line"])[0] - {label["model"]}) for label in LABELS
                if label["model"] is None)
    assert found == len(positives) and wrong == 0
