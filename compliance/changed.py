"""``scan --changed-since REF``: the lines changed since a git revision (committed, staged or not), and untracked
files, so a pull-request check reports only what the change brings."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .errors import InputError

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")


def _git(*args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"--changed-since needs git: {exc}") from None
    if proc.returncode != 0:
        problem = (proc.stderr.strip().splitlines() or ["git failed"])[-1]
        raise InputError(f"--changed-since: git {args[0]}: {problem}")
    return proc.stdout


def changed_lines(ref: str, paths: list[str]) -> dict[str, set[int] | None]:
    """{path relative to the current folder: changed line numbers, or None for a new (untracked) file}."""
    if ref.startswith("-"):
        raise InputError(f"--changed-since: {ref!r} is not a revision")
    _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    out = _git("diff", "--unified=0", "--no-color", "--no-ext-diff", "--relative", ref, "--", *paths)
    changed: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else name[2:] if name.startswith("b/") else name
            if current is not None:
                changed.setdefault(current, set())
        elif current is not None and line.startswith("@@"):
            m = HUNK.match(line)
            if m:
                start, count = int(m.group("start")), int(m.group("count") or 1)
                lines = changed[current]
                if lines is not None:
                    lines.update(range(start, start + count))
    for name in _git("ls-files", "--others", "--exclude-standard", "--", *paths).splitlines():
        changed[name] = None
    return {Path(k).as_posix(): v for k, v in changed.items()}
