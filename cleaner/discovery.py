"""Which files a run reads: folders walked, links judged, ignore files and hidden folders respected.

A corpus is often a checkout nobody has read (a pull request from a stranger), so
the walk is conservative:

* a symbolic link (to a file or a folder) is followed only when what it points to
  lies inside the folders given; one that leads elsewhere (``x.txt -> ../.git/config``)
  is skipped with a one-line notice, unless ``follow_links`` is asked for. A link named
  on the command line is judged the same way;
* ``.gitignore`` and ``.cleanerignore`` files (git's syntax, read with ``pathspec``)
  in the walked folders, and in their parents up to the repository's root, are
  respected, as are the configuration's ``exclude`` and ``extend-exclude`` globs;
* hidden folders (``.venv``, ``.git``, ``.cleaner_cache``) are skipped unless named;
* every file is read once, however many ways lead to it, and link loops end.

A file named on the command line is always taken (unless it is a link that leads
outside); ignore files and globs choose among the files a folder contributes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.config import Config, path_matches
from cleaner.emit.report import FileError

if TYPE_CHECKING:  # imported where an ignore file is read: 17 ms of start-up otherwise
    import pathspec

IGNORE_FILES = (".gitignore", ".cleanerignore")


@dataclass(slots=True)
class Inputs:
    """The files to read, in order, with what could not be taken and why."""

    files: list[Path] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    #: One line per thing skipped on purpose (a link leading outside the inputs).
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _IgnoreFile:
    """The patterns of one ignore file, which speak of paths below ``base``."""

    base: Path
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """``True`` ignored, ``False`` re-included (``!pattern``), ``None`` not mentioned."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        return self.spec.check_file(relative + ("/" if is_dir else "")).include


def collect_inputs(
    paths: Sequence[Path],
    config: Config | None = None,
    *,
    exclude: Path | None = None,
    follow_links: bool = False,
) -> Inputs:
    """Expand ``paths`` (files and folders) to the text files to read, sorted within each folder.

    A folder contributes the files ``config`` includes and does not exclude (globs
    matched against the path as found, e.g. ``docs/drafts/a.txt``, the path inside
    the folder given, ``drafts/a.txt``, and the file name). Files under ``exclude``
    (the output folder) are skipped, so outputs are never read back as inputs.
    """
    config = config or Config()
    folders = tuple(p.resolve() for p in paths if p.is_dir())
    walk = _Walk(config, folders, exclude.resolve() if exclude else None, follow_links)
    for path in paths:
        if path.is_symlink() and not walk.may_follow(path):
            continue
        if path.is_dir():
            taken = len(walk.inputs.files)
            for found in walk.folder(path):
                walk.take(found)
            if len(walk.inputs.files) == taken:
                walk.inputs.notices.append(f"warning: {path.as_posix()}: no files to clean in this folder (include: {', '.join(config.include)})")
        elif path.is_file():
            walk.take(path)
        else:
            walk.inputs.errors.append(FileError(path.as_posix(), f"error[C201]: {path}: no such file or folder"))
    return walk.inputs


class _Walk:
    """The state of one discovery: what was taken, and the rules deciding what is."""

    def __init__(self, config: Config, folders: tuple[Path, ...], excluded: Path | None, follow_links: bool) -> None:
        self.config = config
        self.folders = folders
        self.excluded = excluded
        self.follow_links = follow_links
        self.inputs = Inputs()
        self._taken: set[Path] = set()
        self._globs = (*config.exclude, *config.extend_exclude)

    def take(self, path: Path) -> None:
        """Add a file once, however many paths lead to it."""
        real = path.resolve()
        if real not in self._taken:
            self._taken.add(real)
            self.inputs.files.append(path)

    def may_follow(self, link: Path) -> bool:
        """Tell whether a symbolic link may be read; say why once when it may not."""
        if self.follow_links:
            return True
        target = link.resolve()
        if any(target == folder or folder in target.parents for folder in self.folders):
            return True
        where = "nowhere (a broken link)" if not target.exists() else "outside the inputs given"
        self.inputs.notices.append(f"notice: {link}: symbolic link leads {where}; skipped (--follow-links reads it)")
        return False

    def folder(self, root: Path) -> Iterator[Path]:
        """Yield the wanted files under ``root``, in sorted order, without loops."""
        ignores = _ancestor_ignore_files(root)
        yield from self._walk(root, root, ignores, set())

    def _walk(self, folder: Path, root: Path, ignores: list[_IgnoreFile], seen: set[Path]) -> Iterator[Path]:
        real = folder.resolve()
        if real in seen or (self.excluded and (real == self.excluded or self.excluded in real.parents)):
            return
        seen = seen | {real}
        ignores = ignores + _ignore_files_in(folder.absolute())
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.inputs.errors.append(FileError(folder.as_posix(), f"error[C201]: {folder}: cannot read folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = folder / entry.name
            if entry.is_symlink() and not self.may_follow(path):
                continue
            is_dir = entry.is_dir()
            if _ignored(path.absolute(), is_dir, ignores) or self._excluded(path, root):
                continue
            if is_dir:
                if not entry.name.startswith("."):
                    yield from self._walk(path, root, ignores, seen)
            elif entry.is_file() and self.config.wants(path.as_posix()):
                yield path

    def _excluded(self, path: Path, root: Path) -> bool:
        """Tell whether an ``exclude``/``extend-exclude`` glob names ``path``."""
        inside = path.relative_to(root).as_posix()
        return any(path_matches(path.as_posix(), glob) or path_matches(inside, glob) for glob in self._globs)


def _ignored(path: Path, is_dir: bool, ignores: list[_IgnoreFile]) -> bool:
    """Apply the ignore files from the outermost in: the last one that has a say wins."""
    ignored = False
    for ignore in ignores:
        verdict = ignore.verdict(path, is_dir)
        if verdict is not None:
            ignored = verdict
    return ignored


def _ignore_files_in(folder: Path) -> list[_IgnoreFile]:
    """Read the ignore files of one folder (an unreadable one is as if absent)."""
    found = []
    for name in IGNORE_FILES:
        try:
            lines = (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        from pathspec import GitIgnoreSpec

        found.append(_IgnoreFile(folder, GitIgnoreSpec.from_lines(lines)))
    return found


def _ancestor_ignore_files(root: Path) -> list[_IgnoreFile]:
    """Read the ignore files above ``root`` up to its repository's root (none outside a repository).

    An ancestor's file that ignores ``root`` itself is left out: the user named the
    folder, so it is read, and the rest of that file still speaks of nothing below it.
    """
    start = root.absolute()
    chain = []
    for folder in start.parents:
        chain.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []
    ignores = [ignore for folder in reversed(chain) for ignore in _ignore_files_in(folder)]
    return [ignore for ignore in ignores if not ignore.verdict(start, is_dir=True)]
