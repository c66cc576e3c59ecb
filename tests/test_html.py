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
