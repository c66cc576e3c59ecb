"""Short-line scrapes: headline, byline, date line, share bar, captions and body, one
per line. Paragraph detection must see each line as a block, the boilerplate rules
must take the page furniture, and every sentence of the article must stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.edits import replay
from cleaner.stages.normalise import is_paragraph_per_line

from .conftest import CLEAN_SEEDS

OFF = Config(grammar="off")
SCRAPE = Path(__file__).parent / "data" / "scrape_short_lines.txt"
ARTICLE = [
    "Russia and US talks may have ended with no end",
    "By Julian Borger, World affairs editor",
    "Fri 14 Jan 2022 13.48 GMT",
    "The Guardian's world affairs editor assesses the outcome of three rounds of talks this week about the fate of Ukraine, Russia, the US, Nato and the OSCE.",
    "Did the talks achieve anything?",
    "The Russians described them as a dead end. The gap between what the US and its allies were ready to talk about and what Moscow was demanding was as wide at the end of the week as it was at the beginning.",
    "At least the possibility of finding common ground has been tested, and diplomacy has been given a chance.",
    "Is there any clarity about what Russia wants?",
    "It is clear now that Russia is not using its troop build-up as a bluff to achieve gains on other matters.",
    "Russian officials on Thursday did not make it sound like there was much appetite for further discussions in Moscow.",
    # The author's bio is reported (an unsafe fix), not removed by default.
    "Julian Borger is the Guardian's world affairs editor. He was previously a correspondent in the US, the Middle East and the Balkans.",
]
DEBRIS = {
    "Skip to main content": "skip-link",
    "Home | World | UK | Business | Politics | Sport | Culture": "navigation-row",
    "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies. Accept all cookies Manage preferences": "cookie-banner",
    "Advertisement": "advertisement",
    "Share this article": "share-bar",
    "Share Tweet Email": "share-bar",
    "Photograph: Alexander Zemlianichenko/AP": "photo-credit",
    "Image caption: Russian troops take part in exercises near the border with Ukraine.": "image-caption",
    "Read more: Nato and Russia fail to agree on Ukraine": "read-more",
    "Related: What is the OSCE and why does it matter?": "read-more",
    "Also read: Five things we learned from the Geneva talks": "read-more",
    "Supported by": "supported-by",
    "Sign up to our morning briefing newsletter": "newsletter-signup",
    "Comments": "comment-prompt",
    "Join the conversation": "comment-prompt",
    "Follow us on Twitter and Facebook": "follow-us",
    "© 2022 Guardian News & Media Limited. All rights reserved.": "copyright",
}


def test_short_line_scrape_loses_its_furniture_and_keeps_every_sentence() -> None:
    text = SCRAPE.read_text(encoding="utf-8")
    result = clean_text(text, OFF)
    assert result.output.split("\n\n") == [*ARTICLE[:-1], ARTICLE[-1] + "\n"]
    assert replay(text, result.log) == result.output
    removed = {e.before.strip(): f.rule_id for p, f in result.log.applied if p.stage == "structure" for e in f.edits}
    assert removed == {line: f"structure.boilerplate.{rule}" for line, rule in DEBRIS.items()}
    skipped = [s.fix.rule_id for _, s in result.log.skipped]
    assert skipped == ["structure.boilerplate.author-bio"]
    bio_only = clean_text(text, Config(grammar="off", unsafe_fixes=True)).output
    assert ARTICLE[-1] not in bio_only and all(line in bio_only for line in ARTICLE[:-1])


@pytest.mark.parametrize("seed", CLEAN_SEEDS, ids=lambda p: p.name)
def test_seed_scraped_one_line_per_block_cleans_like_the_seed(seed: Path) -> None:
    """Each seed's paragraphs on single lines, with a page's furniture around them."""
    text = seed.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    body: list[str] = []
    inserts = ["Advertisement", "Read more: Nato and Russia fail to agree on Ukraine", "Photograph: Alexander Zemlianichenko/AP", "Related: What is the OSCE and why does it matter?"]
    for index, paragraph in enumerate(paragraphs[1:]):
        body.append(paragraph)
        if index % 2:
            body.append(inserts[(index // 2) % len(inserts)])
    lines = [
        "Skip to main content",
        "Home | World | UK | Business | Politics | Sport",
        "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies. Accept all cookies",
        paragraphs[0],
        "Share this article",
        "Share Tweet Email",
        *body,
        "Sign up to our morning briefing newsletter",
        "Comments",
        "Join the conversation",
        "© 2022 Guardian News & Media Limited. All rights reserved.",
    ]
    scrape = "\n".join(lines) + "\n"
    assert clean_text(scrape, OFF).output == clean_text(text, OFF).output


def test_hard_wrapped_prose_is_not_split_into_lines() -> None:
    wrapped = (
        "The emergency talks over Ukraine between the US secretary of state and\n"
        "the Russian foreign minister ended on Sunday without an agreement. Both\n"
        "sides said that a diplomatic solution to the crisis had to be found, a\n"
        "conclusion their presidents had already reached in a call on Friday.\n"
        "Diplomats said further talks were possible but no date had been set.\n"
    )
    assert not is_paragraph_per_line(wrapped)
    assert clean_text(wrapped, OFF).output == wrapped


def test_a_few_short_lines_stay_together() -> None:
    """Two line breaks are too little evidence of a scrape: the lines stay one paragraph."""
    assert clean_text("A line with gaps.\nCafé\n", OFF).output == "A line with gaps.\nCafé\n"
