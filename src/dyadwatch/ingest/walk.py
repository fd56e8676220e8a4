"""The file system side of reading: which inputs a path names, and opening them safely.

`expand(given)` turns one command-line path into the regular files to read and an
`InputError` for everything else it meets: a missing path, a broken or looping symlink, a
folder it may not list, a FIFO, socket or device (never opened: opening a FIFO blocks until a
writer comes). Folders are walked recursively in sorted order, dot-files skipped; symlinks to
folders are followed unless they lead back into a folder being walked (a loop).

`open_regular(path)` opens a file without blocking and refuses anything but a regular file.
`shown(text)` is a path as it can be stored and printed: undecodable bytes and NUL escaped.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from dyadwatch.errors import InputFileError
from dyadwatch.records import InputError, input_error

log = logging.getLogger(__name__)

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def shown(text: str | os.PathLike[str]) -> str:
    """`text` with undecodable file-name bytes, lone surrogates and NUL written as escapes."""
    value = os.fspath(text)
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")


def kind_of(mode: int) -> str | None:
    """What a non-regular, non-folder file is ("a FIFO (named pipe)"), or None."""
    return next((name for test, name in _KINDS if test(mode)), None)


def _not_readable(path: Path, exc: BaseException, what: str = "") -> InputError:
    """The error row of a path that could not be looked at or opened."""
    source = shown(path)
    code = getattr(exc, "errno", None)
    if isinstance(exc, RuntimeError) or code == errno.ELOOP:
        why = "symlink loop (the link leads back to itself); not read"
    elif code == errno.ENOENT and path.is_symlink():
        why = f"broken symlink (its target {shown(os.readlink(path))} does not exist)"
    elif code == errno.ENOENT:
        why = "no such file or directory"
    elif isinstance(exc, ValueError):
        why = "the name holds a NUL byte; not a file name"
    else:
        why = f"cannot read{what} ({getattr(exc, 'strerror', None) or exc})"
    return input_error(source, f"{source}: {why}")


def expand(given: str | Path) -> Iterator[Path | InputError]:
    """The files to read for one path given by the user (see the module docstring)."""
    path = Path(given).expanduser().absolute()
    try:
        resolved = path.resolve()
        info = resolved.stat()
    except (OSError, RuntimeError, ValueError) as exc:
        yield _not_readable(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(resolved, [(info.st_dev, info.st_ino)])
    elif stat.S_ISREG(info.st_mode):
        yield resolved
    else:
        yield _not_regular(resolved, info.st_mode)


def _not_regular(path: Path, mode: int) -> InputError:
    source = shown(path)
    return input_error(source, f"{source}: is {kind_of(mode) or 'not a regular file'}, "
                               "not a file or folder of articles; not read")


def _walk(folder: Path, chain: list[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Files under `folder`, sorted by name; `chain` holds the folders being walked."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as exc:
        yield _not_readable(folder, exc, " folder")
        return
    for name in names:
        path = folder / name
        if name.startswith("."):
            log.info("skipping hidden %s", shown(path))
            continue
        try:
            info = path.stat()
        except (OSError, ValueError) as exc:
            yield _not_readable(path, exc)
            continue
        if stat.S_ISREG(info.st_mode):
            yield path
        elif not stat.S_ISDIR(info.st_mode):
            yield _not_regular(path, info.st_mode)
        elif (info.st_dev, info.st_ino) in chain:
            source = shown(path)
            yield input_error(source, f"{source}: symlink loop (leads back to the folder "
                                      f"{shown(path.resolve())} being read); not followed")
        else:
            yield from _walk(path, [*chain, (info.st_dev, info.st_ino)])


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading in binary; InputFileError when it is not a regular file.
    Opened non-blocking first, so that a FIFO put in a file's place cannot hang the run."""
    source = shown(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        raise InputFileError(source, _not_readable(path, exc).reason) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise InputFileError(source, _not_regular(path, info.st_mode).reason)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
