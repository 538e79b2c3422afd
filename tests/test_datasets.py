"""Dataset licenses: offline a scan lists datasets as "license not evaluated"; with ``--online`` each dataset's Hub
card is read (fake Hub on 127.0.0.1) and its license shown with its category in every output format. Non-commercial,
unknown, gated, missing and unreachable are shown as such, never "allowed"; the token is sent, never printed;
datasets do not change the scan's decision."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from support.fakehub import FakeHub

from compliance import knowledge
from compliance.datasets import categories, identify, look_up
from compliance.errors import NetworkError, ResolveError
from compliance.sources.hub import DatasetCard

MISTRAL = "mistralai/Mistral-7B-Instruct-v0.3"
POLICY = ("name: t\norganization: {domicile: US, regions: [US], monthly_active_users: 1000}\n"
          "rules:\n  acceptable-use: allow\n  field-of-use: allow\n")
TOKEN = "hf_fakeTokenForTestsOnly1234567890"
DATASETS = {
    "acme/nc-data": dict(extra={"cardData": {"license": "cc-by-nc-4.0"}}),
    "acme/readme-only": dict(files={"README.md": "---\nlicense: cc-by-sa-4.0\n---\n# Data\n"}),
    "acme/apache-data": dict(extra={"cardData": {"license": ["apache-2.0"]}}),
    "acme/other-data": dict(extra={"cardData": {"license": "other"}}),
    "acme/silent-data": dict(extra={"cardData": {"pretty_name": "No license here"}}),
    "acme/tagged-data": dict(extra={"tags": ["license:odc-by", "task_categories:text-generation"]}),
    "acme/private-data": dict(status=401),
    "acme/gated-data": dict(status=403),
}
MISSING = "acme/no-such-data"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "ollama"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    write(tmp_path / ".compliance.yaml", POLICY)
    lines = [f'm = AutoModel.from_pretrained("{MISTRAL}")']
    lines += [f'd{n} = load_dataset("{name}")' for n, name in enumerate([*DATASETS, MISSING])]
    write(tmp_path / "train.py", "\n".join(lines) + "\n")
    return tmp_path


@pytest.fixture
def hub(repo, monkeypatch):
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.add(MISTRAL, {"README.md": "---\nlicense: apache-2.0\n---\n# Mistral\n"})
        for name, kw in DATASETS.items():
            hub.add_dataset(name, **kw)
        yield hub


def _datasets(out: str) -> dict[str, dict]:
    return {d["dataset"]: d for d in json.loads(out)["datasets"]}


def test_online_json_shows_each_license_its_category_and_status(run_cli, hub):
    code, out, err = run_cli("scan", "--online", "--format", "json", ".")
    got = _datasets(out)
    assert code == 0, err  # datasets are shown, not judged: the model decides the exit code
    assert (got["acme/nc-data"]["license"], got["acme/nc-data"]["license_status"],
            got["acme/nc-data"]["categories"]) == ("cc-by-nc-4.0", "identified", ["non-commercial"])
    assert (got["acme/readme-only"]["license"], got["acme/readme-only"]["categories"]) == ("cc-by-sa-4.0",
                                                                                           ["share-alike"])
    assert got["acme/readme-only"]["license_reason"] == "from the Hub README.md front matter"
    assert (got["acme/apache-data"]["license"], got["acme/apache-data"]["categories"]) == ("apache-2.0", ["permissive"])
    assert got["acme/tagged-data"]["licenses"] == ["odc-by"]
    for unknown in ("acme/other-data", "acme/silent-data"):
        assert (got[unknown]["license"], got[unknown]["license_status"]) == (None, "unknown")
        assert "unknown" in got[unknown]["categories"]
    assert "declares no license" in got["acme/silent-data"]["license_reason"]
    for gated in ("acme/private-data", "acme/gated-data"):
        assert (got[gated]["license_status"], got[gated]["license"]) == ("unavailable", None)
        assert "gated" in got[gated]["license_reason"]
    assert got[MISSING]["license_status"] == "unavailable" and "not found on the Hub" in got[MISSING]["license_reason"]
    assert not any(d["license_status"] == "allowed" or "allow" in str(d["license"]) for d in got.values())
    summary = json.loads(out)["summary"]
    assert summary["dataset_licenses"] == {"identified": 4, "unknown": 2, "unavailable": 3}


def test_online_text_sarif_and_github_show_the_licenses(run_cli, hub):
    code, text, _ = run_cli("scan", "--online", ".")
    assert "    acme/nc-data — cc-by-nc-4.0 (non-commercial) — train.py:2" in text
    assert "acme/gated-data — license unavailable: gated" in text
    assert "acme/silent-data — license unknown: the dataset card declares no license" in text
    summary = text.splitlines()[-1]
    assert "dataset licenses: 4 identified, 2 unknown, 3 unavailable (2 with restricting terms)" in summary
    sarif = json.loads(run_cli("scan", "--online", "--format", "sarif", ".")[1])
    props = {d["dataset"]: d for d in sarif["runs"][0]["properties"]["datasets"]}
    assert props["acme/nc-data"]["license"] == "cc-by-nc-4.0 (non-commercial)"
    assert props["acme/nc-data"]["categories"] == ["non-commercial"]
    assert props[MISSING]["license_status"] == "unavailable"
    github = run_cli("scan", "--online", "--format", "github", ".")[1]
    assert ("::warning file=train.py,line=2,col=20,title=compliance dataset%3A acme/nc-data::dataset acme/nc-data: "
            "cc-by-nc-4.0 (non-commercial)") in github
    assert "::notice file=train.py,line=4" in github and "apache-2.0 (permissive)" in github
    assert "::warning file=train.py,line=8" in github  # gated: unavailable is a warning too


def test_the_token_is_sent_and_never_printed(run_cli, hub):
    outputs = [run_cli("scan", "--online", "--format", fmt, ".") for fmt in ("text", "json", "sarif", "github")]
    assert any(TOKEN in a for a in hub.authorizations)
    for _, out, err in outputs:
        assert TOKEN not in out and TOKEN not in err


def test_offline_is_the_default_and_says_not_evaluated(run_cli, hub):
    code, out, _ = run_cli("scan", "--format", "json", ".")
    assert code == 0 and not [r for r in hub.requests if "datasets" in r]
    assert {d["license_status"] for d in _datasets(out).values()} == {"not evaluated"}
    assert "dataset_licenses" not in json.loads(out)["summary"]
    assert "license not evaluated" in run_cli("scan", ".")[1]


def test_unreachable_hub_is_one_reason_per_dataset_and_asked_once(run_cli, repo, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    calls = []
    import compliance.sources.hub as hub_module

    real = hub_module.dataset_card
    monkeypatch.setattr(hub_module, "dataset_card", lambda name: calls.append(name) or real(name))
    code, out, err = run_cli("scan", "--online", "--format", "json", ".")
    got = _datasets(out)
    assert "Traceback" not in err
    assert {d["license_status"] for d in got.values()} == {"unavailable"}
    assert all("unreachable" in d["license_reason"] for d in got.values())
    assert len(calls) == 1  # the Hub is not asked again for every dataset
    assert code in (0, 1)  # the model's own resolution decides: it is judged unknown, not an input error


# --- identification and categories, no network ----------------------------------------------------------------


@pytest.fixture(scope="module")
def kb():
    return knowledge.default()


@pytest.mark.parametrize("license_id,expected", [
    ("cc-by-nc-sa-4.0", ["non-commercial", "share-alike"]),
    ("cc-by-nd-4.0", ["no-derivatives"]),
    ("cc-by-nc-nd-4.0", ["non-commercial", "no-derivatives"]),
    ("cc0-1.0", ["public-domain"]),
    ("gpl-3.0-only", ["copyleft"]),
    ("agpl-3.0-only", ["network-copyleft"]),
    ("odbl-1.0", ["share-alike"]),
    ("cc-by-4.0", ["permissive"]),
    ("llama-3.1", ["open-model"]),
])
def test_categories(kb, license_id, expected):
    assert categories(kb.get(license_id)) == expected


def card(*licenses, name=None, source="cardData"):
    return DatasetCard("acme/d", "a" * 40, tuple(licenses), name, None, source)


def test_identify_expressions_names_and_unknowns(kb):
    both = identify("acme/d", card("cc-by-4.0 OR mit"), kb)
    assert (both.status, both.licenses) == ("identified", ("cc-by-4.0", "mit"))
    named = identify("acme/d", card("other", name="Llama 3.1 Community License Agreement"), kb)
    assert (named.status, named.licenses) == ("identified", ("llama-3.1",))
    partly = identify("acme/d", card("cc-by-4.0", "acme-secret-license"), kb)
    assert (partly.status, partly.licenses) == ("unknown", ("cc-by-4.0",)) and "unknown" in partly.categories
    assert "'acme-secret-license'" in partly.reason and "identified so far: cc-by-4.0" in partly.label()
    said_unknown = identify("acme/d", card("unknown"), kb)
    assert said_unknown.status == "unknown"


def test_look_up_is_per_dataset_and_never_fatal(kb):
    answers = {"acme/ok": card("mit"), "acme/gone": ResolveError("dataset acme/gone: not found on the Hub (x)"),
               "acme/gated": NetworkError("dataset acme/gated: gated: accept the license on the Hub and set HF_TOKEN")}

    def fetch(name):
        answer = answers[name]
        if isinstance(answer, Exception):
            raise answer
        return answer

    got = look_up(["acme/ok", "acme/gone", "acme/gated", "./local/data.jsonl", "acme/ok"], kb, fetch=fetch)
    assert got["acme/ok"].status == "identified"
    assert (got["acme/gone"].status, got["acme/gone"].reason) == ("unavailable", "not found on the Hub (x)")
    assert got["acme/gated"].reason.startswith("gated")
    assert got["./local/data.jsonl"].status == "unknown" and "not a Hub dataset id" in got["./local/data.jsonl"].reason
