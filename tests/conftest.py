"""Shared fixtures: the corpus (skip cleanly when absent), a network guard, and a CLI runner."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from compliance.corpus import find_corpus

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def corpus() -> Path:
    found = find_corpus()
    if found is None:
        pytest.skip("corpus not found: set COMPLIANCE_CORPUS or place ../shared/corpus beside the checkout")
    return found


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from compliance.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


import sys as _sys

_sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/support helpers importable as `support`


import os as _os
import tempfile as _tempfile

# Tests use their own knowledge-base cache folder, never the user's.
_os.environ.setdefault("COMPLIANCE_CACHE_DIR", _tempfile.mkdtemp(prefix="compliance-test-cache-"))
