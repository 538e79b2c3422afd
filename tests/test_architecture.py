"""The house: no import cycles among compliance modules, one registry per format axis, one exit-code rule,
commands in compliance/commands/, and lineage testable without a resolver."""
from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "compliance"


def _modules() -> dict[str, tuple[Path, bool]]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        mods[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return mods


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


def import_graph() -> dict[str, set[str]]:
    """Module -> compliance modules it imports, counting imports inside functions (made at call time) too;
    only ``if TYPE_CHECKING:`` blocks are left out (they never run)."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_pkg) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _type_checking(block)
                   for n in ast.walk(block)}
        package = name if is_pkg else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    deps.add(sub if sub in mods else module)
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_among_compliance_modules():
    graph = import_graph()
    assert "compliance.resolve" in graph and graph["compliance.resolve"]  # the walk sees imports at all
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_cache_sits_below_both_loaders_and_lineage_below_the_resolver():
    graph = import_graph()
    assert not graph["compliance.kbcache"] & {"compliance.knowledge", "compliance.catalog"}
    assert "compliance.resolve" not in graph["compliance.lineage"]
    assert "compliance.resolve" not in graph["compliance.records"]


def test_cli_holds_only_the_group_and_every_command_lives_in_commands():
    from compliance import cli, cli_group

    for module in ("cli.py", "cli_group.py"):
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        decorated = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.decorator_list]
        assert decorated == (["cli"] if module == "cli_group.py" else []), module
    assert cli.cli is cli_group.cli
    cli.cli.load_all()
    for name, command in cli.cli.commands.items():
        assert command.callback.__module__.startswith("compliance.commands."), name
    assert {"check", "explain", "identify", "inspect", "kb", "licenses", "lock", "policy", "query", "report", "sbom",
            "scan"} <= set(cli.cli.commands)


def test_no_command_module_imports_the_cli():
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("compliance.commands"):
            assert not deps & {"compliance.cli", "compliance.cli_group"}, name


def test_exit_code_is_one_rule():
    from compliance.decisions import exit_code, worst
    from compliance.errors import ExitCode

    assert worst([]) == "allow" and worst(["allow", "deny", "review"]) == "deny" and worst(["review"]) == "review"
    assert exit_code(["allow", "review"], "deny") == ExitCode.OK
    assert exit_code(["allow", "review"], "review") == ExitCode.VIOLATION
    assert exit_code(["deny"], "deny") == ExitCode.VIOLATION
    assert exit_code(["deny"], "never") == ExitCode.OK
    assert exit_code([], "deny", drift=True) == ExitCode.VIOLATION
    with pytest.raises(ValueError):
        exit_code(["deny"], "sometimes")


def test_every_registered_format_names_a_renderer_and_the_sbom_package_uses_the_registry():
    from compliance import sbom
    from compliance.formats import registry

    for axis, table in registry.REGISTRIES.items():
        for name, fmt in table.items():
            if fmt.module:
                assert callable(registry.load(fmt)), (axis, name)
    assert sbom.FORMATS is registry.SBOM
    assert registry.for_path(registry.SBOM, "out/models.SPDX3.json") == "spdx3-jsonld"
    assert registry.for_path(registry.REPORT, "audit.md") == "markdown"
    assert registry.for_path(registry.REPORT, "audit.txt") is None


def test_format_choices_come_from_the_registry_without_importing_renderers():
    code = ("import sys\nfrom compliance import cli\n"
            "params = {p.name: p for p in cli.cli.get_command(None, 'scan').params}\n"
            "print(sorted(params['fmt'].type.choices))\n"
            "print(sorted(m for m in sys.modules if m.startswith('compliance.formats.') or m.startswith('compliance.sbom')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    choices, loaded = out.splitlines()
    from compliance.formats import registry

    assert choices == str(sorted(registry.SCAN))
    assert loaded == "['compliance.formats.registry']"


def test_lineage_takes_a_lookup_not_a_resolver():
    from compliance import knowledge
    from compliance.lineage import build_lineage
    from compliance.model import BaseRef, Fact, ModelRecord

    fact = Fact(source="catalog", detail="test")
    base = ModelRecord(reference="org/base", model="org/base", source="catalog", licenses=("apache-2.0",),
                       declared_license=("apache-2.0",))
    child = ModelRecord(reference="org/child", model="org/child", source="local", licenses=("mit",),
                        declared_license=("mit",),
                        base_models=(BaseRef(model="org/base", relation="finetune", fact=fact),
                                     BaseRef(model="org/missing", relation="merge", fact=fact)))
    ancestors, findings = build_lineage(child, {"org/base": base}.get, knowledge.default(), max_depth=3)
    by_model = {a.model: a for a in ancestors}
    assert by_model["org/base"].resolved and by_model["org/base"].licenses == ("apache-2.0",)
    assert not by_model["org/missing"].resolved
    assert any(f.kind == "base-unresolvable" and "offline" in f.message for f in findings)


def test_no_module_is_imported_by_a_name_the_api_shadows():
    """``compliance.scan`` etc. are API functions; the modules of the same name are imported by their full name
    (``from .scan import x``), since ``from . import scan`` and ``import compliance.scan as m`` give the function."""
    import compliance

    shadowed = set(compliance._SHADOWED)
    offenders = []
    for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "tests").rglob("*.py")) + list((ROOT / "benchmarks").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in (None, "compliance") and (
                    node.level == 1 and path.parent == PACKAGE or node.module == "compliance"):
                offenders += [f"{path}:{node.lineno}" for a in node.names if a.name in shadowed]
            if isinstance(node, ast.Import):
                offenders += [f"{path}:{node.lineno}" for a in node.names
                              if a.asname and a.name.split(".")[-1] in shadowed and a.name.startswith("compliance.")]
    assert offenders == []
    assert callable(compliance.scan) and callable(compliance.evaluate)
    import compliance.scan  # noqa: F401 - the module import must not replace the function

    assert callable(compliance.scan) and compliance.scan.__module__ == "compliance.api"
