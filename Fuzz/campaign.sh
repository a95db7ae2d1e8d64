#!/usr/bin/env bash
# Runs a libFuzzer campaign over flowrel's fuzz targets, one target after another, each on one
# core, and prints a figures line per target. Build the fuzzer first (from this folder):
#   swift build -c release --sanitize=fuzzer
# Usage: Fuzz/campaign.sh [-r RUNS] [-t SECONDS] [TARGET...]   (default: every target, 100000 runs)
# Each target's working corpus grows in $FLOWREL_FUZZ_WORK (default /tmp/flowrel-fuzz), starting
# from the committed seeds; crashes, timeouts and out-of-memory inputs are written there as
# crash-*, timeout-*, oom-* and listed at the end. Copy each one into Regressions/TARGET/ and
# fix what it shows: `swift test --filter FuzzReplayTests` replays every file there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=100000
seconds=0
while getopts r:t: option; do
  case $option in
    r) runs=$OPTARG ;;
    t) seconds=$OPTARG ;;
    *) echo "usage: $0 [-r RUNS] [-t SECONDS] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(yaml values set template archive chart schema sops age regex json flow store); fi
fuzzer="$here/.build/release/flowrel-fuzz"
[ -x "$fuzzer" ] || { echo "build the fuzzer first: (cd $here && swift build -c release --sanitize=fuzzer)" >&2; exit 2; }
work=${FLOWREL_FUZZ_WORK:-/tmp/flowrel-fuzz}
status=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/findings"
  log="$work/$target/log.txt"
  limits=(-timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=8192 -print_final_stats=1)
  if [ "$seconds" != 0 ]; then limits+=(-max_total_time="$seconds"); else limits+=(-runs="$runs"); fi
  set +e
  # Swift's backtracer would take a crash's signal before libFuzzer's handler, which then
  # never writes the crash-* file: it is turned off.
  SWIFT_BACKTRACE=enable=no FLOWREL_FUZZ_TARGET=$target "$fuzzer" "${limits[@]}" -artifact_prefix="$work/$target/findings/" \
    "$work/$target/corpus" "$here/Corpus/$target" >"$log" 2>&1
  code=$?
  set -e
  inputs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  seconds_used=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "?")
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  slowest=$(grep -o 'stat::slowest_unit_time_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  corpus=$(find "$work/$target/corpus" -type f | wc -l)
  findings=$(find "$work/$target/findings" -type f | wc -l)
  echo "$target: exit $code, $inputs inputs in ${seconds_used}s, slowest input ${slowest}s, peak RSS ${rss} MB, corpus $corpus, findings $findings"
  [ "$code" = 0 ] || status=1
done
find "$work" -path '*/findings/*' -type f 2>/dev/null | sort
exit $status
