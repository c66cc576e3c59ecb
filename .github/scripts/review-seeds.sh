#!/usr/bin/env bash
# Review what a change does to seeds/: the commands the pull-request workflow runs.
# Usage: .github/scripts/review-seeds.sh BASE_REF [ARTIFACT_DIR]
#   - annotates changed lines of added or changed seeds (GitHub workflow commands);
#   - writes SARIF for code scanning, the staleness check of output/, the before/after
#     diff of output/ and the HTML review page into ARTIFACT_DIR (default: review/).
# Exit status: 1 when a changed seed is spun (or has findings at --fail-on) or output/
# is stale or missing for a seed, 2 for input errors, else 0.
set -uo pipefail
base="$1"
artifacts="${2:-review}"
mkdir -p "$artifacts"
status=0
keep_worst() { if [ "$1" -gt "$status" ]; then status="$1"; fi; }

cleaner check seeds --changed-since "$base" --changed-lines-only --format github
keep_worst $?
cleaner check seeds --changed-since "$base" --format sarif > "$artifacts/cleaner.sarif"
cleaner check seeds --against output --only cleaner.stale-output --fail-on warning > "$artifacts/staleness.txt"
keep_worst $?
rm -rf "$artifacts/output"
cleaner clean seeds -o "$artifacts/output" 2> "$artifacts/clean.log"
diff -ru output "$artifacts/output" > "$artifacts/output.diff"
cleaner report seeds -o "$artifacts/review.html" 2>> "$artifacts/clean.log"
echo "review artifacts in $artifacts/ (exit status $status)" >&2
exit "$status"
