"""Run ftfy's own test cases through the whole pipeline and count how many come out right.

    python benchmarks/ftfy_cases.py [CASES.json ...] [--show-failures]

By default it runs ``benchmarks/data/ftfy-6.3.1-test_cases.json`` and
``ftfy-6.0-test_cases.json``: ``tests/test_cases.json`` of ftfy 6.3.1 (the version
cleaner pins; 151 passing cases) and of ftfy 6.0 (131), as they are in ftfy's
repository (Apache-2.0, Robyn Speer; see ``benchmarks/data/README.md``). Each case's
``original`` is cleaned as a document (every stage, grammar off, default
configuration) and its output compared with ftfy's ``fixed``, under cleaner's written
policies, applied to both sides alike: curly quotes are kept (``typography = "keep"``;
ftfy's default uncurls them), and no-break and other typographic spaces become plain
spaces, runs of spaces between words become one and spaces at the end of a line go
(rules ``normalise.odd-spaces``, ``repeated-spaces``, ``trailing-whitespace``). Cases
ftfy itself fails (``expect = "fail"``) are left out; negative cases (not mojibake) are counted apart, with how many of them
cleaning changed where ftfy leaves them as they are. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ftfy.fixes import uncurl_quotes

from cleaner import Config, clean_text

DATA = Path(__file__).resolve().parent / "data"
CASES = [DATA / "ftfy-6.3.1-test_cases.json", DATA / "ftfy-6.0-test_cases.json"]
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_REPEATED_SPACES = re.compile(r"(?<=\S)  +(?=\S)")
_TRAILING = re.compile(r"[ \t]+$", re.M)


def policy(text: str) -> str:
    """Put a text in the form both sides are compared in: cleaner's quote and whitespace policies applied."""
    text = _ODD_SPACES.sub(" ", uncurl_quotes(text))
    return _TRAILING.sub("", _REPEATED_SPACES.sub(" ", text)).rstrip("\n")


def is_negative(case: dict[str, str]) -> bool:
    """Tell whether ftfy labels the case as text that must not be changed."""
    return "negative" in case["label"].split(":")[0].lower()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="*", type=Path, default=CASES)
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULE_PREFIX", help="Turn rules off, as cleaner's --ignore does (to compare).")
    args = parser.parse_args()
    config = Config(grammar="off", ignore=tuple(args.ignore))
    for path in args.cases:
        cases = [c for c in json.loads(path.read_text(encoding="utf-8")) if c["expect"] == "pass"]
        tally = {True: [0, 0, 0], False: [0, 0, 0]}  # negative? -> [cases, right, changed]
        for case in cases:
            output = clean_text(case["original"] + "\n", config).output
            right = policy(output) == policy(case["fixed"])
            counts = tally[is_negative(case)]
            counts[0] += 1
            counts[1] += right
            counts[2] += policy(output) != policy(case["original"]) and policy(case["fixed"]) == policy(case["original"])
            if args.show_failures and not right:
                print(f"  FAIL {case['label']}\n    original {case['original']!r}\n    expected {case['fixed']!r}\n    got      {output.rstrip(chr(10))!r}")
        total, right = tally[True][0] + tally[False][0], tally[True][1] + tally[False][1]
        print(f"{path.name}: {right}/{total} passing cases right through the pipeline")
        print(f"  mojibake and other fixes: {tally[False][1]}/{tally[False][0]} right")
        print(f"  negative cases: {tally[True][1]}/{tally[True][0]} right, {tally[True][2]} changed where ftfy expects them unchanged")


if __name__ == "__main__":
    main()
