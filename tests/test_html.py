"""The HTML review page, rendered for real in headless Chromium (Debian's chromium).

The test starts the browser itself, reads back the DOM it built and a screenshot, and
checks what a reviewer would see: both sides, highlighted edits that name their stage,
rule and reason, the spin verdict, the readability chart, and no network resources.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from .conftest import SPUN_SEED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "review.html"
    result = CliRunner().invoke(main, ["report", str(SPUN_SEED), "-o", str(out), "--grammar", "off"], catch_exceptions=False)
    assert result.exit_code == 0
    return out


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<script" not in html and "@import" not in html


def browser(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    profile = page.parent / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()], capture_output=True, text=True, timeout=120, check=True)


def test_browser_renders_both_sides_with_explained_edits(page: Path) -> None:
    dom = browser(page, "--dump-dom").stdout
    assert "spun" in dom and "readability before and after" in dom
    removed = re.findall(r'<del class="e stage-(\w+)" data-rule="([^"]+)" data-tip="([^"]+)"', dom)
    inserted = re.findall(r'<ins class="e stage-(\w+)" data-rule="([^"]+)" data-tip="([^"]+)"', dom)
    assert len(removed) > 100 and len(inserted) > 100
    stage, rule, tip = next(r for r in removed if r[1] == "spin.autoblog.international-locations-for-countries")
    assert stage == "spin" and rule in tip and "spinner output" in tip


def test_screenshot_shows_the_highlights(page: Path) -> None:
    from PIL import Image

    shot = page.parent / "review.png"
    browser(page, "--window-size=1400,1100", f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1100)
    colours = image.getcolors(maxcolors=1_000_000) or []
    by_colour = {rgb: count for count, rgb in colours}
    assert by_colour.get((0xFF, 0xD7, 0xD5), 0) > 2000  # removed text (left)
    assert by_colour.get((0xC8, 0xF7, 0xC5), 0) > 2000  # inserted text (right)
    assert by_colour.get((0x23, 0x37, 0x4D), 0) > 10000  # the header bar


def test_summary_links_line_numbers_aligned_rows_and_spin_after_cleaning(page: Path) -> None:
    dom = browser(page, "--dump-dom").stdout
    summary = dom.split('<section class="summary"', 1)[1].split("</section>", 1)[0]
    assert "1 document(s); 1 spun before cleaning, 0 still spun after" in summary and "edit(s) (normalise" in summary
    assert '<a href="#doc-1">' in summary and '<section class="doc" id="doc-1">' in dom
    assert "spun before cleaning, not after" in dom  # the verdict after cleaning, not the score before
    table = dom.split("problems left after cleaning", 1)[1]
    assert "spin.spun-document" not in table
    grid = dom.split('<div class="sides">', 1)[1].split("<h3>problems left", 1)[0]
    before, after = grid.count('<div class="side before">'), grid.count('<div class="side after">')
    assert before == after > 5  # one row per paragraph: each input paragraph beside what it became
    left = [int(n) for n in re.findall(r'<div class="side before"><span class="ln" data-n="(\d+)">', grid)]
    right = [int(n) for n in re.findall(r'<div class="side after"><span class="ln" data-n="(\d+)">', grid)]
    assert left[0] == right[0] == 1 and left == sorted(set(left)) and right == sorted(set(right))
    assert right[-1] > left[-1]  # the output's line numbers: cleaning puts a blank line between paragraphs
    assert len(re.findall(r'class="ln" data-n="\d+"', grid)) > 40
    assert re.search(r'<del class="e stage-normalise"[^>]*>[^<]*<span class="ws">', grid)  # whitespace edits are drawn
    assert 'id="mono"' in dom and 'for="mono"' in dom


def test_remaining_findings_are_highlighted_in_the_output(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    (tmp_path / "a.txt").write_text("They reached a agreemnt about the the plan.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "a.txt"), "-o", str(out), "--grammar", "harper"], catch_exceptions=False)
    assert result.exit_code == 0
    dom = browser(out, "--dump-dom").stdout
    marked = re.findall(r'<mark class="f" data-rule="([^"]+)"[^>]*>([^<]*)</mark>', dom)
    assert marked and all(rule.startswith("grammar.") for rule, _ in marked)
    assert "problems left after cleaning (0)" not in dom
