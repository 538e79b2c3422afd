"""compliance: license and procurement compliance for open-weight AI models.

The library API, for services that embed the checker (see :mod:`compliance.api` for an example)::

    import compliance

    policy = compliance.load_policy("policy.yaml")
    resolved = compliance.resolve("meta-llama/Llama-4-Scout-17B-16E-Instruct")   # -> Resolved
    assessment = compliance.evaluate(resolved, policy)                         # -> Assessment
    result = compliance.check(["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-R1"], policy)  # -> CheckResult
    report = compliance.scan(["src/"], policy)                                 # -> ScanReport
    found = compliance.identify("LICENSE")                                     # -> Identification

Unusable input raises :class:`ComplianceError` (``InputError``, ``PolicyError``, ``ResolveError``,
``NetworkError``): one line naming the file, line and problem. "Could not determine" is a result (a finding,
decision review or deny), never an exception, and never "allow".

Stability: semantic versioning covers the ``compliance`` command (commands, options, JSON keys, exit codes) and
the names in ``__all__`` here with their documented attributes; other modules are internal and may change.

Names are loaded on first use, so ``import compliance`` stays cheap (the pre-commit hook imports the package).
"""
from __future__ import annotations

import importlib
import sys
import types
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (the pre-commit hook imports the package)

__version__ = "0.1.0"

_EXPORTS = {
    # functions
    "resolve": "api", "identify": "api", "identify_text": "api", "load_policy": "api", "evaluate": "api",
    "check": "api", "scan": "api", "load_knowledge_base": "api", "make_resolver": "api",
    # results
    "CheckResult": "api", "Resolved": "model", "ModelRecord": "model", "Identification": "identify",
    "LoadedPolicy": "policy", "Assessment": "evaluate", "Finding": "evaluate", "ScanReport": "gate",
    "KnowledgeBase": "knowledge", "Resolver": "resolve",
    # errors and exit codes
    "ComplianceError": "errors", "InputError": "errors", "PolicyError": "errors", "ResolveError": "errors",
    "NetworkError": "errors", "ExitCode": "errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from .api import (CheckResult, check, evaluate, identify, identify_text, load_knowledge_base, load_policy,
                      make_resolver, resolve, scan)
    from .errors import ComplianceError, ExitCode, InputError, NetworkError, PolicyError, ResolveError
    from .evaluate import Assessment, Finding
    from .gate import ScanReport
    from .identify import Identification
    from .knowledge import KnowledgeBase
    from .model import ModelRecord, Resolved
    from .policy import LoadedPolicy
    from .resolve import Resolver


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'compliance' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


#: API functions named like a submodule (compliance/scan.py, evaluate.py, resolve.py, identify.py).
_SHADOWED = frozenset(name for name in ("resolve", "identify", "evaluate", "scan") if _EXPORTS[name] == "api")


class _Package(types.ModuleType):
    """Importing ``compliance.scan`` (the module) must not replace ``compliance.scan`` (the function): the import
    system sets a submodule as an attribute of its package, which is ignored for the shadowed names. The modules
    stay importable by their full name (``from compliance.scan import scan_paths``); inside the package, import
    from them (``from .scan import …``), never ``from . import scan``."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
