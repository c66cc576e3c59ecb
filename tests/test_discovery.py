"""Which files a folder walk reads: links that lead outside are skipped, ignore files,
hidden folders and exclude globs are respected, every file is read once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.config import Config
from cleaner.discovery import collect_inputs

OFF = ["--grammar", "off", "--no-cache", "--jobs", "1"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A corpus with links to a secret file and folder outside it, and one link inside it."""
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "config.txt").write_text("TOP SECRET token\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Ordinary text.\n")
    (docs / "x.txt").symlink_to(tmp_path / "secret" / "config.txt")
    (docs / "dir").symlink_to(tmp_path / "secret", target_is_directory=True)
    (docs / "again.txt").symlink_to(docs / "a.txt")
    return docs


def test_links_leading_outside_are_skipped_with_a_notice(linked: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("clean", str(linked), "-o", str(out), *OFF)
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["REPORT.md", "a.txt", "report.json"]
    assert not any("SECRET" in p.read_text() for p in out.iterdir())
    notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 2 and all("outside the inputs given" in n and "--follow-links" in n for n in notices)


def test_a_link_named_on_the_command_line_is_judged_too(linked: Path, tmp_path: Path) -> None:
    result = run("check", str(linked / "x.txt"), *OFF)
    assert "SECRET" not in result.output and "outside the inputs given" in result.stderr


def test_follow_links_reads_them(linked: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("clean", str(linked), "-o", str(out), "--follow-links", *OFF).exit_code == 0
    # Both links lead to one file: it is read once, by the first path found (dir/ sorts before x.txt).
    assert (out / "config.txt").read_text() == "TOP SECRET token\n" and not (out / "x.txt").exists()


def test_a_link_inside_the_inputs_is_read_once(linked: Path) -> None:
    found = collect_inputs([linked, linked / "a.txt"])
    assert [p.name for p in found.files] == ["a.txt"]


def test_gitignore_cleanerignore_and_hidden_folders(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text("node_modules/\n*.log.txt\n!keep.log.txt\n")
    for name in ("doc.txt", "x.log.txt", "keep.log.txt", "node_modules/pkg/readme.md", ".venv/lib/notes.txt", "sub/draft.md", "sub/final.md", "build/out.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("Text.\n")
    (root / "sub" / ".cleanerignore").write_text("draft.md\n")
    (root / "sub" / ".gitignore").write_text("# nothing\n")
    found = collect_inputs([root])
    assert [p.relative_to(root).as_posix() for p in found.files] == ["build/out.txt", "doc.txt", "keep.log.txt", "sub/final.md"]
    # A folder the user names is read, hidden or not; ignore files above it still apply below it.
    assert [p.name for p in collect_inputs([root / ".venv"]).files] == ["notes.txt"]
    assert [p.name for p in collect_inputs([root / "sub"]).files] == ["final.md"]


def test_ignore_files_of_the_repository_above_the_folder_apply(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("docs/_build/\n")
    (tmp_path / "docs" / "_build").mkdir(parents=True)
    (tmp_path / "docs" / "_build" / "page.txt").write_text("Generated.\n")
    (tmp_path / "docs" / "index.md").write_text("Written.\n")
    assert [p.name for p in collect_inputs([tmp_path / "docs"]).files] == ["index.md"]


def test_exclude_and_extend_exclude_take_quoted_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('exclude = ["vendor"]\n')
    for name in ("docs/a.txt", "docs/b.md", "docs/drafts/c.txt", "docs/vendor/d.txt"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("Text  here.\n")
    checked = run("check", "docs", "--extend-exclude", "drafts", "--extend-exclude", "*.md", *OFF)
    assert [line.split(":")[0] for line in checked.stdout.splitlines()] == ["docs/a.txt"]
    replaced = run("check", "docs", "--exclude", "drafts/*", *OFF)
    assert sorted(line.split(":")[0] for line in replaced.stdout.splitlines()) == ["docs/a.txt", "docs/b.md", "docs/vendor/d.txt"]
    assert collect_inputs([Path("docs")], Config(extend_exclude=("docs/drafts",))).files == [Path("docs/a.txt"), Path("docs/b.md"), Path("docs/vendor/d.txt")]


@pytest.mark.parametrize("linked_folder", [False, True])
def test_an_output_where_a_followed_link_leads_is_refused_and_the_file_kept(tmp_path: Path, linked_folder: bool) -> None:
    # in/doc.txt is a link to out/doc.txt: writing doc.txt's output into out/ would
    # replace the very file read (also when out/ is reached through a linked folder).
    (tmp_path / "in").mkdir()
    (tmp_path / "real-out").mkdir()
    out = tmp_path / "out"
    out.symlink_to(tmp_path / "real-out", target_is_directory=True) if linked_folder else out.mkdir()
    (out / "doc.txt").write_text("An  input   text.\n")
    (tmp_path / "in" / "doc.txt").symlink_to(out / "doc.txt")
    (tmp_path / "in" / "other.txt").write_text("Another  text.\n")
    result = run("clean", str(tmp_path / "in"), "-o", str(out), "--follow-links", *OFF)
    assert result.exit_code == 2 and "doc.txt: output would overwrite an input" in result.stderr
    assert (out / "doc.txt").read_text() == "An  input   text.\n" and (out / "other.txt").read_text() == "Another text.\n"
