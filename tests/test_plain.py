"""``compliance.plain``: the records on the hook's path behave as the dataclasses they replace (construction,
defaults and fresh default factories, equality, hashing when frozen, repr, frozen assignment, pickling, copying)."""
from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from compliance import plain
from compliance.references import Reference
from compliance.scan_report import DatasetLicense, PolicyInfo, ScanReport
from compliance.scan_types import FileResult, InlineWaiver, ModelReference


def _pair(frozen: bool):
    def body(decorate, make_field):
        @decorate
        class Rec:
            a: str
            b: int = 2
            c: list[str] = make_field(default_factory=list)
            d: str | None = None

            @property
            def both(self) -> str:
                return f"{self.a}{self.b}"
        return Rec

    real = body(dataclasses.dataclass(frozen=frozen), dataclasses.field)
    light = body(plain.dataclass(frozen=frozen), plain.field)
    return real, light


@pytest.mark.parametrize("frozen", [False, True])
def test_a_record_behaves_as_the_dataclass(frozen):
    real, light = _pair(frozen)
    for args, kwargs in [(("x",), {}), (("x", 5), {"d": "y"}), ((), {"a": "x", "c": ["k"]})]:
        r, p = real(*args, **kwargs), light(*args, **kwargs)
        assert [getattr(r, n) for n in "abcd"] == [getattr(p, n) for n in "abcd"]
        assert repr(r).replace("_pair.<locals>.body.<locals>.", "") == repr(p).replace("_pair.<locals>.body.<locals>.", "")
        assert p == light(*args, **kwargs) and p != light("other") and p.both == r.both
        assert copy.deepcopy(p) == p and copy.copy(p) == p
    assert light("x").c is not light("x").c  # a fresh list for each
    with pytest.raises(TypeError):
        light()
    if frozen:
        assert hash(light("x", c=())) == hash(light("x", c=()))
        with pytest.raises(AttributeError):
            light("x").a = "y"
        with pytest.raises(AttributeError):
            real("x").a = "y"
    else:
        assert light.__hash__ is None and real.__hash__ is None
        p = light("x")
        p.b = 7
        assert p.b == 7


def test_the_hook_path_records_pickle_copy_and_compare():
    ref = ModelReference("a.py", 1, 5, '"org/m"', "org/m", "from_pretrained",
                         waiver=InlineWaiver("org/m", "T-1", 1))
    result = FileResult("a.py", [ref], datasets=[ref])
    for value in (ref, result, PolicyInfo("p", "0" * 64), DatasetLicense("d", licenses=("mit",)),
                  Reference("org/m", "hub", "org/m"), ScanReport(PolicyInfo("p", "s"), None, [result])):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
    assert FileResult("a.py").references == [] and FileResult("a.py").references is not FileResult("a.py").references
    assert hash(Reference("org/m", "hub", "org/m")) == hash(Reference("org/m", "hub", "org/m"))
    assert {InlineWaiver("m", None, 1), InlineWaiver("m", None, 1)} == {InlineWaiver("m", None, 1)}
    with pytest.raises(AttributeError):
        PolicyInfo("p", "s").name = "q"
    assert repr(InlineWaiver("m", None, 1)) == "InlineWaiver(model='m', ticket=None, line=1)"
