"""Property-based fuzzing (hypothesis): the card parser, the policy loader, the reference parser, identify/extract
and the scan matcher take random text, bytes and YAML, and only the project's own errors come out.

The default run is short (a few seconds). ``COMPLIANCE_FUZZ=long`` (or ``--hypothesis-profile=long``) runs
thousands of examples per property; ``COMPLIANCE_FUZZ_EXAMPLES=N`` sets the count directly. Each example has a
time bound (hypothesis' deadline), so a crafted input that stalls a parser fails the test.
"""
from __future__ import annotations

import datetime as dt
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")  # the `test` extra; a venv built before it was added skips
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compliance.errors import ComplianceError  # noqa: E402

_common = dict(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                      HealthCheck.data_too_large], derandomize=False)
# deadline: the time bound of one example (generous: the suite runs on loaded CI machines)
settings.register_profile("default", max_examples=40, deadline=dt.timedelta(seconds=5), **_common)
settings.register_profile("long", max_examples=3000, deadline=dt.timedelta(seconds=5), **_common)
_profile = os.environ.get("COMPLIANCE_FUZZ", "default")
settings.load_profile(_profile if _profile in ("default", "long") else "default")
if os.environ.get("COMPLIANCE_FUZZ_EXAMPLES"):
    settings.register_profile("custom", parent=settings.get_profile(settings._current_profile),
                              max_examples=int(os.environ["COMPLIANCE_FUZZ_EXAMPLES"]))
    settings.load_profile("custom")


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Load the knowledge base once, outside any example's time bound."""
    from compliance import knowledge

    knowledge.default()


# --- strategies -------------------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["2024-02-30", "2024-01-01T25:00:00", "!!timestamp junk", "*a", "&a x",
                                           "~", "yes", "off", ".nan", "0x1f", "1e400", "<<"]),
)
KEYS = ["name", "organization", "licenses", "rules", "exceptions", "extends", "license", "base_model",
        "base_model_relation", "license_name", "license_link", "monthly_active_users", "domicile", "regions",
        "allow", "deny", "unknown", "decision", "model", "rule", "expires", "reason", "approved_by", "gated",
        "pipeline_tag", "tags", "territory", "origin", "user-threshold", "headroom"]
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)),
    max_leaves=20)
yaml_chars = st.lists(st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,? \n\t\r\\") + ["---", "...", "\u00e9", "\ufeff",
                                                                                  "\x00", "name: ", "  - "]),
                      max_size=120).map("".join)


def _dump(tree: object) -> str:
    import yaml

    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError, TypeError):
        return "name: x\n"


yaml_texts = st.one_of(trees.map(_dump), yaml_chars, st.text(max_size=300))
bytes_inputs = st.one_of(st.binary(max_size=400), yaml_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                         yaml_texts.map(lambda t: t.encode("utf-16", "surrogatepass")))


def _only_own_errors(call):
    try:
        return call()
    except ComplianceError as exc:
        assert str(exc) and "\n" not in str(exc), repr(exc)  # one line
        return None


# --- properties -------------------------------------------------------------------------------------------------


@given(front=yaml_texts, body=st.text(max_size=300))
def test_card_parser_never_raises(front, body):
    from compliance.cards import parse_card

    card = parse_card(f"---\n{front}\n---\n{body}", model_name="org/model")
    assert card.front_matter in ("ok", "none", "unreadable")
    card = parse_card(body)
    assert card.front_matter in ("ok", "none", "unreadable")


@given(data=bytes_inputs)
def test_policy_loader_raises_only_its_own_errors(tmp_path_factory, data):
    from compliance.policy import load_policy

    folder = tmp_path_factory.mktemp("fuzz-policy")
    path = folder / "policy.yaml"
    path.write_bytes(data)
    loaded = _only_own_errors(lambda: load_policy(path))
    if loaded is not None:
        assert loaded.name and len(loaded.sha256) == 64


@given(tree=trees)
def test_policy_loader_on_structured_yaml(tmp_path_factory, tree):
    from compliance.policy import load_policy

    path = tmp_path_factory.mktemp("fuzz-policy-tree") / "policy.yaml"
    path.write_text(_dump(tree), encoding="utf-8")
    _only_own_errors(lambda: load_policy(path))


@given(raw=st.one_of(st.text(max_size=120), st.sampled_from(
    ["~nosuchuser/x", "~/x", "ollama/", "hf.co/", "org/name@", "@rev", "a/b/c", "ollama_chat/qwen3:4b", "huggingface/",
     "https://huggingface.co/org/name/tree/main", "../x", "x.gguf", "\x00", "/" * 300])))
def test_reference_parser_raises_only_its_own_errors(raw):
    from compliance.references import parse_reference

    ref = _only_own_errors(lambda: parse_reference(raw))
    if ref is not None:
        assert ref.kind in ("path", "hub", "ollama", "name") and isinstance(ref.target, str)


@given(text=st.one_of(st.text(max_size=2000), st.lists(st.sampled_from(
    ["LICENSE", "Llama", "700 million monthly active users", "Apache", "Version 2.0", "European Union", "MIT",
     "Permission is hereby granted", "non-commercial", "research", "$", "100,000,000", "users", "\n", "  ", "§"]),
    max_size=80).map(" ".join)))
def test_identify_and_extract_raise_nothing(text):
    from compliance import knowledge
    from compliance.extract import extract
    from compliance.identify import identify_text

    result = identify_text(text, knowledge.default(), file="fuzz")
    assert 0.0 <= result.confidence <= 1.0
    terms = extract(text)
    assert terms is not None


@given(data=bytes_inputs, suffix=st.sampled_from([".py", ".yaml", ".json", ".toml", ".env", ".ts", "Dockerfile"]))
def test_scan_file_raises_nothing(tmp_path_factory, data, suffix):
    from compliance.scan import scan_file

    path = tmp_path_factory.mktemp("fuzz-scan") / (suffix if suffix == "Dockerfile" else f"app{suffix}")
    path.write_bytes(data)
    result = scan_file(path)
    assert result.skipped is None or isinstance(result.skipped, str)


@given(line=st.lists(st.sampled_from(list('"\'/=:()[]{}-_.@ abAB019') + ["from_pretrained(", "model=", "meta-llama/",
                                                                        "ollama run "]),
                     min_size=1000, max_size=20000).map("".join))
@settings(max_examples=10)
def test_scan_of_one_long_crafted_line_is_bounded(tmp_path_factory, line):
    from compliance.scan import scan_file

    path = tmp_path_factory.mktemp("fuzz-scan-line") / "app.py"
    path.write_text(line, encoding="utf-8")
    scan_file(path)  # the deadline fails a line that stalls the matcher
