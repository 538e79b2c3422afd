"""Writing output files so that nothing is ever half-written: a temporary file beside the target, flushed to
disk, then renamed over it. An interrupt leaves the old file (or none), never a partial one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def check_writable(path: Path, *, make_parents: bool = False) -> None:
    """Fail before any work when ``path`` cannot be written: a folder, no permission, a missing folder (unless
    ``make_parents``: then the nearest existing ancestor must be a writable folder, the rest is made on writing)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, expected an output file name", file=path)
    folder = path.parent if str(path.parent) else Path(".")
    while make_parents and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.exists():
        raise InputError("cannot write: the folder does not exist", file=path)
    if not folder.is_dir():
        raise InputError(f"cannot write: {folder} is not a folder", file=path)
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError("cannot write: permission denied", file=path)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically, keeping the file's permissions (a new
    file gets the usual 0666 & ~umask, not mkstemp's 0600)."""
    path = Path(path)
    check_writable(path)
    atomic_write_many({path: data.encode("utf-8") if isinstance(data, str) else data})


def atomic_write_many(outputs: dict[Path, bytes]) -> None:
    """Stage every file under a temporary name in its own folder (made if missing), flushed to disk, then rename
    them all into place; on any error remove what was staged, so each target is its old self or the new file."""
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, data in outputs.items():
            current = Path(path)
            current.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{current.name}.", suffix=".tmp", dir=current.parent)
            staged.append((tmp, current))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, current.stat().st_mode & 0o7777 if current.exists() else 0o666 & ~umask)
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        _discard(staged)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=current) from None
    except BaseException:
        _discard(staged)
        raise


def _discard(staged: list[tuple[str, Path]]) -> None:
    for tmp, _ in staged:
        try:
            os.unlink(tmp)
        except OSError:
            pass
