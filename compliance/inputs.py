"""The one reading path for every input file: cards, policies, license texts, lock files, ``--from`` lists,
Ollama manifests, the knowledge base.

- Regular files only: a FIFO, device or socket is one clear line (exit 2), checked with ``os.stat`` before
  anything is opened, and opened with ``O_NONBLOCK`` so a file swapped for a FIFO between the check and the open
  cannot block either (the descriptor is checked again with ``fstat``).
- A size bound per kind of file (:data:`LIMITS`), enforced on what is actually read, not only on the size the
  file system reports (``/proc`` files report 0).
- Decoding by byte-order mark: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM; anything else gets a message
  saying what it is (binary, UTF-16 without a BOM, UTF-32, not UTF-8 at byte N).
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from .errors import InputError

#: Largest file read, by kind (bytes). Kinds not listed get DEFAULT_LIMIT.
LIMITS = {
    "policy file": 1_000_000,
    "model card": 5_000_000,
    "license file": 2_000_000,
    "license layer": 2_000_000,
    "reference list": 5_000_000,
    "lock file": 50_000_000,
    "Ollama manifest": 1_000_000,
    "knowledge-base record": 1_000_000,
    "model catalog": 5_000_000,
    "publisher registry": 1_000_000,
}
DEFAULT_LIMIT = 5_000_000

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def file_kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"…), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _os_problem(exc: OSError, what: str) -> str:
    if exc.errno == errno.ENOENT:
        return f"{what} not found"
    if exc.errno == errno.ENOTDIR:
        return f"{what} not found (a part of the path is not a folder)"
    if exc.errno == errno.ELOOP:
        return f"cannot read {what}: too many levels of symbolic links"
    return f"cannot read {what}: {exc.strerror or exc}"


def check_readable(path: str | Path, *, what: str = "file") -> os.stat_result:
    """The file's status when it is a regular file; else InputError (missing, a folder, a FIFO, a device…)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(_os_problem(exc, what), file=path) from None
    except ValueError:  # an embedded NUL byte
        raise InputError(f"cannot read {what}: the name contains a NUL byte", file=repr(str(path))) from None
    kind = file_kind(st.st_mode)
    if kind is not None:
        raise InputError(f"is {kind}, not a regular file; expected a {what}", file=path)
    return st


def read_bytes(path: str | Path, *, what: str = "file", max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (default: the limit of ``what``)."""
    limit = max_bytes if max_bytes is not None else LIMITS.get(what, DEFAULT_LIMIT)
    st = check_readable(path, what=what)
    if st.st_size > limit:
        raise InputError(f"{what} is {_size(st.st_size)}; at most {_size(limit)} is read", file=path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(_os_problem(exc, what), file=path) from None
    try:
        opened = os.fstat(fd)
        kind = file_kind(opened.st_mode)
        if kind is not None:  # swapped between stat and open
            raise InputError(f"is {kind}, not a regular file; expected a {what}", file=path)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(f"{what} is larger than {_size(limit)}; at most {_size(limit)} is read", file=path)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(_os_problem(exc, what), file=path) from None
    finally:
        os.close(fd)


def decode(data: bytes, *, what: str = "file", file: str | Path | None = None) -> str:
    """Text from bytes by byte-order mark: UTF-8 (BOM optional), UTF-16 LE/BE (BOM required)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(f"{what} is UTF-32, which is not read; save it as UTF-8", file=file)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{what} is not valid {encoding.upper()} (byte {exc.start + len(bom)})",
                                 file=file) from None
    head = data[:8192]
    if b"\x00" in head:
        if _looks_utf16(head):
            raise InputError(f"{what} looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 "
                             "with a BOM)", file=file)
        raise InputError(f"{what} is binary, not text", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not valid UTF-8 (byte {exc.start})", file=file) from None


def read_text(path: str | Path, *, what: str = "file", max_bytes: int | None = None) -> str:
    """A text file through :func:`read_bytes` and :func:`decode`."""
    return decode(read_bytes(path, what=what, max_bytes=max_bytes), what=what, file=path)


def _looks_utf16(head: bytes) -> bool:
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (even.count(0) >= 0.8 * len(even) or odd.count(0) >= 0.8 * len(odd))


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
