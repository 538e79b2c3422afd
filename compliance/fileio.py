"""The one writing path for every output (``-o``, lock files, reports, SBOMs, standard output).

- A regular file (or a new name) is written atomically: a temporary file beside the target, flushed to disk,
  then renamed over it. An interrupt (SIGINT, SIGTERM) or an error leaves the old file (or none), never a
  partial one, and no temporary file.
- An existing character device or FIFO (``/dev/null``, ``/dev/stdout``, a named pipe) is written through, never
  replaced: a CI job writing ``-o /dev/null`` as root must not turn ``/dev/null`` into a regular file.
  A FIFO nobody reads is an error, not a hang. Block devices and sockets are refused.
- ``-`` is standard output (:func:`write_stdout`).
- A folder, a missing folder, or no permission is one line (exit 2), checked before any work.
"""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path

from .errors import InputError

STDOUT = "-"
from .stdio import UNENCODABLE  # noqa: E402 - the codec error handler lives with standard output


def encode(text: str) -> bytes:
    """Text as UTF-8 for an output file; characters UTF-8 cannot hold (lone surrogates) become U+FFFD."""
    return text.encode("utf-8", UNENCODABLE)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise InputError(f"cannot write: {_first_non_folder(path)} is not a folder", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None


def _first_non_folder(path: Path) -> Path:
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return path.parent


def is_pass_through(path: str | Path) -> bool:
    """True when ``path`` exists and is a character device or a FIFO: written through, never replaced."""
    if str(path) == STDOUT:
        return False
    st = _stat(Path(path))
    return st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode))


def check_writable(path: Path, *, make_parents: bool = False) -> None:
    """Fail before any work when ``path`` cannot be written: a folder, a block device or socket, no permission, a
    missing folder (unless ``make_parents``: then the nearest existing ancestor must be a writable folder, the
    rest is made on writing). A character device or FIFO must be writable by us."""
    path = Path(path)
    st = _stat(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory, expected an output file name", file=path)
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            if not os.access(path, os.W_OK):
                raise InputError("cannot write: permission denied", file=path)
            return
        kind = "a block device" if stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else \
            "not a regular file"
        raise InputError(f"is {kind}; output goes to a regular file, a character device or a FIFO", file=path)
    folder = path.parent if str(path.parent) else Path(".")
    while make_parents and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.exists():
        if any(p.exists() and not p.is_dir() for p in folder.parents):
            raise InputError(f"cannot write: {_first_non_folder(path)} is not a folder", file=path)
        raise InputError("cannot write: the folder does not exist", file=path)
    if not folder.is_dir():
        raise InputError(f"cannot write: {folder} is not a folder", file=path)
    if not os.access(folder, os.W_OK | os.X_OK) or (st is not None and not os.access(path, os.W_OK)):
        raise InputError("cannot write: permission denied", file=path)


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path``: atomically for a regular file (keeping its
    permissions; a new file gets the usual 0666 & ~umask), through for a device or FIFO, to stdout for ``-``."""
    payload = encode(data) if isinstance(data, str) else data
    if str(path) == STDOUT:
        write_stdout(payload)
        return
    path = Path(path)
    check_writable(path)
    atomic_write_many({path: payload})


def write_through(path: Path, data: bytes) -> None:
    """Write into an existing character device or FIFO without replacing it."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISFIFO(os.stat(path).st_mode):
        flags |= os.O_NONBLOCK  # no reader: ENXIO now instead of blocking forever
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError("cannot write: nobody is reading this FIFO", file=path) from None
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    try:
        if flags & os.O_NONBLOCK:
            os.set_blocking(fd, True)  # a reader is there: wait for it as a pipe does
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    finally:
        os.close(fd)


def atomic_write_many(outputs: dict[Path, bytes]) -> None:
    """Stage every regular file under a temporary name in its own folder (made if missing), flushed to disk, then
    rename them all into place; on any error or SIGINT/SIGTERM remove what was staged, so each target is its old
    self or the new file. Devices and FIFOs among the targets are written through after the renames."""
    regular = {Path(p): d for p, d in outputs.items() if not is_pass_through(p)}
    through = {Path(p): d for p, d in outputs.items() if Path(p) not in regular}
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    umask = os.umask(0)
    os.umask(umask)
    with _removed_on_signal(staged):
        try:
            for path, data in regular.items():
                current = path
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
            staged.clear()
        except OSError as exc:
            _discard(staged)
            raise InputError(f"cannot write: {exc.strerror or exc}", file=current) from None
        except BaseException:
            _discard(staged)
            raise
    for path, data in through.items():
        write_through(path, data)


def write_stdout(data: bytes | str) -> None:
    """Write to standard output and flush, so a full disk or closed pipe surfaces here (``main`` turns it into
    exit 2, or quiet for a closed pipe)."""
    stream = sys.stdout
    if isinstance(data, str) and getattr(stream, "buffer", None) is not None:
        data = encode(data)
    if isinstance(data, str):
        stream.write(data)
    else:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
        else:
            stream.write(data.decode("utf-8"))
    stream.flush()


@contextlib.contextmanager
def _removed_on_signal(staged: list[tuple[str, Path]]):
    """While staging, SIGTERM removes the temporary files and exits 143 (SIGINT raises KeyboardInterrupt, which
    the writer's cleanup handles). Only the main thread can set handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum, frame):  # noqa: ANN001
        _discard(staged)
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _discard(staged: list[tuple[str, Path]]) -> None:
    for tmp, _ in staged:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    staged.clear()
