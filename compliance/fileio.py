"""Writing output files so that nothing is ever half-written: a temporary file beside the target, flushed to
disk, then renamed over it. An interrupt leaves the old file (or none), never a partial one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def check_writable(path: Path) -> None:
    """Fail before any work when ``path`` cannot be written: a missing folder, a folder, no permission."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError("is a directory, expected an output file", file=path)
    if not folder.is_dir():
        raise InputError("cannot write: the folder does not exist", file=path)
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError("cannot write: permission denied", file=path)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically, keeping the file's permissions (a new
    file gets the usual 0666 & ~umask, not mkstemp's 0600)."""
    path = Path(path)
    check_writable(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
