"""Standard output the Unix way, shared by the click path and the hook's fast path: a name that is not UTF-8
prints as U+FFFD, a closed pipe ends quietly (exit 141, as ``yes | head``), a full disk is one line and exit 2.
Imports nothing but the standard library."""
from __future__ import annotations

import codecs
import os
import sys

SIGPIPE_EXIT = 141  #: 128 + SIGPIPE: the reader closed the pipe before the command finished (as `yes | head`)
UNENCODABLE = "compliance-replace"  #: codec error handler: an unencodable character (a lone surrogate from a
# file name that is not UTF-8) is written as U+FFFD, so JSON, SARIF and lock files stay valid UTF-8


def _replace(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError) or error.encoding.lower().replace("-", "") != "utf8":
        raise error
    return "\ufffd".encode() * (error.end - error.start), error.end  # bytes: the UTF-8 encoder takes no non-ASCII str


codecs.register_error(UNENCODABLE, _replace)


def tolerant_stdout() -> None:
    """A file name that is not UTF-8 (a lone surrogate in Python) prints as U+FFFD instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8":
                stream.reconfigure(errors=UNENCODABLE)
        except (AttributeError, ValueError, OSError):
            pass


def from_stdout(exc: BaseException) -> bool:
    """Whether an OSError was raised while writing standard output (click's echo or our write_stdout)."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if (code.co_name == "echo" and code.co_filename.replace("\\", "/").endswith("click/utils.py")) or \
                (code.co_name in ("write_stdout", "write_out") and code.co_filename.endswith(("fileio.py", "stdio.py"))):
            return True
        tb = tb.tb_next
    return False


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the interpreter's final flush of what is still buffered cannot fail
    again (which would print a traceback-like warning and change the exit code to 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def write_out(text: str, code: int) -> int:
    """Write ``text`` and a newline to standard output and return ``code``, or the exit code of a failed write:
    141 for a closed pipe (quietly), 2 for a full disk or a device error (one line on stderr)."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return SIGPIPE_EXIT
    except OSError as exc:
        silence_stdout()
        sys.stderr.write(f"compliance: cannot write to standard output: {exc.strerror or exc}\n")
        return 2
    return code
