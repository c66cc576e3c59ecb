"""The result cache holds plain data only: nothing in it runs, a tampered entry is a miss,
entries are small, and it lives outside the working tree."""

from __future__ import annotations

import json
import lzma
import os
import pickle
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.api import clean_bytes
from cleaner.cache import ResultCache
from cleaner.checks import problems_of
from cleaner.cli import main
from cleaner.config import Config, resolve
from cleaner.emit.report import Shared, document_line, markdown_row
from cleaner.fileio import keyed_digest
from tests.conftest import SEEDS, SPUN_SEED

OFF = ["--grammar", "off", "--jobs", "1"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


class _Planted:
    """A pickle that creates ``marker`` when it is loaded: what an attacker would commit."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a scratch folder with the user's cache folder pointed into it."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    """The cache's result entries (not the batch records beside them)."""
    return sorted(p for p in folder.glob("??/*") if not p.name.startswith("."))


def test_a_planted_pickle_is_never_executed(cache_dir: Path, tmp_path: Path) -> None:
    doc = Path("doc.txt")
    doc.write_text("An  ordinary text.\n")
    config = resolve({"grammar": "off"})[0].for_path("doc.txt")
    key = ResultCache(cache_dir).key(doc.read_bytes(), "doc.txt", config)
    marker = tmp_path / "executed"
    for folder in (Path(".cleaner_cache"), cache_dir):  # the old default and the new one
        entry = folder / key[:2] / key
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(pickle.dumps(_Planted(marker)))
    result = run("check", "doc.txt", *OFF)
    assert not marker.exists(), "a pickle in the cache folder was executed"
    assert result.exit_code == 0  # the planted entry is a miss: the document is checked for real
    assert "did not match their digest" in result.stderr


def test_an_edited_entry_is_a_miss_and_the_output_is_right(cache_dir: Path, tmp_path: Path) -> None:
    Path("doc.txt").write_text("An  ordinary   text.\n")
    assert run("clean", "doc.txt", "-o", "out", *OFF).exit_code == 0
    [entry] = _entries(cache_dir)
    digest, body = entry.read_bytes().split(b"\n", 1)
    plain = json.loads(lzma.decompress(body))
    for stage in plain["result"]["passes"]:
        for fix in stage[1]:
            fix[4] = [[start, end, before, after.replace(" ", " EVIL ")] for start, end, before, after in fix[4]]
    entry.write_bytes(digest + b"\n" + lzma.compress(json.dumps(plain).encode()))
    again = run("clean", "doc.txt", "-o", "out2", *OFF)  # another folder: not the batch recorded, so the entry is read
    assert again.exit_code == 0
    assert Path("out2/doc.txt").read_text() == "An ordinary text.\n"
    assert again.stderr.count("did not match their digest") == 1
    assert "from cache" not in again.stderr


def test_a_good_entry_is_a_hit(cache_dir: Path) -> None:
    Path("doc.txt").write_text("An  ordinary text.\n")
    run("clean", "doc.txt", "-o", "out", *OFF)
    again = run("clean", "doc.txt", "-o", "out2", *OFF)
    assert "1 from cache" in again.stderr and "digest" not in again.stderr
    assert Path("out2/doc.txt").read_text() == "An ordinary text.\n"
    assert Path("out2/report.json").read_text() == Path("out/report.json").read_text()


def test_the_cache_is_outside_the_working_tree_and_ignores_itself(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLEANER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    Path("doc.txt").write_text("An  ordinary text.\n")
    run("clean", "doc.txt", "-o", "out", *OFF)
    assert not Path(".cleaner_cache").exists()
    folder = tmp_path / "xdg" / "cleaner"
    assert _entries(folder) and (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_entries_are_at_most_twice_the_input(cache_dir: Path) -> None:
    for seed in SEEDS:
        Path(seed.name).write_bytes(seed.read_bytes())
    run("clean", *[s.name for s in SEEDS], "-o", "out", *OFF)
    entries = _entries(cache_dir)
    assert len(entries) == len(SEEDS)
    biggest = max(e.stat().st_size / Path(json.loads(lzma.decompress(e.read_bytes().split(b"\n", 1)[1]))["result"]["source"]).stat().st_size for e in entries)
    assert biggest <= 2.0, f"an entry is {biggest:.2f} times its input"


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_a_cached_result_is_the_result(seed: Path, tmp_path: Path) -> None:
    config = Config(grammar="off")
    data = seed.read_bytes()
    fresh = clean_bytes(data, seed.as_posix(), config)
    cache = ResultCache(tmp_path)
    key = cache.key(data, seed.as_posix(), config)
    cache.put(key, fresh)
    cached = cache.get(key, data)
    assert cached is not None and cache.hits == 1
    assert (cached.output, cached.input_text) == (fresh.output, fresh.input_text)
    assert document_line(cached, "x", Shared()) == document_line(fresh, "x", Shared())
    assert markdown_row(cached) == markdown_row(fresh)
    assert problems_of(cached, config) == problems_of(fresh, config)


def test_an_entry_for_other_bytes_is_a_miss(tmp_path: Path) -> None:
    config = Config(grammar="off")
    cache = ResultCache(tmp_path)
    key = cache.key(b"One  text.\n", "a.txt", config)
    cache.put(key, clean_bytes(b"One  text.\n", "a.txt", config))
    assert cache.get(key, b"Another text, same key.\n") is None and cache.rejected == 1


def test_cache_clean_removes_the_cache_and_nothing_else(cache_dir: Path, tmp_path: Path) -> None:
    Path("doc.txt").write_text("Text.\n")
    run("clean", "doc.txt", "-o", "out", *OFF)
    assert cache_dir.exists()
    (cache_dir / "counts").mkdir(exist_ok=True)  # the count tables are removed too, not counted as results
    (cache_dir / "counts" / "words.counts").write_bytes(b"table")
    result = run("cache", "clean")
    assert result.exit_code == 0 and "1 result(s)" in result.stderr and not cache_dir.exists()
    mine = tmp_path / "not-a-cache"
    (mine / "ab").mkdir(parents=True)
    (mine / "ab" / "precious.txt").write_text("Mine.\n")
    refused = run("cache", "clean", "--cache-dir", str(mine))
    assert refused.exit_code == 2 and "not a cleaner cache" in refused.stderr
    assert (mine / "ab" / "precious.txt").exists()


def test_spun_seed_round_trips_through_the_cache_cli(cache_dir: Path) -> None:
    Path("spun.txt").write_bytes(SPUN_SEED.read_bytes())
    first = run("check", "spun.txt", "--format", "json", *OFF)
    second = run("check", "spun.txt", "--format", "json", *OFF)
    assert first.output == second.output and first.exit_code == second.exit_code == 1


# A whole batch is recorded too: an unchanged re-run into the same folder checks the
# files it wrote and says what the first run said, cleaning nothing.

PROMO = "Subscribe to our newsletter for the day's top stories."


def _site(pages: int = 3) -> None:
    """Pages sharing a promotional line (a repeated block, which leaves a problem when removed) and the spun seed."""
    Path("site").mkdir()
    for number in range(1, pages + 1):
        Path(f"site/p{number}.txt").write_text(f"Story {number}\n\nThe  body of story {number}.\n\n{PROMO}\n", encoding="utf-8")
    Path("site/spun.txt").write_bytes(SPUN_SEED.read_bytes())


def _clean_site() -> object:
    return run("clean", "site", "-o", "out", "--repeated-blocks", "remove", *OFF)


def _outputs() -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(Path("out").iterdir())}


def _nothing_cleaned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make cleaning a document (or reading its cache entry) fail the test."""

    def refuse(*_: object) -> None:
        raise AssertionError("the batch was run again")

    monkeypatch.setattr("cleaner.batch.in_order", refuse)


def test_an_unchanged_rerun_checks_its_outputs_and_says_the_same(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site()
    first = _clean_site()
    written = _outputs()
    assert "repeat in 3 or more" in first.stderr and first.exit_code == 1  # a problem is left: the exit code says so
    _nothing_cleaned(monkeypatch)
    again = _clean_site()
    assert again.exit_code == first.exit_code
    assert again.stderr == first.stderr.replace("document(s), ", "document(s), 4 from cache, ")
    assert _outputs() == written  # not even rewritten: same bytes, same times


def test_a_changed_output_input_or_setting_runs_the_batch_again(cache_dir: Path) -> None:
    _site()
    _clean_site()
    expected = Path("out/p1.txt").read_text(encoding="utf-8")
    Path("out/p1.txt").write_text("Edited by hand.\n", encoding="utf-8")
    Path("out/report.json").unlink()
    again = _clean_site()
    assert Path("out/p1.txt").read_text(encoding="utf-8") == expected and Path("out/report.json").is_file()
    assert "4 from cache" in again.stderr  # the documents came from their entries, the batch ran
    Path("site/spun.txt").write_text("A  new story.\n", encoding="utf-8")
    assert "3 from cache" in _clean_site().stderr and Path("out/spun.txt").read_text(encoding="utf-8") == "A new story.\n"
    kept = run("clean", "site", "-o", "out", *OFF)  # the repeated block reported, not removed
    assert PROMO in Path("out/p1.txt").read_text(encoding="utf-8") and kept.exit_code == 0


def test_a_damaged_or_planted_batch_record_is_ignored(cache_dir: Path) -> None:
    _site()
    _clean_site()
    [record] = (cache_dir / "batches").iterdir()
    key = record.name
    expected = Path("out/p1.txt").read_bytes()
    good = json.loads(record.read_bytes().split(b"\n", 1)[1])
    planted = {  # each with whether it is damage (a record of this tool's shape for another batch is just a miss)
        b"not a record": True,
        _signed(key, {**good, "documents": -1}): True,
        _signed(key, {**good, "notices": [{"run": "rm -rf ~"}]}): True,
        _signed(key, {**good, "outputs": good["outputs"][:1]}): False,
    }
    for body, damaged in planted.items():
        record.write_bytes(body)
        again = _clean_site()
        assert again.exit_code == 1 and "cleaned 4 document(s), 4 from cache" in again.stderr, body[:60]
        assert again.stderr.count("did not match their digest") == damaged, body[:60]
        assert Path("out/p1.txt").read_bytes() == expected
    record.unlink()
    os.mkfifo(record)  # a FIFO where the record goes must not hang the run
    done = threading.Thread(target=ResultCache(cache_dir).recall_batch, args=(key,), daemon=True)
    done.start()
    done.join(timeout=10)
    assert not done.is_alive(), "reading a FIFO planted as a batch record hung"


def _signed(key: str, entry: dict[str, object]) -> bytes:
    body = json.dumps(entry).encode()
    return keyed_digest(key, body).encode() + b"\n" + body


def test_a_batch_with_an_input_error_or_inputs_changed_while_it_ran_is_not_recorded(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site()
    Path("site/p1.html").write_text("<p>Clashes with p1.txt's output name.</p>", encoding="utf-8")
    first = _clean_site()
    assert first.exit_code == 2 and not (cache_dir / "batches").exists()
    assert _clean_site().stderr.count("the same output name") == 2  # the errors are found again, not replayed
    Path("site/p1.html").unlink()
    import cleaner.batch

    counting = cleaner.batch._with_repeated_blocks

    def edit_an_input_meanwhile(*args: object) -> object:
        Path("site/p3.txt").write_text("Changed while the batch ran.\n", encoding="utf-8")
        return counting(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cleaner.batch, "_with_repeated_blocks", edit_an_input_meanwhile)
    _clean_site()
    assert not (cache_dir / "batches").exists()


def test_cache_dir_holds_all_the_run_keeps_and_is_put_back_after(cache_dir: Path, tmp_path: Path) -> None:
    """--cache-dir takes the results and also the count tables and rule-pack parses (in a fresh process, which loads them)."""
    import subprocess
    import sys

    Path("doc.txt").write_text("An  ordinary text.\n")
    chosen = tmp_path / "chosen"
    command = [sys.executable, "-m", "cleaner", "clean", "doc.txt", "-o", "out", "--cache-dir", str(chosen), *OFF]
    subprocess.run(command, check=True, capture_output=True)
    assert _entries(chosen) and list((chosen / "counts").glob("*.counts")) and list((chosen / "rules").iterdir())
    assert not cache_dir.exists()  # nothing went to the folder the environment names
    run("clean", "doc.txt", "-o", "out2", "--cache-dir", str(tmp_path / "other"), *OFF)
    assert os.environ["CLEANER_CACHE_DIR"] == str(cache_dir)  # an in-process run puts the setting back
