"""Writing files without losing anything: every writer (outputs, reports, HTML) comes here.

Writes go to a temporary file in the target's folder, then one rename: a reader (or an
interrupted run) sees the old file or the new one, never half of either. Temporaries
are named ``.<name>.<random>.tmp`` and removed on any failure, including an interrupt.
It sits below ``batch`` and ``emit`` so both can use it without importing each other.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cleaner.errors import OutputError


def write_atomically(path: Path, text: str | Iterable[str], *, mode: int | None = None, encoding: str = "utf-8") -> None:
    """Write ``text`` (or its pieces, one after another) to ``path`` through a temporary file and a rename.

    ``mode`` is the new file's permission bits; by default the usual ones for a new
    file (``0666`` less the umask), as if the file had been created with ``open``.
    ``encoding`` is UTF-8 but for a file written back in place in a legacy encoding.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="\n") as stream:
            if isinstance(text, str):
                stream.write(text)
            else:
                stream.writelines(text)
        os.chmod(temporary, 0o666 & ~_umask() if mode is None else mode)  # mkstemp makes 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_unless_same(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (:func:`write_atomically`) unless the file there already holds exactly it; return whether it wrote.

    A re-run over an unchanged corpus then leaves its outputs as they were, times
    included (a tool that rebuilds what is newer sees nothing to do), for the price of a
    read, not of a temporary file and a rename. Only a regular file of the same size is
    compared; anything else at ``path`` is replaced as before.
    """
    data = text.encode("utf-8")
    try:
        found = os.lstat(path)
        if stat.S_ISREG(found.st_mode) and found.st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, text)
    return True


def read_bounded(path: Path, limit: int) -> bytes | None:
    """Read at most ``limit`` + 1 bytes of a file the tool keeps for itself (a cache entry, a stored table).

    ``None`` when there is nothing to open; ``b""`` when what is there is not a regular
    file or cannot be read. It is opened without blocking and read only if regular: a
    FIFO or device planted under the name must not hang or flood the run. A result
    longer than ``limit`` tells the caller the file is too large to be its own.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return b""
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read(limit + 1)
    except OSError:
        return b""
    finally:
        os.close(handle)


def keyed_digest(key: str, body: bytes) -> str:
    """Return the SHA-256 that heads a kept file: of the key it is filed under and its body.

    A body copied under another key, edited or cut short no longer matches its line.

    >>> keyed_digest("k", b"body") == keyed_digest("k", b"body") != keyed_digest("k2", b"body")
    True
    """
    return hashlib.sha256(key.encode("ascii") + b"\0" + body).hexdigest()


def store_quietly(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename), creating its folder.

    For what the tool keeps to go faster next time (cache entries, stored tables): a
    folder that cannot be written only means it is not kept, so every failure is silent.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def write_in_place(path: Path, text: str, *, allow_read_only: bool = False, encoding: str = "utf-8") -> Path:
    """Replace the content of the existing file ``path`` with ``text``; return the file written.

    What the file was stays what it is:

    * it is written in the ``encoding`` it was read in (a Shift-JIS file stays
      Shift-JIS); a text that encoding cannot hold (a character cleaning brought in) is
      refused, naming the character, rather than written in another encoding;

    * a symbolic link stays a link: its target is rewritten (the link is never
      replaced by a copy);
    * permission bits are kept (a 0600 file stays 0600) and so are owner and group,
      where this process may set them;
    * a read-only file is refused unless ``allow_read_only``: read-only usually means
      "do not touch" (vendored or generated text);
    * a file with several hard links is refused. Writing through the shared inode
      would silently change every other name of the file, which may lie outside the
      inputs given, and is not atomic; replacing it would split the link, so those
      names would keep the old text without anyone being told. Neither is what a
      user who named one path expects, so the user decides (break the link, or clean
      into an output folder).
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        info = target.stat()
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path}: not a regular file; only regular files are rewritten in place")
    if info.st_nlink > 1:
        raise OutputError(
            f"{path}: has {info.st_nlink} hard links; rewriting it in place would change or split the others",
            hint="clean it into an output folder with -o, or copy it to break the link first",
        )
    if not info.st_mode & stat.S_IWUSR and not allow_read_only:
        raise OutputError(f"{path}: is read-only; not rewritten", hint="pass --allow-read-only to rewrite read-only files too")
    _check_encodable(path, text, encoding)
    write_atomically(target, text, mode=stat.S_IMODE(info.st_mode), encoding=encoding)
    _keep_owner(target, info)
    return target


def _check_encodable(path: Path, text: str, encoding: str) -> None:
    """Refuse a text that ``encoding`` cannot write, naming the first character it cannot."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise OutputError(
            f"{path}: was read as {encoding}, which cannot hold U+{ord(text[exc.start]):04X} "
            f"({text[exc.start]!r}, line {line}) of the cleaned text; not rewritten",
            hint="clean it into an output folder with -o (written as UTF-8)",
        ) from None


def _keep_owner(path: Path, info: os.stat_result) -> None:
    """Give ``path`` back the owner and group of the file it replaced, when allowed.

    Only a privileged process can give a file away; an ordinary user's rewrite is
    owned by that user anyway, and a group it is not a member of cannot be kept.
    """
    current = path.stat()
    if (current.st_uid, current.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.chown(path, info.st_uid, info.st_gid)
    except PermissionError:
        pass  # not ours to give away: the file now belongs to the user who rewrote it


def _umask() -> int:
    """Return the process umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
