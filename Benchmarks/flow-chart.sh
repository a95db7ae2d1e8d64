#!/bin/bash
# The flow chart benchmark (release build): a Flow of 50 Executors x 4 shards x 2 replicas
# and one of 200 Executors x 1 shard, rendered in process (FlowChartBenchmark) and as whole
# `flowrel template` processes. Results go in BENCHMARKS.md ("Flow chart").
#
#   Benchmarks/flow-chart.sh [RUNS]      (default 20 whole-process runs per Flow)
#   BASELINE=/path/to/other/flowrel Benchmarks/flow-chart.sh [RUNS]
#
# With BASELINE, every whole-process run of this flowrel alternates with one of the other
# binary (an older build, say), so both see the same machine load, and the ratio is printed.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-20}
# flowrel is built as it ships: with the Swift runtime linked in (--static-swift-stdlib), so
# the binary runs anywhere alone and starts without resolving Swift's shared libraries;
# optimized across modules (generic code of one module specialized where another calls it);
# and linked by lld with packed relative relocations, which the loader applies faster at start-up.
release_flags="-c release --static-swift-stdlib --scratch-path .build-static -Xswiftc -cross-module-optimization -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs"
swift build $release_flags --product flowrel >/dev/null
swift build $release_flags --product FlowChartBenchmark >/dev/null
bin=$(swift build $release_flags --show-bin-path)
flowrel=$bin/flowrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/FlowChartBenchmark" --write-values "$work"

# Microseconds one `flowrel template` run of binary $1 on values $2 takes (output discarded),
# from bash's clock (no `date` process is started around the run and counted with it).
time_run() {
  start=${EPOCHREALTIME/[.,]/}
  "$1" template bench -f "$2" -n bench >/dev/null
  end=${EPOCHREALTIME/[.,]/}
  echo $((end - start))
}

# "median min" of the microsecond times in file $1, in milliseconds.
summary() {
  sort -n "$1" | awk '{ t[NR] = $1 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)] / 1000, t[1] / 1000 }'
}

for flow in 50x4x2 200x1; do
  values="$work/flow-$flow.yaml"
  "$flowrel" template bench -f "$values" -n bench >"$work/out.yaml"
  objects=$(grep -c '^kind:' "$work/out.yaml")
  : >"$work/times"
  : >"$work/baseline"
  i=0
  while [ "$i" -lt "$runs" ]; do
    time_run "$flowrel" "$values" >>"$work/times"
    if [ -n "${BASELINE:-}" ]; then time_run "$BASELINE" "$values" >>"$work/baseline"; fi
    i=$((i + 1))
  done
  set -- $(summary "$work/times")
  echo "$flow: $objects objects, whole process (flowrel template) median $1 ms, min $2 ms over $runs runs"
  if [ -n "${BASELINE:-}" ]; then
    median=$1
    set -- $(summary "$work/baseline")
    awk -v flow="$flow" -v ours="$median" -v base="$1" -v min="$2" 'BEGIN {
      printf "%s: baseline %s median %.1f ms, min %.1f ms (this build takes %.2f of its median time)\n",
             flow, ENVIRON["BASELINE"], base, min, ours / base }'
  fi
done
