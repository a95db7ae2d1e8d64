#!/usr/bin/env bash
# Release store benchmark: a 750-object release recorded into a git store that already holds
# HISTORY revisions (default 10000), history, reads and diffs at that length, and the
# repository's size on disk after `git gc`. Usage: bash Benchmarks/store.sh
# (HISTORY=N and SAMPLES=N change the history length and the revisions timed per point).
set -euo pipefail
cd "$(dirname "$0")/.."
HISTORY="${HISTORY:-10000}"
SAMPLES="${SAMPLES:-20}"

swift build -c release --product StoreBenchmark >&2
BIN="$(swift build -c release --show-bin-path)/StoreBenchmark"
DIR="$(mktemp -d /tmp/flowrel-store-bench.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT

START=$(date +%s)
OUT="$("$BIN" "$DIR" "$HISTORY" "$SAMPLES")"
field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$OUT"; }

LOOSE_KB=$(du -sk "$DIR/repo/.git" | cut -f1)
GC_START=$(date +%s)
git -C "$DIR/repo" gc --quiet
GC_S=$(( $(date +%s) - GC_START ))
PACKED_KB=$(du -sk "$DIR/repo/.git" | cut -f1)
OBJECTS=$(git -C "$DIR/repo" count-objects -v | awk '$1 == "in-pack:" { print $2 }')
COMMITS=$(git -C "$DIR/repo" rev-list --count HEAD)

echo "store of $(field revisions) revisions on main ($COMMITS commits, $OBJECTS objects) of one 750-object release; medians of $SAMPLES records, 3 reads"
echo
echo "| measurement | result |"
echo "| --- | ---: |"
echo "| record a revision, history of ~$SAMPLES | $(field record_ms_at_start) ms (fastest $(field record_min_ms_at_start)) |"
echo "| record a revision, history of ~$((HISTORY / 2)) | $(field record_ms_at_half) ms (fastest $(field record_min_ms_at_half)) |"
echo "| record a revision, history of ~$HISTORY | $(field record_ms_at_full) ms (fastest $(field record_min_ms_at_full)) |"
echo "| record on a branch not checked out, history of ~$HISTORY | $(field record_ms_at_branch) ms (fastest $(field record_min_ms_at_branch)) |"
echo "| history, all $(field history_entries) revisions | $(field history_all_ms) ms |"
echo "| history --max 256 | $(field history_256_ms) ms |"
echo "| get the current revision (750 objects) | $(field get_latest_ms) ms |"
echo "| get revision 1 (walks the whole history) | $(field get_oldest_ms) ms |"
echo "| diff of the last two revisions ($(field diff_last_two_objects) object changed) | $(field diff_last_two_ms) ms |"
echo "| diff of revision 1 and the last ($(field diff_first_last_objects) object changed) | $(field diff_first_last_ms) ms |"
echo "| .git before gc | $((LOOSE_KB / 1024)) MiB |"
echo "| .git after git gc ($GC_S s) | $((PACKED_KB / 1024)) MiB |"
echo
echo "building the history with the fast path took $(field fast_path_build_s) s; whole run $(( $(date +%s) - START )) s"
